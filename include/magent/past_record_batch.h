// PastRecordBatch: the records of events that became Past, on their way to an archive.
//
// The runtime hands its archive each batch of Past records in this form
// (PastEventArchive::AppendBatch): every record encoded in a compact binary form, one after
// another in one buffer. Building a full EventRecord for every event, and destroying it
// after, cost the scheduler more than the rest of the event's life: the scheduler writes
// the encoded form straight from its own state, MemoryArchive keeps the bytes as they are,
// and other archives read each record back with Decode().
//
// The encoding is private to one build of magent (no version, no byte-order promise):
// keep what Decode() gives, never the bytes.
//
// Thread safety: a value. Const methods may run on several threads at once.
#ifndef MAGENT_PAST_RECORD_BATCH_H_
#define MAGENT_PAST_RECORD_BATCH_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "magent/event.h"
#include "magent/ids.h"

namespace magent {

namespace internal {
struct PastRecordBatchAccess;
}  // namespace internal

class PastRecordBatch {
 public:
  // Inline: every call that may end an event makes (and mostly destroys unused) a batch.
  PastRecordBatch() = default;
  ~PastRecordBatch() = default;
  PastRecordBatch(const PastRecordBatch& other);
  PastRecordBatch& operator=(const PastRecordBatch& other);
  // A moved-from batch is empty, has no storage, and can be filled again.
  PastRecordBatch(PastRecordBatch&& other) noexcept;
  PastRecordBatch& operator=(PastRecordBatch&& other) noexcept;

  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }

  // Adds `record` after the others.
  void Add(const EventRecord& record);
  // Adds `other`'s records after these, in their order.
  void Add(const PastRecordBatch& other);
  // Forgets every record and keeps the storage, for the next records.
  void Clear();

  // Record `i`'s id and state, read without decoding it. REQUIRES: i < size().
  EventId id(std::size_t i) const;
  EventState state(std::size_t i) const;
  // Overwrites `record` with record `i`, reusing its strings' and lists' storage.
  // REQUIRES: i < size().
  void Decode(std::size_t i, EventRecord& record) const;

 private:
  friend struct internal::PastRecordBatchAccess;

  const char* At(std::size_t i) const { return bytes_.get() + (i == 0 ? 0 : ends_[i - 1]); }
  std::size_t used() const { return ends_.empty() ? 0 : ends_.back(); }
  // Room for `size` more bytes after the used ones; returns where they start.
  char* Reserve(std::size_t size);

  std::unique_ptr<char[]> bytes_;
  std::size_t capacity_ = 0;
  std::vector<std::size_t> ends_;  // Record i ends at ends_[i]; it starts where i-1 ends.
};

}  // namespace magent

#endif  // MAGENT_PAST_RECORD_BATCH_H_
