// Effects: what a change of the model makes happen outside the model lock.
//
// Every change of agents and events happens under RuntimeCore::mu and records here what
// must follow: signals, archive appends, messages to sources, work posted to strands.
// Flush() performs them after the lock is released, so slots, subscribers and archives
// may call back into magent without deadlock.
//
// Thread safety: one Effects belongs to one call on one thread.
#ifndef MAGENT_SRC_CORE_EFFECTS_H_
#define MAGENT_SRC_CORE_EFFECTS_H_

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "magent/agent_source.h"
#include "magent/event.h"
#include "magent/past_record_batch.h"

namespace magent::internal {

class RuntimeCore;

struct Effects {
  std::vector<Transition> transitions;  // Only collected when someone listens.
  PastRecordBatch past;
  std::vector<std::pair<std::shared_ptr<AgentSource>, SourceMessage>> messages;
  std::vector<std::pair<boost::asio::any_io_executor, std::function<void()>>> posts;

  void Post(const boost::asio::any_io_executor& ex, std::function<void()> fn) {
    posts.emplace_back(ex, std::move(fn));
  }
  // REQUIRES: RuntimeCore::mu not held.
  void Flush(RuntimeCore& rt);
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_EFFECTS_H_
