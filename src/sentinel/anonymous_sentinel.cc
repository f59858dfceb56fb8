#include "magent/anonymous_sentinel.h"

#include <chrono>
#include <string>
#include <utility>

namespace magent {

AnonymousSentinel::AnonymousSentinel(AnonymousOptions options) : options_(std::move(options)) {}

Decision AnonymousSentinel::Decide(const AuthRequest& request) {
  if (!request.anonymous) return Decision::Allow();
  const std::string& kind = request.spec->kind;
  auto it = options_.kinds.find(kind);
  const AnonymousLimits& limits = it != options_.kinds.end() ? it->second : options_.unlisted;
  if (!limits.allowed) {
    return Decision::Deny(
        Text("sentinel.anonymous_forbidden", "Anonymous sources may not schedule '{0}'.", {kind}));
  }
  if (request.source_pending >= limits.max_pending) {
    return Decision::Deny(
        Text("sentinel.anonymous_pending",
             "An anonymous source may have {0} pending events; it has {1}.",
             {std::to_string(limits.max_pending), std::to_string(request.source_pending)}));
  }
  std::lock_guard lock(mu_);
  std::deque<TimePoint>& times = allowed_at_[{request.source, kind}];
  while (!times.empty() && times.front() <= request.now - std::chrono::minutes(1)) {
    times.pop_front();
  }
  if (times.size() >= limits.max_per_minute) {
    return Decision::Deny(Text("sentinel.anonymous_rate",
                               "An anonymous source may schedule {0} '{1}' events a minute.",
                               {std::to_string(limits.max_per_minute), kind}));
  }
  times.push_back(request.now);
  return Decision::Allow();
}

}  // namespace magent
