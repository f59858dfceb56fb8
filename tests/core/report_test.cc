// Rule 9: every agent counts success and failure per kind and reports to its source.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/test_work.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Fail;
using testing::ManualRuntimeTest;
using testing::OfKind;
using testing::Sleep;
using testing::Spec;
using testing::Succeed;
using testing::Throw;
using Kind = SourceMessage::Kind;

class ReportTest : public ManualRuntimeTest {
 protected:
  std::vector<SourceMessage> Reports(Kind kind) { return OfKind(laurent_->Inbox(), kind); }

  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

// find: 2 succeeded, 1 failed, 1 killed, 1 cancelled; buy: 1 succeeded, 1 failed (threw).
std::map<std::string, KindCounts> ExpectedMix() {
  return {{"find", {.succeeded = 2, .failed = 1, .killed = 1, .cancelled = 1}},
          {"buy", {.succeeded = 1, .failed = 1}}};
}

void RunMix(Agent& agent, TimePoint now, const std::function<void()>& run) {
  ASSERT_TRUE(agent.Schedule(Spec("find", Succeed())).ok());
  ASSERT_TRUE(agent.Schedule(Spec("find", Succeed())).ok());
  ASSERT_TRUE(agent.Schedule(Spec("find", Fail())).ok());
  ASSERT_TRUE(agent.Schedule(Spec("buy", Succeed())).ok());
  ASSERT_TRUE(agent.Schedule(Spec("buy", Throw())).ok());
  auto to_kill = agent.Schedule(Spec("find", Succeed(), now + hours(1)));
  auto to_cancel = agent.Schedule(Spec("find", Succeed(), now + hours(1)));
  ASSERT_TRUE(to_kill.ok());
  ASSERT_TRUE(to_cancel.ok());
  ASSERT_TRUE(agent.Kill(*to_kill).ok());
  ASSERT_TRUE(agent.Cancel(*to_cancel).ok());
  run();
}

TEST_F(ReportTest, CountsEachOutcomePerKind) {
  auto agent = MakeAgent(*laurent_);
  RunMix(*agent, now(), [this] { Run(); });
  EXPECT_EQ(agent->Counts(), ExpectedMix());
  EXPECT_EQ(agent->Counts()["find"].failures(), 3u);
}

TEST_F(ReportTest, CountsTimedOutAndExpiredEvents) {
  auto agent = MakeAgent(*laurent_);
  EventSpec slow = Spec("slow", Sleep(hours(1)));
  slow.allowable = minutes(5);
  ASSERT_TRUE(agent->Schedule(std::move(slow)).ok());
  EventSpec late = Spec("late", Succeed(), now() + minutes(1));
  late.start_within = minutes(1);
  auto late_id = agent->Schedule(std::move(late));
  ASSERT_TRUE(late_id.ok());
  ASSERT_TRUE(agent->Freeze(*late_id).ok());
  Run();
  Advance(minutes(5));
  EXPECT_EQ(agent->Counts()["slow"], KindCounts{.timed_out = 1});
  EXPECT_EQ(agent->Counts()["late"], KindCounts{.expired = 1});
}

TEST_F(ReportTest, NoReportUntilAskedByDefault) {
  auto agent = MakeAgent(*laurent_);
  RunMix(*agent, now(), [this] { Run(); });
  EXPECT_TRUE(laurent_->Inbox().empty());
}

TEST_F(ReportTest, SendInterimReportSendsTheCountsSoFar) {
  auto agent = MakeAgent(*laurent_, {.name = "bookbuyer"});
  RunMix(*agent, now(), [this] { Run(); });
  clock().Advance(minutes(3));
  ASSERT_TRUE(agent->SendInterimReport().ok());

  auto interim = Reports(Kind::kInterimReport);
  ASSERT_EQ(interim.size(), 1u);
  const SourceMessage& m = interim[0];
  EXPECT_EQ(m.agent, agent->id());
  EXPECT_EQ(m.at, now());
  ASSERT_TRUE(m.report.has_value());
  EXPECT_FALSE(m.report->final);
  EXPECT_EQ(m.report->agent, agent->id());
  EXPECT_EQ(m.report->agent_name, "bookbuyer");
  EXPECT_EQ(m.report->state, AgentState::kActive);
  EXPECT_EQ(m.report->at, now());
  EXPECT_EQ(m.report->per_kind, ExpectedMix());
  EXPECT_EQ(m.text, m.report->summary);
  EXPECT_EQ(m.report->summary.English(), "bookbuyer (active): 7 events, 3 succeeded, 4 did not.");
  EXPECT_TRUE(Reports(Kind::kFinalReport).empty());
}

TEST_F(ReportTest, InterimReportAfterEveryNFinishedEvents) {
  auto agent = MakeAgent(*laurent_, {.interim_report_every = 2});
  std::vector<SourceMessage> heard;
  boost::signals2::scoped_connection c = laurent_->Subscribe([&](const SourceMessage& m) {
    if (m.kind == Kind::kInterimReport) heard.push_back(m);
  });
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(agent
                    ->Schedule(Spec(i % 2 ? "buy" : "find", i == 4 ? Fail() : Succeed(),
                                    now() + minutes(i + 1)))
                    .ok());
  }
  Advance(minutes(1));
  EXPECT_TRUE(Reports(Kind::kInterimReport).empty());
  Advance(minutes(1));
  auto interim = Reports(Kind::kInterimReport);
  ASSERT_EQ(interim.size(), 1u);
  EXPECT_EQ(
      interim[0].report->per_kind,
      (std::map<std::string, KindCounts>{{"find", {.succeeded = 1}}, {"buy", {.succeeded = 1}}}));
  Advance(minutes(3));
  interim = Reports(Kind::kInterimReport);
  ASSERT_EQ(interim.size(), 2u) << "5 events, one report every 2";
  EXPECT_EQ(
      interim[1].report->per_kind,
      (std::map<std::string, KindCounts>{{"find", {.succeeded = 2}}, {"buy", {.succeeded = 2}}}));
  EXPECT_EQ(heard.size(), 2u);
  for (const SourceMessage& m : interim) EXPECT_FALSE(m.report->final);
}

TEST_F(ReportTest, RetiringAnIdleAgentSendsOneFinalReport) {
  auto agent = MakeAgent(*laurent_, {.name = "bookbuyer"});
  RunMix(*agent, now(), [this] { Run(); });
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  auto finals = Reports(Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  ASSERT_TRUE(finals[0].report.has_value());
  EXPECT_TRUE(finals[0].report->final);
  EXPECT_EQ(finals[0].report->state, AgentState::kRetired);
  EXPECT_EQ(finals[0].report->per_kind, ExpectedMix());
  EXPECT_EQ(finals[0].report->summary.message_id(), "magent.final_report");
}

TEST_F(ReportTest, RetiringABusyAgentReportsWhenItsLastEventEnds) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(agent->Schedule(Spec("find", Succeed(), now() + minutes(5))).ok());
  ASSERT_TRUE(agent->Schedule(Spec("buy", Sleep(minutes(10)))).ok());
  Run();
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  EXPECT_TRUE(Reports(Kind::kFinalReport).empty());
  Advance(minutes(5));
  EXPECT_TRUE(Reports(Kind::kFinalReport).empty());
  Advance(minutes(5));
  auto finals = Reports(Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(
      finals[0].report->per_kind,
      (std::map<std::string, KindCounts>{{"find", {.succeeded = 1}}, {"buy", {.succeeded = 1}}}));
}

TEST_F(ReportTest, KillingAnAgentSendsOneFinalReport) {
  auto agent = MakeAgent(*laurent_);
  RunMix(*agent, now(), [this] { Run(); });
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("cleanup")).ok());
  auto finals = Reports(Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->state, AgentState::kKilled);
  EXPECT_EQ(finals[0].report->per_kind, ExpectedMix());
}

TEST_F(ReportTest, KillSelfSendsOneFinalReport) {
  auto agent = MakeAgent(*laurent_);
  RunMix(*agent, now(), [this] { Run(); });
  ASSERT_TRUE(agent->KillSelf(Text("bye")).ok());
  auto finals = Reports(Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->state, AgentState::kKilled);
  EXPECT_EQ(finals[0].report->per_kind, ExpectedMix());
}

TEST_F(ReportTest, RemovingAnAgentSendsOneFinalReport) {
  auto agent = MakeAgent(*laurent_);
  RunMix(*agent, now(), [this] { Run(); });
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("replaced")).ok());
  auto finals = Reports(Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->state, AgentState::kRemoved);
  EXPECT_EQ(finals[0].report->per_kind, ExpectedMix());
}

TEST_F(ReportTest, RetiredThenKilledAgentSendsOnlyOneFinalReport) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(agent->Schedule(Spec("find", Succeed())).ok());
  Run();
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("and gone")).ok());
  EXPECT_EQ(Reports(Kind::kFinalReport).size(), 1u);
}

// Its final report waits for its orphan and counts it; a stopped agent sends no interim
// report, and nothing follows the final one.
TEST_F(ReportTest, KilledAgentSendsOnlyItsFinalReportOnceItsOrphanEnds) {
  auto agent = MakeAgent(*laurent_, {.interim_report_every = 1});
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  EXPECT_TRUE(Reports(Kind::kFinalReport).empty());
  ASSERT_TRUE(laurent_->KillEvent(*id, Text("orphan")).ok());
  Run();
  EXPECT_TRUE(Reports(Kind::kInterimReport).empty());
  auto finals = Reports(Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].report->per_kind["find"].killed, 1u);
}

class SmallInboxTest : public ManualRuntimeTest {
 protected:
  static RuntimeOptions Options() {
    RuntimeOptions options;
    options.inbox_capacity = 2;
    return options;
  }
  SmallInboxTest() : ManualRuntimeTest(Options()) {}
};

TEST_F(SmallInboxTest, InboxDropsTheOldestBeyondCapacity) {
  auto source = rt().CreateSource({});
  auto agent = MakeAgent(*source);
  ASSERT_TRUE(agent->Schedule(Spec("a", Succeed())).ok());
  Run();
  ASSERT_TRUE(agent->SendInterimReport().ok());  // a: 1
  ASSERT_TRUE(agent->Schedule(Spec("b", Succeed())).ok());
  Run();
  ASSERT_TRUE(agent->SendInterimReport().ok());   // a, b
  ASSERT_TRUE(agent->Retire(Text("done")).ok());  // Final.
  auto inbox = source->Inbox();
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_EQ(inbox[0].kind, Kind::kInterimReport);
  EXPECT_EQ(inbox[0].report->per_kind.size(), 2u);
  EXPECT_EQ(inbox[1].kind, Kind::kFinalReport);
}

}  // namespace
}  // namespace magent
