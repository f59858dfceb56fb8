// The scheduler under real threads (run it under ThreadSanitizer): a runtime with two
// threads on the system clock, several agents, and several std::threads scheduling,
// killing and freezing at once. Completion is signalled from OnPast; nothing sleeps.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "magent/magent.h"

namespace magent {
namespace {

using Awaitable = boost::asio::awaitable<Result<Text>>;

EventSpec Spec(std::string kind, Work work) {
  EventSpec spec;
  spec.kind = std::move(kind);
  spec.work = std::move(work);
  return spec;
}

TEST(SchedulerConcurrencyTest, ThreadsScheduleKillAndFreezeThousandsOfEvents) {
  constexpr int kAgents = 4;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  constexpr int kScheduled = kThreads * kPerThread;
  constexpr int kParents = kScheduled / 10;  // Events i % 10 == 5 spawn one child each.

  auto archive = std::make_shared<MemoryArchive>(MemoryArchiveOptions{.max_events = 100000});
  auto created = Runtime::Create({.archive = archive, .threads = 2});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::unique_ptr<Runtime> runtime = std::move(created).value();

  std::atomic<int> spawned{0};
  std::mutex mu;
  std::condition_variable cv;
  int past = 0;  // Guarded by mu.
  boost::signals2::scoped_connection on_past =
      runtime->scheduler().OnPastUnmasked([&](const EventRecord& r) {
        EXPECT_EQ(r.state, EventState::kPast);
        EXPECT_FALSE(r.result.empty());
        std::lock_guard lock(mu);
        ++past;
        cv.notify_all();
      });
  std::atomic<int> transitions{0};
  boost::signals2::scoped_connection on_transition =
      runtime->scheduler().OnTransition([&](const Transition&) { ++transitions; });

  auto source = runtime->CreateSource({.name = "load"});
  std::vector<std::shared_ptr<Agent>> agents;
  for (int i = 0; i < kAgents; ++i) {
    auto agent = source->CreateAgent({});
    ASSERT_TRUE(agent.ok());
    agents.push_back(*agent);
  }

  std::atomic<int> ran{0};
  std::atomic<int> kills{0};
  std::atomic<int> refused{0};
  auto child_work = PlainWork([&ran](EventContext&) -> Result<Text> {
    ++ran;
    return Text("child");
  });
  auto parent_work = PlainWork([&](EventContext& ctx) -> Result<Text> {
    ++ran;
    auto child = ctx.Spawn(Spec("child", child_work));
    if (!child.ok()) return child.status();
    ++spawned;
    return Text("parent");
  });
  auto plain_work = PlainWork([&ran](EventContext&) -> Result<Text> {
    ++ran;
    return Text("plain");
  });
  auto coroutine_work = CoroutineWork([&ran](EventContext& ctx) -> Awaitable {
    ++ran;
    Status s = co_await ctx.Checkpoint();
    if (!s.ok()) co_return s;
    co_return Text("coroutine");
  });

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Agent& agent = *agents[static_cast<std::size_t>((t + i) % kAgents)];
        EventSpec spec = i % 10 == 5  ? Spec("parent", parent_work)
                         : i % 3 == 0 ? Spec("coroutine", coroutine_work)
                                      : Spec("plain", plain_work);
        auto id = agent.Schedule(std::move(spec));
        if (!id.ok()) {
          ++refused;
          continue;
        }
        if (i % 10 == 0 && agent.Kill(*id).ok()) ++kills;
      }
    });
  }
  // Meanwhile one agent is frozen and unfrozen over and over.
  threads.emplace_back([&] {
    for (int i = 0; i < 300; ++i) {
      EXPECT_TRUE(agents[0]->FreezeAll().ok());
      EXPECT_TRUE(agents[0]->UnfreezeAll().ok());
    }
  });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(refused.load(), 0);

  {
    // Every scheduled event ends, and so does the child of every parent: once `past`
    // counts them all, no parent is left to spawn.
    std::unique_lock lock(mu);
    const bool all_past = cv.wait_for(lock, std::chrono::seconds(60),
                                      [&] { return past == kScheduled + spawned.load(); });
    ASSERT_TRUE(all_past) << past << " of " << kScheduled + spawned.load() << " ended";
  }
  EXPECT_EQ(spawned.load(), kParents);
  const int total = kScheduled + kParents;

  SchedulerCounts counts = runtime->scheduler().Counts();
  EXPECT_EQ(counts.future, 0u);
  EXPECT_EQ(counts.current, 0u);
  EXPECT_EQ(counts.frozen, 0u);
  EXPECT_EQ(counts.past, static_cast<std::uint64_t>(total));

  KindCounts sum;
  for (const auto& agent : agents) {
    for (const auto& [kind, c] : agent->Counts()) {
      sum.succeeded += c.succeeded;
      sum.failed += c.failed;
      sum.killed += c.killed;
      sum.timed_out += c.timed_out;
      sum.cancelled += c.cancelled;
      sum.expired += c.expired;
    }
  }
  EXPECT_EQ(sum.killed, static_cast<std::uint64_t>(kills.load()));
  EXPECT_EQ(sum.succeeded + sum.killed, static_cast<std::uint64_t>(total));
  EXPECT_EQ(sum.failures(), sum.killed);

  // Stop the runtime's threads so every archive append has returned. Agents and sources
  // must go first: an Agent that outlives its Runtime touches the freed io_context when
  // it is destroyed.
  agents.clear();
  source.reset();
  runtime.reset();

  ASSERT_EQ(archive->size(), static_cast<std::size_t>(total));
  std::map<Outcome, int> outcomes;
  std::map<EventId, EventRecord> by_id;
  for (const EventRecord& r : archive->Query({.limit = 1000000})) {
    ++outcomes[r.outcome];
    by_id.emplace(r.id, r);
  }
  ASSERT_EQ(by_id.size(), static_cast<std::size_t>(total));
  EXPECT_EQ(outcomes[Outcome::kKilled], kills.load());
  EXPECT_EQ(outcomes[Outcome::kSucceeded], total - kills.load());
  EXPECT_GE(ran.load(), total - kills.load());
  EXPECT_LE(ran.load(), total);
  int children = 0;
  int started = 0;
  for (const auto& [id, r] : by_id) {
    EXPECT_EQ(r.state, EventState::kPast);
    EXPECT_FALSE(r.result.empty());
    EXPECT_GE(r.finished, r.created);
    if (r.started != TimePoint{}) {
      ++started;
      EXPECT_GE(r.started, r.due);
    }
    if (r.kind != "child") {
      EXPECT_EQ(r.parent, EventId());
      continue;
    }
    ++children;
    auto parent = by_id.find(r.parent);
    ASSERT_NE(parent, by_id.end()) << "child " << id.value();
    EXPECT_EQ(parent->second.kind, "parent");
    EXPECT_EQ(parent->second.agent, r.agent);
  }
  EXPECT_EQ(children, kParents);
  // Scheduled and ended, each of them; started, those that ran.
  EXPECT_EQ(transitions.load(), 2 * total + started);
}

// Plain work reads its payload without the model lock while another thread freezes it,
// which gives the node the details the payload lives in (ThreadSanitizer watches this).
TEST(SchedulerConcurrencyTest, WorkReadsItsPayloadWhileAnotherThreadFreezesIt) {
  auto created = Runtime::Create({.threads = 1});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::unique_ptr<Runtime> runtime = std::move(created).value();
  auto agent = runtime->CreateSource({.name = "reader"})->CreateAgent({});
  ASSERT_TRUE(agent.ok());

  std::mutex mu;
  std::condition_variable cv;
  bool running = false;  // Guarded by mu.
  bool ended = false;    // Guarded by mu.
  std::atomic<bool> frozen{false};
  boost::signals2::scoped_connection on_past =
      runtime->scheduler().OnPastUnmasked([&](const EventRecord&) {
        std::lock_guard lock(mu);
        ended = true;
        cv.notify_all();
      });
  std::atomic<int> non_empty{0};
  auto reader = PlainWork([&](EventContext& ctx) -> Result<Text> {
    {
      std::lock_guard lock(mu);
      running = true;
      cv.notify_all();
    }
    // Reads before, during and after the freeze.
    for (int reads = 0; !frozen.load() || reads < 1000; ++reads) {
      if (!ctx.payload().empty()) ++non_empty;
    }
    return Text("read");
  });
  Result<EventId> id = (*agent)->Schedule(Spec("read", reader));
  ASSERT_TRUE(id.ok());
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return running; });
  }
  ASSERT_TRUE((*agent)->Freeze(*id).ok());
  frozen = true;
  ASSERT_TRUE((*agent)->Unfreeze(*id).ok());
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ended; });
  }
  EXPECT_EQ(non_empty.load(), 0);
}

}  // namespace
}  // namespace magent
