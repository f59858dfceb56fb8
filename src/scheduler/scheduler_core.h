// SchedulerCore: the EventScheduler of a runtime.
//
// Every Future event waits in one WakeQueue behind one Timer armed for the earliest key;
// Current events put their deadline (start + allowable + extensions + time frozen) in the
// same queue, and frozen or orphaned events their expiry. When the timer fires, due
// entries are popped in batches; started events are grouped by agent and each group is
// posted once to that agent's strand.
//
// Thread safety: public methods lock RuntimeCore::mu themselves unless named *Locked, in
// which case they REQUIRE it. The work of an event runs without the lock.
#ifndef MAGENT_SRC_SCHEDULER_SCHEDULER_CORE_H_
#define MAGENT_SRC_SCHEDULER_SCHEDULER_CORE_H_

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "archive/compact_record.h"
#include "core/journal.h"
#include "core/signal.h"
#include "magent/past_record_batch.h"
#include "magent/scheduler.h"
#include "magent/sentinel.h"
#include "scheduler/event_node.h"
#include "scheduler/event_node_pool.h"
#include "scheduler/live_index.h"
#include "scheduler/wake_queue.h"

namespace magent::internal {

class RuntimeCore;
class AgentCore;
class SourceCore;
struct Effects;

class SchedulerCore final : public EventScheduler {
 public:
  explicit SchedulerCore(RuntimeCore* rt);
  ~SchedulerCore() override;

  boost::signals2::connection OnTransition(std::function<void(const Transition&)> slot) override;
  boost::signals2::connection OnPastUnmasked(std::function<void(const EventRecord&)> slot) override;
  Result<EventRecord> SnapshotUnmasked(EventId id) const override;
  SchedulerCounts Counts() const override;

  // Authorizes and schedules an event of `agent`, a child of `parent` if set.
  Result<EventId> Schedule(AgentCore& agent, EventSpec&& spec, EventId parent);
  // Emits the signals for `fx`'s transitions and Past records, then hands the records to
  // the archive. Called again from inside one of these slots (on the same thread), it
  // queues them behind the ones being emitted. REQUIRES: mu not held.
  void Publish(Effects& fx);
  // Archive appends that failed (the records are kept for the next append). Thread-safe.
  std::uint64_t archive_failures() const;
  // Appends the records the archive refused so far (Runtime::Shutdown's last try). The
  // archive's error, with how many records it refused, when it refuses them again; they
  // are still kept. Thread-safe; REQUIRES: mu not held.
  Status ArchiveRefused();
  // Ends every live event Past because the runtime stops (a runtime without a journal):
  // Future ones cancelled, Current ones interrupted, ones already ending as they were
  // asked to end.
  void EndAllLocked(TimePoint now, Effects& fx);
  // Stops the timer and frees every live event, without archiving them.
  void Shutdown();

  EventNode* FindLocked(EventId id) const;
  // The live events of `agent`, oldest first. A scan of every live event: agent-wide
  // changes are rare, and no per-agent list has to be kept on the hot path.
  std::vector<EventNode*> LiveOfLocked(const AgentCore& agent) const;
  // Ends `node` and its live spawn: Future ones at once, Current ones when their work
  // returns. `outcome` is kKilled or kCancelled.
  void KillLocked(EventNode* node, Outcome outcome, const Text& why, TimePoint now, Effects& fx);
  // Recomputes whether `node` is frozen (itself, its agent, orphaned, revoked, held) and
  // applies it. Current plain work that already began cannot be paused: it stays unfrozen
  // and ends when its work returns.
  void RefreshFrozenLocked(EventNode* node, TimePoint now, Effects& fx);
  void OrphanLocked(EventNode* node, TimePoint now, Effects& fx);
  // Moves `node` and its live spawn to agent `to`, which now answers for them.
  void AdoptLocked(EventNode* node, AgentCore& to, TimePoint now, Effects& fx);
  // Ends a held `node` of a retired agent, and its spawn, as killed: no one is left to
  // sign for it.
  void EndUnsignableLocked(EventNode* node, TimePoint now, Effects& fx);
  // Stages `node`'s state (agent, own freeze, start, and what the Sentinel decided:
  // revoked, quorum, signatures) in the journal, if there is one.
  void JournalStateLocked(const EventNode& node);
  // Adds a restored event to the scheduler. `work` is its rebuilt work (monostate for one
  // that ends at once); the caller ends it or lets it run. REQUIRES: `entry`'s parent, if
  // live, was restored before it.
  EventNode* RestoreLocked(JournalEvent& entry, AgentCore& agent, Work work, TimePoint now,
                           Effects& fx);
  // Ends a restored event at once (missed, interrupted, not rebuildable); `started` is
  // when it started before the restart, or epoch if it never did.
  void EndRestoredLocked(EventNode* node, Outcome outcome, Text why, TimePoint started,
                         TimePoint now, Effects& fx);
  // Event ids continue above `last`.
  void ContinueIdsLocked(std::uint64_t last) { next_id_ = std::max(next_id_, last); }

  // Asks the agent's extension policy for `more` time, of which the agent would grant
  // `agent_grants` (Agent::OnExtensionRequest); returns what it granted (zero when
  // refused) and records the request.
  Duration ExtendLocked(EventNode* node, Duration more, TimePoint now,
                        Duration agent_grants = Duration::max());

  // Asks the Sentinel again about `agent`'s Future events (its clearance changed): those
  // it now denies are frozen as revoked (their ids added to `revoked`), those it allows
  // again thaw. Every changed decision is recorded.
  void ReauthorizeLocked(AgentCore& agent, TimePoint now, Effects& fx,
                         std::vector<EventId>& revoked);

  // AgentSource::ModifyEvent by `source`; `work` is the work built again from a changed
  // payload (monostate when the payload does not change).
  Status ModifyLocked(EventId id, const SourceCore& source, EventModification& change, Work&& work,
                      Effects& fx);
  // AgentSource::GrantMoreTime by `source`.
  Status GrantMoreTimeLocked(EventId id, const SourceCore& source, Duration more);

  // AgentSource::Sign and RevokeSignature.
  Status SignLocked(EventId id, const SourceCore& signer, std::string_view signature, Effects& fx);
  Status RevokeSignatureLocked(EventId id, const SourceCore& signer, Effects& fx);

  // EventContext::RequestExtension for `node`.
  Result<Duration> RequestExtension(EventNode* node, Duration more);
  RuntimeCore& runtime() const { return *rt_; }

  // Await points of coroutine work. REQUIRE: on the node's agent's strand.
  boost::asio::awaitable<Status> Checkpoint(EventNode* node);
  boost::asio::awaitable<Status> SleepFor(EventNode* node, Duration d);

 private:
  using Queue = WakeQueue<EventNode>;

  // Makes `spec` a Future event (the Sentinel allowed it), journaled with `journal_body`
  // on a durable runtime, and returns its id.
  EventId AdmitLocked(AgentCore& agent, EventSpec&& spec, const std::string* kind,
                      EventNode* parent_node, const std::optional<QuorumRule>& quorum,
                      TimePoint now, TimePoint due, std::string&& journal_body, Effects& fx);
  // The weight of `node`'s sources among `signers`.
  static double SignedWeight(const EventNode& node, const std::vector<SourceId>& signers);
  // The event `node` is, as a spec the Sentinel is asked about (no work).
  static EventSpec SpecOfLocked(const EventNode& node);
  // Queues the agent's OnEventEnded hook with `record`, if it listens and is not gone.
  void HearEndLocked(const EventNode& node, const RecordFields& record, Effects& fx);
  // True while `node`, which has a quorum, lacks signatures to reach it.
  static bool UnsignedLocked(const EventNode& node);
  // What the journal keeps of `node` beyond its body.
  static JournalEventState StateOfLocked(const EventNode& node);
  // Holds or releases a node with a quorum after its signatures changed.
  void UpdateHeldLocked(EventNode* node, TimePoint now, Effects& fx);
  // Adds the Past record of a Sentinel decision to `fx`; it counts as Past.
  void RecordDecisionLocked(const AgentCore& agent, const EventSpec& spec, EventId parent,
                            const Decision& decision, TimePoint now, Effects& fx);
  void OnTimer();
  void WakeLocked(EventNode* node, TimePoint now, Effects& fx, std::vector<EventNode*>& starts);
  void StartLocked(EventNode* node, TimePoint now, Effects& fx, std::vector<EventNode*>& starts);
  void DispatchLocked(std::vector<EventNode*>& starts, Effects& fx);
  void RunPlain(const std::vector<EventNode*>& batch);
  // True when a freeze of `node` holds it back: anything but Current plain work that
  // began. Bars plain work whose strand has yet to begin it.
  static bool HoldBackLocked(EventNode& node);
  // Plain work RunPlain found barred: it ends if it was stopped, waits if still frozen,
  // and runs if unfrozen since.
  void BarredLocked(EventNode* node, TimePoint now, Effects& fx);
  void RunCoroutine(EventNode* node);
  boost::asio::awaitable<void> CoroutineMain(EventNode* node);
  void CompleteLocked(EventNode* node, Result<Text>&& result, TimePoint now, Effects& fx);
  // Extends `node` until its deadline is after `now` (or, for work that `finished` at
  // `now`, not before it: ending exactly at the deadline is in time); false when refused
  // (it then times out).
  bool ExtendPastLocked(EventNode* node, TimePoint now, bool finished, Effects& fx);
  void RequestEndLocked(EventNode* node, Outcome outcome, Text why, TimePoint now, Effects& fx);
  // Ends `node` as timed out: it asked for `step` more and was refused.
  void TimeOutLocked(EventNode* node, Duration step, TimePoint now, Effects& fx);
  // True when `node`'s agent decides extensions itself (Agent::OnExtensionRequest).
  static bool AgentDecidesLocked(const EventNode& node);
  // Asks `node`'s agent, on its strand, for `step` more (AskAgent); no deadline meanwhile.
  void AskLocked(EventNode* node, Duration step, Effects& fx);
  void AskAgent(EventNode* node, Duration step);
  // Applies the agent's answer (`grants` of `step`) to `node`, and the work's late
  // result if it waited for it.
  void AnswerLocked(EventNode* node, Duration step, Duration grants, TimePoint now, Effects& fx);
  void EndLocked(EventNode* node, Outcome outcome, Text&& why, TimePoint now, Effects& fx);
  // Appends `past` to the archive behind the records it refused before, then erases them
  // from the journal; on failure keeps them all for the next try. Leaves `past` empty.
  // REQUIRES: unarchived_mu_ held.
  Status ArchiveLocked(PastRecordBatch& past);
  // Makes `node` the newest child of `parent` in the spawn tree.
  static void LinkChildLocked(EventNode* node, EventNode* parent);
  // Takes an ending `node` out of the spawn tree; its children move up to its parent.
  static void UnlinkFromTreeLocked(EventNode* node);

  // The queue key of when `node` must be woken next, or kNoWake.
  std::uint64_t NextWakeLocked(const EventNode& node) const;
  static constexpr std::uint64_t kNoWake = std::numeric_limits<std::uint64_t>::max();
  void RearmLocked(EventNode* node);
  void ArmTimerLocked();
  void ReleaseEntryLocked(EventNode* node);
  void MaybeCompactLocked();
  // Queues the transition for the signal, if anyone listens (checked inline: three times
  // in every event's life).
  void TransitionLocked(const EventNode& node, EventState from, EventState to, Outcome outcome,
                        TimePoint now, Effects& fx) {
    if (on_transition_.used()) AddTransitionLocked(node, from, to, outcome, now, fx);
  }
  void AddTransitionLocked(const EventNode& node, EventState from, EventState to, Outcome outcome,
                           TimePoint now, Effects& fx);
  // The fields of `node`'s record at `now`, by reference into the node.
  RecordFields FieldsLocked(const EventNode& node, TimePoint now) const;
  const std::string* InternLocked(const std::string& kind);

  RuntimeCore* const rt_;
  CheapSignal<void(const Transition&)> on_transition_;
  CheapSignal<void(const EventRecord&)> on_past_;

  // Guarded by rt_->mu:
  EventNodePool pool_;  // Outlives every node: members go after the destructor's Shutdown().
  LiveIndex<EventNode> live_;
  Queue queue_;
  std::size_t stale_ = 0;  // Queue entries that no longer count.
  std::vector<Queue::Entry> due_;
  std::unordered_set<std::string> kinds_;
  const std::string* last_kind_ = nullptr;  // The kind interned last, in kinds_.
  std::uint64_t next_id_ = 0;
  std::unique_ptr<Timer> timer_;
  std::optional<std::uint64_t> armed_;  // Key the timer is armed for.
  // Nodes whose agent is deciding an extension, each holding one reference until then.
  std::unordered_set<EventNode*> asked_;
  SchedulerCounts counts_;

  // Past records the archive refused, retried with the next append, so none is lost.
  mutable std::mutex unarchived_mu_;
  PastRecordBatch unarchived_;          // Guarded by unarchived_mu_.
  std::uint64_t archive_failures_ = 0;  // Guarded by unarchived_mu_.
  // Empty, with the storage an append left behind, for the next batch. Guarded by
  // unarchived_mu_.
  PastRecordBatch spare_records_;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_SCHEDULER_CORE_H_
