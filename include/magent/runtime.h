// Runtime: owns the io_context and its threads, the clock, the agent registry, the event
// scheduler, the sentinel and the archive. Start here.
//
//   auto runtime = magent::Runtime::Create({}).value();
//   auto laurent = runtime->CreateSource({.name = "Laurent"});
//   auto agent = laurent->CreateAgent({.name = "bookbuyer"}).value();
//   agent->Schedule({.kind = "find", .work = magent::PlainWork(...)});
//
// Plugins register their event kinds and agent types through one explicit call
// (e.g. magent::imip::Register(runtime)); nothing registers itself statically.
//
// Thread safety: thread-safe, except that Run/RunUntilIdle must not be called from inside
// a handler, and the runtime must not be destroyed from inside one.
//
// Exit: destroying the runtime shuts it down (Shutdown() below) if the host did not, so a
// clean exit loses no Past record and, on a durable runtime, no live event.
#ifndef MAGENT_RUNTIME_H_
#define MAGENT_RUNTIME_H_

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "magent/agent.h"
#include "magent/agent_source.h"
#include "magent/archive.h"
#include "magent/clock.h"
#include "magent/event.h"
#include "magent/journal.h"
#include "magent/privacy.h"
#include "magent/registry.h"
#include "magent/scheduler.h"
#include "magent/sentinel.h"
#include "magent/status.h"

namespace magent {

namespace internal {
class RuntimeCore;
}

// An event kind known to the runtime: how to rebuild its work from a payload, and what a
// restored runtime does with its events (see journal.h).
struct KindSpec {
  std::string name;
  // Builds the work for an event of this kind that was scheduled without work, and for
  // every event of this kind restored from the journal.
  std::function<Result<Work>(const std::string& payload)> factory;
  // A source may change the payload of a Future event of this kind
  // (AgentSource::ModifyEvent); the factory then builds its work again from the new
  // payload, as a restart would. Default: false (the payload is fixed once scheduled).
  bool payload_modifiable = false;

  // --- After a restart (durable runtimes only).
  // For an event whose due time passed while the process was down. Default: kRunNow.
  MisfirePolicy misfire = MisfirePolicy::kRunNow;
  // How late an event may be and still count as on time rather than missed (Quartz's
  // misfire threshold). Default: 1 minute.
  Duration misfire_threshold = std::chrono::minutes(1);
  // Running it twice does no harm: an event of this kind that was running when the
  // process stopped runs again, from the start, instead of ending Past as interrupted.
  // Default: false.
  bool idempotent = false;
};

// Makes a fresh, unattached agent of a registered type.
using AgentFactory = std::function<std::shared_ptr<Agent>()>;

struct AgentTypeSpec {
  std::string type;
  AgentFactory factory;
};

struct RuntimeOptions {
  // Where time comes from. Default: a SystemClock.
  std::shared_ptr<Clock> clock;
  // Authorizes events before they are scheduled. Default: AllowAllSentinel.
  std::shared_ptr<Sentinel> sentinel;
  // The most an anonymous source may do, whatever its SourceOptions say: by default
  // anonymous callers may run low-level kinds only. Default: kLow.
  Clearance anonymous_clearance = Clearance::kLow;
  // Where Past events go. Default: a MemoryArchive with default options.
  std::shared_ptr<PastEventArchive> archive;
  // How long an orphaned event (its agent is gone) waits, frozen, for its source to adopt
  // or kill it; then it ends Past (expired if it never ran, killed if it was running).
  // Default: 24 hours.
  Duration orphan_grace = std::chrono::hours(24);
  // Messages each source's inbox keeps. Default: 1000.
  std::size_t inbox_capacity = 1000;

  // Makes the runtime durable: sources, agents and live events are journaled there, and
  // Create restores what the journal holds. Default: none (nothing survives a restart).
  std::optional<JournalOptions> journal;
  // Registered (as RegisterKind and RegisterAgentType do) before the journal is restored,
  // so restored events and agents find their factories. Default: none.
  std::vector<KindSpec> kinds;
  std::vector<AgentTypeSpec> agent_types;

  // Threads that run handlers. 0: none; the caller drives the runtime with
  // RunUntilIdle() or Run(). Default: 1.
  int threads = 1;
};

class Runtime {
 public:
  // InvalidArgument for negative thread counts or a bad kind or agent type. With a
  // journal: the error of opening it (IOError, e.g. another runtime holds it), Corruption
  // for a journal it cannot read, FailedPrecondition for a restored agent whose type is
  // not registered. Restored events that cannot run (no factory, missed and skipped,
  // interrupted) are Past, in the archive, when it returns.
  static Result<std::unique_ptr<Runtime>> Create(RuntimeOptions options);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  std::shared_ptr<AgentSource> CreateSource(SourceOptions options);
  // NotFound if unknown or removed.
  Result<std::shared_ptr<AgentSource>> FindSource(SourceId id) const;
  // The source is gone: its agents are frozen (suspended) and the runtime's owner gets a
  // kAgentSuspended alarm for each, so someone can decide what happens to them.
  Status RemoveSource(SourceId id, Text why);
  // The runtime's owner: receives alarms about agents whose source is gone.
  std::shared_ptr<AgentSource> owner() const;

  // Plugin seam. InvalidArgument for an empty name or no factory; FailedPrecondition if
  // the name is taken. On a durable runtime, kinds of restored events and types of
  // restored agents must come through RuntimeOptions instead: Create restores them.
  Status RegisterKind(KindSpec kind);
  Status RegisterAgentType(std::string type, AgentFactory factory);

  EventScheduler& scheduler();
  AgentRegistry& registry();
  // The archive as it is, private data unmasked: for the host's own use.
  PastEventArchive& unmasked_archive();
  // The archive and the live events as `viewer` may see them, private data masked
  // (privacy.h): what the host shows a principal. Must not outlive the runtime.
  MaskedView View(SourceId viewer);
  Clock& clock();
  Sentinel& sentinel();
  boost::asio::io_context& io_context();

  // For threads = 0: runs every handler that is ready, including those they make ready,
  // and returns how many ran. With a ManualClock this runs everything the last Advance()
  // made due. After Shutdown: runs nothing, returns 0.
  std::size_t RunUntilIdle();
  // Runs handlers until Stop() or Shutdown().
  void Run();
  void Stop();

  // Stops the runtime for good, keeping everything a restart or a reader needs:
  //  1. It takes no new event or agent: Schedule, Spawn and CreateAgent return
  //     FailedPrecondition ("the runtime was shut down").
  //  2. It stops its threads, waiting for the handlers running now (work included) to
  //     return, and for hosts' Run/RunUntilIdle calls to return; no handler runs again.
  //  3. Its live events:
  //     - durable (RuntimeOptions::journal): they stay in the journal, unarchived, and the
  //       next Create over it restores them as after a crash (a running event of a kind
  //       that is not idempotent ends there as interrupted; journal.h, docs/archive.md);
  //     - otherwise they end Past now, so their records exist: a Future event (frozen and
  //       held ones too) as cancelled, "the runtime stopped before it ran" (withdrawn
  //       before it ran: nothing made it late, so not expired); a Current event as
  //       interrupted, "the runtime stopped while it ran" (the outcome a restart gives an
  //       event it finds running); an event already being killed or timed out as that.
  //     Their signals, OnPast, reports and alarms are emitted on the calling thread before
  //     Shutdown returns; hooks (OnStop) are not called, as no handler runs again.
  //  4. The archive gets every Past record: records it refused earlier are appended once
  //     more, then PastEventArchive::Flush() stores what it holds in memory (a
  //     TieredArchive hands its waiting records to its hard archive), and a durable
  //     runtime's journal writes what it has staged.
  // Returns the first error of step 4 (the archive's or the journal's, which then may
  // lose records); the runtime is shut down all the same, and later calls return the same
  // status. FailedPrecondition, doing nothing, when called from a handler of this runtime
  // or from a slot that its own shutdown is calling. Idempotent and thread-safe; the
  // destructor calls it and writes a failure to stderr, since it cannot return it.
  // Afterwards the archive, registry and scheduler can still be read.
  Status Shutdown();

 private:
  explicit Runtime(std::unique_ptr<internal::RuntimeCore> core);
  std::unique_ptr<internal::RuntimeCore> core_;
};

}  // namespace magent

#endif  // MAGENT_RUNTIME_H_
