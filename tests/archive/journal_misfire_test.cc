// After a restart: events missed while the process was down follow their kind's
// MisfirePolicy; events that were running end interrupted or, for idempotent kinds, run
// again; events whose kind has no factory end failed, never silently dropped.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "magent/magent.h"
#include "testing/durable_runtime.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::DurableRuntimeTest;

class JournalMisfireTest : public DurableRuntimeTest {
 protected:
  // A kind like "tick" with `policy`.
  void AddKind(std::string name, MisfirePolicy policy, bool idempotent = false) {
    KindSpec kind = kinds_.front();
    kind.name = std::move(name);
    kind.misfire = policy;
    kind.idempotent = idempotent;
    kinds_.push_back(kind);
  }
  EventId Schedule(Agent& agent, std::string kind, std::string payload, TimePoint due) {
    EventSpec spec;
    spec.kind = std::move(kind);
    spec.payload = std::move(payload);
    spec.due = due;
    auto id = agent.Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }
};

TEST_F(JournalMisfireTest, RunNowRunsMissedEventsAtOnce) {
  Open();
  auto agent = MakeAgent();
  const EventId id = Tick(*agent, "missed", now() + 1min);
  Crash();
  clock_->Advance(1h);  // Down for an hour.

  Open();
  EXPECT_EQ(Archived(id).outcome, Outcome::kSucceeded);
  EXPECT_EQ(Archived(id).started, now());
}

TEST_F(JournalMisfireTest, SkipEndsMissedEventsExpiredSayingSo) {
  AddKind("report", MisfirePolicy::kSkip);
  Open();
  auto agent = MakeAgent();
  const EventId missed = Schedule(*agent, "report", "missed", now() + 1min);
  const EventId late = Schedule(*agent, "report", "late", now() + 2h);
  Crash();
  clock_->Advance(1h);

  Open();
  const EventRecord r = Archived(missed);
  EXPECT_EQ(r.outcome, Outcome::kExpired);
  EXPECT_EQ(r.result.message_id(), "magent.missed");
  EXPECT_NE(r.result.English().find("Missed while the process was down"), std::string::npos);
  EXPECT_TRUE(ran_.empty());
  EXPECT_TRUE(Pending(late));  // Not due yet: not missed.
  Advance(1h);
  EXPECT_EQ(ran_, std::vector<std::string>{"late"});
}

TEST_F(JournalMisfireTest, WithinTheThresholdAnEventIsNotMissed) {
  AddKind("report", MisfirePolicy::kSkip);  // Threshold: 1 minute.
  Open();
  auto agent = MakeAgent();
  const EventId id = Schedule(*agent, "report", "just late", now() + 1min);
  Crash();
  clock_->Advance(1min + 30s);  // 30 s late.

  Open();
  EXPECT_EQ(Archived(id).outcome, Outcome::kSucceeded);
}

TEST_F(JournalMisfireTest, RunOnceRunsTheLatestMissedEventOfAnAgentAndKind) {
  AddKind("sync", MisfirePolicy::kRunOnce);
  Open();
  auto agent = MakeAgent();
  auto other = MakeAgent();
  const EventId a = Schedule(*agent, "sync", "a", now() + 10min);
  const EventId c = Schedule(*agent, "sync", "c", now() + 30min);
  const EventId b = Schedule(*agent, "sync", "b", now() + 20min);
  const EventId o = Schedule(*other, "sync", "other", now() + 10min);
  const EventId future = Schedule(*agent, "sync", "future", now() + 3h);
  Crash();
  clock_->Advance(1h);

  Open();
  EXPECT_EQ(Archived(c).outcome, Outcome::kSucceeded);  // The latest one.
  EXPECT_EQ(Archived(o).outcome, Outcome::kSucceeded);  // Another agent's: its own group.
  for (EventId id : {a, b}) {
    const EventRecord r = Archived(id);
    EXPECT_EQ(r.outcome, Outcome::kExpired);
    EXPECT_EQ(r.result.message_id(), "magent.missed_once");
    EXPECT_NE(r.result.English().find("event " + c.ToString()), std::string::npos);
  }
  EXPECT_EQ(ran_, (std::vector<std::string>{"c", "other"}));
  EXPECT_TRUE(Pending(future));
}

TEST_F(JournalMisfireTest, FrozenEventsAreNotMissed) {
  AddKind("report", MisfirePolicy::kSkip);
  Open();
  auto agent = MakeAgent();
  const AgentId agent_id = agent->id();
  const EventId id = Schedule(*agent, "report", "frozen", now() + 1min);
  ASSERT_TRUE(agent->Freeze(id).ok());
  Crash();
  clock_->Advance(1h);

  Open();
  ASSERT_TRUE(Pending(id));
  ASSERT_TRUE(Restored(agent_id)->Unfreeze(id).ok());
  Run();
  EXPECT_EQ(Archived(id).outcome, Outcome::kSucceeded);
}

// Coroutine work that sleeps an hour: it is running when the process stops.
KindSpec Sleeper(std::string name, bool idempotent, std::vector<std::string>* runs) {
  KindSpec kind;
  kind.name = std::move(name);
  kind.idempotent = idempotent;
  kind.factory = [runs](const std::string& payload) {
    return Result<Work>(
        CoroutineWork([runs, payload](EventContext& ctx) -> boost::asio::awaitable<Result<Text>> {
          runs->push_back(payload);
          co_await ctx.SleepFor(std::chrono::hours(1));
          co_return Text("slept");
        }));
  };
  return kind;
}

TEST_F(JournalMisfireTest, RunningEventEndsInterruptedAfterARestart) {
  std::vector<std::string> runs;
  kinds_.push_back(Sleeper("sleep", /*idempotent=*/false, &runs));
  Open();
  auto agent = MakeAgent();
  const AgentId agent_id = agent->id();
  EventSpec spec;
  spec.kind = "sleep";
  spec.payload = "nap";
  const EventId id = agent->Schedule(std::move(spec)).value();
  Run();
  const TimePoint started = now();
  ASSERT_EQ(rt().scheduler().SnapshotUnmasked(id)->state, EventState::kCurrent);
  Crash();
  clock_->Advance(5min);

  Open();
  const EventRecord r = Archived(id);
  EXPECT_EQ(r.outcome, Outcome::kInterrupted);
  EXPECT_EQ(OutcomeName(r.outcome), "interrupted");
  EXPECT_EQ(r.result.message_id(), "magent.interrupted");
  EXPECT_EQ(r.started, started);
  EXPECT_EQ(r.actual, 5min);
  EXPECT_EQ(runs.size(), 1u);  // It did not run again.
  EXPECT_EQ(Restored(agent_id)->Counts()["sleep"].interrupted, 1u);
}

TEST_F(JournalMisfireTest, RunningEventOfAnIdempotentKindRunsAgain) {
  std::vector<std::string> runs;
  kinds_.push_back(Sleeper("sleep", /*idempotent=*/true, &runs));
  Open();
  auto agent = MakeAgent();
  EventSpec spec;
  spec.kind = "sleep";
  spec.payload = "nap";
  const EventId id = agent->Schedule(std::move(spec)).value();
  Run();
  Crash();
  clock_->Advance(5min);

  Open();
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(id)->state, EventState::kCurrent);
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(id)->started, now());
  Advance(1h);
  EXPECT_EQ(Archived(id).outcome, Outcome::kSucceeded);
  EXPECT_EQ(runs, (std::vector<std::string>{"nap", "nap"}));
}

TEST_F(JournalMisfireTest, EventOfAKindNoLongerRegisteredEndsFailed) {
  AddKind("gone", MisfirePolicy::kRunNow);
  Open();
  auto agent = MakeAgent();
  const EventId id = Schedule(*agent, "gone", "x", now() + 1h);
  Crash();
  kinds_.pop_back();

  Open();
  const EventRecord r = Archived(id);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.result.message_id(), "magent.not_rebuilt");
  EXPECT_NE(r.result.English().find("kind 'gone'"), std::string::npos);
}

}  // namespace
}  // namespace magent
