// EventNode: the scheduler's private, compact form of a live event.
//
// Hot fields (what every event needs to be queued, started and ended) sit in the node;
// everything an event may or may not carry (goal, participants, payload, extensions, a
// place in a spawn tree, time frozen, coroutine state) sits in EventDetails, allocated
// only when needed. This keeps a pending event small (see docs/benchmarks.md).
//
// Thread safety: every field is guarded by RuntimeCore::mu, except `stopping`, which the
// work reads without the lock, `run_gate`, which the strand that runs plain work sets
// without it, and EventDetails::co, which lives on the agent's strand.
#ifndef MAGENT_SRC_SCHEDULER_EVENT_NODE_H_
#define MAGENT_SRC_SCHEDULER_EVENT_NODE_H_

#include <atomic>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "magent/clock.h"
#include "magent/event.h"
#include "magent/sentinel.h"
#include "scheduler/event_context_impl.h"

namespace magent::internal {

class AgentCore;

// State of a coroutine's run; lives on the agent's strand.
struct CoroutineState {
  explicit CoroutineState(boost::asio::any_io_executor on) : strand(on), waiter(on) {}
  // Where the coroutine runs: its agent's strand when it started. An event adopted later
  // keeps it, so everything that touches this state is posted here, not to the strand of
  // the event's current agent.
  const boost::asio::any_io_executor strand;
  boost::asio::cancellation_signal cancel;  // Emitted (on the strand) to kill the work.
  boost::asio::steady_timer waiter;         // Never expires; cancelled to wake the work.
  std::unique_ptr<Timer> sleep_timer;       // The clock's timer behind SleepFor.
  bool sleep_done = false;
  bool done = false;  // The work returned; a late kill must not touch the slot.
  std::unique_ptr<EventContextImpl> context;
};

struct EventNode;

// Whether the plain work of a Current event began. The strand that runs the work moves
// kIdle to kRunning just before calling it; a freeze (under the lock) moves kIdle to
// kBarred, and the work then does not begin until an unfreeze returns it to kIdle. So a
// freeze knows, without waiting for the strand, whether it still holds the work back:
// plain work that began cannot be paused, and is not called frozen.
enum class RunGate : unsigned char { kIdle, kRunning, kBarred };

struct EventDetails {
  Text goal;
  std::vector<SourceWeight> sources;
  std::vector<Activant> activants;
  std::vector<Passivant> passivants;
  std::string payload;
  Duration extension_step = Duration::zero();
  std::optional<Duration> start_within;
  std::vector<Extension> extensions;
  std::optional<TimePoint> orphan_deadline;  // Set while orphaned.
  Text end_text;                             // Why it ended, when not by its own work.
  std::shared_ptr<CoroutineState> co;        // Shared with posted wake-ups and the coroutine.
  std::optional<QuorumRule> quorum;          // The signatures it needs, if any.
  std::vector<SourceId> signed_by;           // Sources whose signature verified.
  std::vector<EventChange> history;          // What its source changed, oldest first.
  // Its source changed its due time, allowable duration, goal or payload: the journal
  // keeps them beside the body as scheduled.
  bool modified = false;
  // Of `granted`, what its source gave (AgentSource::GrantMoreTime), in how many grants:
  // the agent's ExtensionPolicy bounds the rest only.
  Duration granted_by_source = Duration::zero();
  int source_grants = 0;
  // Its agent is deciding a request for more time (Agent::OnExtensionRequest): no deadline
  // meanwhile. Work that returned late waits for the answer with its result.
  bool asking = false;
  std::optional<Result<Text>> late_result;
  TimePoint finished_at{};  // When the work returned, with `late_result`.

  // Spawn tree among live events (a Past parent hands its children to its own parent).
  EventId parent_id;
  EventNode* parent = nullptr;
  EventNode* first_child = nullptr;
  EventNode* next_sibling = nullptr;

  TimePoint frozen_since{};                  // Meaningful while frozen and Current.
  Duration granted = Duration::zero();       // Extensions granted so far.
  Duration frozen_total = Duration::zero();  // Time frozen while Current, closed periods.
};

// Two cache lines, aligned: a node is visited in due order, a likely cache miss, and each
// line more is another miss to wait for (and more memory written per scheduled event).
struct alignas(64) EventNode {
  // First line: what waking an event reads.
  EventId id;
  std::uint32_t wake_gen = 0;    // Queue entries with another generation are stale.
  std::uint32_t queue_refs = 0;  // Queue entries (live or stale) that point here.
  TimePoint due{};
  AgentCore* agent = nullptr;
  const std::string* kind = nullptr;  // Interned by the scheduler; lives as long as it.
  std::unique_ptr<EventDetails> details;

  EventState state = EventState::kFuture;
  Outcome end_outcome = Outcome::kNone;  // Decided end (kill, time-out) awaiting the work.
  bool frozen_self = false;              // Frozen on its own (Agent::Freeze(EventId)).
  bool frozen = false;  // Effective: self, agent or orphaned. Kept by RefreshFrozen.
  bool orphaned = false;
  bool parked = false;                // Plain work that was frozen before it could run.
  bool queued = false;                // Has a live queue entry.
  bool dead = false;                  // Past; freed when queue_refs drops to zero.
  std::atomic<bool> stopping{false};  // Killed or timed out: the work should stop.
  bool revoked = false;  // The Sentinel withdrew its allow: frozen until it allows again.
  bool held = false;     // Waits for signatures (EventDetails::quorum): frozen until then.
  // Plain work only; in the byte that was padding.
  std::atomic<RunGate> run_gate{RunGate::kIdle};
  std::uint32_t pool_slab = 0;  // Set by EventNodePool: the slab that holds it.

  // Second line: what starting, running and ending it read.
  TimePoint created{};
  TimePoint started{};
  Duration allowable = Duration::max();
  Work work;

  EventDetails& Details() {
    if (!details) details = std::make_unique<EventDetails>();
    return *details;
  }
  bool coroutine() const { return work.index() == 2; }

  // Rarely set fields, kept in the details: their defaults when there are none.
  EventId parent_id() const { return details ? details->parent_id : EventId(); }
  EventNode* parent() const { return details ? details->parent : nullptr; }
  EventNode* first_child() const { return details ? details->first_child : nullptr; }
  EventNode* next_sibling() const { return details ? details->next_sibling : nullptr; }
  TimePoint frozen_since() const { return details ? details->frozen_since : TimePoint{}; }
  Duration granted() const { return details ? details->granted : Duration::zero(); }
  Duration frozen_total() const { return details ? details->frozen_total : Duration::zero(); }
};
// New fields go into EventDetails unless every event needs them (docs/benchmarks.md).
#if defined(__GLIBCXX__)
static_assert(sizeof(EventNode) == 128);  // With libstdc++'s 32-byte std::function.
#endif

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_EVENT_NODE_H_
