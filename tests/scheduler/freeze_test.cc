// Freezing: an agent's freeze (Agent::FreezeAll, AgentSource::FreezeAgent) holds all its
// events, now and later; Agent::Freeze(id) holds one. Frozen Future events do not start
// when due and start on unfreeze; frozen coroutines stop at their next await point and go
// on after unfreeze; plain work frozen between its start and its run is parked and runs on
// unfreeze.
#include <string>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::CountingWork;
using testing::ExpectNeverRan;
using testing::ExpectPast;
using testing::RanPath;
using testing::Spec;
using namespace std::chrono_literals;

class SchedulerFreezeTest : public testing::SchedulerTest {
 protected:
  // Coroutine work of `steps` steps, one second of sleep apart; counts steps done.
  static Work Stepper(int steps, int* done, Status* last) {
    return CoroutineWork([steps, done, last](EventContext& ctx) -> Awaitable {
      for (int i = 0; i < steps; ++i) {
        ++*done;
        *last = co_await ctx.SleepFor(1s);
        if (!last->ok()) co_return *last;
      }
      co_return Text("stepped");
    });
  }

  // Freezes event `id` from the transition signal, in the instant between its start and
  // the run of its work (the slot runs before the work is posted to the strand).
  boost::signals2::scoped_connection FreezeOnStart(Agent& agent, EventId id) {
    return rt().scheduler().OnTransition([&agent, id](const Transition& t) {
      if (t.id == id && t.to == EventState::kCurrent) {
        EXPECT_TRUE(agent.Freeze(id).ok());
      }
    });
  }
};

TEST_F(SchedulerFreezeTest, FrozenAgentsEventsDoNotStartWhenDueAndStartOnUnfreeze) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  EventId a = MustSchedule(*agent, Spec("a", CountingWork(&calls), t0 + 1min));
  EventId b = MustSchedule(*agent, Spec("b", CountingWork(&calls), t0 + 2min));
  ASSERT_TRUE(agent->FreezeAll().ok());
  EXPECT_EQ(agent->state(), AgentState::kFrozen);
  AdvanceInSteps(5min, 1min);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Live(a).state, EventState::kFuture);
  EXPECT_TRUE(Live(a).frozen);
  EXPECT_TRUE(Live(b).frozen);
  EXPECT_EQ(rt().scheduler().Counts().frozen, 2u);

  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  EXPECT_EQ(calls, 2);
  for (EventId id : {a, b}) {
    EventRecord r = Archived(id);
    ExpectPast(r, Outcome::kSucceeded);
    EXPECT_EQ(r.started, t0 + 5min);
    EXPECT_EQ(r.frozen_for, Duration::zero());  // Frozen only while Future.
    EXPECT_EQ(PathOf(id), RanPath(Outcome::kSucceeded));
  }
  EXPECT_EQ(rt().scheduler().Counts().frozen, 0u);
}

TEST_F(SchedulerFreezeTest, SourceFreezesAndUnfreezesAllEventsOfItsAgent) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  MustSchedule(*agent, Spec("a", CountingWork(&calls), t0 + 1min));
  MustSchedule(*agent, Spec("b", CountingWork(&calls), t0 + 1min));
  ASSERT_TRUE(source().FreezeAgent(agent->id()).ok());
  Advance(10min);
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(source().UnfreezeAgent(agent->id()).ok());
  Run();
  EXPECT_EQ(calls, 2);
}

TEST_F(SchedulerFreezeTest, EventsScheduledWhileTheAgentIsFrozenAreFrozen) {
  auto agent = NewAgent();
  ASSERT_TRUE(agent->FreezeAll().ok());
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("later", CountingWork(&calls)));
  Advance(1h);
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(Live(id).frozen);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  EXPECT_EQ(calls, 1);
}

TEST_F(SchedulerFreezeTest, FreezingOneEventHoldsOnlyThatEvent) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int held_calls = 0, other_calls = 0;
  EventId held = MustSchedule(*agent, Spec("held", CountingWork(&held_calls), t0 + 1min));
  EventId other = MustSchedule(*agent, Spec("other", CountingWork(&other_calls), t0 + 1min));
  ASSERT_TRUE(agent->Freeze(held).ok());
  Advance(1min);
  EXPECT_EQ(held_calls, 0);
  EXPECT_EQ(other_calls, 1);
  ExpectPast(Archived(other), Outcome::kSucceeded);
  EXPECT_TRUE(Live(held).frozen);
  Advance(9min);
  ASSERT_TRUE(agent->Unfreeze(held).ok());
  Run();
  EXPECT_EQ(held_calls, 1);
  EXPECT_EQ(Archived(held).started, t0 + 10min);
}

TEST_F(SchedulerFreezeTest, EventFrozenOnItsOwnStaysFrozenWhenItsAgentIsUnfrozen) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("held", CountingWork(&calls)));
  ASSERT_TRUE(agent->Freeze(id).ok());
  ASSERT_TRUE(agent->FreezeAll().ok());
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Advance(1min);
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(Live(id).frozen);
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  Run();
  EXPECT_EQ(calls, 1);
}

TEST_F(SchedulerFreezeTest, UnfreezingOneEventOfAFrozenAgentKeepsItFrozen) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("held", CountingWork(&calls)));
  ASSERT_TRUE(agent->FreezeAll().ok());
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  Advance(1min);
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(Live(id).frozen);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  EXPECT_EQ(calls, 1);
}

TEST_F(SchedulerFreezeTest, FrozenCoroutineStopsAtItsNextAwaitPointAndGoesOnAfterUnfreeze) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int done = 0;
  Status last;
  EventId id = MustSchedule(*agent, Spec("steps", Stepper(6, &done, &last)));
  Run();
  AdvanceInSteps(3s, 1s);
  EXPECT_EQ(done, 4);  // Steps at t0, +1, +2, +3; sleeping until +4.
  ASSERT_TRUE(agent->Freeze(id).ok());
  AdvanceInSteps(10s, 1s);  // The sleep ends at +4; the await point holds it.
  EXPECT_EQ(done, 4);
  EventRecord live = Live(id);
  EXPECT_EQ(live.state, EventState::kCurrent);
  EXPECT_TRUE(live.frozen);
  EXPECT_EQ(live.frozen_for, 10s);
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  Run();
  EXPECT_EQ(done, 5);
  AdvanceInSteps(2s, 1s);
  EXPECT_EQ(done, 6);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_TRUE(last.ok());
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.finished, t0 + 15s);
  EXPECT_EQ(r.actual, 15s);
  EXPECT_EQ(r.frozen_for, 10s);
}

TEST_F(SchedulerFreezeTest, FreezeAllHoldsRunningCoroutinesOfTheAgent) {
  auto agent = NewAgent();
  int done_a = 0, done_b = 0;
  Status last_a, last_b;
  EventId a = MustSchedule(*agent, Spec("a", Stepper(3, &done_a, &last_a)));
  EventId b = MustSchedule(*agent, Spec("b", Stepper(3, &done_b, &last_b)));
  Run();
  ASSERT_TRUE(agent->FreezeAll().ok());
  AdvanceInSteps(1min, 1s);
  EXPECT_EQ(done_a, 1);
  EXPECT_EQ(done_b, 1);
  EXPECT_EQ(rt().scheduler().Counts().frozen, 2u);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  AdvanceInSteps(3s, 1s);
  ExpectPast(Archived(a), Outcome::kSucceeded);
  ExpectPast(Archived(b), Outcome::kSucceeded);
  EXPECT_EQ(Archived(a).frozen_for, 1min);
}

TEST_F(SchedulerFreezeTest, CheckpointSuspendsAFrozenCoroutineUntilUnfrozen) {
  auto agent = NewAgent();
  std::vector<std::string> trace;
  EventId id =
      MustSchedule(*agent, Spec("self", CoroutineWork([&trace](EventContext& ctx) -> Awaitable {
                                  trace.push_back("before");
                                  // The work freezes its own event, then reaches an await point.
                                  Status frozen = ctx.agent().Freeze(ctx.id());
                                  EXPECT_TRUE(frozen.ok()) << frozen.ToString();
                                  Status s = co_await ctx.Checkpoint();
                                  trace.push_back("after: " + s.ToString());
                                  co_return Text("resumed");
                                })));
  Run();
  Advance(1h);
  EXPECT_EQ(trace, (std::vector<std::string>{"before"}));
  EXPECT_TRUE(Live(id).frozen);
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  Run();
  EXPECT_EQ(trace, (std::vector<std::string>{"before", "after: OK"}));
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.frozen_for, 1h);
}

TEST_F(SchedulerFreezeTest, CoroutineFrozenBeforeItRunsWaitsAtItsStart) {
  auto agent = NewAgent();
  int runs = 0;
  EventId id = MustSchedule(*agent, Spec("co", CoroutineWork([&runs](EventContext&) -> Awaitable {
                                           ++runs;
                                           co_return Text("ran");
                                         })));
  // Frozen in the instant between its start and its first step.
  auto freeze_on_start = FreezeOnStart(*agent, id);
  Run();
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(Live(id).state, EventState::kCurrent);
  Advance(5min);
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  Run();
  EXPECT_EQ(runs, 1);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.frozen_for, 5min);
}

TEST_F(SchedulerFreezeTest, PlainWorkFrozenBetweenStartAndRunIsParkedAndRunsOnUnfreeze) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("plain", CountingWork(&calls)));
  auto freeze_on_start = FreezeOnStart(*agent, id);
  Run();
  EXPECT_EQ(calls, 0);
  EventRecord parked = Live(id);
  EXPECT_EQ(parked.state, EventState::kCurrent);
  EXPECT_TRUE(parked.frozen);
  Advance(1min);
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  Run();
  EXPECT_EQ(calls, 1);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.finished, t0 + 1min);
  EXPECT_EQ(r.actual, 1min);
  EXPECT_EQ(r.frozen_for, 1min);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kSucceeded));
}

TEST_F(SchedulerFreezeTest, ParkedPlainWorkRunsOnceAfterRepeatedFreezes) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("plain", CountingWork(&calls)));
  auto freeze_on_start = FreezeOnStart(*agent, id);
  Run();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(agent->Unfreeze(id).ok());
    ASSERT_TRUE(agent->Freeze(id).ok());  // Before the posted run: it parks again.
    Run();
    EXPECT_EQ(calls, 0);
  }
  ASSERT_TRUE(agent->Unfreeze(id).ok());
  ASSERT_TRUE(agent->FreezeAll().ok());
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  EXPECT_EQ(calls, 1);
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerFreezeTest, KillingParkedPlainWorkEndsItWithoutRunning) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("plain", CountingWork(&calls)));
  auto freeze_on_start = FreezeOnStart(*agent, id);
  Run();
  Advance(1min);
  ASSERT_TRUE(agent->Kill(id, Text("Not needed.")).ok());
  EXPECT_FALSE(IsLive(id));
  Run();
  EXPECT_EQ(calls, 0);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "Not needed.");
  EXPECT_EQ(r.actual, 1min);
  EXPECT_EQ(r.frozen_for, 1min);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kKilled));
  EXPECT_EQ(rt().scheduler().Counts().frozen, 0u);
}

TEST_F(SchedulerFreezeTest, KillingAFrozenCoroutineEndsItAtItsAwaitPoint) {
  auto agent = NewAgent();
  int done = 0;
  Status last;
  EventId id = MustSchedule(*agent, Spec("steps", Stepper(5, &done, &last)));
  Run();
  ASSERT_TRUE(agent->FreezeAll().ok());
  AdvanceInSteps(5s, 1s);
  ASSERT_TRUE(agent->Kill(id).ok());
  Run();
  EXPECT_EQ(done, 1);
  EXPECT_EQ(last.code(), StatusCode::kCancelled);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kKilled);
  EXPECT_EQ(r.frozen_for, 5s);
  EXPECT_EQ(rt().scheduler().Counts().frozen, 0u);
}

TEST_F(SchedulerFreezeTest, KillingAFrozenFutureEventEndsItAtOnce) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("a", CountingWork(&calls), now() + 1min));
  ASSERT_TRUE(agent->Freeze(id).ok());
  ASSERT_TRUE(agent->Kill(id).ok());
  Advance(1h);
  EXPECT_EQ(calls, 0);
  ExpectNeverRan(Archived(id), Outcome::kKilled);
  EXPECT_EQ(rt().scheduler().Counts().frozen, 0u);
}

TEST_F(SchedulerFreezeTest, FreezeAllOfAFrozenAgentIsFailedPrecondition) {
  auto agent = NewAgent();
  ASSERT_TRUE(agent->FreezeAll().ok());
  EXPECT_EQ(agent->FreezeAll().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  EXPECT_EQ(agent->UnfreezeAll().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace magent
