// EventContextImpl: the EventContext handed to an event's work.
//
// Thread safety: as EventContext (on the agent's strand, from the work).
#ifndef MAGENT_SRC_SCHEDULER_EVENT_CONTEXT_IMPL_H_
#define MAGENT_SRC_SCHEDULER_EVENT_CONTEXT_IMPL_H_

#include "magent/event.h"

namespace magent::internal {

class SchedulerCore;
struct EventNode;

class EventContextImpl final : public EventContext {
 public:
  EventContextImpl(SchedulerCore* scheduler, EventNode* node)
      : scheduler_(scheduler), node_(node) {}

  EventId id() const override;
  const std::string& kind() const override;
  const std::string& payload() const override;
  Agent& agent() const override;
  TimePoint Now() const override;
  Result<EventId> Spawn(EventSpec spec) override;
  Result<Duration> RequestExtension(Duration more) override;
  bool stopping() const override;
  boost::asio::awaitable<Status> Checkpoint() override;
  boost::asio::awaitable<Status> SleepFor(Duration d) override;

 private:
  SchedulerCore* scheduler_;
  EventNode* node_;  // Lives at least until the work returns.
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_EVENT_CONTEXT_IMPL_H_
