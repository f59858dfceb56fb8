// RegistryImpl: the AgentRegistry of a runtime.
//
// Thread safety: guarded by RuntimeCore::mu.
#ifndef MAGENT_SRC_CORE_AGENT_REGISTRY_H_
#define MAGENT_SRC_CORE_AGENT_REGISTRY_H_

#include <memory>
#include <unordered_map>
#include <vector>

#include "magent/registry.h"

namespace magent::internal {

class RuntimeCore;

class RegistryImpl final : public AgentRegistry {
 public:
  explicit RegistryImpl(RuntimeCore* rt) : rt_(rt) {}

  std::vector<AgentInfo> List(std::optional<AgentState> state) const override;
  Result<AgentInfo> Find(AgentId id) const override;
  Result<std::shared_ptr<Agent>> Get(AgentId id) const override;

  // Keeps `agent` for the runtime's life; lists it if tracked. REQUIRES: mu held.
  void AddLocked(std::shared_ptr<Agent> agent);
  // Any agent, tracked or not. REQUIRES: mu held.
  Agent* FindLocked(AgentId id) const;
  // Forgets every agent and returns them all, tracked or not. REQUIRES: mu held.
  std::vector<std::shared_ptr<Agent>> TakeAllLocked();

 private:
  RuntimeCore* rt_;
  std::vector<std::shared_ptr<Agent>> tracked_;                // Guarded by mu.
  std::unordered_map<AgentId, std::shared_ptr<Agent>> by_id_;  // Guarded by mu.
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_AGENT_REGISTRY_H_
