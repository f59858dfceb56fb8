// Work and specs shared by the core tests.
#ifndef MAGENT_TESTS_CORE_TEST_WORK_H_
#define MAGENT_TESTS_CORE_TEST_WORK_H_

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "testing/manual_runtime.h"

namespace magent::testing {

// True on the thread that runs `agent`'s strand now: hooks and work must run there.
inline bool OnStrandOf(const Agent& agent) {
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  boost::asio::any_io_executor ex = agent.executor();
  const Strand* strand = ex.target<Strand>();
  return strand && strand->running_in_this_thread();
}

// Work that fails with `status`.
inline Work Fail(Status status = Status::Unavailable("no stock")) {
  return PlainWork([status](EventContext&) -> Result<Text> { return status; });
}

// Work that throws.
inline Work Throw(std::string what = "boom") {
  return PlainWork([what](EventContext&) -> Result<Text> { throw std::runtime_error(what); });
}

// Coroutine work: sleeps `d` on the runtime's clock, then succeeds with "slept"; returns
// the await point's error if it was stopped or killed meanwhile.
inline boost::asio::awaitable<Result<Text>> SleepThenSucceed(EventContext& ctx, Duration d) {
  Status s = co_await ctx.SleepFor(d);
  if (!s.ok()) co_return s;
  co_return Text("slept");
}
inline Work Sleep(Duration d) {
  return CoroutineWork([d](EventContext& ctx) { return SleepThenSucceed(ctx, d); });
}

// Coroutine work that spawns a child (due `child_after` from now, doing `child`), stores
// its id in `*child_id`, then sleeps `d`.
inline boost::asio::awaitable<Result<Text>> SpawnThenSleep(EventContext& ctx,
                                                           std::shared_ptr<EventId> child_id,
                                                           Duration child_after, Duration d) {
  Result<EventId> child = ctx.Spawn(Spec("child", Succeed("child done"), ctx.Now() + child_after));
  if (!child.ok()) co_return child.status();
  *child_id = *child;
  Status s = co_await ctx.SleepFor(d);
  if (!s.ok()) co_return s;
  co_return Text("parent done");
}
inline Work SpawnAndSleep(std::shared_ptr<EventId> child_id, Duration child_after, Duration d) {
  return CoroutineWork([child_id, child_after, d](EventContext& ctx) {
    return SpawnThenSleep(ctx, child_id, child_after, d);
  });
}

// Messages of `kind` in `inbox`.
inline std::vector<SourceMessage> OfKind(const std::vector<SourceMessage>& inbox,
                                         SourceMessage::Kind kind) {
  std::vector<SourceMessage> out;
  std::copy_if(inbox.begin(), inbox.end(), std::back_inserter(out),
               [kind](const SourceMessage& m) { return m.kind == kind; });
  return out;
}

}  // namespace magent::testing

#endif  // MAGENT_TESTS_CORE_TEST_WORK_H_
