// One timer for all Future events, not one per event: events start in due order, equal due
// times in scheduling order, and a kill, freeze or unfreeze leaves no stale run behind.
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::CountingWork;
using testing::ExpectNeverRan;
using testing::ExpectPast;
using testing::NeverRanPath;
using testing::RanPath;
using testing::Spec;
using namespace std::chrono_literals;

class SchedulerTimerTest : public testing::SchedulerTest {
 protected:
  // Plain work that appends `tag` to `order`.
  static Work Recording(std::vector<int>* order, int tag) {
    return PlainWork([order, tag](EventContext&) -> Result<Text> {
      order->push_back(tag);
      return Text("ran");
    });
  }
};

TEST_F(SchedulerTimerTest, EventsWithEqualDueTimesRunInSchedulingOrder) {
  auto agent = NewAgent();
  const TimePoint due = now() + 1min;
  std::vector<int> order;
  std::vector<EventId> ids;
  for (int i = 0; i < 20; ++i)
    ids.push_back(MustSchedule(*agent, Spec("e", Recording(&order, i), due)));
  Advance(1min);
  std::vector<int> expected(20);
  for (int i = 0; i < 20; ++i) expected[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(order, expected);
  EXPECT_EQ(StartOrder(), ids);
}

TEST_F(SchedulerTimerTest, EqualDueEventsOfOneAgentRunInSchedulingOrderWhateverTheirWork) {
  auto agent = NewAgent();
  const TimePoint due = now() + 1min;
  std::vector<int> order;
  for (int i = 0; i < 12; ++i) {
    if (i % 3 == 1) {
      MustSchedule(*agent, Spec("co", CoroutineWork([&order, i](EventContext&) -> Awaitable {
                                  order.push_back(i);
                                  co_return Text("ran");
                                }),
                                due));
    } else {
      MustSchedule(*agent, Spec("plain", Recording(&order, i), due));
    }
  }
  Advance(1min);
  std::vector<int> expected(12);
  for (int i = 0; i < 12; ++i) expected[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(order, expected);
}

TEST_F(SchedulerTimerTest, EqualDueEventsOfSeveralAgentsStartInSchedulingOrder) {
  std::vector<std::shared_ptr<Agent>> agents;
  for (int i = 0; i < 8; ++i) agents.push_back(NewAgent());
  const TimePoint due = now() + 1min;
  std::vector<int> order;
  std::vector<EventId> ids;
  // Agents in a scrambled order, one event each.
  const int agent_order[] = {5, 2, 7, 0, 3, 6, 1, 4};
  for (int i = 0; i < 8; ++i) {
    ids.push_back(MustSchedule(*agents[static_cast<std::size_t>(agent_order[i])],
                               Spec("e", Recording(&order, i), due)));
  }
  Advance(1min);
  EXPECT_EQ(StartOrder(), ids);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(SchedulerTimerTest, ManyEventsAtRandomDueTimesStartInDueOrder) {
  std::vector<std::shared_ptr<Agent>> agents;
  for (int i = 0; i < 3; ++i) agents.push_back(NewAgent());
  const TimePoint t0 = now();
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> ms(1, 10000);
  std::uniform_int_distribution<int> pick(0, 2);
  int calls = 0;
  std::map<EventId, TimePoint> due_of;
  for (int i = 0; i < 3000; ++i) {
    const TimePoint due = t0 + std::chrono::milliseconds(ms(rng));
    EventId id = MustSchedule(*agents[static_cast<std::size_t>(pick(rng))],
                              Spec("e", CountingWork(&calls), due));
    due_of[id] = due;
  }
  Run();
  EXPECT_EQ(calls, 0);
  Advance(10s);  // All at once: more due than one batch.
  EXPECT_EQ(calls, 3000);
  std::vector<EventId> started = StartOrder();
  ASSERT_EQ(started.size(), 3000u);
  for (std::size_t i = 1; i < started.size(); ++i) {
    const auto a = std::make_pair(due_of[started[i - 1]], started[i - 1]);
    const auto b = std::make_pair(due_of[started[i]], started[i]);
    ASSERT_LT(a, b) << "position " << i;  // Due order; equal due times by id.
  }
  EXPECT_EQ(rt().scheduler().Counts().past, 3000u);
  EXPECT_EQ(rt().unmasked_archive().size(), 3000u);
}

TEST_F(SchedulerTimerTest, EachEventStartsAtItsDueTimeWhenTheClockStopsThere) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> ms(1, 60000);
  int calls = 0;
  std::vector<std::pair<TimePoint, EventId>> events;
  for (int i = 0; i < 300; ++i) {
    const TimePoint due = t0 + std::chrono::milliseconds(ms(rng));
    events.emplace_back(due, MustSchedule(*agent, Spec("e", CountingWork(&calls), due)));
  }
  std::sort(events.begin(), events.end());
  for (const auto& [due, id] : events) {
    clock().AdvanceTo(due);
    Run();
  }
  EXPECT_EQ(calls, 300);
  for (const auto& [due, id] : events) {
    EventRecord r = Archived(id);
    EXPECT_EQ(r.started, due) << "event " << id.value();
  }
}

TEST_F(SchedulerTimerTest, EarlierEventScheduledLaterStillStartsOnTime) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int late_calls = 0, early_calls = 0;
  EventId late = MustSchedule(*agent, Spec("late", CountingWork(&late_calls), t0 + 10min));
  Run();
  EventId early = MustSchedule(*agent, Spec("early", CountingWork(&early_calls), t0 + 1min));
  Run();
  Advance(1min);
  EXPECT_EQ(early_calls, 1);
  EXPECT_EQ(late_calls, 0);
  EXPECT_EQ(Archived(early).started, t0 + 1min);
  Advance(9min);
  EXPECT_EQ(late_calls, 1);
  EXPECT_EQ(Archived(late).started, t0 + 10min);
}

// The last representable time is a due time like any other: the event waits for it, and
// runs when the clock gets there.
TEST_F(SchedulerTimerTest, AnEventDueAtTheLastTimeThereIsRunsWhenTheClockGetsThere) {
  auto agent = NewAgent();
  int calls = 0;
  const EventId id = MustSchedule(*agent, Spec("last", CountingWork(&calls), TimePoint::max()));
  Advance(24h * 365 * 100);
  EXPECT_EQ(calls, 0);
  clock().AdvanceTo(TimePoint::max());
  Run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Archived(id).started, TimePoint::max());
}

TEST_F(SchedulerTimerTest, KilledEventLeavesNoStaleRun) {
  auto agent = NewAgent();
  const TimePoint due = now() + 1min;
  int killed_calls = 0, kept_calls = 0;
  EventId killed = MustSchedule(*agent, Spec("killed", CountingWork(&killed_calls), due));
  EventId kept = MustSchedule(*agent, Spec("kept", CountingWork(&kept_calls), due));
  ASSERT_TRUE(agent->Kill(killed).ok());
  AdvanceInSteps(5min, 30s);
  EXPECT_EQ(killed_calls, 0);
  EXPECT_EQ(kept_calls, 1);
  EXPECT_EQ(PathOf(killed), NeverRanPath(Outcome::kKilled));
  EXPECT_EQ(PathOf(kept), RanPath(Outcome::kSucceeded));
  EXPECT_EQ(rt().scheduler().Counts().past, 2u);
}

TEST_F(SchedulerTimerTest, RepeatedFreezeAndUnfreezeRunsTheEventOnce) {
  auto agent = NewAgent();
  const TimePoint due = now() + 1min;
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("e", CountingWork(&calls), due));
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(agent->Freeze(id).ok());
    ASSERT_TRUE(agent->Unfreeze(id).ok());
    ASSERT_TRUE(agent->FreezeAll().ok());
    ASSERT_TRUE(agent->UnfreezeAll().ok());
  }
  Run();
  EXPECT_EQ(calls, 0);
  Advance(1min);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Archived(id).started, due);
  // Toggled again after it ended: nothing of it is left to run.
  ASSERT_TRUE(agent->FreezeAll().ok());
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Advance(1h);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kSucceeded));
}

TEST_F(SchedulerTimerTest, ManyKilledEventsAreDroppedAndTheRestRunOnce) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  std::vector<int> calls(10000, 0);
  std::vector<EventId> ids;
  for (int i = 0; i < 10000; ++i) {
    ids.push_back(MustSchedule(*agent, Spec("e", CountingWork(&calls[static_cast<std::size_t>(i)]),
                                            t0 + 1h + std::chrono::milliseconds(i))));
  }
  for (int i = 0; i < 10000; ++i) {
    if (i % 10 != 0) {
      ASSERT_TRUE(agent->Kill(ids[static_cast<std::size_t>(i)]).ok());
    }
  }
  // Wake the scheduler so it can drop what is stale.
  int trigger = 0;
  MustSchedule(*agent, Spec("trigger", CountingWork(&trigger)));
  Run();
  EXPECT_EQ(trigger, 1);
  EXPECT_EQ(rt().scheduler().Counts().future, 1000u);
  Advance(1h + 10s);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(calls[static_cast<std::size_t>(i)], i % 10 == 0 ? 1 : 0) << "event " << i;
  }
  EXPECT_EQ(rt().scheduler().Counts().past, 10001u);
  EXPECT_EQ(rt().scheduler().Counts().future, 0u);
}

// A ManualClock that counts the timers made from it.
class CountingClock final : public Clock {
 public:
  explicit CountingClock(std::shared_ptr<ManualClock> inner) : inner_(std::move(inner)) {}
  TimePoint Now() const override { return inner_->Now(); }
  std::unique_ptr<Timer> MakeTimer(boost::asio::any_io_executor executor) override {
    ++made_;
    return inner_->MakeTimer(std::move(executor));
  }
  int made() const { return made_.load(); }

 private:
  std::shared_ptr<ManualClock> inner_;
  std::atomic<int> made_{0};
};

TEST(SchedulerOneTimerTest, ThousandsOfFutureEventsShareOneTimer) {
  auto manual = std::make_shared<ManualClock>(testing::TestEpoch());
  auto clock = std::make_shared<CountingClock>(manual);
  auto runtime = Runtime::Create({.clock = clock, .threads = 0});
  ASSERT_TRUE(runtime.ok());
  Runtime& rt = **runtime;
  const int timers_before = clock->made();
  auto source = rt.CreateSource({.name = "Laurent"});
  auto agent = source->CreateAgent({}).value();
  int calls = 0;
  for (int i = 0; i < 2000; ++i) {
    auto id = agent->Schedule(
        testing::Spec("e", CountingWork(&calls), manual->Now() + std::chrono::seconds(i % 97)));
    ASSERT_TRUE(id.ok());
  }
  rt.RunUntilIdle();
  for (int s = 0; s < 100; ++s) {
    manual->Advance(1s);
    rt.RunUntilIdle();
  }
  EXPECT_EQ(calls, 2000);
  EXPECT_EQ(timers_before, 1);              // The scheduler's own.
  EXPECT_EQ(clock->made(), timers_before);  // None per event.
}

}  // namespace
}  // namespace magent
