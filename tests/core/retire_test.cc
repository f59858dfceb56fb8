// Retired agents take no new events, but what they have runs to its end.
#include <chrono>
#include <memory>

#include "core/test_work.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::Sleep;
using testing::Spec;
using testing::Succeed;

class RetireTest : public ManualRuntimeTest {
 protected:
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

TEST_F(RetireTest, RetiredAgentRefusesNewEvents) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  EXPECT_EQ(agent->state(), AgentState::kRetired);
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(rt().scheduler().Counts().future, 0u);
}

TEST_F(RetireTest, RunningEventOfARetiredAgentFinishes) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("wait", Sleep(minutes(10))));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_EQ(rt().scheduler().SnapshotUnmasked(*id)->state, EventState::kCurrent);
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  EXPECT_FALSE(rt().scheduler().SnapshotUnmasked(*id)->frozen);
  Advance(minutes(10));
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "slept");
  EXPECT_EQ(agent->state(), AgentState::kRetired);
}

TEST_F(RetireTest, FutureEventOfARetiredAgentStillRuns) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  Advance(hours(1));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(RetireTest, RetiredAgentCanStillKillItsEvents) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  ASSERT_TRUE(agent->Kill(*id).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kKilled);
}

TEST_F(RetireTest, RetiringTwiceOrWhenGoneIsAFailedPrecondition) {
  auto retired = MakeAgent(*laurent_);
  auto killed = MakeAgent(*laurent_);
  ASSERT_TRUE(retired->Retire(Text("done")).ok());
  EXPECT_EQ(retired->Retire(Text("again")).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(killed->KillSelf(Text("bye")).ok());
  EXPECT_EQ(killed->Retire(Text("late")).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rt().registry().Find(retired->id())->reason.English(), "done");
}

TEST_F(RetireTest, AgentFrozenByItsSourceCannotRetireItsEventsIntoRunning) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->FreezeAgent(agent->id()).ok());
  EXPECT_EQ(agent->Retire(Text("quit")).code(), StatusCode::kFailedPrecondition);
  Advance(minutes(10));
  auto s = rt().scheduler().SnapshotUnmasked(*id);
  ASSERT_TRUE(s.ok()) << "the frozen agent's event ran";
  EXPECT_TRUE(s->frozen);
  ASSERT_TRUE(laurent_->UnfreezeAgent(agent->id()).ok());
  EXPECT_TRUE(agent->Retire(Text("quit")).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(RetireTest, RetiredAgentIsNotResurrectedWhenItsSourceGoes) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  EXPECT_EQ(agent->state(), AgentState::kRetired);
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(rt().owner()->UnfreezeAgent(agent->id()).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(agent->state(), AgentState::kRetired);
  EXPECT_TRUE(rt().owner()->Inbox().empty()) << "nothing to decide about a finished agent";
}

TEST_F(RetireTest, BusyRetiredAgentOfARemovedSourceIsSuspendedAndStaysRetired) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  // Suspended: its remaining event does not run, and it takes no new ones.
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  Advance(minutes(10));
  ASSERT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok());
  EXPECT_EQ(rt().owner()->Inbox().size(), 1u);
  // The owner lets it finish what it had; it is retired again, not active.
  ASSERT_TRUE(rt().owner()->UnfreezeAgent(agent->id()).ok());
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
  EXPECT_EQ(agent->state(), AgentState::kRetired);
}

}  // namespace
}  // namespace magent
