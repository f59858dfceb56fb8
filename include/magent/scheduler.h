// EventScheduler: the only way events run.
//
// It keeps the Future events in time order behind one timer (armed for the earliest thing
// due, never one per event), starts them on their agent's strand, watches their allowable
// durations, applies the freeze, kill and orphan rules, hands Past events to the archive,
// and signals every transition. Signals cost nothing until somebody connects.
//
// Events are scheduled, killed and frozen through Agent and AgentSource; this interface is
// for observers. It is the host's: its reads that carry participants show private ones
// unmasked and are named so; a principal reads through a MaskedView (Runtime::View,
// AgentSource::View: Snapshot, OnPast), which masks what the Sentinel hides from it.
//
// Thread safety: thread-safe. Slots are called outside magent's locks, on the thread that
// made the transition, so a slot may run on several threads at once (threads of the host
// scheduling, say) and guards what it writes. With one runtime thread (or none) each
// event's transitions arrive in order; with several, transitions of one event made on
// different threads may arrive out of order (order them by Transition::at, then by the
// Future/Current/Past sequence).
#ifndef MAGENT_SCHEDULER_H_
#define MAGENT_SCHEDULER_H_

#include <boost/signals2/connection.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "magent/event.h"
#include "magent/status.h"

namespace magent {

struct SchedulerCounts {
  std::size_t future = 0;   // Scheduled, not started (frozen ones included).
  std::size_t current = 0;  // Running.
  std::size_t frozen = 0;   // Future or Current and frozen.
  std::uint64_t past = 0;   // Ended since the runtime started.
};

class EventScheduler {
 public:
  virtual ~EventScheduler() = default;

  // Every state change of every event, scheduling included (Future -> Future: see
  // Transition for what each one means).
  virtual boost::signals2::connection OnTransition(std::function<void(const Transition&)> slot) = 0;
  // Every event as it becomes Past, with its final record (before the archive has it),
  // unmasked: private activants and passivants as they are. For the host's own use.
  virtual boost::signals2::connection OnPastUnmasked(
      std::function<void(const EventRecord&)> slot) = 0;

  // The record of a live (Future or Current) event, unmasked (for the host's own use).
  // NotFound once it is Past: look in the archive then.
  virtual Result<EventRecord> SnapshotUnmasked(EventId id) const = 0;
  virtual SchedulerCounts Counts() const = 0;
};

}  // namespace magent

#endif  // MAGENT_SCHEDULER_H_
