// Rule 7: events whose agent is gone, and agents whose source is gone.
#include <gmock/gmock.h>

#include <chrono>
#include <memory>
#include <vector>

#include "core/test_work.h"
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

RuntimeOptions WithGrace(Duration grace) {
  RuntimeOptions options;
  options.orphan_grace = grace;
  return options;
}

class OrphanTest : public ManualRuntimeTest {
 protected:
  OrphanTest() : ManualRuntimeTest(WithGrace(hours(1))) {}

  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
  std::shared_ptr<AgentSource> board_ = rt().CreateSource({.name = "Board"});
};

TEST_F(OrphanTest, RemovedAgentsEventIsFrozenAndItsSourceToldAtOnce) {
  auto agent = MakeAgent(*laurent_);
  std::vector<SourceMessage> heard;
  boost::signals2::scoped_connection c =
      laurent_->Subscribe([&](const SourceMessage& m) { heard.push_back(m); });
  auto a = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  auto b = agent->Schedule(Spec("buy", Succeed(), now() + minutes(20)));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());

  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("replaced")).ok());
  // Told at once: no Run(), no Advance().
  auto orphans = OfKind(laurent_->Inbox(), Kind::kOrphanedEvents);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].agent, agent->id());
  EXPECT_EQ(orphans[0].at, now());
  EXPECT_THAT(orphans[0].events, ::testing::UnorderedElementsAre(*a, *b));
  EXPECT_FALSE(orphans[0].text.empty());
  auto heard_orphans = OfKind(heard, Kind::kOrphanedEvents);
  ASSERT_EQ(heard_orphans.size(), 1u);
  EXPECT_EQ(heard_orphans[0].events, orphans[0].events);

  for (EventId id : {*a, *b}) {
    auto s = rt().scheduler().SnapshotUnmasked(id);
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->orphaned);
    EXPECT_TRUE(s->frozen);
    EXPECT_EQ(s->state, EventState::kFuture);
  }
  EXPECT_EQ(rt().scheduler().Counts().frozen, 2u);

  // Frozen: due time passes and nothing runs.
  Advance(minutes(30));
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*a)->state, EventState::kFuture);
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*b)->state, EventState::kFuture);
}

TEST_F(OrphanTest, KilledAgentsEventsAreOrphanedToo) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  auto orphans = OfKind(laurent_->Inbox(), Kind::kOrphanedEvents);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].events, std::vector<EventId>{*id});
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id)->orphaned);
}

TEST_F(OrphanTest, AgentWithoutLiveEventsSendsNoOrphanAlarm) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("done")).ok());
  EXPECT_TRUE(OfKind(laurent_->Inbox(), Kind::kOrphanedEvents).empty());
}

TEST_F(OrphanTest, RunningEventOfAGoneAgentIsFrozenAtItsNextAwaitPoint) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("wait", Sleep(minutes(10))));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_EQ(rt().scheduler().SnapshotUnmasked(*id)->state, EventState::kCurrent);
  ASSERT_TRUE(agent->KillSelf(Text("bye")).ok());
  auto s = rt().scheduler().SnapshotUnmasked(*id);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->orphaned);
  EXPECT_TRUE(s->frozen);
  Advance(minutes(20));  // The sleep ends, but the work stays frozen.
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*id)->state, EventState::kCurrent);
  EXPECT_EQ(OfKind(laurent_->Inbox(), Kind::kOrphanedEvents).size(), 1u);
}

TEST_F(OrphanTest, AdoptedOrphanRunsUnderItsNewAgent) {
  auto old_agent = MakeAgent(*laurent_);
  auto new_agent = MakeAgent(*laurent_);
  auto id = old_agent->Schedule(Spec("find", Succeed("found"), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->RemoveAgent(old_agent->id(), Text("replaced")).ok());

  ASSERT_TRUE(laurent_->Adopt(*id, new_agent->id()).ok());
  auto s = rt().scheduler().SnapshotUnmasked(*id);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->orphaned);
  EXPECT_FALSE(s->frozen);
  EXPECT_EQ(s->agent, new_agent->id());

  Advance(minutes(10));
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kSucceeded);
  EXPECT_EQ(r.agent, new_agent->id());
  EXPECT_EQ(r.result.English(), "found");
  EXPECT_EQ(new_agent->Counts()["find"].succeeded, 1u);
}

TEST_F(OrphanTest, AdoptedOrphanThatWasDueRunsAtOnce) {
  auto old_agent = MakeAgent(*laurent_);
  auto new_agent = MakeAgent(*laurent_);
  auto id = old_agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->RemoveAgent(old_agent->id(), Text("replaced")).ok());
  Advance(minutes(30));  // Past due while orphaned; within the grace.
  ASSERT_TRUE(laurent_->Adopt(*id, new_agent->id()).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(OrphanTest, AdoptedRunningEventResumes) {
  auto old_agent = MakeAgent(*laurent_);
  auto new_agent = MakeAgent(*laurent_);
  auto id = old_agent->Schedule(Spec("wait", Sleep(minutes(10))));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_TRUE(laurent_->KillAgent(old_agent->id(), Text("bye")).ok());
  Advance(minutes(15));
  ASSERT_EQ(rt().scheduler().SnapshotUnmasked(*id)->state, EventState::kCurrent);
  ASSERT_TRUE(laurent_->Adopt(*id, new_agent->id()).ok());
  Run();
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kSucceeded);
  EXPECT_EQ(r.agent, new_agent->id());
}

TEST_F(OrphanTest, AdoptionStaysWithinTheSource) {
  auto old_agent = MakeAgent(*laurent_);
  auto stranger = MakeAgent(*board_);
  auto id = old_agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->RemoveAgent(old_agent->id(), Text("replaced")).ok());
  // Laurent cannot give it to Board's agent; Board cannot take it.
  EXPECT_EQ(laurent_->Adopt(*id, stranger->id()).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(board_->Adopt(*id, stranger->id()).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id)->orphaned);
}

TEST_F(OrphanTest, OnlyOrphansCanBeAdopted) {
  auto a = MakeAgent(*laurent_);
  auto b = MakeAgent(*laurent_);
  auto id = a->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(laurent_->Adopt(*id, b->id()).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->Adopt(EventId(999), b->id()).code(), StatusCode::kNotFound);
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*id)->agent, a->id());
}

TEST_F(OrphanTest, OrphanCannotBeAdoptedByAGoneAgent) {
  auto a = MakeAgent(*laurent_);
  auto b = MakeAgent(*laurent_);
  auto id = a->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->KillAgent(b->id(), Text("gone")).ok());
  ASSERT_TRUE(laurent_->RemoveAgent(a->id(), Text("gone")).ok());
  EXPECT_EQ(laurent_->Adopt(*id, b->id()).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->Adopt(*id, a->id()).code(), StatusCode::kFailedPrecondition);
}

TEST_F(OrphanTest, SourceMayKillAnOrphan) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("replaced")).ok());
  ASSERT_TRUE(laurent_->KillEvent(*id, Text("not wanted")).ok());
  Run();
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "not wanted");
  EXPECT_TRUE(r.orphaned);
  EXPECT_FALSE(r.frozen);
}

TEST_F(OrphanTest, UnadoptedFutureOrphanExpiresAfterTheGrace) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("replaced")).ok());
  Advance(minutes(59));
  ASSERT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok()) << "ended before the grace";
  Advance(minutes(1));
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*id).status().code(), StatusCode::kNotFound);
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kExpired);
  EXPECT_EQ(r.started, TimePoint{});
}

TEST_F(OrphanTest, UnadoptedRunningOrphanIsKilledAfterTheGrace) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("wait", Sleep(hours(5))));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  Advance(minutes(59));
  ASSERT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok());
  Advance(minutes(1));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kKilled);
}

TEST_F(OrphanTest, AdoptionCancelsTheGrace) {
  auto old_agent = MakeAgent(*laurent_);
  auto new_agent = MakeAgent(*laurent_);
  auto id = old_agent->Schedule(Spec("find", Succeed(), now() + hours(3)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->RemoveAgent(old_agent->id(), Text("replaced")).ok());
  ASSERT_TRUE(laurent_->Adopt(*id, new_agent->id()).ok());
  Advance(hours(2));  // Past the grace: an adopted event does not expire.
  ASSERT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok());
  Advance(hours(1));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(OrphanTest, RemovingAKilledAgentDoesNotExtendTheGraceOfItsOrphans) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + hours(3)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  Advance(minutes(30));
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("clean up")).ok());
  EXPECT_EQ(OfKind(laurent_->Inbox(), Kind::kOrphanedEvents).size(), 1u)
      << "the orphans were already reported";
  Advance(minutes(30));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kExpired);
}

// --- An agent whose source is gone.

TEST_F(OrphanTest, AgentOfARemovedSourceIsSuspendedAndTheOwnerAlarmed) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  std::vector<SourceMessage> heard;
  boost::signals2::scoped_connection c =
      rt().owner()->Subscribe([&](const SourceMessage& m) { heard.push_back(m); });

  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("left the company")).ok());
  EXPECT_FALSE(laurent_->alive());
  EXPECT_EQ(rt().FindSource(laurent_->id()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(agent->state(), AgentState::kFrozen);
  auto info = rt().registry().Find(agent->id());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state, AgentState::kFrozen);
  EXPECT_NE(info->reason.English().find("left the company"), std::string::npos)
      << info->reason.English();

  auto alarms = OfKind(rt().owner()->Inbox(), Kind::kAgentSuspended);
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].agent, agent->id());
  EXPECT_EQ(OfKind(heard, Kind::kAgentSuspended).size(), 1u);

  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id)->frozen);
  Advance(minutes(30));
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(*id)->state, EventState::kFuture);
}

TEST_F(OrphanTest, OwnerIsAlarmedForEachAgentOfTheRemovedSource) {
  auto a = MakeAgent(*laurent_);
  auto b = MakeAgent(*laurent_);
  auto other = MakeAgent(*board_);
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  auto alarms = OfKind(rt().owner()->Inbox(), Kind::kAgentSuspended);
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_EQ(alarms[0].agent, a->id());
  EXPECT_EQ(alarms[1].agent, b->id());
  EXPECT_EQ(other->state(), AgentState::kActive);
}

TEST_F(OrphanTest, SuspendedAgentCannotUnfreezeItself) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  EXPECT_EQ(agent->UnfreezeAll().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(agent->state(), AgentState::kFrozen);
}

TEST_F(OrphanTest, SuspendedAgentCannotEscapeByRetiring) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  EXPECT_FALSE(agent->Retire(Text("quit")).ok());
  Advance(minutes(10));
  auto s = rt().scheduler().SnapshotUnmasked(*id);
  ASSERT_TRUE(s.ok()) << "a suspended agent's event ran";
  EXPECT_TRUE(s->frozen);
}

TEST_F(OrphanTest, OwnerMayUnfreezeASuspendedAgent) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  Advance(minutes(20));
  ASSERT_TRUE(rt().scheduler().SnapshotUnmasked(*id).ok());
  ASSERT_TRUE(rt().owner()->UnfreezeAgent(agent->id()).ok());
  EXPECT_EQ(agent->state(), AgentState::kActive);
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(OrphanTest, OwnerMayKillASuspendedAgent) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  ASSERT_TRUE(rt().owner()->KillAgent(agent->id(), Text("no principal")).ok());
  EXPECT_EQ(agent->state(), AgentState::kKilled);
  EXPECT_EQ(rt().registry().Find(agent->id())->reason.English(), "no principal");
}

TEST_F(OrphanTest, OwnerIsToldOfTheOrphansOfASuspendedAgentItKills) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  ASSERT_TRUE(rt().owner()->KillAgent(agent->id(), Text("no principal")).ok());
  // The source is gone, so the owner must hear of the orphans: it alone can act on them.
  auto orphans = OfKind(rt().owner()->Inbox(), Kind::kOrphanedEvents);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].events, std::vector<EventId>{*id});
  ASSERT_TRUE(rt().owner()->KillEvent(*id, Text("cleanup")).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kKilled);
}

TEST_F(OrphanTest, OwnerMayGiveOrphansOfASuspendedAgentToItsOwnAgent) {
  auto agent = MakeAgent(*laurent_);
  auto caretaker = MakeAgent(*rt().owner());
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  ASSERT_TRUE(rt().owner()->RemoveAgent(agent->id(), Text("no principal")).ok());
  ASSERT_TRUE(rt().owner()->Adopt(*id, caretaker->id()).ok());
  Advance(minutes(10));
  EXPECT_EQ(Archived(*id).agent, caretaker->id());
}

TEST_F(OrphanTest, FrozenAgentOfARemovedSourceSaysItIsSuspended) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(laurent_->FreezeAgent(agent->id()).ok());
  clock().Advance(minutes(1));
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("left")).ok());
  auto info = rt().registry().Find(agent->id());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state, AgentState::kFrozen);
  EXPECT_EQ(info->since, now());
  EXPECT_EQ(info->reason.message_id(), "magent.source_gone");
  EXPECT_EQ(OfKind(rt().owner()->Inbox(), Kind::kAgentSuspended).size(), 1u);
  EXPECT_EQ(agent->UnfreezeAll().code(), StatusCode::kPermissionDenied);
}

TEST_F(OrphanTest, OrphansOfAKilledAgentGoToTheOwnerWhenTheSourceGoes) {
  auto agent = MakeAgent(*laurent_);
  auto caretaker = MakeAgent(*rt().owner());
  auto id = agent->Schedule(Spec("find", Succeed(), now() + minutes(10)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("rogue")).ok());
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  EXPECT_TRUE(OfKind(rt().owner()->Inbox(), Kind::kAgentSuspended).empty());
  auto orphans = OfKind(rt().owner()->Inbox(), Kind::kOrphanedEvents);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].events, std::vector<EventId>{*id});
  ASSERT_TRUE(rt().owner()->Adopt(*id, caretaker->id()).ok());
  Advance(minutes(10));
  EXPECT_EQ(Archived(*id).agent, caretaker->id());
}

TEST_F(OrphanTest, ReportsOfASuspendedAgentGoToTheOwner) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  const std::size_t source_inbox = laurent_->Inbox().size();
  ASSERT_TRUE(agent->SendInterimReport().ok());
  ASSERT_TRUE(rt().owner()->KillAgent(agent->id(), Text("no principal")).ok());
  EXPECT_EQ(OfKind(rt().owner()->Inbox(), Kind::kInterimReport).size(), 1u);
  auto finals = OfKind(rt().owner()->Inbox(), Kind::kFinalReport);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].agent, agent->id());
  EXPECT_EQ(laurent_->Inbox().size(), source_inbox) << "nobody reads a removed source";
}

TEST_F(OrphanTest, OwnerCannotCommandAnAgentWhoseSourceIsAlive) {
  auto agent = MakeAgent(*laurent_);
  EXPECT_EQ(rt().owner()->KillAgent(agent->id(), Text("x")).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(rt().owner()->FreezeAgent(agent->id()).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(agent->state(), AgentState::kActive);
}

TEST_F(OrphanTest, RemovedSourceCanDoNothing) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  EXPECT_EQ(laurent_->CreateAgent({}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->UnfreezeAgent(agent->id()).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->KillAgent(agent->id(), Text("x")).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rt().RemoveSource(laurent_->id(), Text("again")).code(), StatusCode::kNotFound);
}

TEST_F(OrphanTest, OwnerCannotBeRemoved) {
  EXPECT_EQ(rt().RemoveSource(rt().owner()->id(), Text("x")).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(rt().owner()->alive());
}

}  // namespace
}  // namespace magent
