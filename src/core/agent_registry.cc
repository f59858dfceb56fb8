#include "core/agent_registry.h"

#include <mutex>

#include "core/agent_core.h"
#include "core/runtime_core.h"

namespace magent::internal {

std::vector<AgentInfo> RegistryImpl::List(std::optional<AgentState> state) const {
  std::lock_guard lock(rt_->mu);
  std::vector<AgentInfo> out;
  for (const auto& agent : tracked_) {
    const AgentCore* core = AgentCore::Of(*agent);
    if (!state || core->state == *state) out.push_back(core->InfoLocked());
  }
  return out;
}

Result<AgentInfo> RegistryImpl::Find(AgentId id) const {
  std::lock_guard lock(rt_->mu);
  Agent* agent = FindLocked(id);
  if (!agent || !AgentCore::Of(*agent)->options.tracked) {
    return Status::NotFound("no tracked agent " + id.ToString());
  }
  return AgentCore::Of(*agent)->InfoLocked();
}

Result<std::shared_ptr<Agent>> RegistryImpl::Get(AgentId id) const {
  std::lock_guard lock(rt_->mu);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || !AgentCore::Of(*it->second)->options.tracked) {
    return Status::NotFound("no tracked agent " + id.ToString());
  }
  return it->second;
}

void RegistryImpl::AddLocked(std::shared_ptr<Agent> agent) {
  if (AgentCore::Of(*agent)->options.tracked) tracked_.push_back(agent);
  by_id_.emplace(agent->id(), std::move(agent));
}

Agent* RegistryImpl::FindLocked(AgentId id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

std::vector<std::shared_ptr<Agent>> RegistryImpl::TakeAllLocked() {
  std::vector<std::shared_ptr<Agent>> all;
  all.reserve(by_id_.size());
  for (auto& [id, agent] : by_id_) all.push_back(std::move(agent));
  tracked_.clear();
  by_id_.clear();
  return all;
}

}  // namespace magent::internal
