#include <algorithm>
#include <boost/unordered/unordered_flat_map.hpp>
#include <deque>
#include <mutex>

#include "magent/archive.h"

namespace magent {

// Records are numbered by arrival: the oldest kept has number `purged`. Batches are kept
// whole; the front batch may start with records already purged (`front_skip` of them).
struct MemoryArchive::Impl {
  explicit Impl(MemoryArchiveOptions o) : options(o) {}

  struct Position {
    std::size_t batch;  // Index into `batches` counted from `batches_dropped`.
    std::size_t offset;
  };

  const EventRecord& At(Position p) const { return batches[p.batch - batches_dropped][p.offset]; }

  void PurgeOldest() {
    std::vector<EventRecord>& front = batches.front();
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
    while (count > 0 &&
           (count > options.max_events || batches.front()[front_skip].finished < oldest_kept)) {
      PurgeOldest();
    }
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
      Index(batches[b], batches_dropped + b, b == 0 ? front_skip : 0);
    }
    indexed = true;
  }

  const MemoryArchiveOptions options;
  mutable std::mutex mu;
  // Guarded by mu:
  std::deque<std::vector<EventRecord>> batches;
  std::size_t batches_dropped = 0;
  std::size_t front_skip = 0;
  std::size_t count = 0;
  std::uint64_t purged = 0;
  std::vector<EventRecord> spare;  // A purged batch's storage, emptied.
  bool indexed = false;
  boost::unordered_flat_map<EventId, Position, std::hash<EventId>> index;  // Once indexed.
  TimePoint newest{};
};

MemoryArchive::MemoryArchive(MemoryArchiveOptions options)
    : impl_(std::make_unique<Impl>(options)) {}

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
  m.count += records.size();
  m.batches.push_back(std::move(records));
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
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  std::vector<EventRecord> out;
  auto matches = [&q](const EventRecord& r) {
    if (q.agent && r.agent != *q.agent) return false;
    if (q.source && r.agent_source != *q.source &&
        std::none_of(r.sources.begin(), r.sources.end(),
                     [&](const SourceWeight& s) { return s.source == *q.source; })) {
      return false;
    }
    if (q.kind && r.kind != *q.kind) return false;
    if (q.outcome && r.outcome != *q.outcome) return false;
    if (q.finished_from && r.finished < *q.finished_from) return false;
    if (q.finished_until && r.finished >= *q.finished_until) return false;
    return true;
  };
  for (std::size_t b = m.batches.size(); b-- > 0 && out.size() < q.limit;) {
    const std::vector<EventRecord>& batch = m.batches[b];
    const std::size_t first = b == 0 ? m.front_skip : 0;
    for (std::size_t i = batch.size(); i-- > first && out.size() < q.limit;) {
      if (matches(batch[i])) out.push_back(batch[i]);
    }
  }
  return out;
}

std::size_t MemoryArchive::size() const {
  std::lock_guard lock(impl_->mu);
  return impl_->count;
}

std::uint64_t MemoryArchive::purged() const {
  std::lock_guard lock(impl_->mu);
  return impl_->purged;
}

}  // namespace magent
