// Runtime: creation, sources, the owner, and what may outlive it.
#include <chrono>
#include <memory>
#include <utility>

#include "core/test_work.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::hours;
using testing::ManualRuntimeTest;
using testing::Spec;
using testing::Succeed;

RuntimeOptions Manual() {
  RuntimeOptions options;
  options.clock = std::make_shared<ManualClock>(testing::TestEpoch());
  options.threads = 0;
  return options;
}

TEST(RuntimeCreateTest, RejectsNegativeThreadCounts) {
  RuntimeOptions options = Manual();
  options.threads = -1;
  EXPECT_EQ(Runtime::Create(std::move(options)).status().code(), StatusCode::kInvalidArgument);
}

TEST(RuntimeCreateTest, RejectsNegativeOrphanGrace) {
  RuntimeOptions options = Manual();
  options.orphan_grace = -hours(1);
  EXPECT_EQ(Runtime::Create(std::move(options)).status().code(), StatusCode::kInvalidArgument);
}

TEST(RuntimeCreateTest, UsesTheGivenClockAndArchive) {
  RuntimeOptions options = Manual();
  auto archive = std::make_shared<MemoryArchive>();
  options.archive = archive;
  Clock* clock = options.clock.get();
  auto runtime = Runtime::Create(std::move(options));
  ASSERT_TRUE(runtime.ok());
  EXPECT_EQ(&(*runtime)->clock(), clock);
  EXPECT_EQ(&(*runtime)->unmasked_archive(), archive.get());
  EXPECT_EQ((*runtime)->clock().Now(), testing::TestEpoch());
}

TEST(RuntimeLifetimeTest, AgentMayOutliveItsRuntime) {
  std::shared_ptr<Agent> agent;
  std::shared_ptr<AgentSource> source;
  {
    auto runtime = Runtime::Create(Manual());
    ASSERT_TRUE(runtime.ok());
    source = (*runtime)->CreateSource({.name = "Laurent"});
    auto made = source->CreateAgent({.name = "bookbuyer"});
    ASSERT_TRUE(made.ok());
    agent = *made;
    ASSERT_TRUE(agent->Schedule(Spec("find", Succeed(), testing::TestEpoch() + hours(1))).ok());
    (*runtime)->RunUntilIdle();
  }
  // The runtime is gone: the agent is detached, refuses everything, and dies cleanly.
  EXPECT_FALSE(agent->id());
  EXPECT_EQ(agent->Schedule(Spec("find", Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(agent->KillSelf(Text("late")).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(agent->Counts().empty());
  agent.reset();
  source.reset();
}

class RuntimeTest : public ManualRuntimeTest {};

TEST_F(RuntimeTest, SourcesGetDistinctIdsAndDefaultNames) {
  auto a = rt().CreateSource({.name = "Laurent"});
  auto b = rt().CreateSource({.anonymous = true});
  EXPECT_NE(a->id(), b->id());
  EXPECT_NE(a->id(), rt().owner()->id());
  EXPECT_EQ(a->name(), "Laurent");
  EXPECT_EQ(b->name(), "source-" + b->id().ToString());
  EXPECT_TRUE(b->anonymous());
  EXPECT_FALSE(a->anonymous());
  EXPECT_TRUE(a->alive());
  auto found = rt().FindSource(a->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->get(), a.get());
  EXPECT_EQ(rt().FindSource(SourceId(999)).status().code(), StatusCode::kNotFound);
}

TEST_F(RuntimeTest, OwnerIsAnAliveSourceOfItsOwn) {
  auto owner = rt().owner();
  ASSERT_TRUE(owner);
  EXPECT_TRUE(owner->alive());
  EXPECT_EQ(rt().owner().get(), owner.get());
  EXPECT_TRUE(rt().FindSource(owner->id()).ok());
}

TEST_F(RuntimeTest, SourceListsItsAgentsInCreationOrder) {
  auto source = rt().CreateSource({});
  auto other = rt().CreateSource({});
  auto a = MakeAgent(*source);
  MakeAgent(*other);
  auto b = MakeAgent(*source);
  auto agents = source->Agents();
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].get(), a.get());
  EXPECT_EQ(agents[1].get(), b.get());
}

}  // namespace
}  // namespace magent
