// Destroying a runtime with events in every state: the ended ones are archived, the live
// ones are not, and every event's memory is freed (run under AddressSanitizer, whose leak
// check fails the run otherwise).
#include <memory>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::CountingWork;
using testing::Spec;
using namespace std::chrono_literals;

TEST(SchedulerShutdownTest, DestroyingTheRuntimeFreesEndedAndLiveEventsAndArchivesOnlyTheEnded) {
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
  ASSERT_TRUE(agent->Schedule(Spec("future", CountingWork(&live_calls), clock->Now() + 1h)).ok());
  EventSpec sleeper = Spec("sleeper", CoroutineWork([](EventContext& ctx) -> Awaitable {
                             (void)co_await ctx.SleepFor(1h);
                             co_return Text("woke");
                           }));
  sleeper.allowable = 2h;
  ASSERT_TRUE(agent->Schedule(std::move(sleeper)).ok());
  ASSERT_TRUE(frozen_agent->FreezeAll().ok());
  ASSERT_TRUE(frozen_agent->Schedule(Spec("frozen", CountingWork(&live_calls))).ok());
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
  EXPECT_EQ(archive->size(), ended.size());
  for (EventId id : ended) EXPECT_TRUE(archive->Get(id).ok()) << "event " << id.value();
}

}  // namespace
}  // namespace magent
