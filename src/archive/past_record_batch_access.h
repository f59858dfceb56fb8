// What magent's own code reads and writes of a PastRecordBatch beyond its public methods:
// records encoded from their fields (the scheduler's event nodes), and the encoded bytes
// (MemoryArchive keeps them as they are).
#ifndef MAGENT_SRC_ARCHIVE_PAST_RECORD_BATCH_ACCESS_H_
#define MAGENT_SRC_ARCHIVE_PAST_RECORD_BATCH_ACCESS_H_

#include <cstddef>
#include <string_view>

#include "archive/compact_record.h"
#include "magent/past_record_batch.h"

namespace magent::internal {

struct PastRecordBatchAccess {
  // Adds the record of `fields` after the batch's records.
  static void Add(PastRecordBatch& batch, const RecordFields& fields);
  // Record `i` as compact_record.h encodes it. REQUIRES: i < batch.size().
  static std::string_view Encoded(const PastRecordBatch& batch, std::size_t i);
  // Bytes the batch can hold without growing.
  static std::size_t Capacity(const PastRecordBatch& batch) { return batch.capacity_; }
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_PAST_RECORD_BATCH_ACCESS_H_
