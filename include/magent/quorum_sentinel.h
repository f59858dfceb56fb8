// QuorumSentinel: events of some kinds need the signatures of their sources, weighted,
// before they may run.
//
// An event lists its sources with weights (EventSpec::sources; empty means its agent's
// source, weight 1). For a kind with a QuorumRule, an allowed event is held: Future, not
// runnable, until the weights of the sources that signed it (AgentSource::Sign) sum to at
// least `min_weight`. A signature withdrawn (AgentSource::RevokeSignature) before the event
// starts can hold it again.
//
// Thread safety: immutable after construction.
#ifndef MAGENT_QUORUM_SENTINEL_H_
#define MAGENT_QUORUM_SENTINEL_H_

#include <map>
#include <string>

#include "magent/sentinel.h"

namespace magent {

class QuorumSentinel final : public Sentinel {
 public:
  // The rule of each kind that needs signatures; other kinds are allowed unheld.
  explicit QuorumSentinel(std::map<std::string, QuorumRule, std::less<>> rules);
  // Allows with the kind's rule; denies when even every listed source signing could not
  // reach it.
  Decision Decide(const AuthRequest& request) override;

 private:
  const std::map<std::string, QuorumRule, std::less<>> rules_;
};

}  // namespace magent

#endif  // MAGENT_QUORUM_SENTINEL_H_
