#include "scheduler/scheduler_core.h"

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <iterator>
#include <utility>

#include "archive/past_record_batch_access.h"
#include "core/agent_core.h"
#include "core/effects.h"
#include "core/format.h"
#include "core/runtime_core.h"
#include "core/source_core.h"
#include "magent/signature.h"
#include "scheduler/event_context_impl.h"
#include "sentinel/authorizer.h"

namespace magent::internal {
namespace {

// Due entries handled per timer callback; the rest follow in a posted continuation, so a
// burst of due events never holds the lock or a thread for long.
constexpr std::size_t kBatch = 512;

std::uint64_t KeyOf(TimePoint t) {
  auto ns = t.time_since_epoch().count();
  return ns < 0 ? 0 : static_cast<std::uint64_t>(ns);
}

// Asks for every cache line of `*object`, to be written.
template <typename T>
void PrefetchForWrite(const T* object) {
  const char* p = reinterpret_cast<const char*>(object);
  for (std::size_t line = 0; line < sizeof(T); line += 64) __builtin_prefetch(p + line, 1);
  // An object not aligned to a line may reach into one more.
  if constexpr (alignof(T) % 64 != 0) __builtin_prefetch(p + sizeof(T) - 1, 1);
}

TimePoint TimeOf(std::uint64_t key) { return TimePoint(Duration(static_cast<Duration::rep>(key))); }

// a + b, saturating at TimePoint::max().
TimePoint AddSat(TimePoint a, Duration b) {
  if (b >= TimePoint::max() - a) return TimePoint::max();
  return a + b;
}

// The running time a Current event may use before it must ask for more.
TimePoint DeadlineOf(const EventNode& node) {
  if (node.allowable == Duration::max()) return TimePoint::max();
  return AddSat(AddSat(AddSat(node.started, node.allowable), node.granted()), node.frozen_total());
}

bool HasDetails(const EventSpec& spec) {
  return !spec.goal.empty() || !spec.sources.empty() || !spec.activants.empty() ||
         !spec.passivants.empty() || !spec.payload.empty() ||
         spec.extension_step != Duration::zero() || spec.start_within.has_value();
}

// Moves what `spec` carries beyond the hot fields into `node`'s details, if anything.
void TakeDetails(EventNode& node, EventSpec& spec) {
  if (!HasDetails(spec)) return;
  EventDetails& d = node.Details();
  d.goal = std::move(spec.goal);
  d.sources = std::move(spec.sources);
  d.activants = std::move(spec.activants);
  d.passivants = std::move(spec.passivants);
  d.payload = std::move(spec.payload);
  d.extension_step = spec.extension_step;
  d.start_within = spec.start_within;
}

// a + b, saturating at Duration::max().
Duration AddSat(Duration a, Duration b) {
  if (b >= Duration::max() - a) return Duration::max();
  return a + b;
}

// The step an event asks for when its allowable duration ran out.
Duration StepOf(const EventNode& node) {
  const EventDetails* d = node.details.get();
  return d && d->extension_step > Duration::zero() ? d->extension_step : node.allowable;
}

// Values as an event's history shows them (EventChange).
Text TimeText(TimePoint t) { return Text("magent.time", "{0}", {FormatTime(t)}); }
Text DurationText(Duration d) { return Text("magent.duration", "{0}", {FormatDuration(d)}); }
Text PayloadText(const std::string& payload) { return Text("magent.payload", "{0}", {payload}); }

// Why a held event of an expiring kind ended.
Text UnsignedText() {
  return Text("sentinel.unsigned", "Not signed by enough of its sources by its due time.", {});
}

// Runs a plain work where its result is to be kept. Emplaced into a vector, it converts to
// the result in the vector's slot, and GCC builds the work's return value right there (it
// elides the move from a conversion function's result, which the standard allows but does
// not require; callgrind shows it); a push_back of the result moved its Text (two strings)
// and destroyed the temporary, for every event.
struct PlainRun {
  EventNode* node;
  EventContext& context;
  operator Result<Text>() const {  // NOLINT(google-explicit-constructor): for emplace_back.
    try {
      return std::get<PlainWork>(node->work)(context);
    } catch (const std::exception& e) {
      return Status::Internal(std::string("exception: ") + e.what());
    } catch (...) {
      return Status::Internal("exception of unknown type");
    }
  }
};

}  // namespace

SchedulerCore::SchedulerCore(RuntimeCore* rt)
    : rt_(rt), timer_(rt->clock->MakeTimer(rt->io.get_executor())) {}

SchedulerCore::~SchedulerCore() { Shutdown(); }

void SchedulerCore::Shutdown() {
  std::lock_guard lock(rt_->mu);
  if (timer_) timer_->Cancel();
  armed_.reset();
  // Live nodes are held by one extra reference while the queue is emptied; ended nodes
  // that only stale entries still pointed at are freed with their last entry.
  std::vector<EventNode*> live;
  live.reserve(live_.size());
  live_.ForEach([&live](EventNode* node) {
    node->dead = true;
    ++node->queue_refs;
    live.push_back(node);
  });
  live_.Clear();
  queue_.Compact([this](const Queue::Entry& e) {
    ReleaseEntryLocked(e.node);
    return true;
  });
  for (EventNode* node : live) ReleaseEntryLocked(node);
  // Answers that will not come now: no handler runs after the shutdown.
  for (EventNode* node : asked_) ReleaseEntryLocked(node);
  asked_.clear();
  stale_ = 0;
}

boost::signals2::connection SchedulerCore::OnTransition(
    std::function<void(const Transition&)> slot) {
  return on_transition_.Connect(std::move(slot));
}

boost::signals2::connection SchedulerCore::OnPastUnmasked(
    std::function<void(const EventRecord&)> slot) {
  return on_past_.Connect(std::move(slot));
}

Result<EventRecord> SchedulerCore::SnapshotUnmasked(EventId id) const {
  std::lock_guard lock(rt_->mu);
  EventNode* node = FindLocked(id);
  if (!node) return Status::NotFound("event " + id.ToString() + " is not live");
  EventRecord record;
  CopyFields(FieldsLocked(*node, rt_->Now()), record);
  return record;
}

SchedulerCounts SchedulerCore::Counts() const {
  std::lock_guard lock(rt_->mu);
  return counts_;
}

EventNode* SchedulerCore::FindLocked(EventId id) const { return live_.Find(id); }

std::vector<EventNode*> SchedulerCore::LiveOfLocked(const AgentCore& agent) const {
  std::vector<EventNode*> out;
  live_.ForEach([&out, &agent](EventNode* node) {
    if (node->agent == &agent) out.push_back(node);
  });
  return out;
}

const std::string* SchedulerCore::InternLocked(const std::string& kind) {
  // Agents tend to schedule runs of one kind: a compare of a short string beats a hash.
  if (last_kind_ && *last_kind_ == kind) return last_kind_;
  last_kind_ = &*kinds_.insert(kind).first;
  return last_kind_;
}

// ---------------------------------------------------------------------------------------
// Scheduling

Result<EventId> SchedulerCore::Schedule(AgentCore& agent, EventSpec&& spec, EventId parent) {
  if (spec.kind.empty()) return Status::InvalidArgument("event kind is empty");
  if (spec.allowable <= Duration::zero()) {
    return Status::InvalidArgument("allowable duration must be positive");
  }
  if (std::holds_alternative<std::monostate>(spec.work)) {
    Result<Work> work = rt_->BuildWork(spec.kind, spec.payload);
    if (!work.ok()) return work.status();
    spec.work = std::move(work).value();
  } else if (rt_->journal && !rt_->HasKind(spec.kind)) {
    return Status::InvalidArgument("kind '" + spec.kind +
                                   "' has no factory: on a durable runtime its work could not "
                                   "be rebuilt after a restart");
  }
  const TimePoint now = rt_->Now();
  const TimePoint due = spec.due == TimePoint{} ? now : spec.due;
  // Made before the lock: the model lock only orders the journal's writes.
  std::string journal_body;
  if (rt_->journal) journal_body = EncodeEventBody(spec, agent.id, parent, now, due);

  Effects fx;
  EventId id;
  Status denied;
  std::optional<QuorumRule> quorum;
  {
    std::lock_guard lock(rt_->mu);
    if (!rt_->accepting) {
      return Status::FailedPrecondition("the runtime was shut down: it takes no new events");
    }
    if (!agent.AcceptsLocked()) {
      return Status::FailedPrecondition("agent '" + agent.name + "' is " +
                                        std::string(AgentStateName(agent.state)) +
                                        " and takes no new events");
    }
    EventNode* parent_node = nullptr;
    if (parent) {
      parent_node = FindLocked(parent);
      if (!parent_node) {
        return Status::FailedPrecondition("parent event " + parent.ToString() + " ended");
      }
      // A killed or timed-out event is ending: spawn now would escape its kill.
      if (parent_node->end_outcome != Outcome::kNone) {
        return Status::FailedPrecondition("parent event " + parent.ToString() + " is ending");
      }
    }
    const std::string* kind = InternLocked(spec.kind);
    if (rt_->authorizes) {
      // Asked under the lock, so what the Sentinel counts (pending events) cannot change
      // between its decision and the admission.
      Decision decision = rt_->sentinel->Decide(RequestLocked(agent, spec, parent, now));
      if (!decision.allowed || agent.FirstAllowLocked(kind)) {
        RecordDecisionLocked(agent, spec, parent, decision, now, fx);
      }
      if (!decision.allowed) denied = Status::PermissionDenied(decision.reason.English());
      quorum = decision.quorum;
    }
    if (denied.ok()) {
      id = AdmitLocked(agent, std::move(spec), kind, parent_node, quorum, now, due,
                       std::move(journal_body), fx);
    }
  }
  fx.Flush(*rt_);
  if (!denied.ok()) return denied;
  return id;
}

EventNode* SchedulerCore::RestoreLocked(JournalEvent& entry, AgentCore& agent, Work work,
                                        TimePoint now, Effects& fx) {
  EventNode* node = pool_.New();
  node->id = entry.id;
  node->kind = InternLocked(entry.spec.kind);
  node->created = entry.created;
  node->due = entry.due;
  node->allowable = entry.spec.allowable;
  node->frozen_self = entry.frozen_self;
  node->revoked = entry.revoked;
  node->work = std::move(work);
  TakeDetails(*node, entry.spec);
  if (entry.parent) node->Details().parent_id = entry.parent;
  if (EventNode* parent = entry.parent ? FindLocked(entry.parent) : nullptr) {
    LinkChildLocked(node, parent);
  }
  agent.LinkLocked(node);
  if (entry.quorum) {
    // Held again unless the signatures it kept reach its quorum.
    EventDetails& d = node->Details();
    d.quorum = entry.quorum;
    d.signed_by = std::move(entry.signed_by);
    node->held = UnsignedLocked(*node);
  }
  if (entry.modified || !entry.history.empty()) {
    EventDetails& d = node->Details();
    d.modified = entry.modified.has_value();
    d.history = std::move(entry.history);
  }
  live_.Insert(node->id, node);
  ++counts_.future;
  ContinueIdsLocked(node->id.value());
  if (std::holds_alternative<std::monostate>(node->work)) return node;  // Ends at once.
  if (agent.GoneLocked()) {
    OrphanLocked(node, now, fx);  // The grace starts again at the restart.
  } else {
    RefreshFrozenLocked(node, now, fx);
  }
  return node;
}

void SchedulerCore::EndRestoredLocked(EventNode* node, Outcome outcome, Text why, TimePoint started,
                                      TimePoint now, Effects& fx) {
  if (started != TimePoint{}) {
    node->state = EventState::kCurrent;
    node->started = started;
    --counts_.future;
    ++counts_.current;
  }
  EndLocked(node, outcome, std::move(why), now, fx);
}

EventId SchedulerCore::AdmitLocked(AgentCore& agent, EventSpec&& spec, const std::string* kind,
                                   EventNode* parent_node, const std::optional<QuorumRule>& quorum,
                                   TimePoint now, TimePoint due, std::string&& journal_body,
                                   Effects& fx) {
  EventNode* node = pool_.New();
  const EventId id(++next_id_);
  node->id = id;
  node->kind = kind;
  node->created = now;
  node->due = due;
  node->allowable = spec.allowable;
  node->work = std::move(spec.work);
  TakeDetails(*node, spec);
  if (quorum) {
    node->Details().quorum = quorum;
    node->held = true;
  }
  if (parent_node) {
    node->Details().parent_id = parent_node->id;
    LinkChildLocked(node, parent_node);
  }
  agent.LinkLocked(node);
  if (rt_->journal) {
    // A held event is journaled with its quorum, or a restart would let it run.
    const std::optional<JournalEventState> state =
        quorum ? std::optional(StateOfLocked(*node)) : std::nullopt;
    rt_->journal->StageEventBody(id, std::move(journal_body), state ? &*state : nullptr);
  }
  live_.Insert(id, node);
  ++counts_.future;
  TransitionLocked(*node, EventState::kFuture, EventState::kFuture, Outcome::kNone, now, fx);
  RefreshFrozenLocked(node, now, fx);
  return id;
}

void SchedulerCore::ReauthorizeLocked(AgentCore& agent, TimePoint now, Effects& fx,
                                      std::vector<EventId>& revoked) {
  if (!rt_->authorizes) return;
  for (EventNode* node : LiveOfLocked(agent)) {
    if (node->state != EventState::kFuture) continue;
    const EventSpec spec = SpecOfLocked(*node);
    AuthRequest request = RequestLocked(agent, spec, node->parent_id(), now);
    --request.source_pending;  // As when it was scheduled: the others, not itself.
    Decision decision = rt_->sentinel->Decide(request);
    if (decision.allowed == !node->revoked) continue;  // Unchanged.
    RecordDecisionLocked(agent, spec, node->parent_id(), decision, now, fx);
    node->revoked = !decision.allowed;
    if (node->revoked) revoked.push_back(node->id);
    JournalStateLocked(*node);
    RefreshFrozenLocked(node, now, fx);
  }
}

EventSpec SchedulerCore::SpecOfLocked(const EventNode& node) {
  EventSpec spec;
  spec.kind = *node.kind;
  spec.due = node.due;
  spec.allowable = node.allowable;
  if (const EventDetails* d = node.details.get()) {
    spec.goal = d->goal;
    spec.sources = d->sources;
    spec.activants = d->activants;
    spec.passivants = d->passivants;
    spec.payload = d->payload;
    spec.extension_step = d->extension_step;
    spec.start_within = d->start_within;
  }
  return spec;
}

Status SchedulerCore::ModifyLocked(EventId id, const SourceCore& source, EventModification& change,
                                   Work&& work, Effects& fx) {
  EventNode* node = FindLocked(id);
  if (!node) return Status::NotFound("event " + id.ToString() + " is not live");
  if (node->agent->source_id != source.id) {
    return Status::PermissionDenied("event " + id.ToString() + " is not of an agent of source '" +
                                    source.name + "'");
  }
  if (node->state != EventState::kFuture) {
    return Status::FailedPrecondition("event " + id.ToString() +
                                      " has started: only more time can be granted to it");
  }
  const TimePoint now = rt_->Now();
  // The event as it would be, put to the Sentinel before anything changes.
  EventSpec spec = SpecOfLocked(*node);
  std::vector<EventChange> changes;
  auto changed = [&](ChangedField field, Text from, Text to) {
    changes.push_back(EventChange{now, source.id, field, std::move(from), std::move(to)});
  };
  if (change.due) {
    const TimePoint due = *change.due == TimePoint{} ? now : *change.due;
    if (due != spec.due) changed(ChangedField::kDue, TimeText(spec.due), TimeText(due));
    spec.due = due;
  }
  if (change.allowable && *change.allowable != spec.allowable) {
    changed(ChangedField::kAllowable, DurationText(spec.allowable),
            DurationText(*change.allowable));
    spec.allowable = *change.allowable;
  }
  if (change.goal && *change.goal != spec.goal) {
    changed(ChangedField::kGoal, spec.goal, *change.goal);
    spec.goal = *change.goal;
  }
  const bool new_payload = change.payload && *change.payload != spec.payload;
  if (new_payload) {
    changed(ChangedField::kPayload, PayloadText(spec.payload), PayloadText(*change.payload));
    spec.payload = *change.payload;
  }
  if (changes.empty()) return Status::OK();

  std::optional<QuorumRule> quorum = node->details ? node->details->quorum : std::nullopt;
  if (rt_->authorizes) {
    AuthRequest request = RequestLocked(*node->agent, spec, node->parent_id(), now);
    --request.source_pending;  // As when it was scheduled: the others, not itself.
    Decision decision = rt_->sentinel->Decide(request);
    if (!decision.allowed || node->revoked) {
      RecordDecisionLocked(*node->agent, spec, node->parent_id(), decision, now, fx);
    }
    if (!decision.allowed) return Status::PermissionDenied(decision.reason.English());
    node->revoked = false;
    quorum = decision.quorum;
  }

  node->due = spec.due;
  node->allowable = spec.allowable;
  EventDetails& d = node->Details();
  d.goal = std::move(spec.goal);
  if (new_payload) {
    d.payload = std::move(spec.payload);
    node->work = std::move(work);
    // A signature covers the payload (signature.h): those collected sign another event.
    d.signed_by.clear();
  }
  std::move(changes.begin(), changes.end(), std::back_inserter(d.history));
  d.modified = true;
  d.quorum = quorum;
  node->held = quorum && UnsignedLocked(*node);
  JournalStateLocked(*node);
  RefreshFrozenLocked(node, now, fx);  // Rearms it for its new due time.
  return Status::OK();
}

Status SchedulerCore::GrantMoreTimeLocked(EventId id, const SourceCore& source, Duration more) {
  EventNode* node = FindLocked(id);
  if (!node) return Status::NotFound("event " + id.ToString() + " is not live");
  if (node->agent->source_id != source.id) {
    return Status::PermissionDenied("event " + id.ToString() + " is not of an agent of source '" +
                                    source.name + "'");
  }
  if (node->state != EventState::kCurrent) {
    return Status::FailedPrecondition("event " + id.ToString() + " is not running");
  }
  if (node->end_outcome != Outcome::kNone) {
    return Status::FailedPrecondition("event " + id.ToString() + " is ending");
  }
  const TimePoint now = rt_->Now();
  EventDetails& d = node->Details();
  const Duration before = AddSat(node->allowable, d.granted);
  d.extensions.push_back(Extension{now, more, more});
  d.granted = AddSat(d.granted, more);
  d.granted_by_source = AddSat(d.granted_by_source, more);
  ++d.source_grants;
  d.history.push_back(EventChange{now, source.id, ChangedField::kMoreTime, DurationText(before),
                                  DurationText(AddSat(node->allowable, d.granted))});
  JournalStateLocked(*node);
  RearmLocked(node);
  return Status::OK();
}

Status SchedulerCore::SignLocked(EventId id, const SourceCore& signer, std::string_view signature,
                                 Effects& fx) {
  EventNode* node = FindLocked(id);
  if (!node) return Status::NotFound("event " + id.ToString() + " is not live");
  const EventDetails* d = node->details.get();
  if (Status s = signer.CanSign(); !s.ok()) return s;
  if (!VerifyEventSignature(signer.signing_key, id, *node->kind, d ? d->payload : std::string(),
                            signature)) {
    return Status::PermissionDenied("the signature of source '" + signer.name + "' on event " +
                                    id.ToString() + " does not verify");
  }
  if (!SignedWeight(*node, {signer.id})) {
    return Status::PermissionDenied("source '" + signer.name + "' is not a source of event " +
                                    id.ToString());
  }
  if (!d || !d->quorum) {
    return Status::FailedPrecondition("event " + id.ToString() + " needs no signatures");
  }
  if (node->state != EventState::kFuture) {
    return Status::FailedPrecondition("event " + id.ToString() + " has started");
  }
  std::vector<SourceId>& signed_by = node->details->signed_by;
  if (std::find(signed_by.begin(), signed_by.end(), signer.id) == signed_by.end()) {
    signed_by.push_back(signer.id);
    JournalStateLocked(*node);
  }
  UpdateHeldLocked(node, rt_->Now(), fx);
  return Status::OK();
}

Status SchedulerCore::RevokeSignatureLocked(EventId id, const SourceCore& signer, Effects& fx) {
  EventNode* node = FindLocked(id);
  std::vector<SourceId>* signed_by = node && node->details ? &node->details->signed_by : nullptr;
  auto it = signed_by ? std::find(signed_by->begin(), signed_by->end(), signer.id)
                      : std::vector<SourceId>::iterator();
  if (!signed_by || it == signed_by->end()) {
    return Status::NotFound("source '" + signer.name + "' has not signed live event " +
                            id.ToString());
  }
  if (node->state != EventState::kFuture) {
    return Status::FailedPrecondition("event " + id.ToString() + " has started");
  }
  signed_by->erase(it);
  JournalStateLocked(*node);
  const TimePoint now = rt_->Now();
  const bool was_held = node->held;
  UpdateHeldLocked(node, now, fx);
  if (node->held && !was_held) {
    AgentCore* agent = node->agent;
    fx.messages.emplace_back(
        agent->RecipientLocked(),
        SourceMessage{SourceMessage::Kind::kAuthorizationRevoked,
                      now,
                      agent->id,
                      Text("sentinel.signature_revoked",
                           "Source '{0}' withdrew its signature from event {1}, which waits "
                           "for signatures again.",
                           {signer.name, id.ToString()}),
                      std::nullopt,
                      {id}});
  }
  return Status::OK();
}

double SchedulerCore::SignedWeight(const EventNode& node, const std::vector<SourceId>& signers) {
  const EventDetails* d = node.details.get();
  static const std::vector<SourceWeight> kNone;
  return internal::SignedWeight(d ? d->sources : kNone, node.agent->source_id, signers);
}

bool SchedulerCore::UnsignedLocked(const EventNode& node) {
  return BelowQuorum(SignedWeight(node, node.details->signed_by), *node.details->quorum);
}

void SchedulerCore::UpdateHeldLocked(EventNode* node, TimePoint now, Effects& fx) {
  const QuorumRule& rule = *node->details->quorum;
  const bool held = UnsignedLocked(*node);
  if (held == node->held) return;
  node->held = held;
  if (held && node->agent->RetiredLocked()) {
    EndUnsignableLocked(node, now, fx);
    return;
  }
  if (!held && rule.late == LateSignature::kExpire && node->due < now) {
    EndLocked(node, Outcome::kExpired, UnsignedText(), now, fx);
    return;
  }
  RefreshFrozenLocked(node, now, fx);
}

void SchedulerCore::RecordDecisionLocked(const AgentCore& agent, const EventSpec& spec,
                                         EventId parent, const Decision& decision, TimePoint now,
                                         Effects& fx) {
  const EventId id(++next_id_);
  // A decision record takes an event id; the journal must know it is issued, or a restart
  // would issue it again to an event.
  if (rt_->journal) rt_->journal->StageLastEventId(id);
  EventRecord record;
  FillDecisionRecord(id, agent, spec, parent, decision, now, record);
  fx.past.Add(record);
  ++counts_.past;
}

// ---------------------------------------------------------------------------------------
// The queue and the timer

// A key, not an optional<TimePoint>: GCC returned the optional through the stack, in two
// stores read back by one load, which stalls the store forwarding on every scheduled
// event. No time has kNoWake as its key, so "never" stays apart from TimePoint::max().
std::uint64_t SchedulerCore::NextWakeLocked(const EventNode& node) const {
  if (node.dead) return kNoWake;
  const EventDetails* d = node.details.get();
  const std::uint64_t orphan_deadline =
      d && d->orphan_deadline ? KeyOf(*d->orphan_deadline) : kNoWake;
  if (node.state == EventState::kFuture) {
    if (!node.frozen) return KeyOf(node.due);
    std::uint64_t wake = orphan_deadline;
    if (d && d->start_within) wake = std::min(wake, KeyOf(AddSat(node.due, *d->start_within)));
    if (node.held && d->quorum->late == LateSignature::kExpire) {
      wake = std::min(wake, KeyOf(node.due));
    }
    return wake;
  }
  if (node.state == EventState::kCurrent && node.end_outcome == Outcome::kNone) {
    if (node.frozen || (d && d->asking)) return orphan_deadline;
    const TimePoint deadline = DeadlineOf(node);
    if (deadline != TimePoint::max()) return KeyOf(deadline);  // max: no time limit.
  }
  return kNoWake;
}

void SchedulerCore::RearmLocked(EventNode* node) {
  if (node->queued) {
    ++stale_;
    node->queued = false;
  }
  ++node->wake_gen;
  // Running work with no time limit, not frozen, waits for nothing: most starts, decided
  // without NextWakeLocked's search.
  if (node->state == EventState::kCurrent && !node->frozen && node->allowable == Duration::max()) {
    return;
  }
  const std::uint64_t key = NextWakeLocked(*node);
  if (key == kNoWake) return;
  queue_.Push(key, node, node->wake_gen);
  ++node->queue_refs;
  node->queued = true;
  if (!armed_ || key < *armed_) {
    armed_ = key;
    timer_->Arm(TimeOf(key), [this] { OnTimer(); });
  }
}

void SchedulerCore::ArmTimerLocked() {
  std::optional<std::uint64_t> next = queue_.NextKey();
  if (next == armed_) return;
  armed_ = next;
  if (next) {
    timer_->Arm(TimeOf(*next), [this] { OnTimer(); });
  } else {
    timer_->Cancel();
  }
}

void SchedulerCore::ReleaseEntryLocked(EventNode* node) {
  if (--node->queue_refs == 0 && node->dead) pool_.Delete(node);
}

void SchedulerCore::MaybeCompactLocked() {
  if (stale_ < 4096 || stale_ < queue_.size() / 2) return;
  queue_.Compact([this](const Queue::Entry& e) {
    if (e.gen == e.node->wake_gen && !e.node->dead) return false;
    ReleaseEntryLocked(e.node);
    return true;
  });
  stale_ = 0;
}

void SchedulerCore::OnTimer() {
  Effects fx;
  {
    std::lock_guard lock(rt_->mu);
    armed_.reset();
    const TimePoint now = rt_->Now();
    due_.clear();
    queue_.PopDue(KeyOf(now), kBatch, due_);
    // Due order is not allocation order, so each node is a likely cache miss: ask for the
    // nodes a few entries ahead, so the misses overlap instead of queueing up one by one.
    // The whole node is fetched: its work runs and it ends soon after.
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = 0; i < std::min(kAhead, due_.size()); ++i) PrefetchForWrite(due_[i].node);
    std::vector<EventNode*> starts;
    starts.reserve(due_.size());
    for (std::size_t i = 0; i < due_.size(); ++i) {
      if (i + kAhead < due_.size()) PrefetchForWrite(due_[i + kAhead].node);
      const Queue::Entry& e = due_[i];
      EventNode* node = e.node;
      if (e.gen != node->wake_gen || node->dead) {
        --stale_;
        ReleaseEntryLocked(node);
        continue;
      }
      node->queued = false;
      // The popped entry keeps its reference while the node wakes, so an end inside
      // WakeLocked (expiry, orphan kill) cannot free the node under our feet; releasing it
      // afterwards frees the node if it ended.
      WakeLocked(node, now, fx, starts);
      ReleaseEntryLocked(node);
    }
    if (due_.size() == kBatch) {
      fx.Post(rt_->io.get_executor(), [this] { OnTimer(); });
    } else {
      ArmTimerLocked();
    }
    MaybeCompactLocked();
    DispatchLocked(starts, fx);
  }
  fx.Flush(*rt_);
}

void SchedulerCore::WakeLocked(EventNode* node, TimePoint now, Effects& fx,
                               std::vector<EventNode*>& starts) {
  const EventDetails* d = node->details.get();
  const bool orphan_expired = d && d->orphan_deadline && *d->orphan_deadline <= now;
  if (node->state == EventState::kFuture) {
    if (orphan_expired) {
      EndLocked(node, Outcome::kExpired,
                Text("magent.orphan_expired",
                     "Its agent is gone and its source did not adopt it within {0}.",
                     {FormatDuration(rt_->options.orphan_grace)}),
                now, fx);
      return;
    }
    if (node->held && d->quorum->late == LateSignature::kExpire && node->due <= now) {
      EndLocked(node, Outcome::kExpired, UnsignedText(), now, fx);
      return;
    }
    if (node->frozen && d && d->start_within && AddSat(node->due, *d->start_within) <= now) {
      EndLocked(node, Outcome::kExpired,
                Text("magent.start_expired", "Still frozen {0} after it was due.",
                     {FormatDuration(*d->start_within)}),
                now, fx);
      return;
    }
    if (!node->frozen && node->due <= now) {
      StartLocked(node, now, fx, starts);
      return;
    }
  } else if (node->state == EventState::kCurrent) {
    if (orphan_expired) {
      RequestEndLocked(node, Outcome::kKilled,
                       Text("magent.orphan_killed",
                            "Its agent is gone and its source did not adopt it within {0}.",
                            {FormatDuration(rt_->options.orphan_grace)}),
                       now, fx);
      return;
    }
    if (!node->frozen && node->end_outcome == Outcome::kNone && DeadlineOf(*node) <= now) {
      if (!ExtendPastLocked(node, now, /*finished=*/false, fx)) return;
    }
  }
  RearmLocked(node);
}

// ---------------------------------------------------------------------------------------
// Running

void SchedulerCore::StartLocked(EventNode* node, TimePoint now, Effects& fx,
                                std::vector<EventNode*>& starts) {
  node->state = EventState::kCurrent;
  node->started = now;
  --counts_.future;
  ++counts_.current;
  if (node->coroutine()) {
    node->Details().co = std::make_shared<CoroutineState>(node->agent->strand);
    node->details->co->context = std::make_unique<EventContextImpl>(this, node);
  }
  TransitionLocked(*node, EventState::kFuture, EventState::kCurrent, Outcome::kNone, now, fx);
  JournalStateLocked(*node);
  RearmLocked(node);
  starts.push_back(node);
}

void SchedulerCore::DispatchLocked(std::vector<EventNode*>& starts, Effects& fx) {
  // Each agent's events reach its strand in start order: consecutive plain work of one
  // agent as one batch, each coroutine on its own (a coroutine closes its agent's batch,
  // so plain work started after it runs after it). A batch rarely spans many agents, so a
  // linear search beats a hash map here.
  struct Job {
    AgentCore* agent;
    EventNode* coroutine;  // Or null for a plain batch.
    std::vector<EventNode*> plain;
  };
  std::vector<Job> jobs;
  std::vector<std::pair<AgentCore*, std::size_t>> open;  // Agent -> its open batch in jobs.
  for (EventNode* node : starts) {
    auto it = std::find_if(open.begin(), open.end(),
                           [node](const auto& p) { return p.first == node->agent; });
    if (node->coroutine()) {
      if (it != open.end()) open.erase(it);
      jobs.push_back(Job{node->agent, node, {}});
      continue;
    }
    if (it == open.end()) {
      jobs.push_back(Job{node->agent, nullptr, {}});
      it = open.insert(open.end(), {node->agent, jobs.size() - 1});
    }
    jobs[it->second].plain.push_back(node);
  }
  for (Job& job : jobs) {
    if (EventNode* node = job.coroutine) {
      fx.Post(job.agent->strand, [this, node] { RunCoroutine(node); });
    } else {
      fx.Post(job.agent->strand, [this, batch = std::move(job.plain)] { RunPlain(batch); });
    }
  }
}

void SchedulerCore::RunPlain(const std::vector<EventNode*>& batch) {
  std::vector<EventNode*> runnable;
  std::vector<EventNode*> stopped;
  {
    std::lock_guard lock(rt_->mu);
    for (EventNode* node : batch) {
      if (node->end_outcome != Outcome::kNone) {
        stopped.push_back(node);
      } else if (node->frozen) {
        node->parked = true;  // Runs on unfreeze (RefreshFrozenLocked).
      } else {
        runnable.push_back(node);
      }
    }
  }
  std::vector<Result<Text>> results;
  results.reserve(runnable.size());
  for (std::size_t i = 0; i < runnable.size(); ++i) {
    // Waking fetched the nodes, but a batch of them outgrows the first-level cache: the
    // line holding the work is asked for a few events ahead, as each call waits for it.
    constexpr std::size_t kAhead = 4;
    if (i + kAhead < runnable.size()) __builtin_prefetch(&runnable[i + kAhead]->work);
    RunGate idle = RunGate::kIdle;
    if (!runnable[i]->run_gate.compare_exchange_strong(idle, RunGate::kRunning)) {
      // Frozen since the check above (say an earlier work here killed its agent): it was
      // announced as frozen, so it does not begin. Its slot is never read.
      results.emplace_back(Status::Cancelled("frozen before it began"));
      continue;
    }
    EventContextImpl context(this, runnable[i]);
    results.emplace_back(PlainRun{runnable[i], context});
  }
  Effects fx;
  {
    // Storage an earlier batch's append left over: reused, it is already mapped.
    std::lock_guard lock(unarchived_mu_);
    std::swap(fx.past, spare_records_);
  }
  {
    std::lock_guard lock(rt_->mu);
    const TimePoint now = rt_->Now();
    for (std::size_t i = 0; i < runnable.size(); ++i) {
      EventNode* node = runnable[i];
      if (node->run_gate.load(std::memory_order_relaxed) != RunGate::kRunning) {
        BarredLocked(node, now, fx);
      } else {
        CompleteLocked(node, std::move(results[i]), now, fx);
      }
    }
    for (EventNode* node : stopped) {
      CompleteLocked(node, Status::Cancelled("stopped before it ran"), now, fx);
    }
  }
  fx.Flush(*rt_);
}

void SchedulerCore::BarredLocked(EventNode* node, TimePoint now, Effects& fx) {
  if (node->end_outcome != Outcome::kNone) {
    CompleteLocked(node, Status::Cancelled("stopped before it ran"), now, fx);
  } else if (node->frozen) {
    node->parked = true;  // Runs on unfreeze (RefreshFrozenLocked).
  } else {
    // Unfrozen again before this strand came back to it: it runs now.
    std::vector<EventNode*> batch{node};
    fx.Post(node->agent->strand, [this, batch] { RunPlain(batch); });
  }
}

void SchedulerCore::RunCoroutine(EventNode* node) {
  std::shared_ptr<CoroutineState> co = node->details->co;
  const boost::asio::any_io_executor strand = co->strand;
  // Asio uses the cancellation slot (in `co`) until the coroutine's completion has been
  // handled, after CoroutineMain's frame (and its reference) are gone and the node may be
  // freed. The completion handler keeps `co` and lets it go only from a later handler.
  auto done = [co, strand](std::exception_ptr) mutable {
    boost::asio::post(strand, [co = std::move(co)] {});
  };
  boost::asio::co_spawn(strand, CoroutineMain(node),
                        boost::asio::bind_cancellation_slot(co->cancel.slot(), std::move(done)));
}

boost::asio::awaitable<void> SchedulerCore::CoroutineMain(EventNode* node) {
  // Work sees cancellation as statuses from the await points, not as exceptions thrown
  // from every co_await.
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  std::shared_ptr<CoroutineState> co = node->details->co;  // Outlives the node's end.
  Result<Text> result = Status::Cancelled("stopped before it ran");
  Status ready = co_await Checkpoint(node);  // A frozen event waits here before it runs.
  if (ready.ok()) {
    try {
      result = co_await std::get<CoroutineWork>(node->work)(*co->context);
    } catch (const std::exception& e) {
      result = Status::Internal(std::string("exception: ") + e.what());
    } catch (...) {
      result = Status::Internal("exception of unknown type");
    }
  }
  co->done = true;
  if (co->sleep_timer) co->sleep_timer->Cancel();
  Effects fx;
  {
    std::lock_guard lock(rt_->mu);
    CompleteLocked(node, std::move(result), rt_->Now(), fx);
  }
  fx.Flush(*rt_);
}

boost::asio::awaitable<Status> SchedulerCore::Checkpoint(EventNode* node) {
  std::shared_ptr<CoroutineState> co = node->details->co;
  for (;;) {
    if (node->stopping.load()) co_return Status::Cancelled("the event was stopped");
    bool frozen;
    {
      std::lock_guard lock(rt_->mu);
      frozen = node->frozen;
    }
    if (!frozen) co_return Status::OK();
    // Unfreeze and kill post a cancel of the waiter to this strand; it runs after this
    // step, so the wait below is already pending and no wake-up is lost.
    co->waiter.expires_at(boost::asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await co->waiter.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

boost::asio::awaitable<Status> SchedulerCore::SleepFor(EventNode* node, Duration d) {
  std::shared_ptr<CoroutineState> co = node->details->co;
  if (!co->sleep_timer) co->sleep_timer = rt_->clock->MakeTimer(co->strand);
  co->sleep_done = false;
  std::weak_ptr<CoroutineState> weak = co;
  co->sleep_timer->Arm(AddSat(rt_->Now(), d), [weak] {
    if (auto state = weak.lock()) {
      state->sleep_done = true;
      state->waiter.cancel();
    }
  });
  while (!co->sleep_done && !node->stopping.load()) {
    co->waiter.expires_at(boost::asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await co->waiter.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  co->sleep_timer->Cancel();
  co_return co_await Checkpoint(node);
}

// ---------------------------------------------------------------------------------------
// Durations

Duration SchedulerCore::ExtendLocked(EventNode* node, Duration more, TimePoint now,
                                     Duration agent_grants) {
  const ExtensionPolicy& policy = node->agent->options.extension_policy;
  EventDetails& d = node->Details();
  // What its source granted (GrantMoreTime) is not the agent's to bound.
  const auto grants =
      std::count_if(d.extensions.begin(), d.extensions.end(),
                    [](const Extension& e) { return e.granted > Duration::zero(); }) -
      d.source_grants;
  Duration granted = Duration::zero();
  if (more > Duration::zero() && grants < policy.max_count) {
    const Duration left = policy.max_total - (d.granted - d.granted_by_source);
    granted =
        std::max(Duration::zero(), std::min({more, agent_grants, policy.max_per_extension, left}));
  }
  d.extensions.push_back(Extension{now, more, granted});
  d.granted += granted;
  return granted;
}

Result<Duration> SchedulerCore::RequestExtension(EventNode* node, Duration more) {
  // The work asks on its strand: its agent decides here, without the lock.
  std::shared_ptr<Agent> agent;
  EventRecord record;
  {
    std::lock_guard lock(rt_->mu);
    if (node->end_outcome != Outcome::kNone) {
      return Status::FailedPrecondition("the event is ending");
    }
    if (AgentDecidesLocked(*node)) {
      agent = node->agent->agent().shared_from_this();
      CopyFields(FieldsLocked(*node, rt_->Now()), record);
    }
  }
  const Duration grants = agent ? agent->OnExtensionRequest(record, more) : Duration::max();
  std::lock_guard lock(rt_->mu);
  if (node->end_outcome != Outcome::kNone) {
    return Status::FailedPrecondition("the event is ending");
  }
  const Duration granted = ExtendLocked(node, more, rt_->Now(), grants);
  if (granted == Duration::zero()) {
    return Status::PermissionDenied("agent '" + node->agent->name + "' refused " +
                                    FormatDuration(more) + " more");
  }
  RearmLocked(node);
  return granted;
}

bool SchedulerCore::ExtendPastLocked(EventNode* node, TimePoint now, bool finished, Effects& fx) {
  const Duration step = StepOf(*node);
  auto overdue = [&] {
    const TimePoint deadline = DeadlineOf(*node);
    return finished ? deadline < now : deadline <= now;
  };
  while (overdue()) {
    if (!finished && AgentDecidesLocked(*node)) {
      AskLocked(node, step, fx);  // It runs on while its agent decides.
      return true;
    }
    if (ExtendLocked(node, step, now) == Duration::zero()) {
      TimeOutLocked(node, step, now, fx);
      return false;
    }
  }
  return true;
}

void SchedulerCore::TimeOutLocked(EventNode* node, Duration step, TimePoint now, Effects& fx) {
  RequestEndLocked(node, Outcome::kTimedOut,
                   Text("magent.timed_out_refused",
                        "Ran {0}, past its allowable {1} plus {2} granted; asked for {3} more "
                        "and was refused.",
                        {FormatDuration(now - node->started - node->frozen_total()),
                         FormatDuration(node->allowable), FormatDuration(node->granted()),
                         FormatDuration(step)}),
                   now, fx);
}

bool SchedulerCore::AgentDecidesLocked(const EventNode& node) {
  return node.agent->agent().decides_extensions_.load(std::memory_order_relaxed);
}

void SchedulerCore::AskLocked(EventNode* node, Duration step, Effects& fx) {
  EventDetails& d = node->Details();
  if (d.asking) return;  // One question at a time; its answer looks again.
  d.asking = true;
  ++node->queue_refs;  // Held until the answer: the node outlives an end meanwhile.
  asked_.insert(node);
  RearmLocked(node);
  fx.Post(node->agent->strand, [this, node, step] { AskAgent(node, step); });
}

void SchedulerCore::AskAgent(EventNode* node, Duration step) {
  std::shared_ptr<Agent> agent;
  EventRecord record;
  {
    std::lock_guard lock(rt_->mu);
    if (node->dead) {
      asked_.erase(node);
      ReleaseEntryLocked(node);
      return;
    }
    agent = node->agent->agent().shared_from_this();
    CopyFields(FieldsLocked(*node, rt_->Now()), record);
  }
  const Duration grants = agent->OnExtensionRequest(record, step);
  Effects fx;
  {
    std::lock_guard lock(rt_->mu);
    if (!node->dead) AnswerLocked(node, step, grants, rt_->Now(), fx);
    asked_.erase(node);
    ReleaseEntryLocked(node);
  }
  fx.Flush(*rt_);
}

void SchedulerCore::AnswerLocked(EventNode* node, Duration step, Duration grants, TimePoint now,
                                 Effects& fx) {
  EventDetails& d = *node->details;
  d.asking = false;
  std::optional<Result<Text>> late = std::exchange(d.late_result, std::nullopt);
  if (node->end_outcome == Outcome::kNone &&
      ExtendLocked(node, step, now, grants) == Duration::zero()) {
    TimeOutLocked(node, step, now, fx);
  }
  if (late) {
    // Its work returned while the agent decided: it ends now, in time or not.
    CompleteLocked(node, std::move(*late), d.finished_at, fx);
    return;
  }
  if (node->end_outcome == Outcome::kNone && !node->frozen && DeadlineOf(*node) <= now) {
    if (!ExtendPastLocked(node, now, /*finished=*/false, fx)) return;  // Asks again.
  }
  RearmLocked(node);
}

// ---------------------------------------------------------------------------------------
// Freezing, orphans, kills

void SchedulerCore::RefreshFrozenLocked(EventNode* node, TimePoint now, Effects& fx) {
  bool frozen = node->frozen_self || node->orphaned || node->revoked || node->held ||
                node->agent->FrozenLocked();
  // Plain work that began runs on to its end, so it is not frozen, nor said to be.
  if (frozen && !node->frozen && !HoldBackLocked(*node)) frozen = false;
  if (frozen != node->frozen) {
    node->frozen = frozen;
    if (frozen) {
      ++counts_.frozen;
      if (node->state == EventState::kCurrent) node->Details().frozen_since = now;
    } else {
      --counts_.frozen;
      if (node->state == EventState::kCurrent) {
        EventDetails& d = node->Details();
        d.frozen_total += now - d.frozen_since;
        if (node->coroutine()) {
          std::shared_ptr<CoroutineState> co = node->details->co;
          fx.Post(co->strand, [co] { co->waiter.cancel(); });
        } else {
          // Its work may begin: now if its strand has yet to come to it, else when the
          // posted run below (or the one that found it barred, RunPlain) does.
          RunGate barred = RunGate::kBarred;
          node->run_gate.compare_exchange_strong(barred, RunGate::kIdle);
          if (node->parked) {
            node->parked = false;
            std::vector<EventNode*> batch{node};
            fx.Post(node->agent->strand, [this, batch] { RunPlain(batch); });
          }
        }
      }
    }
  }
  RearmLocked(node);
}

bool SchedulerCore::HoldBackLocked(EventNode& node) {
  if (node.state != EventState::kCurrent || node.coroutine() || node.parked) return true;
  RunGate idle = RunGate::kIdle;
  return node.run_gate.compare_exchange_strong(idle, RunGate::kBarred) || idle == RunGate::kBarred;
}

void SchedulerCore::OrphanLocked(EventNode* node, TimePoint now, Effects& fx) {
  node->orphaned = true;
  node->Details().orphan_deadline = AddSat(now, rt_->options.orphan_grace);
  RefreshFrozenLocked(node, now, fx);
}

void SchedulerCore::AdoptLocked(EventNode* node, AgentCore& to, TimePoint now, Effects& fx) {
  std::vector<EventNode*> spawn;
  for (EventNode* c = node->first_child(); c; c = c->next_sibling()) spawn.push_back(c);
  for (EventNode* child : spawn) AdoptLocked(child, to, now, fx);
  AgentCore* from = node->agent;
  from->UnlinkLocked(node);
  node->agent = &to;
  to.LinkLocked(node);
  node->orphaned = false;
  if (node->details) node->details->orphan_deadline.reset();
  JournalStateLocked(*node);
  RefreshFrozenLocked(node, now, fx);
  from->EventEndedLocked(fx);  // It answers for it no more: its final report may be due.
}

void SchedulerCore::EndUnsignableLocked(EventNode* node, TimePoint now, Effects& fx) {
  KillLocked(node, Outcome::kKilled,
             Text("magent.retired_unsigned", "Retired with no one to sign.", {}), now, fx);
}

JournalEventState SchedulerCore::StateOfLocked(const EventNode& node) {
  JournalEventState state{.agent = node.agent->id,
                          .frozen_self = node.frozen_self,
                          .started = node.started,
                          .revoked = node.revoked};
  if (const EventDetails* d = node.details.get(); d && d->quorum) {
    state.quorum = d->quorum;
    state.signed_by = d->signed_by;
  }
  if (const EventDetails* d = node.details.get()) {
    if (d->modified) {
      state.modified = JournalModified{
          .due = node.due, .allowable = node.allowable, .goal = d->goal, .payload = d->payload};
    }
    state.history = d->history;
  }
  return state;
}

void SchedulerCore::JournalStateLocked(const EventNode& node) {
  if (!rt_->journal) return;
  rt_->journal->StageEventState(node.id, StateOfLocked(node));
}

void SchedulerCore::KillLocked(EventNode* node, Outcome outcome, const Text& why, TimePoint now,
                               Effects& fx) {
  std::vector<EventNode*> spawn;
  for (EventNode* c = node->first_child(); c; c = c->next_sibling()) spawn.push_back(c);
  for (EventNode* child : spawn) KillLocked(child, outcome, why, now, fx);
  RequestEndLocked(node, outcome, why, now, fx);
}

void SchedulerCore::RequestEndLocked(EventNode* node, Outcome outcome, Text why, TimePoint now,
                                     Effects& fx) {
  if (node->dead) return;
  if (node->state == EventState::kFuture) {
    EndLocked(node, outcome, std::move(why), now, fx);
    return;
  }
  if (node->end_outcome != Outcome::kNone) return;  // Already ending.
  node->end_outcome = outcome;
  node->Details().end_text = std::move(why);
  node->stopping.store(true);
  if (node->parked) {
    node->parked = false;
    EndLocked(node, outcome, std::move(node->details->end_text), now, fx);
    return;
  }
  if (node->coroutine()) {
    std::shared_ptr<CoroutineState> co = node->details->co;
    fx.Post(co->strand, [co] {
      if (co->done) return;
      co->cancel.emit(boost::asio::cancellation_type::terminal);
      co->waiter.cancel();
    });
  }
  RearmLocked(node);  // No deadline while ending.
}

void SchedulerCore::CompleteLocked(EventNode* node, Result<Text>&& result, TimePoint now,
                                   Effects& fx) {
  if (node->end_outcome == Outcome::kNone && !node->frozen && DeadlineOf(*node) < now) {
    // Finished late: time out unless granted more. An agent that decides is asked first,
    // and the result waits for its answer.
    if (AgentDecidesLocked(*node) || (node->details && node->details->asking)) {
      EventDetails& d = node->Details();
      d.late_result = std::move(result);
      d.finished_at = now;
      AskLocked(node, StepOf(*node), fx);
      return;
    }
    ExtendPastLocked(node, now, /*finished=*/true, fx);
  }
  if (node->end_outcome != Outcome::kNone) {
    EndLocked(node, node->end_outcome, std::move(node->details->end_text), now, fx);
  } else if (result.ok()) {
    EndLocked(node, Outcome::kSucceeded, std::move(result.value()), now, fx);
  } else {
    EndLocked(node, Outcome::kFailed,
              Text("magent.work_failed", "Failed: {0}", {result.status().ToString()}), now, fx);
  }
}

void SchedulerCore::EndAllLocked(TimePoint now, Effects& fx) {
  std::vector<EventNode*> live;
  live.reserve(live_.size());
  live_.ForEach([&live](EventNode* node) { live.push_back(node); });
  // In id order, so the archive gets them in the order they were scheduled.
  std::sort(live.begin(), live.end(),
            [](const EventNode* a, const EventNode* b) { return a->id < b->id; });
  for (EventNode* node : live) {
    if (node->state == EventState::kFuture) {
      EndLocked(
          node, Outcome::kCancelled,
          Text("magent.stopped_before_run", "Cancelled: the runtime stopped before it ran.", {}),
          now, fx);
    } else if (node->end_outcome != Outcome::kNone) {
      EndLocked(node, node->end_outcome, std::move(node->details->end_text), now, fx);
    } else {
      EndLocked(node, Outcome::kInterrupted,
                Text("magent.stopped_while_running",
                     "Interrupted: the runtime stopped while it ran (it started {0}).",
                     {FormatTime(node->started)}),
                now, fx);
    }
  }
}

void SchedulerCore::HearEndLocked(const EventNode& node, const RecordFields& record, Effects& fx) {
  AgentCore* agent = node.agent;
  Agent& hearer = agent->agent();
  if (!hearer.hears_event_ends_.load(std::memory_order_relaxed) || agent->GoneLocked()) return;
  EventRecord ended;
  CopyFields(record, ended);
  fx.Post(agent->strand, [hearer = hearer.shared_from_this(), ended = std::move(ended)] {
    hearer->OnEventEnded(ended);
  });
}

void SchedulerCore::LinkChildLocked(EventNode* node, EventNode* parent) {
  EventDetails& d = node->Details();
  EventDetails& p = parent->Details();
  d.parent = parent;
  d.next_sibling = p.first_child;
  p.first_child = node;
}

void SchedulerCore::UnlinkFromTreeLocked(EventNode* node) {
  EventDetails* d = node->details.get();
  if (!d) return;  // Neither parent nor children: events in a tree have details.
  // Its live children keep their parent id but move up to its own parent (the nearest live
  // ancestor), so killing an ancestor still reaches them.
  EventNode* up = d->parent;
  if (up) {
    EventNode** link = &up->details->first_child;
    while (*link != node) link = &(*link)->details->next_sibling;
    *link = d->next_sibling;
  }
  for (EventNode* c = d->first_child; c;) {
    EventDetails& cd = *c->details;
    EventNode* next = cd.next_sibling;
    cd.parent = up;
    cd.next_sibling = up ? up->details->first_child : nullptr;
    if (up) up->details->first_child = c;
    c = next;
  }
  d->first_child = nullptr;
  d->parent = nullptr;
  d->next_sibling = nullptr;
}

void SchedulerCore::EndLocked(EventNode* node, Outcome outcome, Text&& why, TimePoint now,
                              Effects& fx) {
  const EventState from = node->state;
  if (from == EventState::kCurrent) {
    if (node->frozen) {
      EventDetails& d = node->Details();
      d.frozen_total += now - d.frozen_since;
    }
    --counts_.current;
  } else {
    --counts_.future;
  }
  if (node->frozen) --counts_.frozen;
  ++counts_.past;

  // Encoded straight from the node: no EventRecord, and no string copied but into the batch.
  RecordFields record = FieldsLocked(*node, now);
  record.state = EventState::kPast;
  record.outcome = outcome;
  record.result = why.empty() ? nullptr : &why;  // Null: the outcome's usual text.
  record.finished = now;
  record.frozen = false;
  // FieldsLocked adds a frozen period still open; this one was closed above.
  if (from == EventState::kCurrent) record.frozen_for = node->frozen_total();
  PastRecordBatchAccess::Add(fx.past, record);
  HearEndLocked(*node, record, fx);

  UnlinkFromTreeLocked(node);
  node->agent->UnlinkLocked(node);
  live_.Erase(node->id);
  node->state = EventState::kPast;
  node->dead = true;
  if (node->queued) {
    node->queued = false;
    ++stale_;
  }
  ++node->wake_gen;

  TransitionLocked(*node, from, EventState::kPast, outcome, now, fx);
  AgentCore* agent = node->agent;
  agent->CountLocked(*node->kind, outcome, fx);
  agent->EventEndedLocked(fx);

  node->work = Work();
  node->details.reset();
  if (node->queue_refs == 0) pool_.Delete(node);
}

// ---------------------------------------------------------------------------------------
// Records and signals

namespace {

// Signals and records that a Publish on this thread has still to emit.
struct PublishQueue {
  const SchedulerCore* scheduler;
  std::vector<Transition> transitions;
  PastRecordBatch past;
};
// The Publish calls in progress on this thread, innermost last (a slot of one runtime may
// call into another).
thread_local std::vector<PublishQueue*> publishing;

}  // namespace

void SchedulerCore::Publish(Effects& fx) {
  for (PublishQueue* queue : publishing) {
    if (queue->scheduler != this) continue;
    // Called from one of our slots (it scheduled, killed, ...): what it caused waits
    // behind what is being emitted, so every slot sees each event's transitions in the
    // order they happened, and the archive gets records in the order they became Past.
    std::move(fx.transitions.begin(), fx.transitions.end(), std::back_inserter(queue->transitions));
    queue->past.Add(fx.past);
    return;
  }
  PublishQueue queue{this, std::move(fx.transitions), std::move(fx.past)};
  publishing.push_back(&queue);
  struct Pop {
    ~Pop() { publishing.pop_back(); }
  } pop;
  while (!queue.transitions.empty() || !queue.past.empty()) {
    std::vector<Transition> transitions;
    PastRecordBatch past;
    transitions.swap(queue.transitions);
    std::swap(past, queue.past);
    for (const Transition& t : transitions) on_transition_(t);
    if (past.empty()) continue;
    if (on_past_.used()) {
      EventRecord record;  // Each record is decoded into it, reusing its storage.
      for (std::size_t i = 0; i < past.size(); ++i) {
        past.Decode(i, record);
        on_past_(record);
      }
    }
    std::lock_guard lock(unarchived_mu_);
    (void)ArchiveLocked(past);  // Refused records are kept and go with the next append.
  }
}

Status SchedulerCore::ArchiveLocked(PastRecordBatch& past) {
  if (!unarchived_.empty()) {
    unarchived_.Add(past);
    std::swap(past, unarchived_);
    unarchived_.Clear();
  }
  if (past.empty()) return Status::OK();
  // An event leaves the journal only once the archive holds its Past record: a crash in
  // between leaves it in both, which the restore finds (it asks the archive).
  std::vector<EventId> ended;
  if (rt_->journal) {
    ended.reserve(past.size());
    for (std::size_t i = 0; i < past.size(); ++i) ended.push_back(past.id(i));
  }
  if (Status s = rt_->archive->AppendBatch(past); !s.ok()) {
    ++archive_failures_;
    std::swap(unarchived_, past);
    return s;
  }
  past.Clear();  // The archive holds them now, whatever it left in the batch.
  // The larger storage is kept: a batch made by a Schedule or a kill starts small.
  if (PastRecordBatchAccess::Capacity(past) > PastRecordBatchAccess::Capacity(spare_records_)) {
    std::swap(spare_records_, past);
  }
  if (rt_->journal) {
    rt_->journal->StageErase(ended);
    (void)rt_->journal->Commit();
  }
  return Status::OK();
}

Status SchedulerCore::ArchiveRefused() {
  std::lock_guard lock(unarchived_mu_);
  const std::size_t refused = unarchived_.size();
  PastRecordBatch none;
  Status s = ArchiveLocked(none);
  if (s.ok()) return s;
  return Status(s.code(),
                "the archive refused " + std::to_string(refused) + " Past records: " + s.message());
}

std::uint64_t SchedulerCore::archive_failures() const {
  std::lock_guard lock(unarchived_mu_);
  return archive_failures_;
}

void SchedulerCore::AddTransitionLocked(const EventNode& node, EventState from, EventState to,
                                        Outcome outcome, TimePoint now, Effects& fx) {
  fx.transitions.push_back(
      Transition{node.id, node.agent->id, node.parent_id(), *node.kind, from, to, outcome, now});
}

RecordFields SchedulerCore::FieldsLocked(const EventNode& node, TimePoint now) const {
  RecordFields r{.id = node.id,
                 .kind = *node.kind,
                 .agent = node.agent->id,
                 .agent_source = node.agent->source_id,
                 .parent = node.parent_id(),
                 .state = node.state,
                 .frozen = node.frozen,
                 .orphaned = node.orphaned,
                 .allowable = node.allowable,
                 .frozen_for = node.frozen_total(),
                 .created = node.created,
                 .due = node.due,
                 .started = node.started};
  if (node.state == EventState::kCurrent) {
    r.actual = now - node.started;
    if (node.frozen) r.frozen_for += now - node.frozen_since();
  }
  if (const EventDetails* d = node.details.get()) {
    r.goal = &d->goal;
    r.sources = &d->sources;
    r.activants = &d->activants;
    r.passivants = &d->passivants;
    r.payload = &d->payload;
    r.extensions = &d->extensions;
    r.history = &d->history;
  }
  return r;
}

}  // namespace magent::internal
