// Authorizer: how the scheduler puts a request to the Sentinel, weighs the signatures of a
// held event, and records every decision.
//
// Thread safety: functions named *Locked REQUIRE RuntimeCore::mu.
#ifndef MAGENT_SRC_SENTINEL_AUTHORIZER_H_
#define MAGENT_SRC_SENTINEL_AUTHORIZER_H_

#include <vector>

#include "magent/event.h"
#include "magent/sentinel.h"

namespace magent::internal {

class AgentCore;

// The clearance `agent` acts with: what its source granted, bounded by the source's own
// and, for an anonymous source, by RuntimeOptions::anonymous_clearance.
Clearance EffectiveClearanceLocked(const AgentCore& agent);

// The request for `agent` to schedule `spec` (a child of `parent` if set) at `now`.
AuthRequest RequestLocked(const AgentCore& agent, const EventSpec& spec, EventId parent,
                          TimePoint now);

// The weight of an event's `sources` among `signers`. No sources listed: the agent's
// source (`agent_source`) alone, weight 1.
double SignedWeight(const std::vector<SourceWeight>& sources, SourceId agent_source,
                    const std::vector<SourceId>& signers);
// True while the signed `weight` does not reach `rule`.
bool BelowQuorum(double weight, const QuorumRule& rule);

// Fills `r` as the Past record of `decision` on that request: kind kDecisionKind, the
// asking agent and its source, the event's sources and participants, the kind asked for as
// payload, outcome kSucceeded (allowed) or kFailed (denied), the reason as result.
void FillDecisionRecord(EventId id, const AgentCore& agent, const EventSpec& spec, EventId parent,
                        const Decision& decision, TimePoint now, EventRecord& r);

}  // namespace magent::internal

#endif  // MAGENT_SRC_SENTINEL_AUTHORIZER_H_
