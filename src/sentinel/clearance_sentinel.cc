#include "magent/clearance_sentinel.h"

#include <string>
#include <utility>

namespace magent {

ClearanceSentinel::ClearanceSentinel(ClearanceOptions options) : options_(std::move(options)) {}

Clearance ClearanceSentinel::LevelOf(std::string_view kind) const {
  auto it = options_.levels.find(kind);
  return it != options_.levels.end() ? it->second : options_.unlisted;
}

Decision ClearanceSentinel::Decide(const AuthRequest& request) {
  const Clearance needed = LevelOf(request.spec->kind);
  if (request.clearance >= needed) return Decision::Allow();
  return Decision::Deny(
      Text("sentinel.below_clearance", "Agent '{0}' has clearance {1}; kind '{2}' needs {3}.",
           {std::string(request.agent_name), std::string(ClearanceName(request.clearance)),
            request.spec->kind, std::string(ClearanceName(needed))}));
}

}  // namespace magent
