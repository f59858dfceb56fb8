// A Future event may end without ever running: cancelled, killed, expired (frozen past
// start_within) or orphaned (its agent gone) past the grace period. It still ends Past
// with a result that says why, and its work is never called.
#include <algorithm>
#include <string>

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

class SchedulerNeverRanTest : public testing::SchedulerTest {
 protected:
  SchedulerNeverRanTest() : SchedulerTest({.orphan_grace = 1h}) {}
};

bool Contains(const Text& text, const std::string& part) {
  return text.English().find(part) != std::string::npos;
}

TEST_F(SchedulerNeverRanTest, CancelledEventNeverRunsAndEndsPastAsCancelled) {
  auto agent = NewAgent({.name = "bookbuyer"});
  const TimePoint t0 = now();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), t0 + 5min));
  Advance(1min);
  ASSERT_TRUE(agent->Cancel(id).ok());
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kCancelled);
  EXPECT_TRUE(Contains(r.result, "bookbuyer")) << r.result.English();
  EXPECT_EQ(r.finished, t0 + 1min);
  EXPECT_EQ(r.created, t0);
  EXPECT_EQ(r.due, t0 + 5min);

  Advance(10min);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(PathOf(id), NeverRanPath(Outcome::kCancelled));
  EXPECT_EQ(agent->Counts()["find"], (KindCounts{.cancelled = 1}));
}

TEST_F(SchedulerNeverRanTest, CancelKeepsTheReasonGiven) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), now() + 5min));
  ASSERT_TRUE(agent->Cancel(id, Text("Found it elsewhere.")).ok());
  Advance(10min);
  EXPECT_EQ(Archived(id).result.English(), "Found it elsewhere.");
  EXPECT_EQ(calls, 0);
}

TEST_F(SchedulerNeverRanTest, KilledFutureEventNeverRunsAndEndsPastAsKilled) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), now() + 5min));
  ASSERT_TRUE(agent->Kill(id, Text("Changed my mind.")).ok());
  Advance(10min);
  EXPECT_EQ(calls, 0);
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "Changed my mind.");
  EXPECT_EQ(PathOf(id), NeverRanPath(Outcome::kKilled));
}

TEST_F(SchedulerNeverRanTest, KillWithoutReasonSaysWhoKilled) {
  auto agent = NewAgent({.name = "bookbuyer"});
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), now() + 5min));
  ASSERT_TRUE(agent->Kill(id).ok());
  Run();
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kKilled);
  EXPECT_TRUE(Contains(r.result, "bookbuyer")) << r.result.English();
}

TEST_F(SchedulerNeverRanTest, SourceKillsAnEventOfItsAgent) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), now() + 5min));
  ASSERT_TRUE(source().KillEvent(id, Text()).ok());
  Advance(10min);
  EXPECT_EQ(calls, 0);
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kKilled);
  EXPECT_TRUE(Contains(r.result, "Laurent")) << r.result.English();
}

TEST_F(SchedulerNeverRanTest, KillAndCancelOfAPastEventAreNotFound) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls)));
  Run();
  EXPECT_EQ(agent->Kill(id).code(), StatusCode::kNotFound);
  EXPECT_EQ(agent->Cancel(id).code(), StatusCode::kNotFound);
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerNeverRanTest, AgentMayNotKillOrCancelAnotherAgentsEvent) {
  auto owner = NewAgent();
  auto other = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*owner, Spec("find", CountingWork(&calls), now() + 1min));
  EXPECT_EQ(other->Kill(id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(other->Cancel(id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(other->Freeze(id).code(), StatusCode::kPermissionDenied);
  Advance(1min);
  EXPECT_EQ(calls, 1);
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerNeverRanTest, SourceMayNotKillAnotherSourcesEvent) {
  auto agent = NewAgent();
  auto stranger = rt().CreateSource({.name = "stranger"});
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), now() + 1min));
  EXPECT_EQ(stranger->KillEvent(id, Text()).code(), StatusCode::kPermissionDenied);
  Advance(1min);
  EXPECT_EQ(calls, 1);
}

TEST_F(SchedulerNeverRanTest, FrozenEventExpiresStartWithinAfterItWasDue) {
  auto agent = NewAgent();
  ASSERT_TRUE(agent->FreezeAll().ok());
  const TimePoint t0 = now();
  int calls = 0;
  EventSpec spec = Spec("find", CountingWork(&calls), t0 + 1min);
  spec.start_within = 5min;
  EventId id = MustSchedule(*agent, std::move(spec));
  AdvanceInSteps(5min + 59s, 1s);
  EXPECT_TRUE(IsLive(id));
  Advance(1s);  // Due + start_within.
  EXPECT_FALSE(IsLive(id));
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kExpired);
  EXPECT_EQ(r.finished, t0 + 6min);
  EXPECT_TRUE(Contains(r.result, "frozen")) << r.result.English();
  EXPECT_EQ(PathOf(id), NeverRanPath(Outcome::kExpired));

  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Advance(1h);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(agent->Counts()["find"], (KindCounts{.expired = 1}));
}

TEST_F(SchedulerNeverRanTest, EventUnfrozenWithinStartWithinStillRuns) {
  auto agent = NewAgent();
  ASSERT_TRUE(agent->FreezeAll().ok());
  const TimePoint t0 = now();
  int calls = 0;
  EventSpec spec = Spec("find", CountingWork(&calls), t0 + 1min);
  spec.start_within = 5min;
  EventId id = MustSchedule(*agent, std::move(spec));
  Advance(5min);
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  EXPECT_EQ(calls, 1);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.started, t0 + 5min);
}

TEST_F(SchedulerNeverRanTest, EventScheduledFrozenPastItsStartWindowExpiresAtOnce) {
  auto agent = NewAgent();
  ASSERT_TRUE(agent->FreezeAll().ok());
  int calls = 0;
  EventSpec spec = Spec("late", CountingWork(&calls), now() - 1h);
  spec.start_within = 30min;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  EXPECT_FALSE(IsLive(id));
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kExpired);
  EXPECT_EQ(r.finished, r.created);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Advance(1h);
  EXPECT_EQ(calls, 0);
}

TEST_F(SchedulerNeverRanTest, StartWithinDoesNotExpireAnEventThatIsNotFrozen) {
  auto agent = NewAgent();
  int calls = 0;
  EventSpec spec = Spec("find", CountingWork(&calls), now() + 1min);
  spec.start_within = 1s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Advance(1h);  // Late, but never frozen.
  EXPECT_EQ(calls, 1);
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerNeverRanTest, RemovedAgentsEventIsOrphanedThenExpiresAfterTheGrace) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), t0 + 10min));
  Advance(1min);
  ASSERT_TRUE(source().RemoveAgent(agent->id(), Text("No longer needed.")).ok());
  Run();
  EventRecord live = Live(id);
  EXPECT_TRUE(live.orphaned);
  EXPECT_TRUE(live.frozen);
  EXPECT_EQ(live.state, EventState::kFuture);

  // The source hears which events are orphaned.
  bool told = false;
  for (const SourceMessage& m : source().Inbox()) {
    if (m.kind == SourceMessage::Kind::kOrphanedEvents) {
      told = std::find(m.events.begin(), m.events.end(), id) != m.events.end();
    }
  }
  EXPECT_TRUE(told);

  AdvanceInSteps(59min, 1min);  // Past its due time: it does not run, it waits.
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(IsLive(id));
  Advance(1min);  // Removed at t0 + 1min, grace 1h.
  EXPECT_FALSE(IsLive(id));
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kExpired);
  EXPECT_TRUE(r.orphaned);
  EXPECT_EQ(r.finished, t0 + 1h + 1min);
  EXPECT_TRUE(Contains(r.result, "agent is gone")) << r.result.English();
  EXPECT_EQ(PathOf(id), NeverRanPath(Outcome::kExpired));
  Advance(1h);
  EXPECT_EQ(calls, 0);
}

TEST_F(SchedulerNeverRanTest, KilledAgentsEventIsOrphanedThenExpiresAfterTheGrace) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls), t0 + 10min));
  ASSERT_TRUE(source().KillAgent(agent->id(), Text("Misbehaved.")).ok());
  Advance(1h);
  EXPECT_EQ(calls, 0);
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kExpired);
  EXPECT_TRUE(r.orphaned);
  EXPECT_EQ(r.finished, t0 + 1h);
}

TEST_F(SchedulerNeverRanTest, OrphanedEventExpiresEvenWhenItsStartWithinIsLater) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  EventSpec spec = Spec("find", CountingWork(&calls), t0 + 1min);
  spec.start_within = 3h;
  EventId id = MustSchedule(*agent, std::move(spec));
  ASSERT_TRUE(agent->KillSelf(Text("Done.")).ok());
  AdvanceInSteps(2h, 1min);
  EventRecord r = Archived(id);
  ExpectNeverRan(r, Outcome::kExpired);
  EXPECT_EQ(r.finished, t0 + 1h);
  EXPECT_EQ(calls, 0);
}

TEST_F(SchedulerNeverRanTest, OrphanedRunningEventIsKilledAfterTheGrace) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  Status seen = Status::OK();
  EventId id =
      MustSchedule(*agent, Spec("wait", CoroutineWork([&seen](EventContext& ctx) -> Awaitable {
                                  seen = co_await ctx.SleepFor(2h);
                                  co_return Text("woke up");
                                })));
  Run();
  Advance(1min);
  ASSERT_TRUE(source().RemoveAgent(agent->id(), Text("Gone.")).ok());
  Run();
  EXPECT_TRUE(Live(id).orphaned);
  EXPECT_TRUE(Live(id).frozen);
  AdvanceInSteps(1h, 1min);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kKilled);
  EXPECT_TRUE(r.orphaned);
  EXPECT_EQ(seen.code(), StatusCode::kCancelled);
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.finished, t0 + 1h + 1min);
  EXPECT_EQ(r.actual, 1h + 1min);
  EXPECT_EQ(r.frozen_for, 1h);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kKilled));
}

TEST_F(SchedulerNeverRanTest, AdoptedOrphanRunsForItsNewAgent) {
  auto old_agent = NewAgent();
  auto new_agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*old_agent, Spec("find", CountingWork(&calls), now() + 10min));
  ASSERT_TRUE(source().RemoveAgent(old_agent->id(), Text("Replaced.")).ok());
  Advance(30min);
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(source().Adopt(id, new_agent->id()).ok());
  Run();
  EXPECT_EQ(calls, 1);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.agent, new_agent->id());
  EXPECT_FALSE(r.orphaned);
  Advance(2h);  // The orphan deadline no longer applies.
  EXPECT_EQ(calls, 1);
}

TEST_F(SchedulerNeverRanTest, AdoptedRunningCoroutineGoesOnForItsNewAgent) {
  auto old_agent = NewAgent();
  auto new_agent = NewAgent();
  const TimePoint t0 = now();
  int steps = 0;
  EventId id = MustSchedule(*old_agent,
                            Spec("steps", CoroutineWork([&steps](EventContext& ctx) -> Awaitable {
                                   for (int i = 0; i < 3; ++i) {
                                     ++steps;
                                     Status s = co_await ctx.SleepFor(1min);
                                     if (!s.ok()) co_return s;
                                   }
                                   co_return Text("done for " + ctx.agent().name());
                                 })));
  Run();
  ASSERT_TRUE(source().KillAgent(old_agent->id(), Text("Crashed.")).ok());
  AdvanceInSteps(10min, 1min);
  EXPECT_EQ(steps, 1);  // Orphaned, so frozen at its await point.
  ASSERT_TRUE(source().Adopt(id, new_agent->id()).ok());
  Run();
  EXPECT_EQ(steps, 2);
  AdvanceInSteps(2min, 1min);
  EXPECT_EQ(steps, 3);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.agent, new_agent->id());
  EXPECT_EQ(r.result.English(), "done for " + new_agent->name());
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.frozen_for, 10min);
  EXPECT_EQ(new_agent->Counts()["steps"], (KindCounts{.succeeded = 1}));
}

}  // namespace
}  // namespace magent
