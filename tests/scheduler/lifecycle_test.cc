// Future -> Current -> Past: a started event always ends Past with a result, whatever its
// work does (returns a value, returns an error, throws), plain or coroutine.
#include <stdexcept>
#include <string>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::CountingWork;
using testing::ExpectPast;
using testing::RanPath;
using testing::Spec;
using namespace std::chrono_literals;

class SchedulerLifecycleTest : public testing::SchedulerTest {};

TEST_F(SchedulerLifecycleTest, PlainEventGoesFutureCurrentPastWithItsTimestamps) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("find", CountingWork(&calls, "found"), t0 + 5min));
  Run();
  EXPECT_EQ(Live(id).state, EventState::kFuture);
  EXPECT_EQ(calls, 0);

  Advance(4min);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Live(id).state, EventState::kFuture);

  Advance(1min);
  EXPECT_EQ(calls, 1);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "found");
  EXPECT_EQ(r.kind, "find");
  EXPECT_EQ(r.agent, agent->id());
  EXPECT_EQ(r.agent_source, source().id());
  EXPECT_EQ(r.created, t0);
  EXPECT_EQ(r.due, t0 + 5min);
  EXPECT_EQ(r.started, t0 + 5min);
  EXPECT_EQ(r.finished, t0 + 5min);
  EXPECT_EQ(r.actual, Duration::zero());
  EXPECT_EQ(r.frozen_for, Duration::zero());

  EXPECT_EQ(PathOf(id), RanPath(Outcome::kSucceeded));
  EXPECT_EQ(TimeOf(id, EventState::kFuture, EventState::kFuture), t0);
  EXPECT_EQ(TimeOf(id, EventState::kFuture, EventState::kCurrent), t0 + 5min);
  EXPECT_EQ(TimeOf(id, EventState::kCurrent, EventState::kPast), t0 + 5min);
}

// Agent::Schedule moves from an rvalue spec and copies an lvalue one: the caller's spec
// stays whole and can be scheduled again.
TEST_F(SchedulerLifecycleTest, AnLvalueSpecIsCopiedAndCanBeScheduledAgain) {
  auto agent = NewAgent();
  int calls = 0;
  EventSpec spec = Spec("again", CountingWork(&calls, "done"));
  spec.goal = Text("Run twice from one spec");
  spec.payload = "a payload longer than a short string's inline buffer";
  Result<EventId> first = agent->Schedule(spec);
  Result<EventId> second = agent->Schedule(spec);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(spec.kind, "again");
  EXPECT_EQ(spec.goal.English(), "Run twice from one spec");
  EXPECT_EQ(spec.payload, "a payload longer than a short string's inline buffer");
  EXPECT_TRUE(std::holds_alternative<PlainWork>(spec.work));
  Run();
  EXPECT_EQ(calls, 2);
  for (EventId id : {*first, *second}) {
    EventRecord r = Archived(id);
    ExpectPast(r, Outcome::kSucceeded);
    EXPECT_EQ(r.goal.English(), "Run twice from one spec");
    EXPECT_EQ(r.payload, spec.payload);
  }
  Result<EventId> moved = agent->Schedule(std::move(spec));
  ASSERT_TRUE(moved.ok());
  Run();
  EXPECT_EQ(calls, 3);
}

TEST_F(SchedulerLifecycleTest, EventWithoutDueStartsNow) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("now", CountingWork(&calls)));
  Run();
  EXPECT_EQ(calls, 1);
  EventRecord r = Archived(id);
  EXPECT_EQ(r.due, r.created);
  EXPECT_EQ(r.started, r.created);
}

TEST_F(SchedulerLifecycleTest, DueInThePastStartsAtOnce) {
  auto agent = NewAgent();
  int calls = 0;
  EventId id = MustSchedule(*agent, Spec("late", CountingWork(&calls), now() - 1h));
  Run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Archived(id).started, now());
}

TEST_F(SchedulerLifecycleTest, ActualDurationIsTheRunningTimeOfPlainWork) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  // The work takes 3 s of (manual) time.
  EventId id = MustSchedule(*agent, Spec("slow", PlainWork([this](EventContext&) -> Result<Text> {
                                           clock().Advance(3s);
                                           return Text("slow");
                                         })));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.finished, t0 + 3s);
  EXPECT_EQ(r.actual, 3s);
}

TEST_F(SchedulerLifecycleTest, EmptyResultTextOfSuccessGetsADefaultSentence) {
  auto agent = NewAgent();
  EventId id = MustSchedule(
      *agent, Spec("quiet", PlainWork([](EventContext&) -> Result<Text> { return Text(); })));
  Run();
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerLifecycleTest, ErrorStatusFromWorkEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("find", PlainWork([](EventContext&) -> Result<Text> {
                                           return Status::NotFound("no copy under $8");
                                         })));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kFailed);
  EXPECT_NE(r.result.English().find("no copy under $8"), std::string::npos) << r.result.English();
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kFailed));
}

TEST_F(SchedulerLifecycleTest, StdExceptionInWorkEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("throw", PlainWork([](EventContext&) -> Result<Text> {
                                           throw std::runtime_error("card declined");
                                         })));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kFailed);
  EXPECT_NE(r.result.English().find("card declined"), std::string::npos) << r.result.English();
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kFailed));
}

TEST_F(SchedulerLifecycleTest, NonStdExceptionInWorkEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(
      *agent, Spec("throw", PlainWork([](EventContext&) -> Result<Text> { throw 42; })));
  Run();
  ExpectPast(Archived(id), Outcome::kFailed);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kFailed));
}

TEST_F(SchedulerLifecycleTest, ExceptionInOneEventDoesNotStopTheNextOfTheSameAgent) {
  auto agent = NewAgent();
  int calls = 0;
  EventId bad = MustSchedule(*agent, Spec("throw", PlainWork([](EventContext&) -> Result<Text> {
                                            throw std::logic_error("bug");
                                          })));
  EventId good = MustSchedule(*agent, Spec("ok", CountingWork(&calls)));
  Run();
  ExpectPast(Archived(bad), Outcome::kFailed);
  ExpectPast(Archived(good), Outcome::kSucceeded);
  EXPECT_EQ(calls, 1);
}

TEST_F(SchedulerLifecycleTest, CoroutineEventRunsAcrossSleepsAndEndsPast) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  int resumed = 0;
  EventId id =
      MustSchedule(*agent, Spec("wait", CoroutineWork([&resumed](EventContext& ctx) -> Awaitable {
                                  Status s = co_await ctx.SleepFor(30s);
                                  EXPECT_TRUE(s.ok()) << s.ToString();
                                  ++resumed;
                                  co_return Text("waited");
                                })));
  Run();
  EXPECT_EQ(Live(id).state, EventState::kCurrent);
  Advance(29s);
  EXPECT_EQ(resumed, 0);
  EventRecord live = Live(id);
  EXPECT_EQ(live.state, EventState::kCurrent);
  EXPECT_EQ(live.actual, 29s);
  Advance(1s);
  EXPECT_EQ(resumed, 1);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "waited");
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.finished, t0 + 30s);
  EXPECT_EQ(r.actual, 30s);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kSucceeded));
  EXPECT_FALSE(IsLive(id));
}

TEST_F(SchedulerLifecycleTest, ErrorStatusFromCoroutineEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("co", CoroutineWork([](EventContext& ctx) -> Awaitable {
                                           (void)co_await ctx.SleepFor(1s);
                                           co_return Status::Unavailable("shop closed");
                                         })));
  Run();
  Advance(1s);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kFailed);
  EXPECT_NE(r.result.English().find("shop closed"), std::string::npos) << r.result.English();
  EXPECT_EQ(r.actual, 1s);
}

TEST_F(SchedulerLifecycleTest, StdExceptionInCoroutineEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("co", CoroutineWork([](EventContext& ctx) -> Awaitable {
                                           (void)co_await ctx.SleepFor(2s);
                                           throw std::runtime_error("lost the connection");
                                         })));
  Run();
  Advance(2s);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kFailed);
  EXPECT_NE(r.result.English().find("lost the connection"), std::string::npos)
      << r.result.English();
  EXPECT_EQ(r.actual, 2s);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kFailed));
}

TEST_F(SchedulerLifecycleTest, NonStdExceptionInCoroutineEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("co", CoroutineWork([](EventContext& ctx) -> Awaitable {
                                           (void)co_await ctx.Checkpoint();
                                           throw std::string("not an exception class");
                                         })));
  Run();
  ExpectPast(Archived(id), Outcome::kFailed);
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kFailed));
}

TEST_F(SchedulerLifecycleTest, ExceptionBeforeTheFirstAwaitEndsPastAsFailed) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("co", CoroutineWork([](EventContext&) -> Awaitable {
                                           throw std::runtime_error("at once");
                                           co_return Text("never");
                                         })));
  Run();
  ExpectPast(Archived(id), Outcome::kFailed);
}

TEST_F(SchedulerLifecycleTest, WorkSeesItsIdKindPayloadAgentAndTime) {
  auto agent = NewAgent({.name = "bookbuyer"});
  EventSpec spec = Spec("find", Work());
  spec.payload = "isbn-0596007736";
  EventId seen_id;
  std::string seen;
  TimePoint seen_now{};
  spec.work = PlainWork([&](EventContext& ctx) -> Result<Text> {
    seen_id = ctx.id();
    seen = ctx.kind() + "/" + ctx.payload() + "/" + ctx.agent().name();
    seen_now = ctx.Now();
    return Text("ok");
  });
  EventId id = MustSchedule(*agent, std::move(spec));
  Advance(1s);
  EXPECT_EQ(seen_id, id);
  EXPECT_EQ(seen, "find/isbn-0596007736/bookbuyer");
  EXPECT_EQ(seen_now, Archived(id).started);
  EXPECT_EQ(Archived(id).payload, "isbn-0596007736");
}

TEST_F(SchedulerLifecycleTest, SnapshotFollowsTheEventUntilItIsPast) {
  auto agent = NewAgent();
  EventId id = MustSchedule(*agent, Spec("co", CoroutineWork([](EventContext& ctx) -> Awaitable {
                                           (void)co_await ctx.SleepFor(10s);
                                           co_return Text("ok");
                                         }),
                                         now() + 1min));
  Run();
  EventRecord future = Live(id);
  EXPECT_EQ(future.state, EventState::kFuture);
  EXPECT_EQ(future.outcome, Outcome::kNone);
  EXPECT_EQ(future.started, TimePoint{});
  Advance(1min);
  EventRecord current = Live(id);
  EXPECT_EQ(current.state, EventState::kCurrent);
  EXPECT_EQ(current.started, now());
  Advance(10s);
  auto gone = rt().scheduler().SnapshotUnmasked(id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerLifecycleTest, CountsFollowFutureCurrentAndPast) {
  auto agent = NewAgent();
  MustSchedule(*agent, Spec("a", testing::Succeed(), now() + 1min));
  MustSchedule(*agent, Spec("b", CoroutineWork([](EventContext& ctx) -> Awaitable {
                              (void)co_await ctx.SleepFor(1min);
                              co_return Text("ok");
                            })));
  Run();
  SchedulerCounts c = rt().scheduler().Counts();
  EXPECT_EQ(c.future, 1u);
  EXPECT_EQ(c.current, 1u);
  EXPECT_EQ(c.frozen, 0u);
  EXPECT_EQ(c.past, 0u);
  Advance(1min);
  c = rt().scheduler().Counts();
  EXPECT_EQ(c.future, 0u);
  EXPECT_EQ(c.current, 0u);
  EXPECT_EQ(c.past, 2u);
}

TEST_F(SchedulerLifecycleTest, AgentCountsOutcomesPerKind) {
  auto agent = NewAgent();
  MustSchedule(*agent, Spec("find", testing::Succeed()));
  MustSchedule(*agent, Spec("find", testing::Succeed()));
  MustSchedule(*agent, Spec("buy", PlainWork([](EventContext&) -> Result<Text> {
                              return Status::Unavailable("no money");
                            })));
  Run();
  auto counts = agent->Counts();
  EXPECT_EQ(counts["find"], (KindCounts{.succeeded = 2}));
  EXPECT_EQ(counts["buy"], (KindCounts{.failed = 1}));
}

TEST_F(SchedulerLifecycleTest, InvalidSpecsAreRefusedAndNothingIsScheduled) {
  auto agent = NewAgent();
  auto no_kind = agent->Schedule(Spec("", testing::Succeed()));
  EXPECT_EQ(no_kind.status().code(), StatusCode::kInvalidArgument);
  auto no_work = agent->Schedule(Spec("unregistered", Work()));
  EXPECT_EQ(no_work.status().code(), StatusCode::kInvalidArgument);
  EventSpec zero = Spec("zero", testing::Succeed());
  zero.allowable = Duration::zero();
  EXPECT_EQ(agent->Schedule(std::move(zero)).status().code(), StatusCode::kInvalidArgument);
  Run();
  EXPECT_EQ(rt().scheduler().Counts().past, 0u);
  EXPECT_TRUE(transitions().empty());
}

TEST_F(SchedulerLifecycleTest, RegisteredKindBuildsTheWorkFromThePayload) {
  ASSERT_TRUE(rt().RegisterKind({.name = "echo",
                                 .factory = [](const std::string& payload) -> Result<Work> {
                                   return Work(PlainWork([payload](EventContext&) -> Result<Text> {
                                     return Text("echo " + payload);
                                   }));
                                 }})
                  .ok());
  auto agent = NewAgent();
  EventSpec spec = Spec("echo", Work());
  spec.payload = "hello";
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "echo hello");
}

}  // namespace
}  // namespace magent
