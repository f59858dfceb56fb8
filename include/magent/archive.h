// PastEventArchive: where every Past event ends up, and how to find it again.
//
// The runtime appends each event's final record as it becomes Past. MemoryArchive keeps
// recent records in memory, purged by count and age; the LevelDB hard archive implements
// the same interface for long-term search.
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
#include "magent/status.h"

namespace magent {

// Filters combine with AND; unset ones match everything. Results come newest first, in
// the order the events became Past.
struct ArchiveQuery {
  std::optional<AgentId> agent;
  std::optional<SourceId> source;  // Matches the agent's source or any event source.
  std::optional<std::string> kind;
  std::optional<Outcome> outcome;
  std::optional<TimePoint> finished_from;   // Inclusive.
  std::optional<TimePoint> finished_until;  // Exclusive.
  std::size_t limit = 100;                  // Default: 100.
};

class PastEventArchive {
 public:
  virtual ~PastEventArchive() = default;
  // Takes the records, leaving `records` empty. They must be Past. On error nothing was
  // taken and `records` is unchanged, so the caller can retry them. Taking the vector lets
  // an archive keep a whole batch without moving each record; it may leave capacity in
  // `records` (storage it no longer needs) for the caller to fill again.
  virtual Status Append(std::vector<EventRecord>& records) = 0;
  // NotFound if the archive does not hold it (never archived, or purged).
  virtual Result<EventRecord> Get(EventId id) const = 0;
  virtual std::vector<EventRecord> Query(const ArchiveQuery& query) const = 0;
  // Records held now.
  virtual std::size_t size() const = 0;
};

struct MemoryArchiveOptions {
  // Most records kept; the oldest go first. Default: 100000.
  std::size_t max_events = 100000;
  // Records that finished this long before the newest one are dropped. Default: unlimited.
  Duration max_age = Duration::max();
};

// A bounded archive in memory, for the short term. It keeps the appended batches as they
// come (no record is moved or copied on the way in) with an id index; the oldest go first.
// Memory may hold up to one batch more than `max_events` records, until that batch is
// wholly purged.
class MemoryArchive final : public PastEventArchive {
 public:
  explicit MemoryArchive(MemoryArchiveOptions options = {});
  ~MemoryArchive() override;

  Status Append(std::vector<EventRecord>& records) override;
  Result<EventRecord> Get(EventId id) const override;
  std::vector<EventRecord> Query(const ArchiveQuery& query) const override;
  std::size_t size() const override;
  // Records dropped by the purge rules so far.
  std::uint64_t purged() const;

 private:
  struct Impl;
  const std::unique_ptr<Impl> impl_;
};

}  // namespace magent

#endif  // MAGENT_ARCHIVE_H_
