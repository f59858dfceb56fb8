// Work spawns events (EventContext::Spawn): each child records its parent, and killing an
// event kills all of its live spawn, grandchildren included. Cancel only withdraws events
// that have not started.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::Awaitable;
using testing::CountingWork;
using testing::ExpectNeverRan;
using testing::ExpectPast;
using testing::NeverRanPath;
using testing::RanPath;
using testing::Spec;
using namespace std::chrono_literals;

class SchedulerSpawnTest : public testing::SchedulerTest {
 protected:
  // Coroutine work that sleeps `d`, records what the sleep returned in `*seen`, and
  // succeeds.
  static Work Sleeper(Duration d, Status* seen) {
    return CoroutineWork([d, seen](EventContext& ctx) -> Awaitable {
      *seen = co_await ctx.SleepFor(d);
      co_return Text("slept");
    });
  }
};

TEST_F(SchedulerSpawnTest, WorkSpawnsSeveralEventsThatRecordTheirParent) {
  auto agent = NewAgent();
  int child_calls = 0;
  std::vector<EventId> children;
  EventId parent = MustSchedule(
      *agent, Spec("plan", PlainWork([&](EventContext& ctx) -> Result<Text> {
                     for (int i = 0; i < 3; ++i) {
                       auto child = ctx.Spawn(Spec("step", CountingWork(&child_calls),
                                                   ctx.Now() + std::chrono::minutes(i + 1)));
                       if (!child.ok()) return child.status();
                       children.push_back(*child);
                     }
                     return Text("planned");
                   })));
  Run();
  ExpectPast(Archived(parent), Outcome::kSucceeded);
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(child_calls, 0);
  for (EventId child : children) {
    EventRecord live = Live(child);
    EXPECT_EQ(live.parent, parent);
    EXPECT_EQ(live.agent, agent->id());
  }
  Advance(3min);
  EXPECT_EQ(child_calls, 3);
  for (EventId child : children) {
    EventRecord r = Archived(child);
    ExpectPast(r, Outcome::kSucceeded);
    EXPECT_EQ(r.parent, parent);
    EXPECT_EQ(r.agent, agent->id());
  }
  EXPECT_EQ(Archived(parent).parent, EventId());
  for (const Transition& t : transitions()) {
    const bool is_child = std::find(children.begin(), children.end(), t.id) != children.end();
    EXPECT_EQ(t.parent, is_child ? parent : EventId()) << "event " << t.id.value();
  }
}

TEST_F(SchedulerSpawnTest, ChainOfSpawnsRecordsEachLink) {
  auto agent = NewAgent();
  std::vector<EventId> chain;
  std::function<Work(int)> link = [&](int depth) -> Work {
    return PlainWork([&, depth](EventContext& ctx) -> Result<Text> {
      chain.push_back(ctx.id());
      if (depth < 5) {
        auto next = ctx.Spawn(Spec("link", link(depth + 1), ctx.Now() + 1s));
        if (!next.ok()) return next.status();
      }
      return Text("link " + std::to_string(depth));
    });
  };
  EventId first = MustSchedule(*agent, Spec("link", link(0)));
  Run();
  AdvanceInSteps(5s, 1s);
  ASSERT_EQ(chain.size(), 6u);
  EXPECT_EQ(chain.front(), first);
  EXPECT_EQ(Archived(first).parent, EventId());
  for (std::size_t i = 1; i < chain.size(); ++i) {
    EventRecord r = Archived(chain[i]);
    ExpectPast(r, Outcome::kSucceeded);
    EXPECT_EQ(r.parent, chain[i - 1]);
    EXPECT_EQ(r.result.English(), "link " + std::to_string(i));
  }
}

TEST_F(SchedulerSpawnTest, SeveralAgentsSpawnTheirOwnEvents) {
  auto a = NewAgent({.name = "a"});
  auto b = NewAgent({.name = "b"});
  std::vector<std::pair<AgentId, EventId>> spawned;  // (agent of the parent, child)
  auto spawner = [&](EventContext& ctx) -> Result<Text> {
    auto child = ctx.Spawn(Spec("child", testing::Succeed()));
    if (!child.ok()) return child.status();
    spawned.emplace_back(ctx.agent().id(), *child);
    return Text("spawned");
  };
  EventId pa = MustSchedule(*a, Spec("parent", PlainWork(spawner)));
  EventId pb = MustSchedule(*b, Spec("parent", PlainWork(spawner)));
  Run();
  ASSERT_EQ(spawned.size(), 2u);
  for (const auto& [agent, child] : spawned) {
    EventRecord r = Archived(child);
    ExpectPast(r, Outcome::kSucceeded);
    EXPECT_EQ(r.agent, agent);
    EXPECT_EQ(r.parent, agent == a->id() ? pa : pb);
  }
}

TEST_F(SchedulerSpawnTest, KillingAnEventKillsItsLiveSpawnRecursively) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  Status parent_seen, child_seen, grandchild_seen;
  int future_calls = 0;
  EventId child, future_child, grandchild, future_grandchild;
  auto child_work = CoroutineWork([&](EventContext& ctx) -> Awaitable {
    auto g = ctx.Spawn(Spec("grandchild", Sleeper(1h, &grandchild_seen)));
    auto fg = ctx.Spawn(Spec("later", CountingWork(&future_calls), ctx.Now() + 24h));
    EXPECT_TRUE(g.ok() && fg.ok());
    if (g.ok()) grandchild = *g;
    if (fg.ok()) future_grandchild = *fg;
    child_seen = co_await ctx.SleepFor(1h);
    co_return Text("child");
  });
  EventId parent = MustSchedule(
      *agent, Spec("parent", CoroutineWork([&](EventContext& ctx) -> Awaitable {
                     auto c = ctx.Spawn(Spec("child", child_work));
                     auto fc =
                         ctx.Spawn(Spec("later", CountingWork(&future_calls), ctx.Now() + 24h));
                     EXPECT_TRUE(c.ok() && fc.ok());
                     if (c.ok()) child = *c;
                     if (fc.ok()) future_child = *fc;
                     parent_seen = co_await ctx.SleepFor(1h);
                     co_return Text("parent");
                   })));
  Run();
  ASSERT_TRUE(child && future_child && grandchild && future_grandchild);
  EXPECT_EQ(rt().scheduler().Counts().current, 3u);
  EXPECT_EQ(rt().scheduler().Counts().future, 2u);

  Advance(1min);
  ASSERT_TRUE(agent->Kill(parent, Text("Plan abandoned.")).ok());
  // Future spawn ends at once; running spawn ends when its work returns.
  EXPECT_FALSE(IsLive(future_child));
  EXPECT_FALSE(IsLive(future_grandchild));
  Run();
  for (EventId id : {parent, child, grandchild, future_child, future_grandchild}) {
    EXPECT_FALSE(IsLive(id)) << "event " << id.value();
  }
  for (EventId id : {future_child, future_grandchild}) {
    EventRecord r = Archived(id);
    ExpectNeverRan(r, Outcome::kKilled);
    EXPECT_EQ(r.result.English(), "Plan abandoned.");
    EXPECT_EQ(PathOf(id), NeverRanPath(Outcome::kKilled));
  }
  for (EventId id : {parent, child, grandchild}) {
    EventRecord r = Archived(id);
    ExpectPast(r, Outcome::kKilled);
    EXPECT_EQ(r.result.English(), "Plan abandoned.");
    EXPECT_EQ(r.started, t0);
    EXPECT_EQ(r.actual, 1min);
    EXPECT_EQ(PathOf(id), RanPath(Outcome::kKilled));
  }
  EXPECT_EQ(parent_seen.code(), StatusCode::kCancelled);
  EXPECT_EQ(child_seen.code(), StatusCode::kCancelled);
  EXPECT_EQ(grandchild_seen.code(), StatusCode::kCancelled);
  Advance(48h);
  EXPECT_EQ(future_calls, 0);
  EXPECT_EQ(agent->Counts()["later"], (KindCounts{.killed = 2}));
}

TEST_F(SchedulerSpawnTest, KillingAnEventKillsGrandchildrenWhoseParentAlreadyEnded) {
  auto agent = NewAgent();
  int grandchild_calls = 0;
  EventId grandchild;
  Status parent_seen;
  EventId parent = MustSchedule(
      *agent, Spec("parent", CoroutineWork([&](EventContext& ctx) -> Awaitable {
                     // The child spawns a grandchild due tomorrow and ends at once.
                     auto c = ctx.Spawn(Spec(
                         "child", PlainWork([&](EventContext& cctx) -> Result<Text> {
                           auto g = cctx.Spawn(Spec("grandchild", CountingWork(&grandchild_calls),
                                                    cctx.Now() + 24h));
                           if (!g.ok()) return g.status();
                           grandchild = *g;
                           return Text("child");
                         })));
                     EXPECT_TRUE(c.ok());
                     parent_seen = co_await ctx.SleepFor(1h);
                     co_return Text("parent");
                   })));
  Run();
  ASSERT_TRUE(grandchild);
  ASSERT_TRUE(IsLive(grandchild));
  ASSERT_TRUE(IsLive(parent));
  ASSERT_TRUE(agent->Kill(parent).ok());
  Run();
  EXPECT_FALSE(IsLive(grandchild));
  Advance(48h);
  EXPECT_EQ(grandchild_calls, 0);
  ExpectNeverRan(Archived(grandchild), Outcome::kKilled);
  ExpectPast(Archived(parent), Outcome::kKilled);
}

TEST_F(SchedulerSpawnTest, KillingAChildLeavesItsParentAndSiblings) {
  auto agent = NewAgent();
  int calls = 0;
  std::vector<EventId> children;
  Status parent_seen;
  EventId parent = MustSchedule(
      *agent, Spec("parent", CoroutineWork([&](EventContext& ctx) -> Awaitable {
                     for (int i = 0; i < 3; ++i) {
                       auto c = ctx.Spawn(Spec("child", CountingWork(&calls), ctx.Now() + 1min));
                       if (c.ok()) children.push_back(*c);
                     }
                     parent_seen = co_await ctx.SleepFor(2min);
                     co_return Text("parent");
                   })));
  Run();
  ASSERT_EQ(children.size(), 3u);
  ASSERT_TRUE(agent->Kill(children[1]).ok());
  AdvanceInSteps(2min, 1min);
  EXPECT_EQ(calls, 2);
  ExpectPast(Archived(children[0]), Outcome::kSucceeded);
  ExpectNeverRan(Archived(children[1]), Outcome::kKilled);
  ExpectPast(Archived(children[2]), Outcome::kSucceeded);
  ExpectPast(Archived(parent), Outcome::kSucceeded);
  EXPECT_TRUE(parent_seen.ok());
}

TEST_F(SchedulerSpawnTest, CancelOfAStartedEventIsFailedPreconditionAndItRunsOn) {
  auto agent = NewAgent();
  Status seen = Status::Internal("not run");
  EventId id = MustSchedule(*agent, Spec("wait", Sleeper(1min, &seen)));
  Run();
  ASSERT_EQ(Live(id).state, EventState::kCurrent);
  EXPECT_EQ(agent->Cancel(id).code(), StatusCode::kFailedPrecondition);
  Advance(1min);
  EXPECT_TRUE(seen.ok()) << seen.ToString();
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerSpawnTest, CancelOfARunningParentIsRefusedButItsFutureSpawnCanBeCancelled) {
  auto agent = NewAgent();
  int calls = 0;
  EventId child;
  Status seen;
  EventId parent = MustSchedule(
      *agent, Spec("parent", CoroutineWork([&](EventContext& ctx) -> Awaitable {
                     auto c = ctx.Spawn(Spec("child", CountingWork(&calls), ctx.Now() + 1min));
                     if (c.ok()) child = *c;
                     seen = co_await ctx.SleepFor(2min);
                     co_return Text("parent");
                   })));
  Run();
  ASSERT_TRUE(child);
  EXPECT_EQ(agent->Cancel(parent).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(IsLive(child));  // A refused cancel touches nothing.
  ASSERT_TRUE(agent->Cancel(child).ok());
  AdvanceInSteps(2min, 1min);
  EXPECT_EQ(calls, 0);
  ExpectNeverRan(Archived(child), Outcome::kCancelled);
  ExpectPast(Archived(parent), Outcome::kSucceeded);
}

TEST_F(SchedulerSpawnTest, KilledEventCannotSpawnAnyMore) {
  auto agent = NewAgent();
  int calls = 0;
  Status seen;
  Status spawn_status;
  EventId id =
      MustSchedule(*agent, Spec("parent", CoroutineWork([&](EventContext& ctx) -> Awaitable {
                                  seen = co_await ctx.SleepFor(1h);
                                  // Killed meanwhile: new spawn would outlive
                                  // the kill.
                                  auto late = ctx.Spawn(Spec("late", CountingWork(&calls)));
                                  spawn_status = late.status();
                                  co_return Text("parent");
                                })));
  Run();
  ASSERT_TRUE(agent->Kill(id).ok());
  Run();
  EXPECT_EQ(seen.code(), StatusCode::kCancelled);
  EXPECT_EQ(spawn_status.code(), StatusCode::kFailedPrecondition) << spawn_status.ToString();
  Advance(1h);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(rt().scheduler().Counts().past, 1u);
  ExpectPast(Archived(id), Outcome::kKilled);
}

}  // namespace
}  // namespace magent
