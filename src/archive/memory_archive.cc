#include <algorithm>

#include "magent/archive.h"

namespace magent {

MemoryArchive::MemoryArchive(MemoryArchiveOptions options) : options_(options) {}

Status MemoryArchive::Append(std::span<EventRecord> records) {
  for (const EventRecord& r : records) {
    if (r.state != EventState::kPast) {
      return Status::InvalidArgument("event " + r.id.ToString() + " is not Past");
    }
  }
  std::lock_guard lock(mu_);
  for (EventRecord& r : records) {
    newest_ = std::max(newest_, r.finished);
    pos_[r.id] = first_ + records_.size();
    records_.push_back(std::move(r));
  }
  PurgeLocked();
  return Status::OK();
}

void MemoryArchive::PurgeLocked() {
  const bool by_age = options_.max_age != Duration::max() &&
                      newest_ - TimePoint{} > options_.max_age;
  const TimePoint oldest_kept = by_age ? newest_ - options_.max_age : TimePoint{};
  while (!records_.empty() &&
         (records_.size() > options_.max_events || records_.front().finished < oldest_kept)) {
    auto it = pos_.find(records_.front().id);
    if (it != pos_.end() && it->second == first_) pos_.erase(it);
    records_.pop_front();
    ++first_;
  }
}

Result<EventRecord> MemoryArchive::Get(EventId id) const {
  std::lock_guard lock(mu_);
  auto it = pos_.find(id);
  if (it == pos_.end()) return Status::NotFound("event " + id.ToString() + " is not archived");
  return records_[it->second - first_];
}

std::vector<EventRecord> MemoryArchive::Query(const ArchiveQuery& q) const {
  std::lock_guard lock(mu_);
  std::vector<EventRecord> out;
  for (auto it = records_.rbegin(); it != records_.rend() && out.size() < q.limit; ++it) {
    const EventRecord& r = *it;
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
  std::lock_guard lock(mu_);
  return records_.size();
}

std::uint64_t MemoryArchive::purged() const {
  std::lock_guard lock(mu_);
  return first_;
}

}  // namespace magent
