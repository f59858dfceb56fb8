// Security levels: an agent's clearance, granted by its source and bounded by the source's
// own, against the level of each kind; revoking by lowering it.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "magent/clearance_sentinel.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::Spec;

RuntimeOptions WithClearance() {
  RuntimeOptions options;
  options.sentinel = std::make_shared<ClearanceSentinel>(ClearanceOptions{
      .levels = {
          {"find", Clearance::kLow}, {"buy", Clearance::kHigh}, {"ship-to", Clearance::kPrivate}}});
  return options;
}

class ClearanceTest : public ManualRuntimeTest {
 protected:
  ClearanceTest() : ManualRuntimeTest(WithClearance()) {}

  Work Counting() {
    return PlainWork([runs = runs_](EventContext&) -> Result<Text> {
      ++*runs;
      return Text("ran");
    });
  }
  std::vector<EventRecord> Decisions(Outcome outcome) {
    return rt().unmasked_archive().Query({.kind = std::string(kDecisionKind), .outcome = outcome});
  }

  std::shared_ptr<std::atomic<int>> runs_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<AgentSource> laurent_ =
      rt().CreateSource({.name = "Laurent", .clearance = Clearance::kHigh});
};

TEST_F(ClearanceTest, AgentBelowTheKindsLevelIsRefusedAndNothingRuns) {
  auto agent = MakeAgent(*laurent_, {.name = "browser", .clearance = Clearance::kLow});
  auto id = agent->Schedule(Spec("buy", Counting()));
  EXPECT_EQ(id.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(id.status().message(), "Agent 'browser' has clearance low; kind 'buy' needs high.");
  Advance(minutes(10));
  EXPECT_EQ(*runs_, 0);
  EXPECT_EQ(rt().scheduler().Counts().future, 0u);
  EXPECT_TRUE(agent->Counts().empty());
}

TEST_F(ClearanceTest, AgentAtTheKindsLevelRuns) {
  auto agent = MakeAgent(*laurent_, {.clearance = Clearance::kHigh});
  ASSERT_TRUE(agent->Schedule(Spec("buy", Counting())).ok());
  ASSERT_TRUE(agent->Schedule(Spec("find", Counting())).ok());
  Run();
  EXPECT_EQ(*runs_, 2);
}

TEST_F(ClearanceTest, AgentClearanceDefaultsToItsSources) {
  auto agent = MakeAgent(*laurent_);
  EXPECT_TRUE(agent->Schedule(Spec("buy", Counting())).ok());
  EXPECT_EQ(agent->Schedule(Spec("ship-to", Counting())).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ClearanceTest, AgentClearanceIsBoundedByItsSources) {
  // The agent claims private clearance; its source only has high.
  auto agent = MakeAgent(*laurent_, {.name = "shipper", .clearance = Clearance::kPrivate});
  auto id = agent->Schedule(Spec("ship-to", Counting()));
  EXPECT_EQ(id.status().message(),
            "Agent 'shipper' has clearance high; kind 'ship-to' needs private.");
  EXPECT_EQ(laurent_->SetAgentClearance(agent->id(), Clearance::kPrivate).code(),
            StatusCode::kInvalidArgument);
  Run();
  EXPECT_EQ(*runs_, 0);
}

TEST_F(ClearanceTest, SourceMayGrantUpToItsOwnClearance) {
  auto bank = rt().CreateSource({.name = "bank", .clearance = Clearance::kPrivate});
  auto agent = MakeAgent(*bank, {.clearance = Clearance::kLow});
  EXPECT_EQ(agent->Schedule(Spec("ship-to", Counting())).status().code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(bank->SetAgentClearance(agent->id(), Clearance::kPrivate).ok());
  ASSERT_TRUE(agent->Schedule(Spec("ship-to", Counting())).ok());
  Run();
  EXPECT_EQ(*runs_, 1);
}

TEST_F(ClearanceTest, OnlyTheAgentsSourceSetsItsClearance) {
  auto agent = MakeAgent(*laurent_);
  auto other = rt().CreateSource({.name = "Mallory"});
  EXPECT_EQ(other->SetAgentClearance(agent->id(), Clearance::kLow).code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ClearanceTest, AnonymousSourceIsBoundedByTheRuntimesAnonymousClearance) {
  auto anonymous = rt().CreateSource({.anonymous = true, .clearance = Clearance::kHigh});
  auto agent = MakeAgent(*anonymous);
  EXPECT_TRUE(agent->Schedule(Spec("find", Counting())).ok());
  EXPECT_EQ(agent->Schedule(Spec("buy", Counting())).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ClearanceTest, UnlistedKindsNeedHighByDefault) {
  auto low = MakeAgent(*laurent_, {.clearance = Clearance::kLow});
  auto high = MakeAgent(*laurent_, {.clearance = Clearance::kHigh});
  EXPECT_EQ(low->Schedule(Spec("refund", Counting())).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(high->Schedule(Spec("refund", Counting())).ok());
}

TEST_F(ClearanceTest, EveryDenialIsArchivedAndSearchable) {
  auto agent = MakeAgent(*laurent_, {.name = "browser", .clearance = Clearance::kLow});
  ASSERT_FALSE(agent->Schedule(Spec("buy", Counting())).ok());
  ASSERT_FALSE(agent->Schedule(Spec("buy", Counting())).ok());
  Run();
  std::vector<EventRecord> denials = Decisions(Outcome::kFailed);
  ASSERT_EQ(denials.size(), 2u) << "each denial on its own";
  for (const EventRecord& d : denials) {
    EXPECT_EQ(d.agent, agent->id());
    EXPECT_EQ(d.agent_source, laurent_->id());
    EXPECT_EQ(d.payload, "buy");
    EXPECT_EQ(d.state, EventState::kPast);
    EXPECT_EQ(d.goal.English(), "Agent 'browser' asked to schedule 'buy'.");
    EXPECT_EQ(d.result.English(), "Agent 'browser' has clearance low; kind 'buy' needs high.");
  }
  EXPECT_EQ(
      rt().unmasked_archive().Query({.source = laurent_->id(), .outcome = Outcome::kFailed}).size(),
      2u);
  EXPECT_EQ(rt().scheduler().Counts().past, 2u);
}

TEST_F(ClearanceTest, FirstAllowOfEachKindPerAgentIsArchivedThenTheEventsOwnRecordsCount) {
  auto agent = MakeAgent(*laurent_);
  std::vector<std::string> seen_past;
  boost::signals2::scoped_connection c =
      rt().scheduler().OnPastUnmasked([&](const EventRecord& r) { seen_past.push_back(r.kind); });
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(agent->Schedule(Spec("find", Counting())).ok());
  ASSERT_TRUE(agent->Schedule(Spec("buy", Counting())).ok());
  Run();
  std::vector<EventRecord> allows = Decisions(Outcome::kSucceeded);
  ASSERT_EQ(allows.size(), 2u);
  EXPECT_EQ(allows[0].payload, "buy");
  EXPECT_EQ(allows[1].payload, "find");
  EXPECT_EQ(rt().unmasked_archive().Query({.kind = "find"}).size(), 3u);
  EXPECT_EQ(rt().scheduler().Counts().past, 6u);
  EXPECT_EQ(std::count(seen_past.begin(), seen_past.end(), std::string(kDecisionKind)), 2);
}

TEST_F(ClearanceTest, LoweringClearanceFreezesAffectedFutureEventsAndTellsTheSource) {
  auto agent = MakeAgent(*laurent_, {.name = "buyer"});
  auto buy = agent->Schedule(Spec("buy", Counting(), now() + minutes(5)));
  auto find = agent->Schedule(Spec("find", Counting(), now() + minutes(5)));
  ASSERT_TRUE(buy.ok() && find.ok());

  ASSERT_TRUE(laurent_->SetAgentClearance(agent->id(), Clearance::kLow).ok());
  std::vector<SourceMessage> inbox = laurent_->Inbox();
  ASSERT_FALSE(inbox.empty());
  EXPECT_EQ(inbox.back().kind, SourceMessage::Kind::kAuthorizationRevoked);
  EXPECT_EQ(inbox.back().events, std::vector<EventId>{*buy});
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*buy)->frozen);
  EXPECT_FALSE(rt().scheduler().SnapshotUnmasked(*find)->frozen);

  // The agent cannot thaw what its source's revocation froze.
  ASSERT_TRUE(agent->Unfreeze(*buy).ok());
  Advance(minutes(10));
  EXPECT_EQ(*runs_, 1) << "only find ran";
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*buy)->frozen);

  ASSERT_TRUE(laurent_->SetAgentClearance(agent->id(), Clearance::kHigh).ok());
  Run();
  EXPECT_EQ(*runs_, 2);
  EXPECT_EQ(Archived(*buy).outcome, Outcome::kSucceeded);
  EXPECT_EQ(Decisions(Outcome::kFailed).size(), 1u) << "the revocation is a recorded decision";
}

}  // namespace
}  // namespace magent
