// Composing sentinels: a chain where the first denial wins, and a registry that gives each
// event kind its own sentinel.
//
// Thread safety: both are immutable once built (Set() before the runtime uses them), so
// they are as thread-safe as the sentinels they hold.
#ifndef MAGENT_SENTINEL_CHAIN_H_
#define MAGENT_SENTINEL_CHAIN_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "magent/sentinel.h"

namespace magent {

// Asks each sentinel in order; the first denial is the decision. Allowed when all allow
// (an empty chain allows), held for the strictest quorum any of them asks for (the largest
// weight; expiring if any expires). Private data is visible only when every sentinel agrees.
class SentinelChain final : public Sentinel {
 public:
  explicit SentinelChain(std::vector<std::shared_ptr<Sentinel>> sentinels);
  Decision Decide(const AuthRequest& request) override;
  bool MaySeePrivate(SourceId viewer, const EventRecord& record) const override;

 private:
  const std::vector<std::shared_ptr<Sentinel>> sentinels_;
};

// The sentinel registered for the event's kind decides; kinds not registered go to the
// default sentinel.
class KindSentinelRegistry final : public Sentinel {
 public:
  // `fallback` decides unregistered kinds. Default (null): they are denied.
  explicit KindSentinelRegistry(std::shared_ptr<Sentinel> fallback = nullptr);
  // Gives `kind` its sentinel, replacing any earlier one. REQUIRES: before first use.
  void Set(std::string kind, std::shared_ptr<Sentinel> sentinel);

  Decision Decide(const AuthRequest& request) override;
  bool MaySeePrivate(SourceId viewer, const EventRecord& record) const override;

 private:
  Sentinel* For(const std::string& kind) const;

  std::shared_ptr<Sentinel> fallback_;
  std::unordered_map<std::string, std::shared_ptr<Sentinel>> kinds_;
};

}  // namespace magent

#endif  // MAGENT_SENTINEL_CHAIN_H_
