#include "core/runtime_core.h"

#include <algorithm>
#include <iostream>
#include <mutex>
#include <typeinfo>

#include "core/agent_core.h"
#include "core/agent_registry.h"
#include "core/effects.h"
#include "core/source_core.h"
#include "scheduler/scheduler_core.h"

namespace magent::internal {
namespace {

// The runtimes whose handlers this thread is running, innermost last (a handler of one
// runtime may drive another).
thread_local std::vector<const RuntimeCore*> driven_here;

struct DrivenBy {
  explicit DrivenBy(const RuntimeCore* rt) { driven_here.push_back(rt); }
  ~DrivenBy() { driven_here.pop_back(); }
  DrivenBy(const DrivenBy&) = delete;
  DrivenBy& operator=(const DrivenBy&) = delete;
};

}  // namespace

RuntimeCore::RuntimeCore(RuntimeOptions opts)
    : options(std::move(opts)),
      clock(options.clock ? options.clock : std::make_shared<SystemClock>()),
      sentinel(options.sentinel ? options.sentinel : std::make_shared<AllowAllSentinel>()),
      authorizes(options.sentinel != nullptr),
      archive(options.archive ? options.archive : std::make_shared<MemoryArchive>()) {
  scheduler = std::make_unique<SchedulerCore>(this);
  registry = std::make_unique<RegistryImpl>(this);
  std::lock_guard lock(mu);
  owner = SourceCore::Make(std::make_unique<SourceCore>(
      this, SourceId(++next_source_id),
      SourceOptions{.name = "runtime owner", .clearance = Clearance::kPrivate}, true));
  sources.push_back(owner);
}

RuntimeCore::~RuntimeCore() {
  const bool shut_down = shutdown_status_.has_value();
  if (Status s = Shutdown(); !s.ok() && !shut_down) {
    // Nobody is left to return it to; a lost record must not go unnoticed.
    std::cerr << "magent: the runtime stopped, but " << s.ToString() << "\n";
  }
  std::vector<std::shared_ptr<Agent>> agents;
  std::vector<std::unique_ptr<AgentCore>> cores;
  {
    std::lock_guard lock(mu);
    agents = registry->TakeAllLocked();
    for (auto& source : sources) SourceCore::Of(*source).agents.clear();
    // Agents may outlive the runtime (the application holds them): their cores (strands
    // on `io`, pointers to this runtime) go now, while `io` still lives.
    for (auto& agent : agents) cores.push_back(AgentCore::Detach(*agent));
  }
}

void RuntimeCore::Start() {
  if (options.threads <= 0) return;
  work_guard_.emplace(io.get_executor());
  for (int i = 0; i < options.threads; ++i) {
    threads_.emplace_back([this] {
      DrivenBy driven(this);
      io.run();
    });
  }
}

Status RuntimeCore::Shutdown() {
  if (DrivenHere()) {
    return Status::FailedPrecondition(
        "Shutdown was called from a handler of the runtime: it would wait for itself");
  }
  if (shutting_down_by_.load() == std::this_thread::get_id()) {
    return Status::FailedPrecondition("Shutdown was called from a slot of its own shutdown");
  }
  std::lock_guard once(shutdown_mu_);
  if (shutdown_status_) return *shutdown_status_;
  shutting_down_by_.store(std::this_thread::get_id());
  {
    std::lock_guard lock(mu);
    accepting = false;
  }
  {
    std::unique_lock lock(drive_mu_);
    stopped_ = true;
    work_guard_.reset();
    io.stop();
    drivers_gone_.wait(lock, [this] { return drivers_ == 0; });
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Nothing runs handlers any more: what ends now is published on this thread, and what
  // it posts (hooks, work) is never run.
  Effects fx;
  if (!journal) {
    std::lock_guard lock(mu);
    scheduler->EndAllLocked(Now(), fx);
  }
  fx.Flush(*this);
  scheduler->Shutdown();  // A durable runtime's live events stay in the journal.
  Status status = scheduler->ArchiveRefused();
  if (Status s = archive->Flush(); !s.ok() && status.ok()) {
    status = Status(s.code(), "the archive could not store its records: " + s.message());
  }
  if (journal) {
    if (Status s = journal->Commit(); !s.ok() && status.ok()) {
      status = Status(s.code(), "the journal could not be written: " + s.message());
    }
  }
  shutting_down_by_.store(std::thread::id());
  shutdown_status_ = status;
  return status;
}

template <typename RunIo>
void RuntimeCore::Drive(RunIo run) {
  {
    std::lock_guard lock(drive_mu_);
    ++drivers_;
  }
  DrivenBy driven(this);
  struct Leave {
    RuntimeCore* rt;
    ~Leave() {
      std::lock_guard lock(rt->drive_mu_);
      if (--rt->drivers_ == 0) rt->drivers_gone_.notify_all();
    }
  } leave{this};
  run();
}

bool RuntimeCore::RestartIo() {
  std::lock_guard lock(drive_mu_);
  if (stopped_) return false;
  io.restart();
  return true;
}

std::size_t RuntimeCore::RunUntilIdle() {
  std::size_t total = 0;
  Drive([this, &total] {
    while (RestartIo()) {
      const std::size_t ran = io.poll();
      total += ran;
      if (ran == 0) return;
    }
  });
  return total;
}

void RuntimeCore::Run() {
  auto guard = boost::asio::make_work_guard(io);
  Drive([this] {
    if (RestartIo()) io.run();
  });
}

bool RuntimeCore::DrivenHere() const {
  return std::find(driven_here.begin(), driven_here.end(), this) != driven_here.end();
}

std::shared_ptr<AgentSource> RuntimeCore::NewSource(SourceOptions source_options) {
  std::shared_ptr<AgentSource> source;
  {
    std::lock_guard lock(mu);
    source = SourceCore::Make(std::make_unique<SourceCore>(this, SourceId(++next_source_id),
                                                           std::move(source_options), false));
    sources.push_back(source);
    SourceCore::Of(*source).JournalLocked();
  }
  if (Status kept = SourceCore::Of(*source).KeepKey(); !kept.ok()) {
    SourceCore::Of(*owner).Deliver(SourceMessage{
        SourceMessage::Kind::kKeyNotKept, Now(), AgentId(),
        Text("magent.key_not_kept",
             "The signing key of source '{0}' could not be kept ({1}); after a restart it "
             "cannot sign until its key is given again.",
             {SourceCore::Of(*source).name, kept.message()})});
  }
  if (journal) (void)journal->Commit();  // A failed write is retried with the next.
  return source;
}

Result<std::shared_ptr<AgentSource>> RuntimeCore::FindSource(SourceId id) const {
  std::lock_guard lock(const_cast<std::mutex&>(mu));
  for (const auto& source : sources) {
    if (source->id() == id && SourceCore::Of(*source).alive) return source;
  }
  return Status::NotFound("no source " + id.ToString());
}

Status RuntimeCore::RemoveSource(SourceId id, Text why) {
  Effects fx;
  {
    std::lock_guard lock(mu);
    SourceCore* found = nullptr;
    for (const auto& source : sources) {
      if (source->id() == id) found = &SourceCore::Of(*source);
    }
    if (!found || !found->alive) return Status::NotFound("no source " + id.ToString());
    if (found->is_owner) return Status::InvalidArgument("the runtime's owner stays");
    found->alive = false;
    found->JournalLocked();
    for (const auto& agent : found->agents) AgentCore::Of(*agent)->SourceGoneLocked(why, fx);
  }
  fx.Flush(*this);
  return Status::OK();
}

Status RuntimeCore::RegisterKind(KindSpec kind) {
  if (kind.name.empty()) return Status::InvalidArgument("kind name is empty");
  if (!kind.factory) return Status::InvalidArgument("kind '" + kind.name + "' has no factory");
  std::unique_lock lock(kinds_mu_);
  std::string name = kind.name;
  if (!kinds_.emplace(name, std::move(kind)).second) {
    return Status::FailedPrecondition("kind '" + name + "' is already registered");
  }
  return Status::OK();
}

Status RuntimeCore::RegisterAgentType(std::string type, AgentFactory factory) {
  if (type.empty()) return Status::InvalidArgument("agent type is empty");
  if (!factory) return Status::InvalidArgument("agent type '" + type + "' has no factory");
  std::unique_lock lock(kinds_mu_);
  if (!agent_types_.emplace(type, std::move(factory)).second) {
    return Status::FailedPrecondition("agent type '" + type + "' is already registered");
  }
  return Status::OK();
}

Result<Work> RuntimeCore::BuildWork(const std::string& kind, const std::string& payload) const {
  std::function<Result<Work>(const std::string&)> factory;
  {
    std::shared_lock lock(kinds_mu_);
    auto it = kinds_.find(kind);
    if (it == kinds_.end()) {
      return Status::InvalidArgument("event of kind '" + kind +
                                     "' has no work and no factory is registered for it");
    }
    factory = it->second.factory;
  }
  Result<Work> work = factory(payload);
  if (work.ok() && std::holds_alternative<std::monostate>(*work)) {
    return Status::Internal("the factory of kind '" + kind + "' made no work");
  }
  return work;
}

std::optional<KindSpec> RuntimeCore::FindKind(const std::string& name) const {
  std::shared_lock lock(kinds_mu_);
  auto it = kinds_.find(name);
  if (it == kinds_.end()) return std::nullopt;
  return it->second;
}

bool RuntimeCore::HasKind(const std::string& name) const {
  std::shared_lock lock(kinds_mu_);
  return kinds_.count(name) != 0;
}

Result<std::shared_ptr<Agent>> RuntimeCore::MakeAgentOfType(const std::string& type) const {
  AgentFactory factory;
  {
    std::shared_lock lock(kinds_mu_);
    auto it = agent_types_.find(type);
    if (it == agent_types_.end()) return Status::NotFound("no agent type '" + type + "'");
    factory = it->second;
  }
  std::shared_ptr<Agent> agent = factory();
  if (!agent) return Status::Internal("the factory of agent type '" + type + "' made none");
  return agent;
}

Status RuntimeCore::AttachAgent(AgentSource& source, std::shared_ptr<Agent> agent,
                                AgentOptions agent_options, std::string type) {
  if (!agent) return Status::InvalidArgument("no agent");
  Effects fx;
  {
    std::lock_guard lock(mu);
    if (!accepting) return Status::FailedPrecondition("the runtime was shut down");
    SourceCore& sc = SourceCore::Of(source);
    if (!sc.alive) return Status::FailedPrecondition("source '" + sc.name + "' was removed");
    if (AgentCore::Of(*agent)) return Status::FailedPrecondition("agent is already attached");
    // A restart rebuilds an agent by its type's factory; one of a class no type makes
    // came back as a plain Agent, its own code silently gone.
    const Agent& made = *agent;
    if (journal && type.empty() && typeid(made) != typeid(Agent)) {
      return Status::FailedPrecondition(
          "agent '" + agent_options.name +
          "' is of a class no registered agent type makes, so a restart could not rebuild "
          "it; register its type (RuntimeOptions::agent_types) and create it with "
          "CreateAgent(type, options)");
    }
    auto core = std::make_unique<AgentCore>(this, agent.get(), &source, AgentId(++next_agent_id),
                                            std::move(agent_options), std::move(type), Now());
    AgentCore* raw = core.get();
    AgentCore::Install(*agent, std::move(core));
    sc.agents.push_back(agent);
    registry->AddLocked(agent);
    raw->JournalLocked();
    raw->StartHook(fx);
  }
  fx.Flush(*this);
  return Status::OK();
}

}  // namespace magent::internal
