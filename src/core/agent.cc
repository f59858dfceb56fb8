// The public Agent: each method takes the model lock and delegates to AgentCore or the
// scheduler.
#include "magent/agent.h"

#include <mutex>

#include "core/agent_core.h"
#include "core/effects.h"
#include "core/runtime_core.h"
#include "scheduler/event_node.h"
#include "scheduler/scheduler_core.h"

namespace magent {
namespace {

Status NotAttached() {
  return Status::FailedPrecondition(
      "agent is not attached: not created through an AgentSource, or its runtime is gone");
}

}  // namespace

Agent::Agent() = default;
Agent::~Agent() = default;

AgentId Agent::id() const { return core_ ? core_->id : AgentId(); }

const std::string& Agent::name() const {
  static const std::string kNone;
  return core_ ? core_->name : kNone;
}

SourceId Agent::source_id() const { return core_ ? core_->source_id : SourceId(); }

AgentState Agent::state() const {
  if (!core_) return AgentState::kRemoved;
  std::lock_guard lock(core_->runtime().mu);
  return core_->state;
}

const std::vector<Activant>& Agent::activants() const {
  static const std::vector<Activant> kNone;
  return core_ ? core_->options.activants : kNone;
}

const std::vector<Passivant>& Agent::passivants() const {
  static const std::vector<Passivant> kNone;
  return core_ ? core_->options.passivants : kNone;
}

boost::asio::any_io_executor Agent::executor() const {
  return core_ ? boost::asio::any_io_executor(core_->strand) : boost::asio::any_io_executor();
}

// An rvalue overload rather than a spec by value: a spec is large (strings, vectors, the
// work), and one more move and destruction of it cost about 200 instructions per event.
Result<EventId> Agent::Schedule(EventSpec&& spec) {
  if (!core_) return NotAttached();
  return core_->runtime().scheduler->Schedule(*core_, std::move(spec), EventId());
}

Result<EventId> Agent::Schedule(const EventSpec& spec) { return Schedule(EventSpec(spec)); }

namespace {

// Runs `op` on the live event `id` of `core`'s agent under the model lock.
template <typename Op>
Status WithOwnEvent(internal::AgentCore* core, EventId id, Op op) {
  if (!core) return NotAttached();
  internal::RuntimeCore& rt = core->runtime();
  return rt.Change([&](internal::Effects& fx) {
    internal::EventNode* node = rt.scheduler->FindLocked(id);
    if (!node) return Status::NotFound("event " + id.ToString() + " is not live");
    if (node->agent != core) {
      return Status::PermissionDenied("event " + id.ToString() + " is not agent '" + core->name +
                                      "''s nor spawned from one of its events");
    }
    return op(node, rt.Now(), fx);
  });
}

// Runs `op` on `core` under the model lock.
template <typename Op>
Status WithAgent(internal::AgentCore* core, Op op) {
  if (!core) return NotAttached();
  return core->runtime().Change(op);
}

Text OrDefault(Text why, const char* id, const char* english, const std::string& agent) {
  return why.empty() ? Text(id, english, {agent}) : std::move(why);
}

}  // namespace

Status Agent::Cancel(EventId event, Text why) {
  why = OrDefault(std::move(why), "magent.cancelled_by_agent", "Cancelled by agent '{0}'.", name());
  return WithOwnEvent(
      core_.get(), event, [&](internal::EventNode* node, TimePoint now, internal::Effects& fx) {
        if (node->state != EventState::kFuture) {
          return Status::FailedPrecondition("event " + event.ToString() + " already started");
        }
        core_->runtime().scheduler->KillLocked(node, Outcome::kCancelled, why, now, fx);
        return Status::OK();
      });
}

Status Agent::Kill(EventId event, Text why) {
  why = OrDefault(std::move(why), "magent.killed_by_agent", "Killed by agent '{0}'.", name());
  return WithOwnEvent(
      core_.get(), event, [&](internal::EventNode* node, TimePoint now, internal::Effects& fx) {
        core_->runtime().scheduler->KillLocked(node, Outcome::kKilled, why, now, fx);
        return Status::OK();
      });
}

Status Agent::Freeze(EventId event) {
  return WithOwnEvent(core_.get(), event,
                      [&](internal::EventNode* node, TimePoint now, internal::Effects& fx) {
                        node->frozen_self = true;
                        core_->runtime().scheduler->JournalStateLocked(*node);
                        core_->runtime().scheduler->RefreshFrozenLocked(node, now, fx);
                        return Status::OK();
                      });
}

Status Agent::Unfreeze(EventId event) {
  return WithOwnEvent(core_.get(), event,
                      [&](internal::EventNode* node, TimePoint now, internal::Effects& fx) {
                        node->frozen_self = false;
                        core_->runtime().scheduler->JournalStateLocked(*node);
                        core_->runtime().scheduler->RefreshFrozenLocked(node, now, fx);
                        return Status::OK();
                      });
}

Status Agent::FreezeAll() {
  return WithAgent(core_.get(), [&](internal::Effects& fx) {
    if (core_->state != AgentState::kActive) {
      return Status::FailedPrecondition("agent '" + core_->name + "' is " +
                                        std::string(AgentStateName(core_->state)));
    }
    core_->SetStateLocked(AgentState::kFrozen,
                          Text("magent.frozen_by_agent", "Frozen by itself.", {}), fx);
    return Status::OK();
  });
}

Status Agent::UnfreezeAll() {
  return WithAgent(core_.get(), [&](internal::Effects& fx) {
    if (core_->state != AgentState::kFrozen) {
      return Status::FailedPrecondition("agent '" + core_->name + "' is not frozen");
    }
    if (core_->source_gone) {
      return Status::PermissionDenied("agent '" + core_->name +
                                      "' is suspended because its source is gone; the "
                                      "runtime's owner decides");
    }
    if (core_->frozen_by_source) {
      return Status::PermissionDenied("agent '" + core_->name +
                                      "' was frozen by its source; only the source may "
                                      "unfreeze it");
    }
    core_->SetStateLocked(AgentState::kActive, Text(), fx);
    return Status::OK();
  });
}

Status Agent::Retire(Text why) {
  return WithAgent(core_.get(), [&](internal::Effects& fx) {
    // Not from frozen: retiring would let the events its source froze (or that wait for
    // the owner because its source is gone) run again.
    if (core_->state != AgentState::kActive) {
      return Status::FailedPrecondition("agent '" + core_->name + "' is " +
                                        std::string(AgentStateName(core_->state)));
    }
    core_->SetStateLocked(AgentState::kRetired, std::move(why), fx);
    return Status::OK();
  });
}

Status Agent::KillSelf(Text why) {
  return WithAgent(core_.get(), [&](internal::Effects& fx) {
    if (core_->GoneLocked()) {
      return Status::FailedPrecondition("agent '" + core_->name + "' is already " +
                                        std::string(AgentStateName(core_->state)));
    }
    core_->SetStateLocked(AgentState::kKilled, std::move(why), fx);
    return Status::OK();
  });
}

std::map<std::string, KindCounts> Agent::Counts() const {
  if (!core_) return {};
  std::lock_guard lock(core_->runtime().mu);
  return core_->CountsLocked();
}

Status Agent::SendInterimReport() {
  return WithAgent(core_.get(), [&](internal::Effects& fx) {
    core_->ReportLocked(/*final=*/false, fx);
    return Status::OK();
  });
}

Status Agent::SendToSource(Text text) {
  if (text.empty()) return Status::InvalidArgument("a message to the source needs a text");
  return WithAgent(core_.get(), [&](internal::Effects& fx) {
    if (core_->GoneLocked()) {
      return Status::FailedPrecondition("agent '" + core_->name + "' is " +
                                        std::string(AgentStateName(core_->state)));
    }
    fx.messages.emplace_back(core_->RecipientLocked(),
                             SourceMessage{SourceMessage::Kind::kAgentMessage,
                                           core_->runtime().Now(),
                                           core_->id,
                                           std::move(text),
                                           std::nullopt,
                                           {}});
    return Status::OK();
  });
}

Duration Agent::OnExtensionRequest(const EventRecord& record, Duration requested) {
  (void)record;
  decides_extensions_.store(false, std::memory_order_relaxed);
  return requested;
}

void Agent::OnEventEnded(const EventRecord& record) {
  (void)record;
  hears_event_ends_.store(false, std::memory_order_relaxed);
}

}  // namespace magent
