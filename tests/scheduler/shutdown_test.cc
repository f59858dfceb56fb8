// Destroying or shutting down a runtime with events in every state: every event's memory
// is freed (run under AddressSanitizer, whose leak check fails the run otherwise), the
// live ones of a runtime without a journal end Past (issue 16), and threads that run
// handlers or schedule events meanwhile stop cleanly (run under ThreadSanitizer).
#include <future>
#include <latch>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::CountingWork;
using testing::Spec;
using namespace std::chrono_literals;

TEST(SchedulerShutdownTest, DestroyingTheRuntimeFreesEveryEventAndArchivesTheLiveOnesIssue16) {
  auto clock = std::make_shared<ManualClock>(testing::TestEpoch());
  auto archive = std::make_shared<MemoryArchive>();
  auto created = Runtime::Create({.clock = clock, .archive = archive, .threads = 0});
  ASSERT_TRUE(created.ok());
  std::unique_ptr<Runtime> rt = std::move(created).value();
  auto source = rt->CreateSource({.name = "Laurent"});
  auto agent = source->CreateAgent({}).value();
  auto frozen_agent = source->CreateAgent({}).value();
  rt->RunUntilIdle();

  int calls = 0;
  std::vector<EventId> ended;
  // Killed while Future: their queue entries go stale.
  for (int i = 0; i < 20; ++i) {
    auto id = agent->Schedule(Spec("later", CountingWork(&calls), clock->Now() + 1h));
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(agent->Kill(*id).ok());
    ended.push_back(*id);
  }
  // Finished with a deadline still queued.
  for (int i = 0; i < 20; ++i) {
    EventSpec spec = Spec("bounded", CountingWork(&calls));
    spec.allowable = 1h;
    auto id = agent->Schedule(std::move(spec));
    ASSERT_TRUE(id.ok());
    ended.push_back(*id);
  }
  rt->RunUntilIdle();
  EXPECT_EQ(calls, 20);

  // Live at the end: Future, Current (a sleeping coroutine), frozen and parked.
  int live_calls = 0;
  const EventId future =
      agent->Schedule(Spec("future", CountingWork(&live_calls), clock->Now() + 1h)).value();
  EventSpec sleeper = Spec("sleeper", CoroutineWork([](EventContext& ctx) -> Awaitable {
                             (void)co_await ctx.SleepFor(1h);
                             co_return Text("woke");
                           }));
  sleeper.allowable = 2h;
  const EventId current = agent->Schedule(std::move(sleeper)).value();
  ASSERT_TRUE(frozen_agent->FreezeAll().ok());
  const EventId frozen = frozen_agent->Schedule(Spec("frozen", CountingWork(&live_calls))).value();
  rt->RunUntilIdle();
  clock->Advance(1min);
  rt->RunUntilIdle();
  EXPECT_EQ(rt->scheduler().Counts().current, 1u);
  EXPECT_EQ(rt->scheduler().Counts().future, 2u);

  // Agents and sources first: one that outlives its Runtime touches the freed io_context
  // when it is destroyed.
  agent.reset();
  frozen_agent.reset();
  source.reset();
  rt.reset();
  EXPECT_EQ(live_calls, 0);
  EXPECT_EQ(archive->size(), ended.size() + 3);
  for (EventId id : ended) EXPECT_TRUE(archive->Get(id).ok()) << "event " << id.value();
  EXPECT_EQ(archive->Get(future)->outcome, Outcome::kCancelled);
  EXPECT_EQ(archive->Get(current)->outcome, Outcome::kInterrupted);
  EXPECT_EQ(archive->Get(frozen)->outcome, Outcome::kCancelled);
}

// Host threads schedule while the runtime's threads run the events and a coroutine sleeps;
// then the runtime shuts down. Each Schedule either returned an id whose record is
// archived, or was refused because the runtime was shut down.
TEST(SchedulerShutdownTest, Issue16ShutdownWhileThreadsRunAndScheduleArchivesEveryAdmittedEvent) {
  // Unbounded: the hosts schedule until the shutdown refuses them, which on a loaded
  // machine can be more events than the default bound keeps, and the oldest would go.
  auto archive = std::make_shared<MemoryArchive>(
      MemoryArchiveOptions{.max_events = std::numeric_limits<std::size_t>::max()});
  auto created = Runtime::Create({.archive = archive, .threads = 2});
  ASSERT_TRUE(created.ok());
  std::unique_ptr<Runtime> rt = std::move(created).value();
  auto source = rt->CreateSource({.name = "Laurent"});

  std::promise<void> asleep;
  EventSpec sleeper = Spec("sleeper", CoroutineWork([&asleep](EventContext& ctx) -> Awaitable {
                             asleep.set_value();
                             (void)co_await ctx.SleepFor(1h);
                             co_return Text("woke");
                           }));
  auto sleeping_agent = source->CreateAgent({}).value();
  const EventId current = sleeping_agent->Schedule(std::move(sleeper)).value();
  asleep.get_future().wait();

  constexpr int kThreads = 3;
  std::latch scheduling(kThreads);
  std::vector<std::vector<EventId>> admitted(kThreads);
  std::vector<Status> refused(kThreads);
  std::vector<std::thread> hosts;
  for (int t = 0; t < kThreads; ++t) {
    auto agent = source->CreateAgent({}).value();
    hosts.emplace_back([&, t, agent] {
      for (int i = 0;; ++i) {
        // Half run at once on the runtime's threads, half wait an hour.
        const TimePoint due = i % 2 ? rt->clock().Now() + 1h : TimePoint{};
        auto id = agent->Schedule(Spec("tick", testing::Succeed("ticked"), due));
        if (!id.ok()) {
          refused[t] = id.status();
          break;
        }
        admitted[t].push_back(*id);
        if (i == 50) scheduling.count_down();
      }
    });
  }
  scheduling.wait();
  EXPECT_TRUE(rt->Shutdown().ok());
  for (std::thread& host : hosts) host.join();

  std::size_t total = 1;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(refused[t].code(), StatusCode::kFailedPrecondition) << refused[t].ToString();
    total += admitted[t].size();
    for (EventId id : admitted[t]) {
      auto record = archive->Get(id);
      ASSERT_TRUE(record.ok()) << "event " << id.value() << ": " << record.status().ToString();
      EXPECT_TRUE(record->outcome == Outcome::kSucceeded ||
                  record->outcome == Outcome::kCancelled ||
                  record->outcome == Outcome::kInterrupted)
          << OutcomeName(record->outcome);
    }
  }
  EXPECT_EQ(archive->Get(current)->outcome, Outcome::kInterrupted);
  EXPECT_EQ(archive->size(), total);
  EXPECT_EQ(archive->purged(), 0u);
  EXPECT_EQ(rt->scheduler().Counts().future + rt->scheduler().Counts().current, 0u);
}

// A host that drives the runtime with Run() on a thread of its own: Shutdown waits for the
// handler it runs, then Run returns.
TEST(SchedulerShutdownTest, Issue16ShutdownEndsAHostsRun) {
  auto created = Runtime::Create({.threads = 0});
  ASSERT_TRUE(created.ok());
  std::unique_ptr<Runtime> rt = std::move(created).value();
  auto agent = rt->CreateSource({.name = "Laurent"})->CreateAgent({}).value();
  std::promise<void> running;
  ASSERT_TRUE(agent
                  ->Schedule(Spec("signal", PlainWork([&running](EventContext&) -> Result<Text> {
                                    running.set_value();
                                    return Text("ran");
                                  })))
                  .ok());
  std::thread host([&rt] { rt->Run(); });
  running.get_future().wait();
  EXPECT_TRUE(rt->Shutdown().ok());
  host.join();  // Hangs if Run did not return.
  EXPECT_EQ(rt->RunUntilIdle(), 0u);
}

}  // namespace
}  // namespace magent
