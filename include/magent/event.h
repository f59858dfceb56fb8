// Events: what agents do, and the record each one leaves.
//
// An event is scheduled (Future), runs (Current) and ends (Past) whatever the outcome. A
// Future event may end without ever running (cancelled, killed, expired); it still ends
// Past with a result that says why. See docs/architecture.md for the full lifecycle.
//
//   EventSpec   what an agent asks for when it schedules an event.
//   Work        what the event does: a plain callable, or a coroutine that can wait.
//   EventContext  what the work sees while it runs: its ids, the clock, spawn, await points.
//   EventRecord   the full record of an event: a snapshot while it lives, the archived
//                 record once it is Past.
//
// Thread safety: EventSpec and EventRecord are values. EventContext methods REQUIRE being
// called from the event's work, on its agent's strand.
#ifndef MAGENT_EVENT_H_
#define MAGENT_EVENT_H_

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "magent/clock.h"
#include "magent/ids.h"
#include "magent/participant.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent {

class Agent;

// Stored in the archive; never renumber.
enum class EventState : unsigned char {
  kFuture = 0,   // Scheduled, not started.
  kCurrent = 1,  // Running.
  kPast = 2,     // Ended; `outcome` says how.
};

// How an event ended. Stored in the archive; never renumber.
enum class Outcome : unsigned char {
  kNone = 0,         // Not ended yet.
  kSucceeded = 1,    // The work returned a value.
  kFailed = 2,       // The work returned an error or threw.
  kKilled = 3,       // Killed by its agent, an ancestor's kill, or its source.
  kTimedOut = 4,     // Ran past its allowable duration and was refused more time.
  kCancelled = 5,    // Withdrawn before it ran.
  kExpired = 6,      // Could not start in time (frozen or orphaned too long), or missed
                     // while the process was down (MisfirePolicy).
  kInterrupted = 7,  // Was running when the process or the runtime stopped.
};

std::string_view EventStateName(EventState state);  // "future", "current", "past"
std::string_view OutcomeName(Outcome outcome);      // "succeeded", "timed-out", ...

// One request for more time and the agent's answer.
struct Extension {
  TimePoint at;        // When the event asked.
  Duration requested;  // How much it asked for.
  Duration granted;    // Zero when refused.
  friend bool operator==(const Extension&, const Extension&) = default;
};

// What a change to a live event touched. Stored in the archive; never renumber.
enum class ChangedField : unsigned char {
  kDue = 0,        // Its due time (AgentSource::ModifyEvent).
  kAllowable = 1,  // Its allowable duration.
  kGoal = 2,
  kPayload = 3,
  kMoreTime = 4,  // Running time its source granted while it ran (AgentSource::GrantMoreTime).
};

std::string_view ChangedFieldName(ChangedField field);  // "due", "allowable", ...

// One change a source made to a live event after it was scheduled: a modification the
// Sentinel allowed, or more running time. The values are for people: times as
// "2026-11-22T10:00:00Z", durations as "1h30m", the goal as it was, the payload as its
// bytes.
struct EventChange {
  TimePoint at;        // When the change was made.
  SourceId by;         // The source that made it.
  ChangedField field;  // What it changed.
  Text from;           // The value before. For kMoreTime: the running time allowed before.
  Text to;             // The value after. For kMoreTime: the running time allowed after.
  friend bool operator==(const EventChange&, const EventChange&) = default;
};

class EventContext;

// A plain callable runs to completion on its agent's strand. A value means success (the
// Text is the result); an error Status means failure. A thrown exception is caught and
// makes the event fail with the exception's message.
using PlainWork = std::function<Result<Text>(EventContext&)>;
// A coroutine runs on its agent's strand and can wait (EventContext::SleepFor) and be
// frozen or killed at its await points. The context outlives the coroutine.
using CoroutineWork = std::function<boost::asio::awaitable<Result<Text>>(EventContext&)>;
using Work = std::variant<std::monostate, PlainWork, CoroutineWork>;

// What an agent asks for when it schedules an event. Fields with defaults may be left out.
struct EventSpec {
  // --- What it is.
  std::string kind;  // Event kind, e.g. "find", "buy". Required.
  Text goal;         // What the event is for, e.g. "Find a copy under $8".
  // Who stands behind it, with weights. Default (empty): the agent's source, weight 1.
  std::vector<SourceWeight> sources;
  std::vector<Activant> activants;    // What the work uses.
  std::vector<Passivant> passivants;  // What the work targets.
  std::string payload;  // Opaque data for the work or the kind's factory. Default: empty.
  // The work. Default (monostate): built by the factory registered for `kind`.
  Work work;

  // --- When.
  // When to start. Default (epoch): now. A time in the past means now.
  TimePoint due{};
  // Running time allowed before the event must ask for more. Time spent frozen does not
  // count. Default: unlimited.
  Duration allowable = Duration::max();
  // How much more time to ask for each time the allowable duration runs out.
  // Default (zero): as much as `allowable` again.
  Duration extension_step = Duration::zero();
  // How late after `due` it may still start (if frozen past that, it ends expired).
  // Default: no limit.
  std::optional<Duration> start_within;
};

// The record of an event. While the event lives it is a snapshot; once Past it is final.
struct EventRecord {
  // Provided, not defaulted: value-initialising a record (`records.emplace_back()`) then
  // runs the member initialisers below only, instead of zeroing all its bytes first.
  EventRecord() {}  // NOLINT(modernize-use-equals-default)

  EventId id;
  std::string kind;
  AgentId agent;
  SourceId agent_source;  // The source that owns the agent.
  EventId parent;         // The event whose work spawned this one; 0 for none.
  // As scheduled; empty means the agent's source alone, with weight 1.
  std::vector<SourceWeight> sources;
  std::vector<Activant> activants;
  std::vector<Passivant> passivants;
  Text goal;
  std::string payload;

  EventState state = EventState::kFuture;
  Outcome outcome = Outcome::kNone;
  Text result;  // Always set once Past.
  bool frozen = false;
  bool orphaned = false;  // Its agent is gone.

  Duration allowable = Duration::max();
  Duration actual = Duration::zero();      // Running time, start to finish (frozen included).
  Duration frozen_for = Duration::zero();  // Time spent frozen while Current.
  std::vector<Extension> extensions;       // Its source's grants too (see `history`).
  // What its source changed after it was scheduled, oldest first.
  std::vector<EventChange> history;

  TimePoint created{};
  TimePoint due{};
  TimePoint started{};   // Epoch if it never ran.
  TimePoint finished{};  // Epoch while not Past.
};

// One state change of an event, as EventScheduler::OnTransition reports it. An event's
// transitions are, in order:
//   Future -> Future   scheduled: once, when Agent::Schedule or EventContext::Spawn admits
//                      it (held and frozen events too), at its created time, on the
//                      scheduling thread before Schedule or Spawn returns. An event is
//                      Future from the moment it exists and EventState has no state before
//                      it, so its arrival is the one transition with from == to.
//   Future -> Current  started.
//   Future -> Past or Current -> Past   ended; `outcome` says how.
// Freezing, holding for signatures, thawing and adoption change no state and are not
// signalled. A denied schedule makes no event and no transition (its sentinel.decision
// record makes none either). Events a durable runtime restores were scheduled before the
// restart: they are not signalled as scheduled again; a slot sees only what follows.
struct Transition {
  EventId id;
  AgentId agent;
  EventId parent;
  std::string_view kind;  // Valid during the signal call only.
  EventState from;
  EventState to;
  Outcome outcome;  // kNone unless `to` is kPast.
  TimePoint at;
};

// What an event's work sees. Owned by the scheduler; valid until the work returns.
// REQUIRES for every method: called from the event's own work, on its agent's strand.
class EventContext {
 public:
  virtual ~EventContext() = default;

  virtual EventId id() const = 0;
  virtual const std::string& kind() const = 0;
  virtual const std::string& payload() const = 0;
  virtual Agent& agent() const = 0;
  virtual TimePoint Now() const = 0;

  // Schedules a child event of the same agent; the child's parent is this event, so
  // killing this event kills it too. Fails like Agent::Schedule.
  virtual Result<EventId> Spawn(EventSpec spec) = 0;

  // Asks the agent now for `more` running time. Returns what was granted (maybe less than
  // asked); PermissionDenied when the agent's policy refuses. Refusal does not end the
  // event; running out of time does.
  virtual Result<Duration> RequestExtension(Duration more) = 0;

  // True once the event was killed or timed out: the work should stop soon.
  virtual bool stopping() const = 0;

  // Await points for coroutine work. While the event is frozen they suspend, and they
  // resume on unfreeze. They return Cancelled when the event was killed or timed out
  // meanwhile; the work should then return. Plain work gets FailedPrecondition.
  virtual boost::asio::awaitable<Status> Checkpoint() = 0;
  // Waits `d` on the runtime's clock (ManualClock too), then behaves like Checkpoint().
  virtual boost::asio::awaitable<Status> SleepFor(Duration d) = 0;
};

}  // namespace magent

#endif  // MAGENT_EVENT_H_
