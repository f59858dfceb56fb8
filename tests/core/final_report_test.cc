// Issue 16, item 6: an agent's final report counts every event it had, including those
// that end after it is killed, removed or retired; an event announced as frozen does not
// run; a retired agent's held events end, so its final report goes out.
#include <gmock/gmock.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/test_work.h"
#include "magent/quorum_sentinel.h"
#include "magent/signature.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::OfKind;
using testing::Sleep;
using testing::Spec;
using testing::Succeed;
using Kind = SourceMessage::Kind;

RuntimeOptions WithQuorum() {
  RuntimeOptions options;
  options.orphan_grace = hours(1);
  options.sentinel = std::make_shared<QuorumSentinel>(
      std::map<std::string, QuorumRule, std::less<>>{{"buy", {.min_weight = 2}}});
  return options;
}

class FinalReportTest : public ManualRuntimeTest {
 protected:
  FinalReportTest() : ManualRuntimeTest(WithQuorum()) {}

  std::vector<SourceMessage> Finals() { return OfKind(laurent_->Inbox(), Kind::kFinalReport); }

  // Plain work that notes it ran, then succeeds.
  Work Noting(std::string text = "done") {
    return PlainWork([ran = ran_, text](EventContext&) -> Result<Text> {
      ++*ran;
      return Text(text);
    });
  }
  // Plain work that kills its own agent, then succeeds.
  static Work Kamikaze(std::shared_ptr<Agent>* agent) {
    return PlainWork([agent](EventContext&) -> Result<Text> {
      EXPECT_TRUE((*agent)->KillSelf(Text("kamikaze")).ok());
      return Text("hit");
    });
  }
  // A "buy" of Laurent's agent that needs Laurent (weight 1) and Alice (weight 1).
  EventSpec Buy(TimePoint due = {}) {
    EventSpec spec = Spec("buy", Noting("bought"), due);
    spec.sources = {{laurent_->id(), 1}, {alice_->id(), 1}};
    return spec;
  }
  Status SignAs(AgentSource& source, const std::string& key, EventId id) {
    return source.Sign(id, SignEvent(key, id, "buy", ""));
  }

  std::shared_ptr<std::atomic<int>> ran_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<AgentSource> laurent_ =
      rt().CreateSource({.name = "Laurent", .signing_key = "laurent's key"});
  std::shared_ptr<AgentSource> alice_ =
      rt().CreateSource({.name = "Alice", .signing_key = "alice's key"});
};

// Issue 16: "kamikaze (killed): 0 events", then its running event succeeded and was
// reported to no one.
TEST_F(FinalReportTest, PlainWorkThatKillsItsAgentIsCountedInTheFinalReport) {
  std::shared_ptr<Agent> agent = MakeAgent(*laurent_, {.name = "kamikaze"});
  auto id = agent->Schedule(Spec("attack", Kamikaze(&agent)));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(agent->state(), AgentState::kKilled);
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "hit");
  auto finals = Finals();
  ASSERT_EQ(finals.size(), 1u);
  ASSERT_TRUE(finals[0].report.has_value());
  EXPECT_EQ(finals[0].report->per_kind["attack"], KindCounts{.succeeded = 1});
  EXPECT_EQ(finals[0].text.English(), "kamikaze (killed): 1 events, 1 succeeded, 0 did not.");
}

// The running plain work cannot be paused: it must not be announced as frozen.
TEST_F(FinalReportTest, RunningPlainWorkOfAKilledAgentIsNotAnnouncedAsFrozen) {
  std::shared_ptr<Agent> agent = MakeAgent(*laurent_, {.name = "kamikaze"});
  auto later = agent->Schedule(Spec("find", Noting(), now() + hours(2)));
  auto id = agent->Schedule(Spec("attack", Kamikaze(&agent)));
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(id.ok());
  Run();
  auto orphans = OfKind(laurent_->Inbox(), Kind::kOrphanedEvents);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].events, std::vector<EventId>{*later}) << "only the Future one is frozen";
  EXPECT_EQ(orphans[0].running, std::vector<EventId>{*id});
  EXPECT_THAT(orphans[0].text.English(), ::testing::HasSubstr("1 running on"));
  EXPECT_TRUE(Finals().empty()) << "its Future event has not ended";
}

// The second event of the same batch was already handed to the strand when the first
// killed the agent: announced as frozen, it must not run.
TEST_F(FinalReportTest, EventOfTheSameBatchDoesNotRunOnceItsAgentIsKilled) {
  std::shared_ptr<Agent> agent = MakeAgent(*laurent_, {.name = "kamikaze"});
  auto first = agent->Schedule(Spec("attack", Kamikaze(&agent)));
  auto second = agent->Schedule(Spec("find", Noting()));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  Run();
  auto orphans = OfKind(laurent_->Inbox(), Kind::kOrphanedEvents);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].events, std::vector<EventId>{*second});
  Advance(minutes(30));
  EXPECT_EQ(*ran_, 0) << "announced as frozen, it ran";
  auto s = rt().scheduler().SnapshotUnmasked(*second);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->frozen);
  EXPECT_TRUE(Finals().empty());

  // Adopted, it runs under its new agent; the killed agent's report then goes out.
  auto heir = MakeAgent(*laurent_, {.name = "heir"});
  ASSERT_TRUE(laurent_->Adopt(*second, heir->id()).ok());
  Run();
  EXPECT_EQ(*ran_, 1);
  EXPECT_EQ(Archived(*second).agent, heir->id());
  auto finals = Finals();
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].agent, agent->id());
  EXPECT_EQ(finals[0].report->per_kind,
            (std::map<std::string, KindCounts>{{"attack", {.succeeded = 1}}}));
}

TEST_F(FinalReportTest, KilledAgentsFinalReportWaitsForItsRunningCoroutine) {
  auto agent = MakeAgent(*laurent_, {.name = "sleeper"});
  auto id = agent->Schedule(Spec("wait", Sleep(minutes(10))));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  // Listed killed and the orphan announced at once; the report waits.
  EXPECT_EQ(agent->state(), AgentState::kKilled);
  EXPECT_EQ(OfKind(laurent_->Inbox(), Kind::kOrphanedEvents).size(), 1u);
  EXPECT_TRUE(Finals().empty());
  ASSERT_TRUE(laurent_->KillEvent(*id, Text("not wanted")).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kKilled);
  auto finals = Finals();
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->state, AgentState::kKilled);
  EXPECT_EQ(finals[0].report->per_kind["wait"], KindCounts{.killed = 1});
}

TEST_F(FinalReportTest, RemovedAgentsFinalReportCountsItsExpiredOrphans) {
  auto agent = MakeAgent(*laurent_, {.name = "finder"});
  ASSERT_TRUE(agent->Schedule(Spec("find", Noting())).ok());
  ASSERT_TRUE(agent->Schedule(Spec("find", Noting(), now() + hours(3))).ok());
  Run();
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("replaced")).ok());
  EXPECT_TRUE(Finals().empty());
  Advance(hours(1));  // The grace: the orphan expires.
  auto finals = Finals();
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->per_kind["find"], (KindCounts{.succeeded = 1, .expired = 1}));
  EXPECT_EQ(finals[0].text.English(), "finder (removed): 2 events, 1 succeeded, 1 did not.");
}

// Issue 16: "A retired agent with a held event nobody can sign never sends its final
// report."
TEST_F(FinalReportTest, RetiredAgentsHeldEventsEndKilledSoItsFinalReportGoesOut) {
  auto agent = MakeAgent(*laurent_, {.name = "trader"});
  auto held = agent->Schedule(Buy(now() + minutes(10)));
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  ASSERT_TRUE(SignAs(*laurent_, "laurent's key", *held).ok());  // 1 of 2.
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  Run();
  EventRecord r = Archived(*held);
  EXPECT_EQ(r.outcome, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "Retired with no one to sign.");
  auto finals = Finals();
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->state, AgentState::kRetired);
  EXPECT_EQ(finals[0].report->per_kind["buy"], KindCounts{.killed = 1});
  EXPECT_EQ(*ran_, 0);
}

TEST_F(FinalReportTest, EventHeldAgainAfterItsAgentRetiredEndsKilled) {
  auto agent = MakeAgent(*laurent_, {.name = "trader"});
  auto id = agent->Schedule(Buy(now() + hours(1)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(SignAs(*laurent_, "laurent's key", *id).ok());
  ASSERT_TRUE(SignAs(*alice_, "alice's key", *id).ok());
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  Run();
  ASSERT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok()) << "signed: it waits for its time";
  EXPECT_TRUE(Finals().empty());
  ASSERT_TRUE(alice_->RevokeSignature(*id).ok());
  Run();
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "Retired with no one to sign.");
  EXPECT_EQ(Finals().size(), 1u);
  Advance(hours(1));
  EXPECT_EQ(*ran_, 0);
}

}  // namespace
}  // namespace magent
