// Rule 8: the registry lists every tracked agent, gone ones included, with when and why.
#include <chrono>
#include <memory>

#include "core/test_work.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::Spec;
using testing::Succeed;

class RegistryTest : public ManualRuntimeTest {
 protected:
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

TEST_F(RegistryTest, ListsEveryTrackedAgentInCreationOrder) {
  auto a = MakeAgent(*laurent_, {.name = "bookbuyer"});
  auto other_source = rt().CreateSource({.name = "Board"});
  auto b = MakeAgent(*other_source, {.name = "auditor"});
  auto c = MakeAgent(*laurent_);

  auto list = rt().registry().List();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, a->id());
  EXPECT_EQ(list[0].name, "bookbuyer");
  EXPECT_EQ(list[0].source, laurent_->id());
  EXPECT_EQ(list[0].state, AgentState::kActive);
  EXPECT_EQ(list[0].created, now());
  EXPECT_EQ(list[0].since, now());
  EXPECT_TRUE(list[0].reason.empty());
  EXPECT_EQ(list[1].id, b->id());
  EXPECT_EQ(list[1].source, other_source->id());
  EXPECT_EQ(list[2].id, c->id());
  EXPECT_EQ(list[2].name, "agent-" + c->id().ToString());

  auto found = rt().registry().Get(b->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->get(), b.get());
}

TEST_F(RegistryTest, UntrackedAgentIsNotListed) {
  auto tracked = MakeAgent(*laurent_);
  auto hidden = MakeAgent(*laurent_, {.name = "throwaway", .tracked = false});
  ASSERT_TRUE(hidden);
  ASSERT_TRUE(hidden->id());

  auto list = rt().registry().List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, tracked->id());
  EXPECT_EQ(rt().registry().Find(hidden->id()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rt().registry().Get(hidden->id()).status().code(), StatusCode::kNotFound);

  // Untracked is about listing only: it works like any agent.
  auto id = hidden->Schedule(Spec("find", Succeed()));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
  ASSERT_TRUE(laurent_->KillAgent(hidden->id(), Text("done")).ok());
  EXPECT_EQ(rt().registry().List().size(), 1u);
}

TEST_F(RegistryTest, UnknownAgentIsNotFound) {
  EXPECT_EQ(rt().registry().Find(AgentId(77)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rt().registry().Get(AgentId(77)).status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, GoneAgentsStayListedWithStateTimeAndReason) {
  auto retired = MakeAgent(*laurent_, {.name = "retired"});
  auto killed = MakeAgent(*laurent_, {.name = "killed"});
  auto self_killed = MakeAgent(*laurent_, {.name = "self-killed"});
  auto removed = MakeAgent(*laurent_, {.name = "removed"});
  auto active = MakeAgent(*laurent_, {.name = "active"});
  const TimePoint created = now();

  clock().Advance(minutes(1));
  ASSERT_TRUE(retired->Retire(Text("job done")).ok());
  const TimePoint retired_at = now();
  clock().Advance(minutes(1));
  ASSERT_TRUE(laurent_->KillAgent(killed->id(), Text("misbehaved")).ok());
  const TimePoint killed_at = now();
  clock().Advance(minutes(1));
  ASSERT_TRUE(self_killed->KillSelf(Text("gave up")).ok());
  const TimePoint self_killed_at = now();
  clock().Advance(minutes(1));
  ASSERT_TRUE(laurent_->RemoveAgent(removed->id(), Text("replaced")).ok());
  const TimePoint removed_at = now();
  Run();

  auto list = rt().registry().List();
  ASSERT_EQ(list.size(), 5u);
  struct Expected {
    AgentState state;
    TimePoint since;
    const char* reason;
  };
  const Expected expected[] = {
      {AgentState::kRetired, retired_at, "job done"},
      {AgentState::kKilled, killed_at, "misbehaved"},
      {AgentState::kKilled, self_killed_at, "gave up"},
      {AgentState::kRemoved, removed_at, "replaced"},
      {AgentState::kActive, created, ""},
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    SCOPED_TRACE(list[i].name);
    EXPECT_EQ(list[i].state, expected[i].state);
    EXPECT_EQ(list[i].since, expected[i].since);
    EXPECT_EQ(list[i].reason.English(), expected[i].reason);
    EXPECT_EQ(list[i].created, created);
  }
  // Gone agents can still be fetched.
  EXPECT_TRUE(rt().registry().Get(killed->id()).ok());
}

TEST_F(RegistryTest, ListFiltersByState) {
  auto a = MakeAgent(*laurent_);
  auto b = MakeAgent(*laurent_);
  auto c = MakeAgent(*laurent_);
  ASSERT_TRUE(laurent_->KillAgent(b->id(), Text("x")).ok());
  ASSERT_TRUE(laurent_->FreezeAgent(c->id()).ok());

  auto killed = rt().registry().List(AgentState::kKilled);
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0].id, b->id());
  auto active = rt().registry().List(AgentState::kActive);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, a->id());
  auto frozen = rt().registry().List(AgentState::kFrozen);
  ASSERT_EQ(frozen.size(), 1u);
  EXPECT_EQ(frozen[0].id, c->id());
  EXPECT_TRUE(rt().registry().List(AgentState::kRemoved).empty());
}

TEST_F(RegistryTest, CountsLiveEvents) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(agent->Schedule(Spec("find", Succeed(), now() + hours(1))).ok());
  ASSERT_TRUE(agent->Schedule(Spec("find", Succeed(), now() + hours(2))).ok());
  EXPECT_EQ(rt().registry().Find(agent->id())->live_events, 2u);
  Advance(hours(1));
  EXPECT_EQ(rt().registry().Find(agent->id())->live_events, 1u);
  Advance(hours(1));
  EXPECT_EQ(rt().registry().Find(agent->id())->live_events, 0u);
}

}  // namespace
}  // namespace magent
