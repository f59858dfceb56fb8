#include "magent/runtime.h"

#include "core/agent_registry.h"
#include "core/runtime_core.h"
#include "scheduler/scheduler_core.h"

namespace magent {

Result<std::unique_ptr<Runtime>> Runtime::Create(RuntimeOptions options) {
  if (options.threads < 0) return Status::InvalidArgument("threads must be 0 or more");
  if (options.orphan_grace < Duration::zero()) {
    return Status::InvalidArgument("orphan_grace must not be negative");
  }
  auto core = std::make_unique<internal::RuntimeCore>(std::move(options));
  for (KindSpec& kind : core->options.kinds) {
    if (Status s = core->RegisterKind(std::move(kind)); !s.ok()) return s;
  }
  for (AgentTypeSpec& type : core->options.agent_types) {
    if (Status s = core->RegisterAgentType(std::move(type.type), std::move(type.factory));
        !s.ok()) {
      return s;
    }
  }
  core->options.kinds.clear();
  core->options.agent_types.clear();
  if (core->options.journal) {
    auto journal = internal::OpenLevelDbJournal(*core->options.journal);
    if (!journal.ok()) return journal.status();
    internal::JournalContents contents;
    if (Status s = (*journal)->Load(contents); !s.ok()) return s;
    core->journal = std::move(journal).value();
    if (Status s = core->Restore(std::move(contents)); !s.ok()) return s;
  }
  core->Start();
  return std::unique_ptr<Runtime>(new Runtime(std::move(core)));
}

Runtime::Runtime(std::unique_ptr<internal::RuntimeCore> core) : core_(std::move(core)) {}
Runtime::~Runtime() = default;

std::shared_ptr<AgentSource> Runtime::CreateSource(SourceOptions options) {
  return core_->NewSource(std::move(options));
}

Result<std::shared_ptr<AgentSource>> Runtime::FindSource(SourceId id) const {
  return core_->FindSource(id);
}

Status Runtime::RemoveSource(SourceId id, Text why) {
  return core_->RemoveSource(id, std::move(why));
}

std::shared_ptr<AgentSource> Runtime::owner() const { return core_->owner; }

Status Runtime::RegisterKind(KindSpec kind) { return core_->RegisterKind(std::move(kind)); }

Status Runtime::RegisterAgentType(std::string type, AgentFactory factory) {
  return core_->RegisterAgentType(std::move(type), std::move(factory));
}

EventScheduler& Runtime::scheduler() { return *core_->scheduler; }
AgentRegistry& Runtime::registry() { return *core_->registry; }
PastEventArchive& Runtime::unmasked_archive() { return *core_->archive; }
MaskedView Runtime::View(SourceId viewer) {
  return MaskedView(*core_->archive, *core_->scheduler, *core_->sentinel, viewer);
}
Clock& Runtime::clock() { return *core_->clock; }
Sentinel& Runtime::sentinel() { return *core_->sentinel; }
boost::asio::io_context& Runtime::io_context() { return core_->io; }

Status Runtime::Shutdown() { return core_->Shutdown(); }

std::size_t Runtime::RunUntilIdle() { return core_->RunUntilIdle(); }

void Runtime::Run() { core_->Run(); }

void Runtime::Stop() { core_->io.stop(); }

}  // namespace magent
