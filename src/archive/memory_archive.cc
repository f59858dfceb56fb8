#include <algorithm>
#include <boost/unordered/unordered_flat_map.hpp>
#include <charconv>
#include <deque>
#include <mutex>

#include "archive/record_filter.h"
#include "magent/archive.h"

namespace magent {

// Records are numbered by arrival: the oldest kept has number `purged`, the next one to
// come `purged + count`. Batches are kept whole; the front batch may start with records
// already purged (`front_skip` of them). With a hard archive, records numbered below
// `handed` reached it; only those may be purged.
struct MemoryArchive::Impl {
  explicit Impl(MemoryArchiveOptions o) : options(std::move(o)) {}

  struct Batch {
    std::uint64_t first;  // Number of records[0].
    std::vector<EventRecord> records;
  };
  struct Position {
    std::size_t batch;  // Index into `batches` counted from `batches_dropped`.
    std::size_t offset;
  };

  const EventRecord& At(Position p) const {
    return batches[p.batch - batches_dropped].records[p.offset];
  }
  std::uint64_t end() const { return purged + count; }

  // REQUIRES: purged <= number < end().
  Position Locate(std::uint64_t number) const {
    auto it = std::upper_bound(batches.begin(), batches.end(), number,
                               [](std::uint64_t n, const Batch& b) { return n < b.first; });
    --it;
    return {batches_dropped + static_cast<std::size_t>(it - batches.begin()),
            static_cast<std::size_t>(number - it->first)};
  }

  void PurgeOldest() {
    std::vector<EventRecord>& front = batches.front().records;
    if (indexed) {
      auto it = index.find(front[front_skip].id);
      if (it != index.end() && it->second.batch == batches_dropped &&
          it->second.offset == front_skip) {
        index.erase(it);
      }
    }
    ++purged;
    --count;
    if (++front_skip == front.size()) {
      // Its storage goes back to the next appender: fresh memory would cost page faults.
      spare = std::move(front);
      spare.clear();
      batches.pop_front();
      ++batches_dropped;
      front_skip = 0;
    }
  }

  void Purge() {
    const bool by_age =
        options.max_age != Duration::max() && newest - TimePoint{} > options.max_age;
    const TimePoint oldest_kept = by_age ? newest - options.max_age : TimePoint{};
    const bool keep_unhanded = options.hand_over_to != nullptr;
    while (count > 0 && (!keep_unhanded || purged < handed) &&
           (count > options.max_events ||
            batches.front().records[front_skip].finished < oldest_kept)) {
      PurgeOldest();
    }
  }

  bool HandOverDue() const {
    if (!options.hand_over_to || handed == end()) return false;
    if (end() - handed >= options.hand_over_count) return true;
    return options.hand_over_age != Duration::max() &&
           newest - At(Locate(handed)).finished > options.hand_over_age;
  }

  // Copies the waiting records to the hard archive, oldest first; on failure they stay
  // waiting and the next append tries again.
  Status HandOver() {
    if (!options.hand_over_to || handed == end()) return Status::OK();
    std::vector<EventRecord> copies;
    copies.reserve(end() - handed);
    const Position p = Locate(handed);
    for (std::size_t b = p.batch - batches_dropped; b < batches.size(); ++b) {
      const std::vector<EventRecord>& batch = batches[b].records;
      const std::size_t from = b == p.batch - batches_dropped ? p.offset : 0;
      copies.insert(copies.end(), batch.begin() + from, batch.end());
    }
    last_error = options.hand_over_to->Append(copies);
    if (last_error.ok()) handed = end();
    return last_error;
  }

  // Adds `batch` (number `number`) to the index; a later record of an id wins.
  void Index(const std::vector<EventRecord>& batch, std::size_t number, std::size_t first) {
    for (std::size_t i = first; i < batch.size(); ++i) index[batch[i].id] = Position{number, i};
  }

  // The id index is built on the first Get and kept from then on: a hash insert and erase
  // per record is most of an append's cost, and many users only Query or never look back.
  void EnsureIndexed() {
    if (indexed) return;
    for (std::size_t b = 0; b < batches.size(); ++b) {
      Index(batches[b].records, batches_dropped + b, b == 0 ? front_skip : 0);
    }
    indexed = true;
  }

  const MemoryArchiveOptions options;
  mutable std::mutex mu;
  // Guarded by mu:
  std::deque<Batch> batches;
  std::size_t batches_dropped = 0;
  std::size_t front_skip = 0;
  std::size_t count = 0;
  std::uint64_t purged = 0;
  std::uint64_t handed = 0;
  Status last_error;               // Of the latest hand-over.
  std::vector<EventRecord> spare;  // A purged batch's storage, emptied.
  bool indexed = false;
  boost::unordered_flat_map<EventId, Position, std::hash<EventId>> index;  // Once indexed.
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
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  const std::size_t batch = m.batches_dropped + m.batches.size();
  for (const EventRecord& r : records) m.newest = std::max(m.newest, r.finished);
  if (m.indexed) m.Index(records, batch, 0);
  const std::uint64_t first = m.end();
  m.count += records.size();
  m.batches.push_back({first, std::move(records)});
  // A failed hand-over is kept in last_error: the records were taken all the same.
  if (m.HandOverDue()) static_cast<void>(m.HandOver());
  m.Purge();
  records = std::move(m.spare);
  m.spare = {};
  records.clear();  // A moved-from vector is valid but unspecified: say it is empty.
  return Status::OK();
}

Result<EventRecord> MemoryArchive::Get(EventId id) const {
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  m.EnsureIndexed();
  auto it = m.index.find(id);
  if (it == m.index.end()) return Status::NotFound("event " + id.ToString() + " is not archived");
  return m.At(it->second);
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
  const Impl::Position p = m.Locate(below - 1);
  std::size_t b = p.batch - m.batches_dropped;
  std::size_t i = p.offset + 1;
  std::uint64_t number = below;  // Of the record looked at.
  std::uint64_t last = 0;        // Of the last record returned.
  for (;;) {
    if (i == (b == 0 ? m.front_skip : 0)) {
      if (b == 0) break;
      i = m.batches[--b].records.size();
      continue;
    }
    --i;
    --number;
    const EventRecord& r = m.batches[b].records[i];
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
  return impl_->count;
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

HandOverStatus MemoryArchive::hand_over_status() const {
  const Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  return {.handed = m.handed,
          .waiting = m.options.hand_over_to ? static_cast<std::size_t>(m.end() - m.handed) : 0,
          .last_error = m.last_error};
}

}  // namespace magent
