// Agent: works for one AgentSource, schedules events, and answers for them.
//
// Agents are made by their source (AgentSource::CreateAgent). An agent has two separate
// lists of Activants and Passivants, a state (active, frozen, retired, killed, removed),
// an extension policy that bounds how much more time its events may get (OnExtensionRequest
// decides each request within it), and per-kind success/failure counts that it reports to
// its source.
//
// Subclass Agent to give it behaviour; hooks carry the On prefix and run on the agent's
// strand. A plain Agent is fine when events carry their own work.
//
// Thread safety: every public method is thread-safe. Hooks run on the agent's strand, as
// does the work of its events, so an agent's own data needs no lock if only hooks and work
// touch it.
#ifndef MAGENT_AGENT_H_
#define MAGENT_AGENT_H_

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/clock.h"
#include "magent/event.h"
#include "magent/ids.h"
#include "magent/participant.h"
#include "magent/sentinel.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent {

class AgentSource;
namespace internal {
class AgentCore;
class SchedulerCore;
}  // namespace internal

// Stored in the archive; never renumber.
enum class AgentState : unsigned char {
  kActive = 0,   // Its events run.
  kFrozen = 1,   // None of its events start or pass an await point until unfrozen.
  kRetired = 2,  // Takes no new events; those it has run to their end (held ones end).
  kKilled = 3,   // Gone by force; its remaining events are orphaned.
  kRemoved = 4,  // Taken away by its source; its remaining events are orphaned.
};

std::string_view AgentStateName(AgentState state);  // "active", "frozen", ...

// The pre-programmed bounds within which an agent grants its events more time.
// The default grants nothing: the allowable duration is a hard limit.
struct ExtensionPolicy {
  // Most time granted for one request; a larger request gets this much. Default: zero.
  Duration max_per_extension = Duration::zero();
  // Most time granted to one event over its life. Default: zero.
  Duration max_total = Duration::zero();
  // Most requests granted to one event. Default: unlimited.
  int max_count = std::numeric_limits<int>::max();
};

struct AgentOptions {
  std::string name;  // For people: "bookbuyer". Default: "agent-<id>".
  std::vector<Activant> activants;
  std::vector<Passivant> passivants;
  ExtensionPolicy extension_policy;
  // What the agent may do (see ClearanceSentinel), granted by its source and bounded by
  // the source's own clearance. Default: the source's clearance.
  std::optional<Clearance> clearance;
  // Listed by the AgentRegistry. An extension may opt out for throw-away agents.
  // Default: true.
  bool tracked = true;
  // Send an interim report to the source after every this many finished events.
  // Default: 0 (only on SendInterimReport() and the final report).
  std::uint32_t interim_report_every = 0;
};

// How the events of one kind ended.
struct KindCounts {
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::uint64_t killed = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t expired = 0;
  std::uint64_t interrupted = 0;
  std::uint64_t failures() const {
    return failed + killed + timed_out + cancelled + expired + interrupted;
  }
  friend bool operator==(const KindCounts&, const KindCounts&) = default;
};

struct AgentReport {
  AgentId agent;
  std::string agent_name;
  bool final = false;
  AgentState state = AgentState::kActive;
  TimePoint at{};
  std::map<std::string, KindCounts> per_kind;
  Text summary;  // "bookbuyer: 4 events, 4 succeeded, 0 failed".
};

class Agent : public std::enable_shared_from_this<Agent> {
 public:
  Agent();
  virtual ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  AgentId id() const;
  const std::string& name() const;
  SourceId source_id() const;
  AgentState state() const;
  const std::vector<Activant>& activants() const;
  const std::vector<Passivant>& passivants() const;
  // The strand on which hooks and event work run.
  boost::asio::any_io_executor executor() const;

  // Schedules an event of this agent. InvalidArgument for a spec without kind, or without
  // work when no factory is registered for its kind; FailedPrecondition when the agent is
  // retired, killed or removed; PermissionDenied when the Sentinel refuses. On a durable
  // runtime, InvalidArgument also for a kind without a factory: its work could not be
  // rebuilt after a restart (work given in the spec runs now; after a restart the
  // factory builds it again from the payload). A spec passed as an rvalue is moved from,
  // an lvalue copied.
  Result<EventId> Schedule(EventSpec&& spec);
  Result<EventId> Schedule(const EventSpec& spec);

  // Withdraws a Future event (and its spawn): it ends Past as cancelled.
  // FailedPrecondition if it already started; otherwise as Kill.
  Status Cancel(EventId event, Text why = {});
  // Kills an event this agent scheduled, or the spawn of one, and all of its own spawn.
  // A Future event ends Past at once; a Current one is cancelled and ends Past as killed
  // when its work returns. NotFound if it is not live; PermissionDenied if it is neither
  // this agent's nor spawned from one of its events.
  Status Kill(EventId event, Text why = {});
  // Freezes or unfreezes one event (same permission rule as Kill). A Future event does
  // not start while frozen; coroutine work pauses at its next await point; plain work that
  // already began cannot be paused and runs to its end unfrozen (its record says so).
  Status Freeze(EventId event);
  Status Unfreeze(EventId event);
  // Freezes or unfreezes the agent: all its events, now and later. UnfreezeAll returns
  // PermissionDenied when its source froze it (AgentSource::FreezeAgent): only the source
  // may undo that.
  Status FreezeAll();
  Status UnfreezeAll();

  // The agent stops taking events; those it has run on. Its held events (waiting for
  // signatures, QuorumSentinel) end at once as killed, "Retired with no one to sign.", as
  // does one held again later (a signature revoked): no new event of it will come to need
  // them, and they would keep its final report back for good. The final report goes out
  // when its last event ends and counts them all. FailedPrecondition unless the agent is
  // active (a frozen agent retiring would thaw what its source froze).
  Status Retire(Text why);
  // The agent kills itself, also from inside the work of one of its events: it is listed
  // as killed at once, its live events are orphaned and its source gets kOrphanedEvents
  // at once (agent_source.h): Future events and paused coroutines are frozen, plain work
  // already running runs on (it cannot be paused) and ends with its own result. Its final
  // report goes out when the last of them has ended or been adopted, and counts every one
  // that ended under it. FailedPrecondition if it is already killed or removed.
  Status KillSelf(Text why);

  // Counts per event kind so far.
  std::map<std::string, KindCounts> Counts() const;
  // Sends an interim report to the source now.
  Status SendInterimReport();
  // Sends the source a message of the agent's own (SourceMessage::kAgentMessage), or the
  // runtime's owner once the source is gone. FailedPrecondition when the agent is not
  // attached or is killed or removed; InvalidArgument for an empty text.
  Status SendToSource(Text text);

 protected:
  // Runs on the strand once the agent is registered.
  virtual void OnStart() {}
  // Runs on the strand when the agent is retired (and idle), killed or removed (at once,
  // even while its orphans are live).
  virtual void OnStop(AgentState final_state) { (void)final_state; }
  // Runs on the strand after each of its events ended (whatever the outcome), with the
  // event's Past record, so the agent can change its next events by how this one went.
  // Not called once the agent is killed or removed. The default does nothing and tells
  // the runtime so, which then stops building records for it: an override must not call
  // it.
  virtual void OnEventEnded(const EventRecord& record);
  // Decides, case by case, a request for more time by one of its running events: when its
  // allowable duration ran out (it asks for EventSpec::extension_step) or when its work
  // asked (EventContext::RequestExtension). Runs on the strand, without magent's locks;
  // `record` is a snapshot of the event. Returns how much to grant: zero refuses (the
  // event then times out, or its work's request is refused), and more than the agent's
  // ExtensionPolicy allows is cut to what the policy allows. An event that ran out of time
  // runs on while its agent decides. The default grants what was asked, within the
  // policy, and tells the runtime so, which then applies the policy without asking: an
  // override must not call it.
  virtual Duration OnExtensionRequest(const EventRecord& record, Duration requested);

 private:
  friend class internal::AgentCore;
  friend class AgentSource;
  friend class internal::SchedulerCore;
  std::unique_ptr<internal::AgentCore> core_;
  // False once the default OnEventEnded ran: nobody listens, so no record is made.
  std::atomic<bool> hears_event_ends_{true};
  // False once the default OnExtensionRequest ran: the policy alone decides.
  std::atomic<bool> decides_extensions_{true};
};

}  // namespace magent

#endif  // MAGENT_AGENT_H_
