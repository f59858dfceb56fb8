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
// Exit: a runtime hands every waiting record over when it shuts down (Runtime::Shutdown,
// or its destructor, calls Flush()), so a clean exit loses none; Shutdown returns the hard
// archive's error if it cannot take them. A host that keeps a TieredArchive outside a
// runtime calls Flush() (or HandOverAll()) before it lets it go: destroying it drops what
// still waits. A process that dies loses the waiting records (at most `hand_over_count`,
// or `hand_over_age` of them).
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

  // Hands every waiting record over now. The hard archive's error when it cannot take
  // them; they stay waiting.
  Status HandOverAll();
  // HandOverAll(), then the hard archive's Flush().
  Status Flush() override;
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
