// Allowable duration: an event that runs past it asks its agent for more time, within the
// agent's ExtensionPolicy; refused, it ends timed out. Every request is recorded, the
// actual running time always is, and time spent frozen does not count.
#include <string>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::ExpectPast;
using testing::RanPath;
using testing::Spec;
using namespace std::chrono_literals;

class SchedulerAllowableDurationTest : public testing::SchedulerTest {
 protected:
  // Coroutine work that sleeps `d` and records what the sleep returned.
  static EventSpec Sleeper(Duration d, Duration allowable, Status* seen) {
    EventSpec spec = Spec("wait", CoroutineWork([d, seen](EventContext& ctx) -> Awaitable {
                            *seen = co_await ctx.SleepFor(d);
                            co_return Text("slept");
                          }));
    spec.allowable = allowable;
    return spec;
  }
};

TEST_F(SchedulerAllowableDurationTest, OverrunWithoutPolicyEndsTimedOut) {
  auto agent = NewAgent();  // The default policy grants nothing.
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(1min, 10s, &seen));
  Run();
  AdvanceInSteps(9s, 1s);
  EXPECT_TRUE(IsLive(id));
  Advance(1s);
  Run();
  EXPECT_FALSE(IsLive(id));
  EXPECT_EQ(seen.code(), StatusCode::kCancelled);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kTimedOut);
  EXPECT_EQ(r.allowable, 10s);
  EXPECT_EQ(r.started, t0);
  EXPECT_EQ(r.finished, t0 + 10s);
  EXPECT_EQ(r.actual, 10s);
  // The agent was asked for the default step (the allowable again) and refused.
  EXPECT_EQ(r.extensions, (std::vector<Extension>{{t0 + 10s, 10s, Duration::zero()}}));
  EXPECT_NE(r.result.English().find("refused"), std::string::npos) << r.result.English();
  EXPECT_EQ(PathOf(id), RanPath(Outcome::kTimedOut));
  EXPECT_EQ(agent->Counts()["wait"], (KindCounts{.timed_out = 1}));
}

TEST_F(SchedulerAllowableDurationTest, GrantedExtensionsAreRecordedAndTheEventFinishes) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 20s, .max_total = 30s}});
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(35s, 10s, &seen));
  Run();
  AdvanceInSteps(35s, 1s);
  EXPECT_TRUE(seen.ok()) << seen.ToString();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.actual, 35s);
  EXPECT_EQ(r.extensions, (std::vector<Extension>{
                              {t0 + 10s, 10s, 10s}, {t0 + 20s, 10s, 10s}, {t0 + 30s, 10s, 10s}}));
}

TEST_F(SchedulerAllowableDurationTest, ExtensionsStopAtMaxTotal) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 20s, .max_total = 30s}});
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(1min, 10s, &seen));
  Run();
  AdvanceInSteps(1min, 1s);
  EXPECT_EQ(seen.code(), StatusCode::kCancelled);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kTimedOut);
  EXPECT_EQ(r.finished, t0 + 40s);
  EXPECT_EQ(r.actual, 40s);
  EXPECT_EQ(r.extensions, (std::vector<Extension>{{t0 + 10s, 10s, 10s},
                                                  {t0 + 20s, 10s, 10s},
                                                  {t0 + 30s, 10s, 10s},
                                                  {t0 + 40s, 10s, Duration::zero()}}));
}

TEST_F(SchedulerAllowableDurationTest, ExtensionsStopAtMaxCount) {
  auto agent =
      NewAgent({.extension_policy = {.max_per_extension = 1min, .max_total = 1h, .max_count = 2}});
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(1min, 10s, &seen));
  Run();
  AdvanceInSteps(1min, 1s);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kTimedOut);
  EXPECT_EQ(r.finished, t0 + 30s);
  EXPECT_EQ(r.extensions,
            (std::vector<Extension>{
                {t0 + 10s, 10s, 10s}, {t0 + 20s, 10s, 10s}, {t0 + 30s, 10s, Duration::zero()}}));
}

TEST_F(SchedulerAllowableDurationTest, ExtensionIsCappedAtMaxPerExtension) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 10s, .max_total = 1h}});
  const TimePoint t0 = now();
  Status seen;
  EventSpec spec = Sleeper(25s, 10s, &seen);
  spec.extension_step = 30s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  AdvanceInSteps(25s, 1s);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  // Asked 30 s each time, got 10 s.
  EXPECT_EQ(r.extensions, (std::vector<Extension>{{t0 + 10s, 30s, 10s}, {t0 + 20s, 30s, 10s}}));
  EXPECT_EQ(r.actual, 25s);
}

TEST_F(SchedulerAllowableDurationTest, ClockJumpingFarPastTheDeadlineAsksUntilCoveredOrRefused) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 10s, .max_total = 25s}});
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(1h, 10s, &seen));
  Run();
  Advance(1h);  // One jump: the deadline is found long past.
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kTimedOut);
  EXPECT_EQ(r.finished, t0 + 1h);
  EXPECT_EQ(r.actual, 1h);
  EXPECT_EQ(r.extensions, (std::vector<Extension>{{t0 + 1h, 10s, 10s},
                                                  {t0 + 1h, 10s, 10s},
                                                  {t0 + 1h, 10s, 5s},
                                                  {t0 + 1h, 10s, Duration::zero()}}));
}

TEST_F(SchedulerAllowableDurationTest, PlainWorkThatOverrunsEndsTimedOut) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  EventSpec spec = Spec("slow", PlainWork([this](EventContext&) -> Result<Text> {
                          clock().Advance(20s);  // The work takes 20 s.
                          return Text("finally");
                        }));
  spec.allowable = 10s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kTimedOut);
  EXPECT_EQ(r.actual, 20s);
  EXPECT_EQ(r.finished, t0 + 20s);
  ASSERT_EQ(r.extensions.size(), 1u);
  EXPECT_EQ(r.extensions[0].granted, Duration::zero());
}

TEST_F(SchedulerAllowableDurationTest, PlainWorkThatOverrunsWithinPolicySucceeds) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 1min, .max_total = 1min}});
  EventSpec spec = Spec("slow", PlainWork([this](EventContext&) -> Result<Text> {
                          clock().Advance(20s);
                          return Text("finally");
                        }));
  spec.allowable = 10s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "finally");
  EXPECT_EQ(r.actual, 20s);
  ASSERT_EQ(r.extensions.size(), 1u);
  EXPECT_EQ(r.extensions[0].granted, 10s);
}

TEST_F(SchedulerAllowableDurationTest, WorkFinishingExactlyAtItsAllowableDurationSucceeds) {
  auto agent = NewAgent();  // No extension to give.
  EventSpec spec = Spec("exact", PlainWork([this](EventContext&) -> Result<Text> {
                          clock().Advance(10s);
                          return Text("just in time");
                        }));
  spec.allowable = 10s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.actual, 10s);
  EXPECT_TRUE(r.extensions.empty());
}

TEST_F(SchedulerAllowableDurationTest, WorkFinishingExactlyAtItsExtendedDeadlineSucceeds) {
  // One extension of 10 s covers a 20 s run with 10 s allowed; no second request is needed.
  auto agent =
      NewAgent({.extension_policy = {.max_per_extension = 10s, .max_total = 10s, .max_count = 1}});
  const TimePoint t0 = now();
  EventSpec spec = Spec("exact", PlainWork([this](EventContext&) -> Result<Text> {
                          clock().Advance(20s);
                          return Text("just in time");
                        }));
  spec.allowable = 10s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.extensions, (std::vector<Extension>{{t0 + 20s, 10s, 10s}}));
}

TEST_F(SchedulerAllowableDurationTest, RequestExtensionGrantsWithinThePolicyThenIsDenied) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 10s, .max_total = 15s}});
  const TimePoint t0 = now();
  std::vector<Result<Duration>> answers;
  EventSpec spec = Spec("ask", PlainWork([&](EventContext& ctx) -> Result<Text> {
                          answers.push_back(ctx.RequestExtension(5s));
                          answers.push_back(ctx.RequestExtension(20s));  // Capped at 10 s.
                          answers.push_back(ctx.RequestExtension(1s));   // Total used up.
                          return Text("asked");
                        }));
  spec.allowable = 1min;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  ASSERT_EQ(answers.size(), 3u);
  ASSERT_TRUE(answers[0].ok());
  EXPECT_EQ(*answers[0], 5s);
  ASSERT_TRUE(answers[1].ok());
  EXPECT_EQ(*answers[1], 10s);
  EXPECT_EQ(answers[2].status().code(), StatusCode::kPermissionDenied);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);  // A refusal does not end the event.
  EXPECT_EQ(r.extensions,
            (std::vector<Extension>{{t0, 5s, 5s}, {t0, 20s, 10s}, {t0, 1s, Duration::zero()}}));
}

TEST_F(SchedulerAllowableDurationTest, RequestExtensionWithoutPolicyIsPermissionDenied) {
  auto agent = NewAgent();
  Result<Duration> answer = Status::Internal("not asked");
  EventId id = MustSchedule(*agent, Spec("ask", PlainWork([&](EventContext& ctx) -> Result<Text> {
                                           answer = ctx.RequestExtension(5s);
                                           return Text("asked");
                                         })));
  Run();
  EXPECT_EQ(answer.status().code(), StatusCode::kPermissionDenied);
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerAllowableDurationTest, ExplicitExtensionMovesTheDeadline) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 1min, .max_total = 1min}});
  const TimePoint t0 = now();
  Result<Duration> answer = Status::Internal("not asked");
  Status seen;
  EventSpec spec = Spec("ask", CoroutineWork([&](EventContext& ctx) -> Awaitable {
                          answer = ctx.RequestExtension(20s);
                          seen = co_await ctx.SleepFor(25s);
                          co_return Text("done in time");
                        }));
  spec.allowable = 10s;
  EventId id = MustSchedule(*agent, std::move(spec));
  Run();
  AdvanceInSteps(25s, 1s);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, 20s);
  EXPECT_TRUE(seen.ok());
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  // Deadline t0 + 30 s: no request at t0 + 10 s.
  EXPECT_EQ(r.extensions, (std::vector<Extension>{{t0, 20s, 20s}}));
  EXPECT_EQ(r.actual, 25s);
}

TEST_F(SchedulerAllowableDurationTest, SnapshotShowsExtensionsSoFar) {
  auto agent = NewAgent({.extension_policy = {.max_per_extension = 10s, .max_total = 1h}});
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(1min, 10s, &seen));
  Run();
  AdvanceInSteps(15s, 1s);
  EventRecord live = Live(id);
  EXPECT_EQ(live.extensions, (std::vector<Extension>{{t0 + 10s, 10s, 10s}}));
  EXPECT_EQ(live.actual, 15s);
}

TEST_F(SchedulerAllowableDurationTest, TimeFrozenDoesNotCountAgainstTheAllowableDuration) {
  auto agent = NewAgent();  // No extension: a hard limit of 10 s of running time.
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(8s, 10s, &seen));
  Run();
  Advance(2s);
  ASSERT_TRUE(agent->FreezeAll().ok());
  AdvanceInSteps(28s, 1s);  // Far past start + 10 s, but frozen since t0 + 2 s.
  EXPECT_TRUE(IsLive(id));
  EventRecord live = Live(id);
  EXPECT_TRUE(live.frozen);
  EXPECT_EQ(live.frozen_for, 28s);
  EXPECT_TRUE(live.extensions.empty());
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  EXPECT_TRUE(seen.ok()) << seen.ToString();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_EQ(r.finished, t0 + 30s);
  EXPECT_EQ(r.actual, 30s);
  EXPECT_EQ(r.frozen_for, 28s);
  EXPECT_TRUE(r.extensions.empty());
}

TEST_F(SchedulerAllowableDurationTest, DeadlineAfterUnfreezeIsShiftedByTheTimeFrozen) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(1h, 10s, &seen));
  Run();
  Advance(4s);
  ASSERT_TRUE(agent->FreezeAll().ok());
  Advance(20s);
  ASSERT_TRUE(agent->UnfreezeAll().ok());
  Run();
  // 4 s used; 6 s left from t0 + 24 s.
  AdvanceInSteps(5s, 1s);
  EXPECT_TRUE(IsLive(id));
  Advance(1s);
  Run();
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kTimedOut);
  EXPECT_EQ(r.finished, t0 + 30s);
  EXPECT_EQ(r.actual, 30s);
  EXPECT_EQ(r.frozen_for, 20s);
  EXPECT_EQ(seen.code(), StatusCode::kCancelled);
}

TEST_F(SchedulerAllowableDurationTest, UnlimitedAllowableNeverTimesOut) {
  auto agent = NewAgent();
  Status seen;
  EventId id = MustSchedule(*agent, Sleeper(30 * 24h, Duration::max(), &seen));
  Run();
  Advance(30 * 24h);
  EventRecord r = Archived(id);
  ExpectPast(r, Outcome::kSucceeded);
  EXPECT_TRUE(r.extensions.empty());
  EXPECT_EQ(r.actual, 30 * 24h);
}

}  // namespace
}  // namespace magent
