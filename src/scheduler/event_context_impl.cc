#include "scheduler/event_context_impl.h"

#include <mutex>

#include "core/agent_core.h"
#include "core/runtime_core.h"
#include "scheduler/event_node.h"
#include "scheduler/scheduler_core.h"

namespace magent::internal {

EventId EventContextImpl::id() const { return node_->id; }

const std::string& EventContextImpl::kind() const { return *node_->kind; }

const std::string& EventContextImpl::payload() const {
  static const std::string kEmpty;
  // The work runs without the lock, while a freeze or a kill may give the node its
  // details; the payload itself does not change until the work has returned.
  std::lock_guard lock(scheduler_->runtime().mu);
  return node_->details ? node_->details->payload : kEmpty;
}

Agent& EventContextImpl::agent() const {
  std::lock_guard lock(scheduler_->runtime().mu);  // Adopt may move the event.
  return node_->agent->agent();
}

TimePoint EventContextImpl::Now() const { return scheduler_->runtime().Now(); }

Result<EventId> EventContextImpl::Spawn(EventSpec spec) {
  AgentCore* agent;
  {
    std::lock_guard lock(scheduler_->runtime().mu);
    agent = node_->agent;
  }
  return scheduler_->Schedule(*agent, std::move(spec), node_->id);
}

Result<Duration> EventContextImpl::RequestExtension(Duration more) {
  return scheduler_->RequestExtension(node_, more);
}

bool EventContextImpl::stopping() const { return node_->stopping.load(); }

boost::asio::awaitable<Status> EventContextImpl::Checkpoint() {
  if (!node_->coroutine()) {
    co_return Status::FailedPrecondition("await points are for coroutine work");
  }
  co_return co_await scheduler_->Checkpoint(node_);
}

boost::asio::awaitable<Status> EventContextImpl::SleepFor(Duration d) {
  if (!node_->coroutine()) {
    co_return Status::FailedPrecondition("await points are for coroutine work");
  }
  co_return co_await scheduler_->SleepFor(node_, d);
}

}  // namespace magent::internal
