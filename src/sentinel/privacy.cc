#include "magent/privacy.h"

#include <algorithm>
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

template <typename Participant>
bool AnyPrivate(const std::vector<Participant>& participants) {
  return std::any_of(participants.begin(), participants.end(),
                     [](const Participant& p) { return p.is_private; });
}

}  // namespace

EventRecord Masked(EventRecord record) {
  Mask(record.activants);
  Mask(record.passivants);
  return record;
}

EventRecord MaskedFor(EventRecord record, SourceId viewer, const Sentinel& sentinel) {
  if (sentinel.MaySeePrivate(viewer, record)) return record;
  return Masked(std::move(record));
}

Result<EventRecord> MaskedView::Get(EventId id) const {
  Result<EventRecord> record = archive_.Get(id);
  if (!record.ok()) return record;
  return MaskedFor(std::move(record).value(), viewer_, sentinel_);
}

std::vector<EventRecord> MaskedView::Query(const ArchiveQuery& query) const {
  std::vector<EventRecord> records = archive_.Query(query);
  for (EventRecord& r : records) r = MaskedFor(std::move(r), viewer_, sentinel_);
  return records;
}

Result<ArchivePage> MaskedView::QueryPage(const ArchiveQuery& query) const {
  Result<ArchivePage> page = archive_.QueryPage(query);
  if (!page.ok()) return page;
  for (EventRecord& r : page->records) r = MaskedFor(std::move(r), viewer_, sentinel_);
  return page;
}

Result<EventRecord> MaskedView::Snapshot(EventId id) const {
  Result<EventRecord> record = scheduler_.SnapshotUnmasked(id);
  if (!record.ok()) return record;
  return MaskedFor(std::move(record).value(), viewer_, sentinel_);
}

boost::signals2::connection MaskedView::OnPast(std::function<void(const EventRecord&)> slot) const {
  // The slot outlives the view: it keeps what it needs, the Sentinel being the runtime's.
  return scheduler_.OnPastUnmasked(
      [slot = std::move(slot), viewer = viewer_, sentinel = &sentinel_](const EventRecord& r) {
        // Most records have nothing private: they go out as they are, uncopied.
        if (!AnyPrivate(r.activants) && !AnyPrivate(r.passivants)) return slot(r);
        if (sentinel->MaySeePrivate(viewer, r)) return slot(r);
        slot(Masked(r));
      });
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
