#include "sentinel/authorizer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/agent_core.h"
#include "core/runtime_core.h"
#include "core/source_core.h"

namespace magent::internal {

Clearance EffectiveClearanceLocked(const AgentCore& agent) {
  const SourceCore& source = SourceCore::Of(agent.source());
  Clearance c = std::min(agent.clearance, source.clearance);
  if (source.anonymous) c = std::min(c, agent.runtime().options.anonymous_clearance);
  return c;
}

AuthRequest RequestLocked(const AgentCore& agent, const EventSpec& spec, EventId parent,
                          TimePoint now) {
  const SourceCore& source = SourceCore::Of(agent.source());
  AuthRequest request;
  request.agent = agent.id;
  request.agent_name = agent.name;
  request.source = agent.source_id;
  request.anonymous = source.anonymous;
  request.clearance = EffectiveClearanceLocked(agent);
  request.spec = &spec;
  request.parent = parent;
  request.source_pending = source.live_count;
  request.now = now;
  return request;
}

double SignedWeight(const std::vector<SourceWeight>& sources, SourceId agent_source,
                    const std::vector<SourceId>& signers) {
  auto signed_by = [&signers](SourceId source) {
    return std::find(signers.begin(), signers.end(), source) != signers.end();
  };
  if (sources.empty()) return signed_by(agent_source) ? 1.0 : 0.0;
  double weight = 0;
  for (const SourceWeight& s : sources) {
    // Whatever sentinel let the event in, a weight that is no positive number counts
    // nothing: a NaN sum compares as reaching every quorum.
    if (signed_by(s.source) && std::isfinite(s.weight) && s.weight > 0) weight += s.weight;
  }
  return weight;
}

bool BelowQuorum(double weight, const QuorumRule& rule) {
  // Weights are sums of decimals (0.1 + 0.2 + 0.2): a rounding error must not hold an
  // event whose signatures reach the quorum.
  constexpr double kSlack = 1e-9;
  return weight + kSlack < rule.min_weight;
}

void FillDecisionRecord(EventId id, const AgentCore& agent, const EventSpec& spec, EventId parent,
                        const Decision& decision, TimePoint now, EventRecord& r) {
  r.id = id;
  r.kind = std::string(kDecisionKind);
  r.agent = agent.id;
  r.agent_source = agent.source_id;
  r.parent = parent;
  r.sources = spec.sources;
  r.activants = spec.activants;
  r.passivants = spec.passivants;
  r.goal = Text("sentinel.asked", "Agent '{0}' asked to schedule '{1}'.", {agent.name, spec.kind});
  r.payload = spec.kind;
  r.state = EventState::kPast;
  r.outcome = decision.allowed ? Outcome::kSucceeded : Outcome::kFailed;
  r.result = decision.reason.empty()
                 ? Text(decision.allowed ? "sentinel.allowed" : "sentinel.denied",
                        decision.allowed ? "Allowed." : "Denied.", {})
                 : decision.reason;
  r.created = now;
  r.due = now;
  r.finished = now;
}

}  // namespace magent::internal
