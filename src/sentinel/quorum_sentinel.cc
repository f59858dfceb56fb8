#include "magent/quorum_sentinel.h"

#include <cmath>
#include <string>
#include <utility>

#include "core/format.h"

namespace magent {

QuorumSentinel::QuorumSentinel(std::map<std::string, QuorumRule, std::less<>> rules)
    : rules_(std::move(rules)) {}

Decision QuorumSentinel::Decide(const AuthRequest& request) {
  const EventSpec& spec = *request.spec;
  auto it = rules_.find(spec.kind);
  if (it == rules_.end()) return Decision::Allow();
  double possible = spec.sources.empty() ? 1.0 : 0.0;
  for (const SourceWeight& s : spec.sources) {
    // The event names its weights itself: a NaN one compared as "not below the quorum",
    // so its one signature released the event; a negative one took others' weight away.
    if (!std::isfinite(s.weight) || s.weight <= 0) {
      return Decision::Deny(
          Text("sentinel.quorum_bad_weight",
               "Kind '{0}' needs signatures weighing {1}; source {2} is given "
               "weight {3}, and a weight must be a positive number.",
               {spec.kind, internal::FormatWeight(it->second.min_weight),
                std::to_string(s.source.value()), internal::FormatWeight(s.weight)}));
    }
    possible += s.weight;
  }
  if (possible < it->second.min_weight) {
    return Decision::Deny(Text("sentinel.quorum_unreachable",
                               "Kind '{0}' needs signatures weighing {1}; its sources weigh {2}.",
                               {spec.kind, internal::FormatWeight(it->second.min_weight),
                                internal::FormatWeight(possible)}));
  }
  return Decision::AllowWhenSigned(it->second);
}

}  // namespace magent
