// LevelDbArchive: the hard archive, for long-term search of Past events.
//
// Records live in a LevelDB database on disk, encoded with a class version so that
// archives written by an older magent stay readable. Secondary indexes by agent, source,
// kind, outcome and finish time let QueryPage() answer any combination of filters without
// reading every record; see docs/archive.md for the format and the query plan.
//
// Order: newest first by finish time; records that finished at the same time, the one
// appended later first. Cursors are positions in that order, so pages neither repeat nor
// skip records while others are appended.
//
// One process at a time may open a database (LevelDB locks it); a second Open fails with
// Unavailable.
//
// Thread safety: every method is thread-safe. Appends are serialized; queries run
// concurrently with them and each sees one consistent snapshot.
#ifndef MAGENT_LEVELDB_ARCHIVE_H_
#define MAGENT_LEVELDB_ARCHIVE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "magent/archive.h"

namespace magent {

struct LevelDbArchiveOptions {
  // Directory of the database. Required.
  std::string path;
  // Create the database when `path` holds none; otherwise Open fails with NotFound.
  // Default: true.
  bool create_if_missing = true;
  // Sync each append to disk before it returns, so a machine crash loses no acknowledged
  // record (a process crash loses nothing either way). Costs a disk flush per append;
  // docs/archive.md has the measured price. Default: false.
  bool sync = false;

  // Memory for LevelDB's cache of uncompressed blocks. Default: 8 MiB.
  std::size_t block_cache_bytes = 8 << 20;
  // Bytes buffered in memory before LevelDB writes a sorted file; larger is faster for
  // bulk appends and slower to reopen. Must be within [64 KiB, 1 GiB]. Default: 4 MiB.
  std::size_t write_buffer_bytes = 4 << 20;
};

class LevelDbArchive final : public PastEventArchive {
 public:
  // Opens (or creates) the archive. InvalidArgument for bad options, NotFound when there
  // is no database and `create_if_missing` is false, Unavailable when another process
  // holds it or the disk fails, Corruption when its files are damaged.
  static Result<std::unique_ptr<LevelDbArchive>> Open(LevelDbArchiveOptions options);
  ~LevelDbArchive() override;

  // Writes the records and their index entries in one atomic batch. On error nothing was
  // written and `records` is unchanged.
  Status Append(std::vector<EventRecord>& records) override;
  // The newest record of `id`. NotFound if never archived.
  Result<EventRecord> Get(EventId id) const override;
  std::vector<EventRecord> Query(const ArchiveQuery& query) const override;
  Result<ArchivePage> QueryPage(const ArchiveQuery& query) const override;
  std::size_t size() const override;

  const LevelDbArchiveOptions& options() const;

 private:
  struct Impl;
  explicit LevelDbArchive(std::unique_ptr<Impl> impl);
  const std::unique_ptr<Impl> impl_;
};

}  // namespace magent

#endif  // MAGENT_LEVELDB_ARCHIVE_H_
