// Sentinel: decides whether an agent may schedule an event before it enters the scheduler.
//
// Only authorized events are scheduled, and only scheduled events run. The runtime asks its
// Sentinel on every Agent::Schedule and EventContext::Spawn; a refusal returns
// PermissionDenied to the caller and nothing is scheduled.
//
// Thread safety: Authorize() is called from any thread, concurrently; implementations
// must be thread-safe. It is called without magent's locks held.
#ifndef MAGENT_SENTINEL_H_
#define MAGENT_SENTINEL_H_

#include "magent/agent.h"
#include "magent/event.h"
#include "magent/status.h"

namespace magent {

class Sentinel {
 public:
  virtual ~Sentinel() = default;
  // OK to allow; a non-OK Status (PermissionDenied, with the reason) to refuse.
  virtual Status Authorize(const Agent& agent, const EventSpec& spec) = 0;
};

// Allows everything. The default when a runtime is given no Sentinel.
class AllowAllSentinel final : public Sentinel {
 public:
  Status Authorize(const Agent& agent, const EventSpec& spec) override;
};

}  // namespace magent

#endif  // MAGENT_SENTINEL_H_
