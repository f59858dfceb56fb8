#include <algorithm>
#include <boost/unordered/unordered_flat_map.hpp>
#include <charconv>
#include <mutex>

#include "archive/compact_record.h"
#include "archive/compact_record_queue.h"
#include "archive/past_record_batch_access.h"
#include "archive/record_filter.h"
#include "magent/archive.h"

namespace magent {

// Records are numbered by arrival: the oldest kept has number `purged`, the next one to
// come `purged + records.size()`. They are kept encoded (compact_record.h): a record takes
// a fraction of an EventRecord's size, and Append writes each one once, sequentially, into
// memory the archive reuses, rather than keeping the caller's vectors whole in memory that
// is cold by the time the record is purged. With a hard archive, records numbered below
// `handed` reached it; only those may be purged.
struct MemoryArchive::Impl {
  explicit Impl(MemoryArchiveOptions o) : options(std::move(o)) {}

  // REQUIRES: purged <= number < end().
  const char* At(std::uint64_t number) const {
    return records[static_cast<std::size_t>(number - purged)];
  }
  std::uint64_t end() const { return purged + records.size(); }

  void PurgeOldest() {
    if (indexed) {
      auto it = index.find(internal::CompactId(records[0]));
      if (it != index.end() && it->second == purged) index.erase(it);
    }
    records.PopFront();
    ++purged;
  }

  void Purge() {
    const bool by_age =
        options.max_age != Duration::max() && newest - TimePoint{} > options.max_age;
    const TimePoint oldest_kept = by_age ? newest - options.max_age : TimePoint{};
    const bool keep_unhanded = options.hand_over_to != nullptr;
    while (!records.empty() && (!keep_unhanded || purged < handed) &&
           (records.size() > options.max_events ||
            (by_age && internal::CompactFinished(records[0]) < oldest_kept))) {
      PurgeOldest();
    }
  }

  // Notes a record about to be pushed: the newest finish time, and its number in the index.
  void Arriving(EventId id, TimePoint finished) {
    newest = std::max(newest, finished);
    if (indexed) index[id] = end();
  }

  // After an append: the hand-over the policy asks for (a failure is kept in last_error:
  // the records were taken all the same), then the purge.
  void Settle() {
    if (HandOverDue()) static_cast<void>(HandOver());
    Purge();
  }

  bool HandOverDue() const {
    if (!options.hand_over_to || handed == end()) return false;
    if (end() - handed >= options.hand_over_count) return true;
    return options.hand_over_age != Duration::max() &&
           newest - internal::CompactFinished(At(handed)) > options.hand_over_age;
  }

  // Copies the waiting records to the hard archive, oldest first; on failure they stay
  // waiting and the next append tries again.
  Status HandOver() {
    if (!options.hand_over_to || handed == end()) return Status::OK();
    std::vector<EventRecord> copies(static_cast<std::size_t>(end() - handed));
    for (std::size_t i = 0; i < copies.size(); ++i) {
      internal::DecodeCompact(At(handed + i), copies[i]);
    }
    last_error = options.hand_over_to->Append(copies);
    if (last_error.ok()) handed = end();
    return last_error;
  }

  // The id index is built on the first Get and kept from then on: a hash insert and erase
  // per record is most of an append's cost, and many users only Query or never look back.
  // A later record of an id wins.
  void EnsureIndexed() {
    if (indexed) return;
    for (std::uint64_t number = purged; number < end(); ++number) {
      index[internal::CompactId(At(number))] = number;
    }
    indexed = true;
  }

  const MemoryArchiveOptions options;
  mutable std::mutex mu;
  // Guarded by mu:
  internal::CompactRecordQueue records;
  std::uint64_t purged = 0;
  std::uint64_t handed = 0;
  Status last_error;  // Of the latest hand-over.
  bool indexed = false;
  // Id -> arrival number; once indexed.
  boost::unordered_flat_map<EventId, std::uint64_t, std::hash<EventId>> index;
  TimePoint newest{};
};

MemoryArchive::MemoryArchive(MemoryArchiveOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

MemoryArchive::~MemoryArchive() = default;

Status MemoryArchive::Append(std::vector<EventRecord>& records) {
  for (const EventRecord& r : records) {
    if (r.state != EventState::kPast) {
      return Status::InvalidArgument("event " + r.id.ToString() + " is not Past");
    }
  }
  if (records.empty()) return Status::OK();
  {
    Impl& m = *impl_;
    std::lock_guard lock(m.mu);
    for (const EventRecord& r : records) {
      m.Arriving(r.id, r.finished);
      m.records.PushBack(internal::FieldsOf(r));
    }
    m.Settle();
  }
  // Destroyed now, while still in cache; the capacity stays for the caller to refill.
  records.clear();
  return Status::OK();
}

// The batch's records are encoded as the archive keeps them: their bytes are copied as they
// are, without an EventRecord in between.
Status MemoryArchive::AppendBatch(PastRecordBatch& batch) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch.state(i) != EventState::kPast) {
      return Status::InvalidArgument("event " + batch.id(i).ToString() + " is not Past");
    }
  }
  if (batch.empty()) return Status::OK();
  {
    Impl& m = *impl_;
    std::lock_guard lock(m.mu);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string_view encoded = internal::PastRecordBatchAccess::Encoded(batch, i);
      m.Arriving(batch.id(i), internal::CompactFinished(encoded.data()));
      m.records.PushBackEncoded(encoded);
    }
    m.Settle();
  }
  batch.Clear();
  return Status::OK();
}

Result<EventRecord> MemoryArchive::Get(EventId id) const {
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  m.EnsureIndexed();
  auto it = m.index.find(id);
  if (it == m.index.end()) return Status::NotFound("event " + id.ToString() + " is not archived");
  EventRecord record;
  internal::DecodeCompact(m.At(it->second), record);
  return record;
}

std::vector<EventRecord> MemoryArchive::Query(const ArchiveQuery& q) const {
  Result<ArchivePage> page = QueryPage(q);
  return page.ok() ? std::move(page->records) : std::vector<EventRecord>{};
}

// The cursor is the arrival number of the last record returned: the next page starts just
// below it, however many records came since.
Result<ArchivePage> MemoryArchive::QueryPage(const ArchiveQuery& q) const {
  const Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  std::uint64_t below = m.end();
  if (!q.cursor.empty()) {
    const char* last = q.cursor.data() + q.cursor.size();
    auto [ptr, ec] = std::from_chars(q.cursor.data(), last, below);
    if (ec != std::errc() || ptr != last || below > m.end()) {
      return Status::InvalidArgument("bad archive cursor '" + q.cursor + "'");
    }
  }
  ArchivePage page;
  if (below <= m.purged || q.limit == 0) return page;
  const internal::RecordFilter filter(q);
  EventRecord r;           // Each record is decoded into it, reusing its storage.
  std::uint64_t last = 0;  // Number of the last record returned.
  for (std::uint64_t number = below; number-- > m.purged;) {
    internal::DecodeCompact(m.At(number), r);
    if (!filter.Matches(r)) continue;
    if (page.records.size() == q.limit) {  // One more exists: the page needs a cursor.
      page.next_cursor = std::to_string(last);
      break;
    }
    page.records.push_back(r);
    last = number;
  }
  return page;
}

std::size_t MemoryArchive::size() const {
  std::lock_guard lock(impl_->mu);
  return impl_->records.size();
}

std::uint64_t MemoryArchive::purged() const {
  std::lock_guard lock(impl_->mu);
  return impl_->purged;
}

Status MemoryArchive::HandOverAll() {
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  Status s = m.HandOver();
  if (s.ok()) m.Purge();
  return s;
}

Status MemoryArchive::Flush() {
  if (Status s = HandOverAll(); !s.ok()) return s;
  return impl_->options.hand_over_to ? impl_->options.hand_over_to->Flush() : Status::OK();
}

HandOverStatus MemoryArchive::hand_over_status() const {
  const Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  return {.handed = m.handed,
          .waiting = m.options.hand_over_to ? static_cast<std::size_t>(m.end() - m.handed) : 0,
          .last_error = m.last_error};
}

}  // namespace magent
