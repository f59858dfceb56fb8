// AnonymousSentinel: what callers who did not say who they are may do, per event kind.
//
// For an agent whose source is anonymous, each kind is forbidden or allowed with limits:
// most pending (Future and Current) events of that source, and most events scheduled per
// minute. Kinds not listed follow `unlisted`, forbidden by default. Events of other
// sources are allowed. The level of what anonymous callers may do is bounded separately,
// by RuntimeOptions::anonymous_clearance (kLow by default) against a ClearanceSentinel in
// the same chain: low-level kinds only.
//
// Thread safety: thread-safe; the rate counters have their own lock.
#ifndef MAGENT_ANONYMOUS_SENTINEL_H_
#define MAGENT_ANONYMOUS_SENTINEL_H_

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "magent/sentinel.h"

namespace magent {

struct AnonymousLimits {
  bool allowed = true;  // False: the kind is forbidden to anonymous sources. Default: true.
  // Most Future and Current events one anonymous source may have (all kinds). Default: 10.
  std::size_t max_pending = 10;
  // Most events of this kind one anonymous source may schedule in any minute. Default: 60.
  std::size_t max_per_minute = 60;
};

struct AnonymousOptions {
  // The kinds anonymous sources may schedule, each with its limits.
  std::map<std::string, AnonymousLimits, std::less<>> kinds;
  // Every other kind. Default: forbidden.
  AnonymousLimits unlisted{.allowed = false};
};

class AnonymousSentinel final : public Sentinel {
 public:
  explicit AnonymousSentinel(AnonymousOptions options);
  Decision Decide(const AuthRequest& request) override;

 private:
  const AnonymousOptions options_;
  std::mutex mu_;
  // When each (source, kind) was last allowed, within the last minute. Guarded by mu_.
  std::map<std::pair<SourceId, std::string>, std::deque<TimePoint>> allowed_at_;
};

}  // namespace magent

#endif  // MAGENT_ANONYMOUS_SENTINEL_H_
