#include "archive/compact_record_queue.h"

#include <algorithm>
#include <cstring>

namespace magent::internal {
namespace {

// Chunks start small (an archive may hold a handful of records) and double up to a size
// where allocating one is rare and wasting the unused end of one is not.
constexpr std::size_t kFirstChunk = std::size_t{16} << 10;
constexpr std::size_t kLargestChunk = std::size_t{1} << 20;
// Spare chunks kept: a steady stream pops about one chunk for each one it fills.
constexpr std::size_t kMostSpares = 2;

}  // namespace

CompactRecordQueue::Chunk CompactRecordQueue::TakeChunk(std::size_t size) {
  auto fits = std::find_if(spare_.begin(), spare_.end(),
                           [size](const Chunk& c) { return c.capacity >= size; });
  if (fits != spare_.end()) {
    Chunk chunk = std::move(*fits);
    spare_.erase(fits);
    return chunk;
  }
  const std::size_t grown =
      chunks_.empty() ? kFirstChunk : std::min(chunks_.back().capacity * 2, kLargestChunk);
  Chunk chunk;
  chunk.capacity = std::max(grown, size);
  chunk.bytes = std::make_unique_for_overwrite<char[]>(chunk.capacity);
  return chunk;
}

char* CompactRecordQueue::Room(std::size_t size) {
  if (chunks_.empty() || chunks_.back().capacity - chunks_.back().used < size) {
    if (!chunks_.empty() && chunks_.back().records == 0) {
      // The only chunk, emptied and too small: PopFront counts on no chunk being empty.
      chunks_.back() = TakeChunk(size);
    } else {
      chunks_.push_back(TakeChunk(size));
    }
  }
  Chunk& chunk = chunks_.back();
  return chunk.bytes.get() + chunk.used;
}

void CompactRecordQueue::Commit(char* at, const char* end) {
  Chunk& chunk = chunks_.back();
  chunk.used = static_cast<std::size_t>(end - chunk.bytes.get());
  ++chunk.records;
  records_.push_back(at);
}

void CompactRecordQueue::PushBack(const RecordFields& record) {
  char* at = Room(CompactSizeBound(record));
  Commit(at, EncodeCompact(record, at));
}

void CompactRecordQueue::PushBackEncoded(std::string_view encoded) {
  char* at = Room(encoded.size());
  std::memcpy(at, encoded.data(), encoded.size());
  Commit(at, at + encoded.size());
}

void CompactRecordQueue::PopFront() {
  records_.pop_front();
  if (++front_popped_ < chunks_.front().records) return;
  Chunk emptied = std::move(chunks_.front());
  chunks_.pop_front();
  front_popped_ = 0;
  emptied.used = 0;
  emptied.records = 0;
  if (chunks_.empty()) {
    chunks_.push_back(std::move(emptied));  // Written to again from its start.
  } else if (spare_.size() < kMostSpares) {
    spare_.push_back(std::move(emptied));
  }
}

}  // namespace magent::internal
