// AgentRegistry: every agent the runtime has made, including the retired, killed and
// removed ones, with when and why they got there.
//
// Agents created with AgentOptions::tracked = false are not listed.
//
// Thread safety: thread-safe.
#ifndef MAGENT_REGISTRY_H_
#define MAGENT_REGISTRY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "magent/agent.h"
#include "magent/clock.h"
#include "magent/ids.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent {

struct AgentInfo {
  AgentId id;
  std::string name;
  SourceId source;
  AgentState state = AgentState::kActive;
  TimePoint created{};
  TimePoint since{};  // When it entered `state`.
  Text reason;        // Why it entered `state` (empty for active).
  std::size_t live_events = 0;
};

class AgentRegistry {
 public:
  virtual ~AgentRegistry() = default;
  // Tracked agents in creation order, all of them or only those in `state`.
  virtual std::vector<AgentInfo> List(std::optional<AgentState> state = std::nullopt) const = 0;
  // NotFound for an unknown or untracked agent.
  virtual Result<AgentInfo> Find(AgentId id) const = 0;
  virtual Result<std::shared_ptr<Agent>> Get(AgentId id) const = 0;
};

}  // namespace magent

#endif  // MAGENT_REGISTRY_H_
