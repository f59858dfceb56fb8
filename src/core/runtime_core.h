// RuntimeCore: the state behind a Runtime, shared by every internal part.
//
// Thread safety: `mu` is the model lock. It guards the state of every agent, source and
// event (AgentCore, SourceCore and the scheduler say which fields). Kinds and agent types
// have their own lock because they are read on every Schedule without touching the model.
#ifndef MAGENT_SRC_CORE_RUNTIME_CORE_H_
#define MAGENT_SRC_CORE_RUNTIME_CORE_H_

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/effects.h"
#include "core/journal.h"
#include "magent/runtime.h"

namespace magent::internal {

class SchedulerCore;
class RegistryImpl;

class RuntimeCore {
 public:
  explicit RuntimeCore(RuntimeOptions options);
  ~RuntimeCore();

  // Starts the worker threads (if any).
  void Start();
  // Runtime::Shutdown. The first call does it; later ones return its status.
  // FailedPrecondition, doing nothing, from a handler of this runtime (it would wait for
  // itself) or from a slot that the shutdown itself is calling.
  Status Shutdown();
  // Runtime::RunUntilIdle, Run: nothing once Shutdown began.
  std::size_t RunUntilIdle();
  void Run();

  std::shared_ptr<AgentSource> NewSource(SourceOptions options);
  Result<std::shared_ptr<AgentSource>> FindSource(SourceId id) const;
  Status RemoveSource(SourceId id, Text why);

  // Restores what `contents` holds (Runtime::Create, before Start). FailedPrecondition
  // for an agent whose type is not registered. REQUIRES: mu not held.
  Status Restore(JournalContents&& contents);

  Status RegisterKind(KindSpec kind);
  Status RegisterAgentType(std::string type, AgentFactory factory);
  // Builds the work registered for `kind`. InvalidArgument if none is registered.
  Result<Work> BuildWork(const std::string& kind, const std::string& payload) const;
  Result<std::shared_ptr<Agent>> MakeAgentOfType(const std::string& type) const;
  // The registered kind `name`, if any (a copy).
  std::optional<KindSpec> FindKind(const std::string& name) const;
  bool HasKind(const std::string& name) const;

  // Registers a fresh agent for `source`; `type` is its registered type, or empty.
  // REQUIRES: mu not held.
  Status AttachAgent(AgentSource& source, std::shared_ptr<Agent> agent, AgentOptions options,
                     std::string type);

  TimePoint Now() const { return clock->Now(); }

  // Runs `op(fx)` under the model lock, then performs what it recorded in `fx` once the
  // lock is released; returns what `op` returned. REQUIRES: mu not held.
  template <typename Op>
  Status Change(Op op) {
    Effects fx;
    Status status;
    {
      std::lock_guard lock(mu);
      status = op(fx);
    }
    fx.Flush(*this);
    return status;
  }

  RuntimeOptions options;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<Sentinel> sentinel;
  // False when the runtime was given no Sentinel: every event is allowed unasked and no
  // decision is recorded (there is none to record).
  const bool authorizes;
  std::shared_ptr<PastEventArchive> archive;
  std::unique_ptr<Journal> journal;  // Null unless durable; set before Start().
  boost::asio::io_context io;

  std::mutex mu;  // The model lock.
  // False once Shutdown began: no new event or agent is taken. Guarded by mu.
  bool accepting = true;
  std::unique_ptr<SchedulerCore> scheduler;
  std::unique_ptr<RegistryImpl> registry;
  std::vector<std::shared_ptr<AgentSource>> sources;  // Guarded by mu; removed ones too.
  std::shared_ptr<AgentSource> owner;
  std::uint64_t next_source_id = 0;  // Guarded by mu.
  std::uint64_t next_agent_id = 0;   // Guarded by mu.

 private:
  mutable std::shared_mutex kinds_mu_;
  std::unordered_map<std::string, KindSpec> kinds_;            // Guarded by kinds_mu_.
  std::unordered_map<std::string, AgentFactory> agent_types_;  // Guarded by kinds_mu_.

  // Calls `run`, which runs `io` on this thread, counted as a driver so that Shutdown can
  // wait until no host thread runs handlers.
  template <typename RunIo>
  void Drive(RunIo run);
  // Readies `io` for another run, unless Shutdown stopped it for good (then false). Under
  // drive_mu_, as Shutdown's stop, so a restart cannot undo that stop.
  bool RestartIo();
  // True when this thread is running handlers of this runtime.
  bool DrivenHere() const;

  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      work_guard_;
  std::vector<std::thread> threads_;

  std::mutex drive_mu_;
  std::condition_variable drivers_gone_;
  int drivers_ = 0;       // Host threads in Run or RunUntilIdle. Guarded by drive_mu_.
  bool stopped_ = false;  // Shutdown stopped `io` for good. Guarded by drive_mu_.

  std::mutex shutdown_mu_;  // One Shutdown at a time.
  // The thread in Shutdown: a slot it calls that calls Shutdown is refused, not deadlocked.
  std::atomic<std::thread::id> shutting_down_by_{};
  std::optional<Status> shutdown_status_;  // Set when Shutdown is done. Guarded by shutdown_mu_.
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_RUNTIME_CORE_H_
