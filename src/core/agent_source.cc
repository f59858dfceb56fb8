// AgentSource and its SourceCore: permissions over agents, and the inbox.
#include "magent/agent_source.h"

#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/agent_core.h"
#include "core/agent_registry.h"
#include "core/effects.h"
#include "core/runtime_core.h"
#include "core/source_core.h"
#include "scheduler/event_node.h"
#include "scheduler/scheduler_core.h"

namespace magent {
namespace internal {

SourceCore::SourceCore(RuntimeCore* runtime, SourceId source_id, SourceOptions options, bool owner)
    : rt(runtime),
      id(source_id),
      name(options.name.empty() ? "source-" + source_id.ToString() : std::move(options.name)),
      anonymous(options.anonymous),
      is_owner(owner),
      clearance(options.clearance),
      signing_key(std::move(options.signing_key)) {}

void SourceCore::Deliver(const SourceMessage& message) {
  {
    std::lock_guard lock(inbox_mu);
    inbox.push_back(message);
    while (inbox.size() > rt->options.inbox_capacity) inbox.pop_front();
  }
  on_message(message);
}

Result<AgentCore*> SourceCore::CommandableLocked(AgentId agent_id) const {
  Agent* agent = rt->registry->FindLocked(agent_id);
  if (!agent) return Status::NotFound("no agent " + agent_id.ToString());
  AgentCore* core = AgentCore::Of(*agent);
  if (core->source_id == id || (is_owner && core->source_gone)) return core;
  return Status::PermissionDenied("agent '" + core->name + "' belongs to another source");
}

void SourceCore::JournalLocked() const {
  if (!rt->journal) return;
  rt->journal->StageSource(JournalSource{.id = id,
                                         .name = name,
                                         .anonymous = anonymous,
                                         .alive = alive,
                                         .clearance = clearance,
                                         .signs = !signing_key.empty() || key_missing});
}

Status SourceCore::KeepKey() const {
  if (!rt->journal || signing_key.empty()) return Status::OK();
  return rt->options.journal->keys->Put(id, signing_key);
}

Status SourceCore::CanSign() const {
  if (!signing_key.empty()) return Status::OK();
  if (key_missing) {
    // The key is what is missing, not a right: the host can mend it.
    return Status::FailedPrecondition(
        "source '" + name + "' cannot sign: its signing key is missing (the key store had " +
        "none for it when the runtime was restored); give it again through " +
        "JournalOptions::keys");
  }
  return Status::PermissionDenied("source '" + name + "' has no signing key and cannot sign");
}

namespace {

// Runs `op` under the model lock if `source` is alive, then flushes its effects.
template <typename Op>
Status Locked(SourceCore& source, Op op) {
  return source.rt->Change([&](Effects& fx) {
    return source.alive ? op(fx)
                        : Status::FailedPrecondition("source '" + source.name + "' was removed");
  });
}

}  // namespace
}  // namespace internal

AgentSource::AgentSource(std::unique_ptr<internal::SourceCore> core) : core_(std::move(core)) {}
AgentSource::~AgentSource() = default;

SourceId AgentSource::id() const { return core_->id; }
const std::string& AgentSource::name() const { return core_->name; }
bool AgentSource::anonymous() const { return core_->anonymous; }

bool AgentSource::alive() const {
  std::lock_guard lock(core_->rt->mu);
  return core_->alive;
}

Result<std::shared_ptr<Agent>> AgentSource::CreateAgent(AgentOptions options) {
  auto agent = std::make_shared<Agent>();
  if (Status s = Attach(agent, std::move(options)); !s.ok()) return s;
  return agent;
}

Result<std::shared_ptr<Agent>> AgentSource::CreateAgent(const std::string& type,
                                                        AgentOptions options) {
  Result<std::shared_ptr<Agent>> agent = core_->rt->MakeAgentOfType(type);
  if (!agent.ok()) return agent.status();
  if (Status s = Attach(*agent, std::move(options), type); !s.ok()) return s;
  return agent;
}

Status AgentSource::Attach(std::shared_ptr<Agent> agent, AgentOptions options, std::string type) {
  return core_->rt->AttachAgent(*this, std::move(agent), std::move(options), std::move(type));
}

Status AgentSource::KillAgent(AgentId agent, Text why) {
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    auto core = core_->CommandableLocked(agent);
    if (!core.ok()) return core.status();
    if ((*core)->GoneLocked()) {
      return Status::FailedPrecondition("agent '" + (*core)->name + "' is already gone");
    }
    (*core)->SetStateLocked(AgentState::kKilled, std::move(why), fx);
    return Status::OK();
  });
}

Status AgentSource::SetAgentClearance(AgentId agent, Clearance clearance) {
  if (clearance > core_->clearance) {
    return Status::InvalidArgument("source '" + core_->name + "' has clearance " +
                                   std::string(ClearanceName(core_->clearance)) +
                                   " and cannot grant " + std::string(ClearanceName(clearance)));
  }
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    auto core = core_->CommandableLocked(agent);
    if (!core.ok()) return core.status();
    (*core)->clearance = clearance;
    (*core)->JournalLocked();
    const TimePoint now = core_->rt->Now();
    std::vector<EventId> revoked;
    core_->rt->scheduler->ReauthorizeLocked(**core, now, fx, revoked);
    if (!revoked.empty()) {
      SourceMessage message{SourceMessage::Kind::kAuthorizationRevoked,
                            now,
                            agent,
                            Text("sentinel.revoked",
                                 "Agent '{0}' lost its authorization for {1} future events; "
                                 "they are frozen.",
                                 {(*core)->name, std::to_string(revoked.size())}),
                            std::nullopt,
                            std::move(revoked)};
      fx.messages.emplace_back(shared_from_this(), std::move(message));
    }
    return Status::OK();
  });
}

Status AgentSource::Sign(EventId event, std::string_view signature) {
  return internal::Locked(*core_, [&](internal::Effects& fx) {
    return core_->rt->scheduler->SignLocked(event, *core_, signature, fx);
  });
}

Status AgentSource::RevokeSignature(EventId event) {
  return internal::Locked(*core_, [&](internal::Effects& fx) {
    return core_->rt->scheduler->RevokeSignatureLocked(event, *core_, fx);
  });
}

Status AgentSource::RemoveAgent(AgentId agent, Text why) {
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    auto core = core_->CommandableLocked(agent);
    if (!core.ok()) return core.status();
    if ((*core)->state == AgentState::kRemoved) {
      return Status::FailedPrecondition("agent '" + (*core)->name + "' is already removed");
    }
    (*core)->SetStateLocked(AgentState::kRemoved, std::move(why), fx);
    return Status::OK();
  });
}

Status AgentSource::FreezeAgent(AgentId agent) {
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    auto core = core_->CommandableLocked(agent);
    if (!core.ok()) return core.status();
    Text why("magent.frozen_by_source", "Frozen by its source '{0}'.", {core_->name});
    if ((*core)->state == AgentState::kFrozen && !(*core)->frozen_by_source) {
      // Frozen by itself: the source takes the freeze over, so the agent cannot undo it.
      (*core)->frozen_by_source = true;
      (*core)->reason = std::move(why);
      (*core)->JournalLocked();
      return Status::OK();
    }
    if ((*core)->state != AgentState::kActive) {
      return Status::FailedPrecondition("agent '" + (*core)->name + "' is not active");
    }
    (*core)->SetStateLocked(AgentState::kFrozen, std::move(why), fx);
    (*core)->frozen_by_source = true;
    (*core)->JournalLocked();
    return Status::OK();
  });
}

Status AgentSource::UnfreezeAgent(AgentId agent) {
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    auto core = core_->CommandableLocked(agent);
    if (!core.ok()) return core.status();
    if ((*core)->state != AgentState::kFrozen) {
      return Status::FailedPrecondition("agent '" + (*core)->name + "' is not frozen");
    }
    if ((*core)->retired_reason) {
      // Suspended while retired: it goes back to finishing what it had.
      Text why = *std::move((*core)->retired_reason);
      (*core)->SetStateLocked(AgentState::kRetired, std::move(why), fx);
      return Status::OK();
    }
    (*core)->SetStateLocked(AgentState::kActive, Text(), fx);
    return Status::OK();
  });
}

Status AgentSource::KillEvent(EventId event, Text why) {
  if (why.empty()) {
    why = Text("magent.killed_by_source", "Killed by its source '{0}'.", {core_->name});
  }
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    internal::EventNode* node = core_->rt->scheduler->FindLocked(event);
    if (!node) return Status::NotFound("event " + event.ToString() + " is not live");
    auto core = core_->CommandableLocked(node->agent->id);
    if (!core.ok()) return core.status();
    core_->rt->scheduler->KillLocked(node, Outcome::kKilled, why, core_->rt->Now(), fx);
    return Status::OK();
  });
}

Status AgentSource::Adopt(EventId event, AgentId new_agent) {
  return internal::Locked(*core_, [&](internal::Effects& fx) -> Status {
    internal::EventNode* node = core_->rt->scheduler->FindLocked(event);
    if (!node) return Status::NotFound("event " + event.ToString() + " is not live");
    if (!node->orphaned) {
      return Status::FailedPrecondition("event " + event.ToString() + " has an agent");
    }
    auto old_agent = core_->CommandableLocked(node->agent->id);
    if (!old_agent.ok()) return old_agent.status();
    auto to = core_->CommandableLocked(new_agent);
    if (!to.ok()) return to.status();
    if (!(*to)->AcceptsLocked()) {
      return Status::FailedPrecondition("agent '" + (*to)->name + "' takes no events");
    }
    core_->rt->scheduler->AdoptLocked(node, **to, core_->rt->Now(), fx);
    return Status::OK();
  });
}

Status AgentSource::ModifyEvent(EventId event, EventModification change) {
  if (!change.due && !change.allowable && !change.goal && !change.payload) {
    return Status::InvalidArgument("no change asked for event " + event.ToString());
  }
  if (change.allowable && *change.allowable <= Duration::zero()) {
    return Status::InvalidArgument("allowable duration must be positive");
  }
  Work work;
  if (change.payload) {
    // The work is built again from the new payload, outside the model lock (the kind's
    // factory is the host's code), for an event whose kind allows the change.
    std::string kind;
    {
      std::lock_guard lock(core_->rt->mu);
      internal::EventNode* node = core_->rt->scheduler->FindLocked(event);
      if (!node) return Status::NotFound("event " + event.ToString() + " is not live");
      // Another source's event is refused below, without a word about its kind.
      if (node->agent->source_id == core_->id) kind = *node->kind;
    }
    if (!kind.empty()) {
      std::optional<KindSpec> spec = core_->rt->FindKind(kind);
      if (!spec || !spec->payload_modifiable) {
        return Status::InvalidArgument("kind '" + kind + "' keeps an event's payload fixed");
      }
      Result<Work> built = core_->rt->BuildWork(kind, *change.payload);
      if (!built.ok()) return built.status();
      work = std::move(built).value();
    }
  }
  return internal::Locked(*core_, [&](internal::Effects& fx) {
    return core_->rt->scheduler->ModifyLocked(event, *core_, change, std::move(work), fx);
  });
}

Status AgentSource::GrantMoreTime(EventId event, Duration more) {
  if (more <= Duration::zero()) return Status::InvalidArgument("more time must be positive");
  return internal::Locked(*core_, [&](internal::Effects&) {
    return core_->rt->scheduler->GrantMoreTimeLocked(event, *core_, more);
  });
}

std::vector<std::shared_ptr<Agent>> AgentSource::Agents() const {
  std::lock_guard lock(core_->rt->mu);
  return core_->agents;
}

boost::signals2::connection AgentSource::Subscribe(std::function<void(const SourceMessage&)> fn) {
  return core_->on_message.Connect(std::move(fn));
}

std::vector<SourceMessage> AgentSource::Inbox() const {
  std::lock_guard lock(core_->inbox_mu);
  return {core_->inbox.begin(), core_->inbox.end()};
}

MaskedView AgentSource::View() const {
  internal::RuntimeCore& rt = *core_->rt;
  return MaskedView(*rt.archive, *rt.scheduler, *rt.sentinel, core_->id);
}

}  // namespace magent
