// The LevelDB write batch that appends records to the hard archive: each record and its
// index entries (archive_keys.h), then the counters. LevelDbArchive::Append writes it;
// the archive benchmark writes the same batch straight to LevelDB as its baseline.
#ifndef MAGENT_SRC_ARCHIVE_ARCHIVE_BATCH_H_
#define MAGENT_SRC_ARCHIVE_ARCHIVE_BATCH_H_

#include <leveldb/write_batch.h>

#include <cstdint>
#include <vector>

#include "magent/event.h"

namespace magent::internal {

// Adds `records` numbered from `first_sequence` on, and the counters as they will be once
// the batch is written: `count_before` records were held. Returns the next sequence.
std::uint64_t BuildAppendBatch(const std::vector<EventRecord>& records,
                               std::uint64_t first_sequence, std::uint64_t count_before,
                               leveldb::WriteBatch& batch);

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_ARCHIVE_BATCH_H_
