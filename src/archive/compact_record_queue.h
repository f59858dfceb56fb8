// A first-in first-out queue of records in their compact form (compact_record.h), for
// MemoryArchive. Records are written one after another into large chunks; a chunk whose
// records were all popped is kept for the next ones rather than freed, so a long-running
// archive writes into memory that is already mapped.
//
// Thread safety: none; the archive's lock guards it.
#ifndef MAGENT_SRC_ARCHIVE_COMPACT_RECORD_QUEUE_H_
#define MAGENT_SRC_ARCHIVE_COMPACT_RECORD_QUEUE_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

#include "archive/compact_record.h"

namespace magent::internal {

class CompactRecordQueue {
 public:
  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  // The encoded record `i` places from the front; valid until it is popped.
  // REQUIRES: i < size().
  const char* operator[](std::size_t i) const { return records_[i]; }

  void PushBack(const RecordFields& record);
  // Adds a record already encoded (compact_record.h), as it is.
  void PushBackEncoded(std::string_view encoded);
  // REQUIRES: !empty().
  void PopFront();

 private:
  struct Chunk {
    std::unique_ptr<char[]> bytes;
    std::size_t capacity = 0;
    std::size_t used = 0;
    std::size_t records = 0;  // Written into it.
  };

  // A chunk with room for `size` bytes: a spare one if it fits, else a new one.
  Chunk TakeChunk(std::size_t size);
  // Where a record of at most `size` bytes is written: the back chunk, or a new one.
  char* Room(std::size_t size);
  // Counts the record written at `at`, ending at `end`.
  void Commit(char* at, const char* end);

  std::deque<Chunk> chunks_;      // Oldest first; records are written to the back one.
  std::size_t front_popped_ = 0;  // Records of chunks_.front() popped.
  std::deque<const char*> records_;
  std::vector<Chunk> spare_;  // Emptied chunks, for reuse.
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_COMPACT_RECORD_QUEUE_H_
