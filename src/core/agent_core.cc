#include "core/agent_core.h"

#include <utility>
#include <vector>

#include "core/effects.h"
#include "core/runtime_core.h"
#include "core/source_core.h"
#include "scheduler/event_node.h"
#include "scheduler/scheduler_core.h"

namespace magent::internal {
namespace {

std::string NameOr(const std::string& name, AgentId id) {
  return name.empty() ? "agent-" + id.ToString() : name;
}

// What a kOrphanedEvents message says of `alarm`'s frozen and running orphans.
Text OrphanedText(const std::string& name, AgentState state, const SourceMessage& alarm) {
  std::vector<std::string> args{name, std::string(AgentStateName(state)),
                                std::to_string(alarm.events.size())};
  if (alarm.running.empty()) {
    return Text("magent.orphaned",
                "Agent '{0}' is {1}; {2} of its events are frozen until you adopt or kill "
                "them.",
                std::move(args));
  }
  args.push_back(std::to_string(alarm.running.size()));
  return Text("magent.orphaned_running",
              "Agent '{0}' is {1}; {2} of its events are frozen until you adopt or kill "
              "them, and {3} running on: work that cannot be paused ends when it returns.",
              std::move(args));
}

}  // namespace

AgentCore::AgentCore(RuntimeCore* rt, Agent* self, AgentSource* source, AgentId agent_id,
                     AgentOptions agent_options, std::string agent_type, TimePoint now)
    : id(agent_id),
      name(NameOr(agent_options.name, agent_id)),
      source_id(source->id()),
      options(std::move(agent_options)),
      type(std::move(agent_type)),
      created(now),
      strand(boost::asio::make_strand(rt->io)),
      since(now),
      clearance(options.clearance.value_or(SourceCore::Of(*source).clearance)),
      rt_(rt),
      self_(self),
      source_(source) {}

void AgentCore::LinkLocked(EventNode* node) {
  node->agent = this;
  ++live_count;
  ++SourceCore::Of(*source_).live_count;
}

void AgentCore::UnlinkLocked(EventNode* /*node*/) {
  --live_count;
  --SourceCore::Of(*source_).live_count;
}

bool AgentCore::FirstAllowLocked(const std::string* kind) {
  if (kind == last_allowed_) return false;
  last_allowed_ = kind;
  return allowed_kinds_.insert(kind).second;
}

void AgentCore::SetStateLocked(AgentState to, Text why, Effects& fx) {
  if (state == to) return;
  const TimePoint now = rt_->Now();
  state = to;
  since = now;
  reason = std::move(why);
  if (to != AgentState::kFrozen) {
    retired_reason.reset();
    frozen_by_source = false;
  }
  JournalLocked();
  const std::vector<EventNode*> live = rt_->scheduler->LiveOfLocked(*this);
  switch (to) {
    case AgentState::kActive:
    case AgentState::kFrozen:
      for (EventNode* n : live) rt_->scheduler->RefreshFrozenLocked(n, now, fx);
      break;
    case AgentState::kRetired:
      for (EventNode* n : live) {
        // Nobody will sign for it now (and a held event would keep the final report
        // back for good).
        if (n->held) {
          rt_->scheduler->EndUnsignableLocked(n, now, fx);
        } else {
          rt_->scheduler->RefreshFrozenLocked(n, now, fx);
        }
      }
      if (live_count == 0) StopLocked(fx);
      break;
    case AgentState::kKilled:
    case AgentState::kRemoved: {
      SourceMessage alarm;
      alarm.kind = SourceMessage::Kind::kOrphanedEvents;
      alarm.at = now;
      alarm.agent = id;
      for (EventNode* n : live) {
        // Events orphaned earlier (killed, then removed) keep their grace and were
        // reported then.
        if (n->orphaned) continue;
        rt_->scheduler->OrphanLocked(n, now, fx);
        // Plain work already running cannot be paused: it is not frozen, and not said to be.
        (n->frozen ? alarm.events : alarm.running).push_back(n->id);
      }
      if (!alarm.events.empty() || !alarm.running.empty()) {
        alarm.text = OrphanedText(name, to, alarm);
        fx.messages.emplace_back(RecipientLocked(), std::move(alarm));
      }
      StopLocked(fx);
      break;
    }
  }
}

void AgentCore::SourceGoneLocked(const Text& why, Effects& fx) {
  const SourceCore& sc = SourceCore::Of(*source_);
  source_gone = true;
  const TimePoint now = rt_->Now();
  if (GoneLocked()) {
    JournalLocked();
    // Its orphans, if any, now wait for the owner, who alone can adopt or kill them.
    SourceMessage alarm;
    alarm.kind = SourceMessage::Kind::kOrphanedEvents;
    alarm.at = now;
    alarm.agent = id;
    for (EventNode* n : rt_->scheduler->LiveOfLocked(*this)) {
      (n->frozen ? alarm.events : alarm.running).push_back(n->id);
    }
    if (alarm.events.empty() && alarm.running.empty()) return;
    std::vector<std::string> args{name, std::string(AgentStateName(state)), sc.name, why.English(),
                                  std::to_string(alarm.events.size())};
    if (alarm.running.empty()) {
      alarm.text = Text("magent.orphans_source_gone",
                        "Agent '{0}' is {1} and its source '{2}' is gone ({3}); {4} of its "
                        "events are frozen until you adopt or kill them.",
                        std::move(args));
    } else {
      args.push_back(std::to_string(alarm.running.size()));
      alarm.text = Text("magent.orphans_running_source_gone",
                        "Agent '{0}' is {1} and its source '{2}' is gone ({3}); {4} of its "
                        "events are frozen until you adopt or kill them, and {5} running on: "
                        "work that cannot be paused ends when it returns.",
                        std::move(args));
    }
    fx.messages.emplace_back(rt_->owner, std::move(alarm));
    return;
  }
  if (state == AgentState::kRetired && live_count == 0) {
    JournalLocked();
    return;  // Done: nothing to hold.
  }

  Text suspended("magent.source_gone", "Suspended: its source '{0}' is gone ({1}).",
                 {sc.name, why.English()});
  if (state == AgentState::kFrozen) {
    // Already frozen (by itself or its source): say why it stays so.
    since = now;
    reason = std::move(suspended);
  } else {
    std::optional<Text> was_retired;
    if (state == AgentState::kRetired) was_retired = reason;
    SetStateLocked(AgentState::kFrozen, std::move(suspended), fx);
    retired_reason = std::move(was_retired);
  }
  SourceMessage alarm;
  alarm.kind = SourceMessage::Kind::kAgentSuspended;
  alarm.at = now;
  alarm.agent = id;
  alarm.text = Text("magent.agent_suspended",
                    "Agent '{0}' is suspended: its source '{1}' is gone ({2}). Unfreeze, "
                    "kill or remove it.",
                    {name, sc.name, why.English()});
  fx.messages.emplace_back(rt_->owner, std::move(alarm));
  JournalLocked();  // Its state, reason and retired reason, as they are now.
}

std::shared_ptr<AgentSource> AgentCore::RecipientLocked() const {
  return SourceCore::Of(*source_).alive ? source_->shared_from_this() : rt_->owner;
}

void AgentCore::CountLocked(const std::string& kind, Outcome outcome, Effects& fx) {
  if (&kind != last_counted_) {
    last_counts_ = &counts_[&kind];
    last_counted_ = &kind;
  }
  KindCounts& c = *last_counts_;
  switch (outcome) {
    case Outcome::kSucceeded:
      ++c.succeeded;
      break;
    case Outcome::kFailed:
      ++c.failed;
      break;
    case Outcome::kKilled:
      ++c.killed;
      break;
    case Outcome::kTimedOut:
      ++c.timed_out;
      break;
    case Outcome::kCancelled:
      ++c.cancelled;
      break;
    case Outcome::kExpired:
      ++c.expired;
      break;
    case Outcome::kInterrupted:
      ++c.interrupted;
      break;
    case Outcome::kNone:
      break;
  }
  // A stopped agent sends only its final report, which counts this event.
  if (!stopped_ && options.interim_report_every != 0 &&
      ++since_report_ >= options.interim_report_every) {
    ReportLocked(/*final=*/false, fx);
  }
}

std::map<std::string, KindCounts> AgentCore::CountsLocked() const {
  std::map<std::string, KindCounts> out;
  for (const auto& [kind, c] : counts_) out.emplace(*kind, c);
  return out;
}

void AgentCore::ReportLocked(bool final, Effects& fx) {
  since_report_ = 0;
  AgentReport report;
  report.agent = id;
  report.agent_name = name;
  report.final = final;
  report.state = state;
  report.at = rt_->Now();
  report.per_kind = CountsLocked();
  std::uint64_t total = 0, succeeded = 0;
  for (const auto& [kind, c] : report.per_kind) {
    total += c.succeeded + c.failures();
    succeeded += c.succeeded;
  }
  report.summary = Text(final ? "magent.final_report" : "magent.interim_report",
                        "{0} ({1}): {2} events, {3} succeeded, {4} did not.",
                        {name, std::string(AgentStateName(state)), std::to_string(total),
                         std::to_string(succeeded), std::to_string(total - succeeded)});
  SourceMessage message;
  message.kind = final ? SourceMessage::Kind::kFinalReport : SourceMessage::Kind::kInterimReport;
  message.at = report.at;
  message.agent = id;
  message.text = report.summary;
  message.report = std::move(report);
  fx.messages.emplace_back(RecipientLocked(), std::move(message));
}

void AgentCore::EventEndedLocked(Effects& fx) {
  if (state == AgentState::kRetired && live_count == 0) StopLocked(fx);
  FinalReportWhenIdleLocked(fx);
}

void AgentCore::StopLocked(Effects& fx) {
  if (!stopped_) {
    stopped_ = true;
    std::shared_ptr<Agent> agent = self_->shared_from_this();
    const AgentState final_state = state;
    fx.Post(strand, [agent, final_state] { agent->OnStop(final_state); });
  }
  FinalReportWhenIdleLocked(fx);
}

void AgentCore::FinalReportWhenIdleLocked(Effects& fx) {
  // A gone agent's orphans still count for it: the report waits for the last to end (or
  // be adopted away), so it leaves none out.
  if (!stopped_ || reported_ || live_count != 0) return;
  reported_ = true;
  ReportLocked(/*final=*/true, fx);
}

void AgentCore::StartHook(Effects& fx) {
  std::shared_ptr<Agent> agent = self_->shared_from_this();
  fx.Post(strand, [agent] { agent->OnStart(); });
}

AgentInfo AgentCore::InfoLocked() const {
  AgentInfo info;
  info.id = id;
  info.name = name;
  info.source = source_id;
  info.state = state;
  info.created = created;
  info.since = since;
  info.reason = reason;
  info.live_events = live_count;
  return info;
}

void AgentCore::JournalLocked() const {
  Journal* journal = rt_->journal.get();
  if (!journal) return;
  JournalAgent entry;
  entry.id = id;
  entry.source = source_id;
  entry.type = type;
  entry.options = options;
  entry.options.name = name;
  entry.options.clearance = clearance;  // As its source grants it now.
  entry.state = state;
  entry.created = created;
  entry.since = since;
  entry.reason = reason;
  entry.source_gone = source_gone;
  entry.frozen_by_source = frozen_by_source;
  entry.retired_reason = retired_reason;
  journal->StageAgent(entry);
}

void AgentCore::RestoreLocked(const JournalAgent& entry) {
  state = entry.state;
  since = entry.since;
  reason = entry.reason;
  source_gone = entry.source_gone;
  frozen_by_source = entry.frozen_by_source;
  retired_reason = entry.retired_reason;
  stopped_ = GoneLocked();
}

void AgentCore::SettleRestoredLocked(Effects& fx) {
  if (RetiredLocked()) {
    // A journal may hold a retired agent's held event (written before held events ended
    // on retiring, or by a crash between the two): it ends as it would have.
    const TimePoint now = rt_->Now();
    for (EventNode* n : rt_->scheduler->LiveOfLocked(*this)) {
      if (n->held) rt_->scheduler->EndUnsignableLocked(n, now, fx);
    }
  }
  // An agent stopped and idle sent its final report before the restart.
  if ((state == AgentState::kRetired || stopped_) && live_count == 0) {
    stopped_ = true;
    reported_ = true;
  }
  if (!stopped_) StartHook(fx);
}

}  // namespace magent::internal
