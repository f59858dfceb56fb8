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
// a handler. Destroying the runtime stops its threads; events still live are not archived.
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
  PastEventArchive& archive();
  Clock& clock();
  Sentinel& sentinel();
  boost::asio::io_context& io_context();

  // For threads = 0: runs every handler that is ready, including those they make ready,
  // and returns how many ran. With a ManualClock this runs everything the last Advance()
  // made due.
  std::size_t RunUntilIdle();
  // Runs handlers until Stop().
  void Run();
  void Stop();

 private:
  explicit Runtime(std::unique_ptr<internal::RuntimeCore> core);
  std::unique_ptr<internal::RuntimeCore> core_;
};

}  // namespace magent

#endif  // MAGENT_RUNTIME_H_
