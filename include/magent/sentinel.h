// Sentinel: decides whether an agent may schedule an event before it enters the scheduler,
// and who may see private data.
//
// Only authorized events are scheduled, and only scheduled events run. The runtime asks its
// Sentinel on every Agent::Schedule and EventContext::Spawn with an AuthRequest (who asks,
// for what, with which clearance); a denial returns PermissionDenied (with the reason) to
// the caller and nothing is scheduled. Every decision is recorded in the archive as a Past
// record of kind kDecisionKind (see docs/sentinel.md).
//
// Sentinels compose: SentinelChain, KindSentinelRegistry (sentinel_chain.h). Ready-made
// rules: ClearanceSentinel, AnonymousSentinel.
//
// Thread safety: Decide() is called with the runtime's model lock held, so the calls of
// one runtime never overlap and what a sentinel counts (pending events) cannot change
// meanwhile; it must not call back into magent. A sentinel shared by several runtimes, or
// with state changed from outside, locks that state itself. MaySeePrivate() is called
// from any thread without magent's locks.
#ifndef MAGENT_SENTINEL_H_
#define MAGENT_SENTINEL_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "magent/clock.h"
#include "magent/event.h"
#include "magent/ids.h"
#include "magent/text.h"

namespace magent {

// Security levels, ordered: a higher clearance may do everything a lower one may.
// Stored in the archive; never renumber.
enum class Clearance : unsigned char {
  kPublic = 0,   // Anyone, anonymous callers included.
  kLow = 1,      // e.g. find.
  kHigh = 2,     // e.g. buy.
  kPrivate = 3,  // Handles private data, e.g. ship-to.
};

std::string_view ClearanceName(Clearance clearance);  // "public", "low", "high", "private"

// The kind of the Past records that record the Sentinel's decisions.
inline constexpr std::string_view kDecisionKind = "sentinel.decision";

// What an agent asks for. Valid during the Decide() call only.
struct AuthRequest {
  AgentId agent;
  std::string_view agent_name;
  SourceId source;         // The agent's source.
  bool anonymous = false;  // The agent's source is anonymous.
  // What the agent may do: the clearance its source granted it, bounded by the source's
  // own (and, for an anonymous source, by RuntimeOptions::anonymous_clearance).
  Clearance clearance = Clearance::kPublic;
  // The event asked for: kind, sources and weights, activants, passivants, due time.
  const EventSpec* spec = nullptr;
  EventId parent;  // Set when the event is spawned by another.
  // Future and Current events of the agent's source now (all its agents).
  std::size_t source_pending = 0;
  TimePoint now{};
};

// What a signature given after the event's due time does.
// Stored in the archive; never renumber.
enum class LateSignature : unsigned char {
  kRunLate = 0,  // The event runs as soon as its quorum is reached, however late.
  kExpire = 1,   // The event expires at its due time if its quorum is not reached by then.
};

// How much approval an event needs before it may run (see quorum_sentinel.h).
struct QuorumRule {
  // Least total weight of the event's sources that signed it. Default: 1.
  double min_weight = 1.0;
  LateSignature late = LateSignature::kRunLate;  // Default: run late.
};

// Allow (perhaps held for signatures), or deny with a reason.
struct Decision {
  bool allowed = false;
  Text reason;  // Why; shown to the caller on denial and kept in the decision record.
  // Set when allowed: the event is held (Future, not runnable) until its sources' signed
  // weights reach this rule.
  std::optional<QuorumRule> quorum;

  static Decision Allow(Text why = {}) { return Decision{true, std::move(why), std::nullopt}; }
  static Decision Deny(Text why) { return Decision{false, std::move(why), std::nullopt}; }
  static Decision AllowWhenSigned(QuorumRule rule, Text why = {}) {
    return Decision{true, std::move(why), rule};
  }
};

class Sentinel {
 public:
  virtual ~Sentinel() = default;
  // Decides `request`. See the file comment for the locking contract.
  virtual Decision Decide(const AuthRequest& request) = 0;
  // Whether `viewer` may see the private activants and passivants of `record` (privacy.h
  // masks them otherwise). Default: the agent's source and the event's sources may.
  virtual bool MaySeePrivate(SourceId viewer, const EventRecord& record) const;
};

// Allows everything. The default when a runtime is given no Sentinel.
class AllowAllSentinel final : public Sentinel {
 public:
  Decision Decide(const AuthRequest& request) override;
};

}  // namespace magent

#endif  // MAGENT_SENTINEL_H_
