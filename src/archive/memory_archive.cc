#include <algorithm>
#include <mutex>

#include <boost/unordered/unordered_flat_map.hpp>

#include "magent/archive.h"

namespace magent {

struct MemoryArchive::Impl {
  explicit Impl(MemoryArchiveOptions o) : options(o) {}

  // The record at position `i` from the oldest. REQUIRES: i < count.
  EventRecord& At(std::size_t i) { return ring[(head + i) % ring.size()]; }

  void Push(EventRecord&& r) {
    if (count == ring.size()) Grow();
    At(count) = std::move(r);
    ++count;
  }

  // Doubles the ring (up to max_events), moving records so the oldest is at 0.
  void Grow() {
    const std::size_t capacity =
        std::max<std::size_t>(16, std::min(options.max_events, ring.size() * 2));
    std::vector<EventRecord> bigger(std::max(capacity, count + 1));
    for (std::size_t i = 0; i < count; ++i) bigger[i] = std::move(At(i));
    ring.swap(bigger);
    head = 0;
  }

  // Drops the oldest record. Its slot keeps the old contents until reused (or `clear`).
  void PopOldest(bool clear) {
    EventRecord& oldest = At(0);
    auto it = index.find(oldest.id);
    if (it != index.end() && it->second == purged) index.erase(it);
    if (clear) oldest = EventRecord();
    head = (head + 1) % ring.size();
    --count;
    ++purged;
  }

  void Purge() {
    const bool by_age = options.max_age != Duration::max() &&
                        newest - TimePoint{} > options.max_age;
    const TimePoint oldest_kept = by_age ? newest - options.max_age : TimePoint{};
    while (count > 0 && (count > options.max_events || At(0).finished < oldest_kept)) {
      PopOldest(/*clear=*/true);
    }
  }

  const MemoryArchiveOptions options;
  mutable std::mutex mu;
  // Guarded by mu:
  std::vector<EventRecord> ring;  // `count` records from `head`, oldest first, wrapping.
  std::size_t head = 0;
  std::size_t count = 0;
  std::uint64_t purged = 0;  // Records dropped so far; also the sequence number of At(0).
  boost::unordered_flat_map<EventId, std::uint64_t, std::hash<EventId>> index;  // id -> seq.
  TimePoint newest{};
};

MemoryArchive::MemoryArchive(MemoryArchiveOptions options)
    : impl_(std::make_unique<Impl>(options)) {}

MemoryArchive::~MemoryArchive() = default;

Status MemoryArchive::Append(std::span<EventRecord> records) {
  for (const EventRecord& r : records) {
    if (r.state != EventState::kPast) {
      return Status::InvalidArgument("event " + r.id.ToString() + " is not Past");
    }
  }
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  for (EventRecord& r : records) {
    if (m.options.max_events == 0) {
      ++m.purged;
      continue;
    }
    // Full: the oldest slot is the one Push fills next, so it is overwritten, not cleared.
    if (m.count == m.options.max_events) m.PopOldest(/*clear=*/false);
    m.newest = std::max(m.newest, r.finished);
    m.index[r.id] = m.purged + m.count;
    m.Push(std::move(r));
  }
  m.Purge();
  return Status::OK();
}

Result<EventRecord> MemoryArchive::Get(EventId id) const {
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  auto it = m.index.find(id);
  if (it == m.index.end()) return Status::NotFound("event " + id.ToString() + " is not archived");
  return m.At(static_cast<std::size_t>(it->second - m.purged));
}

std::vector<EventRecord> MemoryArchive::Query(const ArchiveQuery& q) const {
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  std::vector<EventRecord> out;
  for (std::size_t i = m.count; i-- > 0 && out.size() < q.limit;) {
    const EventRecord& r = m.At(i);
    if (q.agent && r.agent != *q.agent) continue;
    if (q.source && r.agent_source != *q.source &&
        std::none_of(r.sources.begin(), r.sources.end(),
                     [&](const SourceWeight& s) { return s.source == *q.source; })) {
      continue;
    }
    if (q.kind && r.kind != *q.kind) continue;
    if (q.outcome && r.outcome != *q.outcome) continue;
    if (q.finished_from && r.finished < *q.finished_from) continue;
    if (q.finished_until && r.finished >= *q.finished_until) continue;
    out.push_back(r);
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
