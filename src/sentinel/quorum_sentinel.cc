#include "magent/quorum_sentinel.h"

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
  for (const SourceWeight& s : spec.sources) possible += s.weight;
  if (possible < it->second.min_weight) {
    return Decision::Deny(Text("sentinel.quorum_unreachable",
                               "Kind '{0}' needs signatures weighing {1}; its sources weigh {2}.",
                               {spec.kind, internal::FormatWeight(it->second.min_weight),
                                internal::FormatWeight(possible)}));
  }
  return Decision::AllowWhenSigned(it->second);
}

}  // namespace magent
