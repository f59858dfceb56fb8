// Journal: what a durable runtime writes so that a restart restores it, and the seam
// between the runtime and the storage behind it (src/archive/leveldb_journal.h).
//
// Entries: a source and an agent as they are now, clearances included (rewritten on every
// change); an event's body as scheduled (written once, with the highest event id issued so
// far) and its state (agent, own freeze, start, what the Sentinel decided: revoked, the
// quorum it waits for, the sources that signed; and what its source changed, with the
// event's history), rewritten when that changes and written with the body when the event
// is held from the start; an event is erased once its Past record is in the archive.
// Writes are staged in order and reach the storage at Commit(), in that order.
//
// Thread safety: Stage* calls are thread-safe; the runtime makes them under its model
// lock, so the staging order is the order of the changes. StageErase is the exception: it
// follows the archive's append, outside the lock, but an event is erased only after it
// ended, so after every other write of it was staged. Commit() is thread-safe and runs
// outside the lock: batches are written in the order they were staged, and when Commit
// returns, everything staged before it was called is written (or kept for the next
// Commit, if the write failed).
#ifndef MAGENT_SRC_CORE_JOURNAL_H_
#define MAGENT_SRC_CORE_JOURNAL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "magent/agent.h"
#include "magent/agent_source.h"
#include "magent/event.h"
#include "magent/ids.h"
#include "magent/journal.h"
#include "magent/sentinel.h"
#include "magent/status.h"

namespace magent::internal {

struct JournalSource {
  SourceId id;
  std::string name;
  bool anonymous = false;
  bool alive = true;
  Clearance clearance = Clearance::kHigh;  // SourceOptions::clearance.
  // It was given a signing key, which the key store (JournalOptions::keys) keeps.
  bool signs = false;
};

struct JournalAgent {
  AgentId id;
  SourceId source;
  std::string type;      // Registered agent type; empty for a plain Agent.
  AgentOptions options;  // `clearance`: what its source grants it now.
  AgentState state = AgentState::kActive;
  TimePoint created{};
  TimePoint since{};
  Text reason;
  bool source_gone = false;
  bool frozen_by_source = false;
  std::optional<Text> retired_reason;
};

// What its source changed of a Future event (AgentSource::ModifyEvent): the values now,
// which replace the body's as scheduled when it is restored.
struct JournalModified {
  TimePoint due{};
  Duration allowable = Duration::max();
  Text goal;
  std::string payload;
};

// What of a live event changes after it was scheduled.
struct JournalEventState {
  AgentId agent;  // The agent that answers for it now (adoption changes it).
  bool frozen_self = false;
  TimePoint started{};  // Epoch unless it was Current.
  // The Sentinel withdrew its allow (a clearance was lowered): frozen until it allows again.
  bool revoked = false;
  // The signatures it needs (a held event), and the sources whose signature verified.
  std::optional<QuorumRule> quorum;
  std::vector<SourceId> signed_by;
  // Set once its source changed it; see ApplyModified (archive/journal_codec.h).
  std::optional<JournalModified> modified;
  std::vector<EventChange> history;  // EventRecord::history.
};

// An event as restored: its body (as scheduled) and its latest state.
struct JournalEvent : JournalEventState {
  EventId id;
  EventId parent;
  TimePoint created{};
  TimePoint due{};
  EventSpec spec;  // Without work; `due` is the effective due time.
};

struct JournalContents {
  std::vector<JournalSource> sources;  // In id order, as are the next two.
  std::vector<JournalAgent> agents;
  std::vector<JournalEvent> events;
  std::uint64_t last_event_id = 0;  // The highest event id ever issued.
};

class Journal {
 public:
  virtual ~Journal() = default;

  // Everything the journal holds. Corruption for an entry it cannot read.
  virtual Status Load(JournalContents& out) = 0;

  virtual void StageSource(const JournalSource& source) = 0;
  virtual void StageAgent(const JournalAgent& agent) = 0;
  // `body` from EncodeEventBody; also records `id` as the highest event id issued. An
  // event held from the start comes with its `state`, in the same write: a crash cannot
  // keep the event without what holds it.
  virtual void StageEventBody(EventId id, std::string&& body, const JournalEventState* state) = 0;
  // Records `id` as the highest event id issued, for a record that is no event (a
  // Sentinel decision).
  virtual void StageLastEventId(EventId id) = 0;
  virtual void StageEventState(EventId id, const JournalEventState& state) = 0;
  virtual void StageErase(const std::vector<EventId>& ids) = 0;
  // Writes what was staged. On error the writes are kept and retried by the next Commit.
  virtual Status Commit() = 0;
};

// The body of an event as Journal::StageEventBody takes it, made outside the model lock.
std::string EncodeEventBody(const EventSpec& spec, AgentId agent, EventId parent, TimePoint created,
                            TimePoint due);

// Opens (or makes) the LevelDB journal at `options.path`.
Result<std::unique_ptr<Journal>> OpenLevelDbJournal(const JournalOptions& options);

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_JOURNAL_H_
