#include "core/effects.h"

#include <boost/asio/post.hpp>

#include "core/runtime_core.h"
#include "core/source_core.h"
#include "scheduler/scheduler_core.h"

namespace magent::internal {

void Effects::Flush(RuntimeCore& rt) {
  // Most calls change the model and nothing else (a plain Schedule): nothing to do.
  if (transitions.empty() && past.empty() && messages.empty() && posts.empty() && !rt.journal) {
    return;
  }
  // What the change staged in the journal is written before anyone hears of it. A failed
  // write is kept and retried with the next.
  if (rt.journal) (void)rt.journal->Commit();
  if (!transitions.empty() || !past.empty()) rt.scheduler->Publish(*this);
  for (auto& [source, message] : messages) SourceCore::Of(*source).Deliver(message);
  for (auto& [executor, fn] : posts) boost::asio::post(executor, std::move(fn));
  transitions.clear();
  past.Clear();
  messages.clear();
  posts.clear();
}

}  // namespace magent::internal
