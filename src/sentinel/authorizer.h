// Authorizer: how the scheduler puts a request to the Sentinel, and the record it keeps of
// every decision.
//
// Thread safety: functions named *Locked REQUIRE RuntimeCore::mu.
#ifndef MAGENT_SRC_SENTINEL_AUTHORIZER_H_
#define MAGENT_SRC_SENTINEL_AUTHORIZER_H_

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

// Fills `r` as the Past record of `decision` on that request: kind kDecisionKind, the
// asking agent and its source, the event's sources and participants, the kind asked for as
// payload, outcome kSucceeded (allowed) or kFailed (denied), the reason as result.
void FillDecisionRecord(EventId id, const AgentCore& agent, const EventSpec& spec, EventId parent,
                        const Decision& decision, TimePoint now, EventRecord& r);

}  // namespace magent::internal

#endif  // MAGENT_SRC_SENTINEL_AUTHORIZER_H_
