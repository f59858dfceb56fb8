// ClearanceSentinel: security levels per event kind. An event whose kind is above the
// agent's clearance is denied.
//
// An agent's clearance is granted by its source (AgentOptions::clearance,
// AgentSource::SetAgentClearance) and bounded by the source's own
// (SourceOptions::clearance); the runtime puts the bounded value in AuthRequest.
//
// Thread safety: immutable after construction.
#ifndef MAGENT_CLEARANCE_SENTINEL_H_
#define MAGENT_CLEARANCE_SENTINEL_H_

#include <map>
#include <string>

#include "magent/sentinel.h"

namespace magent {

struct ClearanceOptions {
  // The level each kind needs, e.g. {"find", kLow}, {"buy", kHigh}, {"ship-to", kPrivate}.
  std::map<std::string, Clearance, std::less<>> levels;
  // The level of kinds not listed. Default: kHigh (an unknown kind is not a low one).
  Clearance unlisted = Clearance::kHigh;
};

class ClearanceSentinel final : public Sentinel {
 public:
  explicit ClearanceSentinel(ClearanceOptions options);
  Decision Decide(const AuthRequest& request) override;
  // The level `kind` needs.
  Clearance LevelOf(std::string_view kind) const;

 private:
  const ClearanceOptions options_;
};

}  // namespace magent

#endif  // MAGENT_CLEARANCE_SENTINEL_H_
