// TieredArchive: recent records in memory, every record in a hard archive for the long
// term; and OpenArchive(), which builds the configuration a host asks for (memory only,
// LevelDB only, or both).
//
// Appends go to a MemoryArchive that hands records over to the hard archive (normally a
// LevelDbArchive) by count and age, oldest first. A record is purged from memory only
// once the hard archive took it: if the hard archive fails, memory keeps the records,
// hand_over_status() reports the error, and later appends try again.
// Get() looks in memory first. QueryPage() first hands every waiting record over, then
// asks the hard archive, so one index answers and cursors are the hard archive's.
//
// Thread safety: every method is thread-safe.
#ifndef MAGENT_TIERED_ARCHIVE_H_
#define MAGENT_TIERED_ARCHIVE_H_

#include <memory>

#include "magent/archive.h"
#include "magent/leveldb_archive.h"

namespace magent {

class TieredArchive final : public PastEventArchive {
 public:
  // `memory.hand_over_to` is replaced by `hard`, which must not be null.
  TieredArchive(MemoryArchiveOptions memory, std::shared_ptr<PastEventArchive> hard);
  ~TieredArchive() override;

  // Takes the records into memory (and hands over what the policy says). A failing hard
  // archive does not fail the append: the records wait in memory.
  Status Append(std::vector<EventRecord>& records) override;
  Status AppendBatch(PastRecordBatch& batch) override;
  Result<EventRecord> Get(EventId id) const override;
  std::vector<EventRecord> Query(const ArchiveQuery& query) const override;
  // Fails with the hard archive's error when the waiting records cannot be handed over.
  Result<ArchivePage> QueryPage(const ArchiveQuery& query) const override;
  // Records in the hard archive plus those waiting in memory.
  std::size_t size() const override;

  Status HandOverAll();
  HandOverStatus hand_over_status() const;
  const MemoryArchive& memory() const { return *memory_; }
  PastEventArchive& hard() const { return *hard_; }

 private:
  std::shared_ptr<PastEventArchive> hard_;
  std::unique_ptr<MemoryArchive> memory_;
};

// Which archives hold Past records.
enum class ArchiveMode {
  kMemory,   // A MemoryArchive: recent records only, purged by its rules.
  kLevelDb,  // A LevelDbArchive: every record on disk.
  kTiered,   // A TieredArchive: recent ones in memory, every one on disk.
};

struct ArchiveOptions {
  ArchiveMode mode = ArchiveMode::kTiered;  // Default: both.
  MemoryArchiveOptions memory;              // For kMemory and kTiered.
  LevelDbArchiveOptions leveldb;            // For kLevelDb and kTiered.
};

// Builds the archive `options` asks for, e.g. for RuntimeOptions::archive. Fails as
// LevelDbArchive::Open does.
Result<std::shared_ptr<PastEventArchive>> OpenArchive(ArchiveOptions options);

}  // namespace magent

#endif  // MAGENT_TIERED_ARCHIVE_H_
