// Journal: what a durable runtime writes so that a restart restores it, and the seam
// between the runtime and the storage behind it (src/archive/leveldb_journal.h).
//
// Entries: a source and an agent as they are now (rewritten on every change); an event's
// body as scheduled (written once, with the highest event id issued so far) and its state
// (agent, own freeze, start), rewritten when that changes; an event is erased once its
// Past record is in the archive. Writes are staged in order and reach the storage at
// Commit(), in that order.
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
#include "magent/status.h"

namespace magent::internal {

struct JournalSource {
  SourceId id;
  std::string name;
  bool anonymous = false;
  bool alive = true;
};

struct JournalAgent {
  AgentId id;
  SourceId source;
  std::string type;  // Registered agent type; empty for a plain Agent.
  AgentOptions options;
  AgentState state = AgentState::kActive;
  TimePoint created{};
  TimePoint since{};
  Text reason;
  bool source_gone = false;
  bool frozen_by_source = false;
  std::optional<Text> retired_reason;
};

// An event as restored: its body (as scheduled) and its latest state.
struct JournalEvent {
  EventId id;
  EventId parent;
  AgentId agent;  // The agent that answers for it now (adoption changes it).
  TimePoint created{};
  TimePoint due{};
  TimePoint started{};  // Epoch unless it was Current.
  bool frozen_self = false;
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
  // `body` from EncodeEventBody; also records `id` as the highest event id issued.
  virtual void StageEventBody(EventId id, std::string&& body) = 0;
  // Records `id` as the highest event id issued, for a record that is no event (a
  // Sentinel decision).
  virtual void StageLastEventId(EventId id) = 0;
  virtual void StageEventState(EventId id, AgentId agent, bool frozen_self, TimePoint started) = 0;
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
