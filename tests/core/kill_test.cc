// Rule 5: who may kill what.
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

class KillTest : public ManualRuntimeTest {
 protected:
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
  std::shared_ptr<AgentSource> board_ = rt().CreateSource({.name = "Board"});
};

TEST_F(KillTest, AgentKillsItsOwnFutureEventAtOnce) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(agent->Kill(*id, Text("changed my mind")).ok());
  // Future: Past at once, without running the clock or the executor.
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*id).status().code(), StatusCode::kNotFound);
  Run();
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "changed my mind");
  EXPECT_EQ(r.started, TimePoint{});
  Advance(hours(2));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kKilled);  // It never ran.
}

TEST_F(KillTest, KilledCurrentEventEndsKilledWhenItsWorkReturns) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("wait", Sleep(hours(1))));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_EQ(rt().scheduler().SnapshotUnmasked(*id)->state, EventState::kCurrent);
  ASSERT_TRUE(agent->Kill(*id).ok());
  Run();
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "Killed by agent '" + agent->name() + "'.");
}

TEST_F(KillTest, AgentCannotKillAnotherAgentsEvent) {
  auto owner = MakeAgent(*laurent_);
  auto sibling = MakeAgent(*laurent_);  // Same source: still not its event.
  auto stranger = MakeAgent(*board_);
  auto id = owner->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());

  EXPECT_EQ(sibling->Kill(*id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(stranger->Kill(*id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(sibling->Cancel(*id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(stranger->Freeze(*id).code(), StatusCode::kPermissionDenied);

  auto snapshot = rt().scheduler().SnapshotUnmasked(*id);
  ASSERT_TRUE(snapshot.ok()) << "a refused kill must leave the event live";
  EXPECT_FALSE(snapshot->frozen);
  Advance(hours(1));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(KillTest, KillingAnUnknownEventIsNotFound) {
  auto agent = MakeAgent(*laurent_);
  EXPECT_EQ(agent->Kill(EventId(12345)).code(), StatusCode::kNotFound);
  EXPECT_EQ(agent->Kill(EventId()).code(), StatusCode::kNotFound);
}

TEST_F(KillTest, KillingAnEventThatEndedIsNotFound) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed()));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
  EXPECT_EQ(agent->Kill(*id).code(), StatusCode::kNotFound);
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(KillTest, KillingAnEventKillsItsSpawn) {
  auto agent = MakeAgent(*laurent_);
  auto child = std::make_shared<EventId>();
  auto parent = agent->Schedule(Spec("parent", testing::SpawnAndSleep(child, hours(1), hours(2))));
  ASSERT_TRUE(parent.ok());
  Run();
  ASSERT_TRUE(*child) << "the parent did not spawn";
  auto child_snapshot = rt().scheduler().SnapshotUnmasked(*child);
  ASSERT_TRUE(child_snapshot.ok());
  EXPECT_EQ(child_snapshot->parent, *parent);
  EXPECT_EQ(child_snapshot->agent, agent->id());

  ASSERT_TRUE(agent->Kill(*parent, Text("stop all")).ok());
  Run();
  EXPECT_EQ(Archived(*parent).outcome, Outcome::kKilled);
  EventRecord c = Archived(*child);
  EXPECT_EQ(c.outcome, Outcome::kKilled);
  EXPECT_EQ(c.result.English(), "stop all");
  EXPECT_EQ(c.started, TimePoint{});
}

TEST_F(KillTest, AgentMayKillTheSpawnOfItsEventWithoutTheParent) {
  auto agent = MakeAgent(*laurent_);
  auto child = std::make_shared<EventId>();
  auto parent =
      agent->Schedule(Spec("parent", testing::SpawnAndSleep(child, hours(1), minutes(10))));
  ASSERT_TRUE(parent.ok());
  Run();
  ASSERT_TRUE(*child);
  ASSERT_TRUE(agent->Kill(*child).ok());
  Run();
  EXPECT_EQ(Archived(*child).outcome, Outcome::kKilled);
  Advance(minutes(10));
  EXPECT_EQ(Archived(*parent).outcome, Outcome::kSucceeded);
}

TEST_F(KillTest, AnotherAgentCannotKillTheSpawn) {
  auto agent = MakeAgent(*laurent_);
  auto other = MakeAgent(*laurent_);
  auto child = std::make_shared<EventId>();
  ASSERT_TRUE(
      agent->Schedule(Spec("parent", testing::SpawnAndSleep(child, hours(1), hours(2)))).ok());
  Run();
  ASSERT_TRUE(*child);
  EXPECT_EQ(other->Kill(*child).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*child).ok());
}

TEST_F(KillTest, CancelWithdrawsAFutureEventButNotAStartedOne) {
  auto agent = MakeAgent(*laurent_);
  auto later = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  auto running = agent->Schedule(Spec("wait", Sleep(hours(1))));
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(running.ok());
  Run();
  EXPECT_TRUE(agent->Cancel(*later).ok());
  EXPECT_EQ(agent->Cancel(*running).code(), StatusCode::kFailedPrecondition);
  Run();
  EXPECT_EQ(Archived(*later).outcome, Outcome::kCancelled);
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*running).ok());
}

TEST_F(KillTest, AgentMayKillItself) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());
  clock().Advance(minutes(1));
  ASSERT_TRUE(agent->KillSelf(Text("nothing left to do")).ok());
  Run();
  EXPECT_EQ(agent->state(), AgentState::kKilled);
  auto info = rt().registry().Find(agent->id());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state, AgentState::kKilled);
  EXPECT_EQ(info->reason.English(), "nothing left to do");
  EXPECT_EQ(info->since, now());
  // Its live event is orphaned, not run.
  auto snapshot = rt().scheduler().SnapshotUnmasked(*id);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->orphaned);
  EXPECT_TRUE(snapshot->frozen);
  // A killed agent takes nothing more and cannot die twice.
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(agent->KillSelf(Text("again")).code(), StatusCode::kFailedPrecondition);
}

TEST_F(KillTest, SourceMayKillItsAgent) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  EXPECT_EQ(agent->state(), AgentState::kKilled);
  EXPECT_EQ(rt().registry().Find(agent->id())->reason.English(), "rogue");
  EXPECT_EQ(laurent_->KillAgent(agent->id(), Text("again")).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(KillTest, SourceMayRemoveItsAgent) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("not needed")).ok());
  EXPECT_EQ(agent->state(), AgentState::kRemoved);
  EXPECT_EQ(rt().registry().Find(agent->id())->reason.English(), "not needed");
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->RemoveAgent(agent->id(), Text("again")).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(KillTest, SourceCannotKillOrRemoveAnotherSourcesAgent) {
  auto agent = MakeAgent(*laurent_);
  EXPECT_EQ(board_->KillAgent(agent->id(), Text("mine now")).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(board_->RemoveAgent(agent->id(), Text("mine now")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(board_->FreezeAgent(agent->id()).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(agent->state(), AgentState::kActive);
}

TEST_F(KillTest, SourceCannotKillAnotherSourcesEvent) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(1)));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(board_->KillEvent(*id, Text("no")).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok());
  EXPECT_TRUE(laurent_->KillEvent(*id, Text("yes")).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kKilled);
  EXPECT_EQ(Archived(*id).result.English(), "yes");
}

TEST_F(KillTest, SourceCommandsOnUnknownAgentsAreNotFound) {
  EXPECT_EQ(laurent_->KillAgent(AgentId(999), Text("x")).code(), StatusCode::kNotFound);
  EXPECT_EQ(laurent_->RemoveAgent(AgentId(999), Text("x")).code(), StatusCode::kNotFound);
  EXPECT_EQ(laurent_->KillEvent(EventId(999), Text("x")).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace magent
