#include "magent/past_record_batch.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "archive/compact_record.h"
#include "archive/past_record_batch_access.h"

namespace magent {

// A moved-from batch is empty and has no storage.
PastRecordBatch::PastRecordBatch(PastRecordBatch&& other) noexcept
    : bytes_(std::move(other.bytes_)),
      capacity_(std::exchange(other.capacity_, 0)),
      ends_(std::move(other.ends_)) {
  other.ends_.clear();
}

PastRecordBatch& PastRecordBatch::operator=(PastRecordBatch&& other) noexcept {
  bytes_ = std::move(other.bytes_);
  capacity_ = std::exchange(other.capacity_, 0);
  ends_ = std::move(other.ends_);
  other.ends_.clear();
  return *this;
}

PastRecordBatch::PastRecordBatch(const PastRecordBatch& other) { Add(other); }

PastRecordBatch& PastRecordBatch::operator=(const PastRecordBatch& other) {
  if (this != &other) {
    Clear();
    Add(other);
  }
  return *this;
}

char* PastRecordBatch::Reserve(std::size_t size) {
  const std::size_t used_bytes = used();
  if (capacity_ - used_bytes < size) {
    // Doubles: a batch is filled one record at a time, then reused.
    const std::size_t capacity = std::max({capacity_ * 2, used_bytes + size, std::size_t{4096}});
    auto bytes = std::make_unique_for_overwrite<char[]>(capacity);
    if (used_bytes != 0) std::memcpy(bytes.get(), bytes_.get(), used_bytes);
    bytes_ = std::move(bytes);
    capacity_ = capacity;
  }
  return bytes_.get() + used_bytes;
}

void PastRecordBatch::Add(const EventRecord& record) {
  internal::PastRecordBatchAccess::Add(*this, internal::FieldsOf(record));
}

// Indexes rather than iterators, and sizes read first: `other` may be this batch.
void PastRecordBatch::Add(const PastRecordBatch& other) {
  if (other.empty()) return;
  const std::size_t offset = used();
  const std::size_t bytes = other.used();
  const std::size_t records = other.ends_.size();
  char* at = Reserve(bytes);
  std::memcpy(at, other.bytes_.get(), bytes);
  ends_.reserve(ends_.size() + records);
  for (std::size_t i = 0; i < records; ++i) ends_.push_back(offset + other.ends_[i]);
}

void PastRecordBatch::Clear() { ends_.clear(); }

EventId PastRecordBatch::id(std::size_t i) const { return internal::CompactId(At(i)); }

EventState PastRecordBatch::state(std::size_t i) const { return internal::CompactState(At(i)); }

void PastRecordBatch::Decode(std::size_t i, EventRecord& record) const {
  internal::DecodeCompact(At(i), record);
}

namespace internal {

void PastRecordBatchAccess::Add(PastRecordBatch& batch, const RecordFields& fields) {
  char* at = batch.Reserve(CompactSizeBound(fields));
  const char* end = EncodeCompact(fields, at);
  batch.ends_.push_back(batch.used() + static_cast<std::size_t>(end - at));
}

std::string_view PastRecordBatchAccess::Encoded(const PastRecordBatch& batch, std::size_t i) {
  const char* begin = batch.At(i);
  return {begin, static_cast<std::size_t>(batch.bytes_.get() + batch.ends_[i] - begin)};
}

}  // namespace internal
}  // namespace magent
