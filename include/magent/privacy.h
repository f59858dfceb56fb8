// Private data: private activants and passivants are masked for every viewer the Sentinel
// does not admit (Sentinel::MaySeePrivate: by default the agent's source and the event's
// listed sources; PrivacyGrants admits more).
//
// A masked participant keeps its kind and privacy flag; its id and label read "(private)".
//
// What holds:
//  - Reads for a principal go through a MaskedView, made for that viewer by
//    Runtime::View(viewer) or AgentSource::View() (the source as viewer): archived records
//    (Get, Query, QueryPage), live snapshots (Snapshot) and Past events as they end
//    (OnPast). Sentinel decision records copy their event's participants and are masked
//    the same way. `magentctl archive` masks by default too (docs/archive.md).
//  - The unmasked reads are the host's own and say so in their names:
//    Runtime::unmasked_archive(), EventScheduler::SnapshotUnmasked and OnPastUnmasked,
//    `magentctl archive --unmasked`. A host that hands their results to a principal
//    masks them first (MaskedFor).
//  - Reads that carry no participants need no mask: EventScheduler::OnTransition,
//    Counts, AgentRegistry::List and Find, SourceMessage (reports and alarms carry ids,
//    counts and texts that never quote a participant).
//  - An agent's own lists (Agent::activants(), passivants()) are its source's data, read
//    by its owner: through AgentSource::CreateAgent and Agents() (the source's own agents)
//    and EventContext::agent() (the event's own agent). The host reaches any agent
//    through Runtime::registry().Get() and Runtime::FindSource(): Runtime is the host's
//    handle, never a principal's.
//  - The journal has no public read: it is the host's data directory.
//
// Thread safety: MaskedFor is a pure function; MaskedView is as thread-safe as the
// runtime; PrivacyGrants is thread-safe.
#ifndef MAGENT_PRIVACY_H_
#define MAGENT_PRIVACY_H_

#include <boost/signals2/connection.hpp>
#include <functional>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "magent/archive.h"
#include "magent/event.h"
#include "magent/ids.h"
#include "magent/scheduler.h"
#include "magent/sentinel.h"
#include "magent/status.h"

namespace magent {

class AgentSource;
class Runtime;

inline constexpr std::string_view kMasked = "(private)";

// `record` with every private activant and passivant masked: what a viewer nobody
// admits sees.
EventRecord Masked(EventRecord record);
// `record` as `viewer` may see it: unchanged if `sentinel` lets the viewer see its
// private data, Masked() otherwise.
EventRecord MaskedFor(EventRecord record, SourceId viewer, const Sentinel& sentinel);

// The archive and the events of one runtime as one viewer may see them, every record
// masked by MaskedFor with the runtime's Sentinel. Made by Runtime::View and
// AgentSource::View.
//
// Lifetime: a view refers to its runtime's archive, scheduler and Sentinel, so it must
// not outlive the runtime (hold it no longer than the Runtime or AgentSource it came
// from is used). A slot connected through OnPast may outlive the view: it is the
// scheduler's, like any slot, and is called while the runtime lives.
class MaskedView {
 public:
  SourceId viewer() const { return viewer_; }

  // As PastEventArchive::Get, Query and QueryPage, masked.
  Result<EventRecord> Get(EventId id) const;
  std::vector<EventRecord> Query(const ArchiveQuery& query) const;
  Result<ArchivePage> QueryPage(const ArchiveQuery& query) const;
  // As EventScheduler::SnapshotUnmasked, masked.
  Result<EventRecord> Snapshot(EventId id) const;
  // As EventScheduler::OnPastUnmasked, masked: `slot` gets each record as this viewer
  // may see it.
  boost::signals2::connection OnPast(std::function<void(const EventRecord&)> slot) const;

 private:
  friend class AgentSource;
  friend class Runtime;
  MaskedView(const PastEventArchive& archive, EventScheduler& scheduler, const Sentinel& sentinel,
             SourceId viewer)
      : archive_(archive), scheduler_(scheduler), sentinel_(sentinel), viewer_(viewer) {}

  const PastEventArchive& archive_;
  EventScheduler& scheduler_;
  const Sentinel& sentinel_;
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
