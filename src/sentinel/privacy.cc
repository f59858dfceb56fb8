#include "magent/privacy.h"

#include <mutex>
#include <string>

namespace magent {
namespace {

template <typename Participant>
void Mask(std::vector<Participant>& participants) {
  for (Participant& p : participants) {
    if (!p.is_private) continue;
    p.id = std::string(kMasked);
    p.label = std::string(kMasked);
  }
}

}  // namespace

EventRecord MaskedFor(EventRecord record, SourceId viewer, const Sentinel& sentinel) {
  if (!sentinel.MaySeePrivate(viewer, record)) {
    Mask(record.activants);
    Mask(record.passivants);
  }
  return record;
}

Result<EventRecord> MaskedView::Get(EventId id) const {
  Result<EventRecord> record = runtime_.unmasked_archive().Get(id);
  if (!record.ok()) return record;
  return MaskedFor(std::move(record).value(), viewer_, runtime_.sentinel());
}

std::vector<EventRecord> MaskedView::Query(const ArchiveQuery& query) const {
  std::vector<EventRecord> records = runtime_.unmasked_archive().Query(query);
  for (EventRecord& r : records) r = MaskedFor(std::move(r), viewer_, runtime_.sentinel());
  return records;
}

Result<EventRecord> MaskedView::Snapshot(EventId id) const {
  Result<EventRecord> record = runtime_.scheduler().SnapshotUnmasked(id);
  if (!record.ok()) return record;
  return MaskedFor(std::move(record).value(), viewer_, runtime_.sentinel());
}

void PrivacyGrants::Grant(SourceId viewer, SourceId owner) {
  std::unique_lock lock(mu_);
  grants_.emplace(viewer, owner);
}

void PrivacyGrants::Revoke(SourceId viewer, SourceId owner) {
  std::unique_lock lock(mu_);
  grants_.erase({viewer, owner});
}

bool PrivacyGrants::MaySeePrivate(SourceId viewer, const EventRecord& record) const {
  if (inner_->MaySeePrivate(viewer, record)) return true;
  std::shared_lock lock(mu_);
  return grants_.count({viewer, record.agent_source}) != 0;
}

}  // namespace magent
