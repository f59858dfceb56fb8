// Private data: views of events that mask private activants and passivants for viewers
// who lack the right; the Sentinel decides who has it (Sentinel::MaySeePrivate).
//
// A masked participant keeps its kind and privacy flag; its id and label read
// "(private)". Every API that shows events to someone goes through these: the archive
// and the scheduler's snapshots (and the monitor later).
//
// Thread safety: MaskedFor is a pure function; MaskedView is as thread-safe as the
// runtime; PrivacyGrants is thread-safe.
#ifndef MAGENT_PRIVACY_H_
#define MAGENT_PRIVACY_H_

#include <memory>
#include <set>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "magent/archive.h"
#include "magent/event.h"
#include "magent/runtime.h"
#include "magent/sentinel.h"

namespace magent {

inline constexpr std::string_view kMasked = "(private)";

// `record` as `viewer` may see it: unchanged if `sentinel` lets the viewer see its
// private data, masked otherwise.
EventRecord MaskedFor(EventRecord record, SourceId viewer, const Sentinel& sentinel);

// The archive and the live events of one runtime as one viewer may see them.
class MaskedView {
 public:
  // `runtime` must outlive the view.
  MaskedView(Runtime& runtime, SourceId viewer) : runtime_(runtime), viewer_(viewer) {}

  // As PastEventArchive::Get and Query, masked.
  Result<EventRecord> Get(EventId id) const;
  std::vector<EventRecord> Query(const ArchiveQuery& query) const;
  // As EventScheduler::SnapshotUnmasked, masked.
  Result<EventRecord> Snapshot(EventId id) const;

 private:
  Runtime& runtime_;
  const SourceId viewer_;
};

// Decides as `inner`, and lets more viewers see private data: those `inner` admits, and
// those granted the right over a source's events (e.g. a shop's shipping department over
// its customers' orders).
class PrivacyGrants final : public Sentinel {
 public:
  explicit PrivacyGrants(std::shared_ptr<Sentinel> inner) : inner_(std::move(inner)) {}

  // `viewer` may see the private data of events whose agent belongs to `owner`.
  void Grant(SourceId viewer, SourceId owner);
  void Revoke(SourceId viewer, SourceId owner);

  Decision Decide(const AuthRequest& request) override { return inner_->Decide(request); }
  bool MaySeePrivate(SourceId viewer, const EventRecord& record) const override;

 private:
  const std::shared_ptr<Sentinel> inner_;
  mutable std::shared_mutex mu_;
  std::set<std::pair<SourceId, SourceId>> grants_;  // (viewer, owner). Guarded by mu_.
};

}  // namespace magent

#endif  // MAGENT_PRIVACY_H_
