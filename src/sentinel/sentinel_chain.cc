#include "magent/sentinel_chain.h"

#include <algorithm>
#include <utility>

namespace magent {

SentinelChain::SentinelChain(std::vector<std::shared_ptr<Sentinel>> sentinels)
    : sentinels_(std::move(sentinels)) {}

Decision SentinelChain::Decide(const AuthRequest& request) {
  Decision allowed = Decision::Allow();
  for (const auto& sentinel : sentinels_) {
    Decision decision = sentinel->Decide(request);
    if (!decision.allowed) return decision;
    if (!decision.quorum) continue;
    // Several quorums: the event needs the strictest of each.
    QuorumRule& q = allowed.quorum ? *allowed.quorum : allowed.quorum.emplace(*decision.quorum);
    q.min_weight = std::max(q.min_weight, decision.quorum->min_weight);
    if (decision.quorum->late == LateSignature::kExpire) q.late = LateSignature::kExpire;
  }
  return allowed;
}

bool SentinelChain::MaySeePrivate(SourceId viewer, const EventRecord& record) const {
  for (const auto& sentinel : sentinels_) {
    if (!sentinel->MaySeePrivate(viewer, record)) return false;
  }
  return true;
}

KindSentinelRegistry::KindSentinelRegistry(std::shared_ptr<Sentinel> fallback)
    : fallback_(std::move(fallback)) {}

void KindSentinelRegistry::Set(std::string kind, std::shared_ptr<Sentinel> sentinel) {
  kinds_[std::move(kind)] = std::move(sentinel);
}

Sentinel* KindSentinelRegistry::For(const std::string& kind) const {
  auto it = kinds_.find(kind);
  return it != kinds_.end() ? it->second.get() : fallback_.get();
}

Decision KindSentinelRegistry::Decide(const AuthRequest& request) {
  Sentinel* sentinel = For(request.spec->kind);
  if (!sentinel) {
    return Decision::Deny(
        Text("sentinel.unknown_kind", "No sentinel rules kind '{0}'.", {request.spec->kind}));
  }
  return sentinel->Decide(request);
}

bool KindSentinelRegistry::MaySeePrivate(SourceId viewer, const EventRecord& record) const {
  Sentinel* sentinel = For(record.kind);
  return sentinel ? sentinel->MaySeePrivate(viewer, record)
                  : Sentinel::MaySeePrivate(viewer, record);
}

}  // namespace magent
