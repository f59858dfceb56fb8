// PastEventArchive: where every Past event ends up, and how to find it again.
//
// The runtime appends each event's final record as it becomes Past. MemoryArchive keeps
// recent records in memory, purged by count and age, and can hand them over to a hard
// archive by policy; LevelDbArchive (leveldb_archive.h) is the hard archive for long-term
// search, and TieredArchive (tiered_archive.h) puts the two together.
//
// Thread safety: implementations must be thread-safe.
#ifndef MAGENT_ARCHIVE_H_
#define MAGENT_ARCHIVE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "magent/clock.h"
#include "magent/event.h"
#include "magent/ids.h"
#include "magent/past_record_batch.h"
#include "magent/status.h"

namespace magent {

// Filters combine with AND; unset ones match everything. Results come newest first (see
// each archive for its exact order), a page at a time.
struct ArchiveQuery {
  std::optional<AgentId> agent;
  // The events of the agents this source owns (EventRecord::agent_source), whoever else
  // stands behind them.
  std::optional<SourceId> source;
  // The events this source stands behind: those that list it among their weighted sources
  // (EventRecord::sources), or whose list is empty and whose agent it owns (an empty list
  // means the agent's source alone). Those are the sources whose weight counts toward a
  // quorum, not the ones that signed.
  std::optional<SourceId> backed_by;
  std::optional<std::string> kind;
  // Kinds left out: a record is left out when its kind is one of these or lies under one
  // in the dotted hierarchy ("sentinel" leaves out "sentinel" and "sentinel.decision", but
  // not "sentinels"). Default: none.
  std::vector<std::string> not_kinds;
  std::optional<Outcome> outcome;
  std::optional<TimePoint> finished_from;   // Inclusive.
  std::optional<TimePoint> finished_until;  // Exclusive.
  // A piece of the goal's or the result's English text, matched without regard to case
  // (ASCII letters).
  std::optional<std::string> text;
  // Where the page starts: the `next_cursor` of the previous page of the same query, or
  // empty for the newest records. Opaque, and only meaningful to the archive that made it.
  std::string cursor;
  std::size_t limit = 100;  // Most records per page. Default: 100.
};

struct ArchivePage {
  std::vector<EventRecord> records;  // Newest first.
  // Asks for the next page (put it in ArchiveQuery::cursor). Empty when no record is left.
  // Records appended meanwhile do not shift later pages: they are newer than the cursor.
  std::string next_cursor;
};

class PastEventArchive {
 public:
  virtual ~PastEventArchive() = default;
  // Takes the records, leaving `records` empty. They must be Past. On error nothing was
  // taken and `records` is unchanged, so the caller can retry them. Taking the vector lets
  // an archive keep a whole batch without moving each record; it may leave capacity in
  // `records` (storage it no longer needs) for the caller to fill again.
  virtual Status Append(std::vector<EventRecord>& records) = 0;
  // The runtime appends through this. Takes the batch's records, leaving `batch` empty
  // with its storage; they must be Past. On error nothing was taken and `batch` is
  // unchanged. The default decodes each record and calls Append(); archives that keep
  // records encoded (MemoryArchive) take the batch's bytes as they are.
  virtual Status AppendBatch(PastRecordBatch& batch);
  // NotFound if the archive does not hold it (never archived, or purged).
  virtual Result<EventRecord> Get(EventId id) const = 0;
  // The first `query.limit` records matching `query`, from `query.cursor` on: the records
  // of QueryPage(), or none when it fails (QueryPage says why).
  virtual std::vector<EventRecord> Query(const ArchiveQuery& query) const = 0;
  // A page of the records matching `query`. InvalidArgument for a cursor the archive
  // cannot read; Corruption or Unavailable when its storage fails. The default pages
  // over Query(): the cursor names the last record returned, so each page reads every
  // newer record again. Archives that can do better override it.
  virtual Result<ArchivePage> QueryPage(const ArchiveQuery& query) const;
  // Records held now.
  virtual std::size_t size() const = 0;
  // Writes what the archive took but keeps only in memory for a later write (records
  // waiting for a hand-over) to the storage it keeps for the long term, so that they
  // outlive the process. Runtime::Shutdown calls it. On error the records stay where they
  // were and the storage's error says why. Default: OK (every record is stored as it is
  // appended).
  virtual Status Flush() { return Status::OK(); }
};

struct MemoryArchiveOptions {
  // Most records kept; the oldest go first. Default: 100000.
  std::size_t max_events = 100000;
  // Records that finished this long before the newest one are dropped. Default: unlimited.
  Duration max_age = Duration::max();
  // The archive records are handed over to for the long term (e.g. a LevelDbArchive),
  // oldest first. A record is purged only once it was handed over, so while the hard
  // archive fails, memory keeps everything and hand_over_status() says why.
  // Default: none (memory only; purging drops records).
  std::shared_ptr<PastEventArchive> hand_over_to;
  // With `hand_over_to`: hand over when this many records wait. Default: 1000.
  std::size_t hand_over_count = 1000;
  // With `hand_over_to`: hand over when the oldest waiting record finished this long
  // before the newest one. Default: unlimited.
  Duration hand_over_age = Duration::max();
};

struct HandOverStatus {
  std::uint64_t handed = 0;  // Records handed over so far.
  std::size_t waiting = 0;   // Records held that were not handed over yet.
  Status last_error;         // Of the latest hand-over; OK once one succeeds.
};

// A bounded archive in memory, for the short term. It keeps each record encoded in a
// compact private form (a fraction of an EventRecord's size) in large chunks it reuses,
// and decodes it again for Get, Query and the hand-over; the oldest go first. Append
// leaves `records` empty with its capacity, for the caller to fill again; AppendBatch
// copies the batch's records as they are encoded and leaves it empty with its storage.
// Memory holds up to `max_events` records, plus the free ends of its chunks and two spare
// chunks (1 MiB each at most), and more while records wait for a failing hard archive.
// The id index is built on the first Get.
// Query() pages by arrival order; its cursors stay valid while records are appended, and
// a page ends early where the records after the cursor were purged.
// Hand-over runs inside Append and AppendBatch (and HandOverAll) while the archive's lock
// is held, so the hard archive's write time is felt by the appender.
class MemoryArchive final : public PastEventArchive {
 public:
  explicit MemoryArchive(MemoryArchiveOptions options = {});
  ~MemoryArchive() override;

  Status Append(std::vector<EventRecord>& records) override;
  Status AppendBatch(PastRecordBatch& batch) override;
  Result<EventRecord> Get(EventId id) const override;
  std::vector<EventRecord> Query(const ArchiveQuery& query) const override;
  Result<ArchivePage> QueryPage(const ArchiveQuery& query) const override;
  std::size_t size() const override;
  // Records dropped by the purge rules so far.
  std::uint64_t purged() const;
  // Hands every waiting record over now (then purges by the rules). OK at once without
  // `hand_over_to`; otherwise the hard archive's error, and the records stay waiting.
  Status HandOverAll();
  // HandOverAll(), then the hard archive's Flush().
  Status Flush() override;
  HandOverStatus hand_over_status() const;

 private:
  struct Impl;
  const std::unique_ptr<Impl> impl_;
};

}  // namespace magent

#endif  // MAGENT_ARCHIVE_H_
