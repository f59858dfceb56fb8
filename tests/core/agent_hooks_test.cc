// Agent hooks: OnStart and OnStop of subclasses, on the agent's strand.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/test_work.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::OnStrandOf;
using testing::Sleep;
using testing::Spec;
using Log = std::vector<std::string>;

// Logs its hooks as "<tag> start" / "<tag> stop <state>", with " off-strand" when a hook
// does not run on the agent's strand.
class HookedAgent : public Agent {
 public:
  HookedAgent(std::string tag, std::shared_ptr<Log> log)
      : tag_(std::move(tag)), log_(std::move(log)) {}
  const std::string& tag() const { return tag_; }

 protected:
  void OnStart() override { Write("start"); }
  void OnStop(AgentState final_state) override {
    Write("stop " + std::string(AgentStateName(final_state)));
  }

 private:
  void Write(const std::string& what) {
    log_->push_back(tag_ + " " + what + (OnStrandOf(*this) ? "" : " off-strand"));
  }
  std::string tag_;
  std::shared_ptr<Log> log_;
};

// Schedules its own first event when it starts.
class SelfStartingAgent : public Agent {
 protected:
  void OnStart() override { started = Schedule(Spec("boot", testing::Succeed("booted"))); }

 public:
  Result<EventId> started = Status::FailedPrecondition("not started");
};

class AgentHooksTest : public ManualRuntimeTest {
 protected:
  std::shared_ptr<HookedAgent> Make(const std::string& tag, AgentOptions options = {}) {
    auto agent = laurent_->CreateAgent<HookedAgent>(std::move(options), tag, log_);
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    return agent.ok() ? *agent : nullptr;
  }

  std::shared_ptr<Log> log_ = std::make_shared<Log>();
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

TEST_F(AgentHooksTest, CreateAgentBuildsTheSubclassFromItsArguments) {
  auto agent = Make("buyer", {.name = "bookbuyer"});
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->tag(), "buyer");
  EXPECT_EQ(agent->name(), "bookbuyer");
  EXPECT_EQ(agent->source_id(), laurent_->id());
  EXPECT_TRUE(agent->id());
  ASSERT_EQ(laurent_->Agents().size(), 1u);
  EXPECT_EQ(laurent_->Agents()[0].get(), agent.get());
}

TEST_F(AgentHooksTest, OnStartRunsOnceOnTheStrandNotInsideCreateAgent) {
  auto agent = Make("a");
  EXPECT_TRUE(log_->empty());
  Run();
  EXPECT_EQ(*log_, (Log{"a start"}));
  Run();
  EXPECT_EQ(*log_, (Log{"a start"}));
}

TEST_F(AgentHooksTest, OnStartRunsBeforeTheFirstEvent) {
  auto agent = Make("a");
  ASSERT_TRUE(agent
                  ->Schedule(Spec("find", PlainWork([log = log_](EventContext&) -> Result<Text> {
                                    log->push_back("event");
                                    return Text("ok");
                                  })))
                  .ok());
  Run();
  EXPECT_EQ(*log_, (Log{"a start", "event"}));
}

TEST_F(AgentHooksTest, OnStartMayScheduleEvents) {
  auto agent = laurent_->CreateAgent<SelfStartingAgent>({});
  ASSERT_TRUE(agent.ok());
  Run();
  ASSERT_TRUE((*agent)->started.ok()) << (*agent)->started.status().ToString();
  EXPECT_EQ(Archived(*(*agent)->started).result.English(), "booted");
}

TEST_F(AgentHooksTest, OnStopRunsOnTheStrandWhenAnIdleAgentRetires) {
  auto agent = Make("a");
  Run();
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  EXPECT_EQ(*log_, (Log{"a start"})) << "OnStop ran inline";
  Run();
  EXPECT_EQ(*log_, (Log{"a start", "a stop retired"}));
}

TEST_F(AgentHooksTest, OnStopWaitsForARetiredAgentsLastEvent) {
  auto agent = Make("a");
  ASSERT_TRUE(agent->Schedule(Spec("wait", Sleep(minutes(5)))).ok());
  Run();
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  Run();
  EXPECT_EQ(*log_, (Log{"a start"}));
  Advance(minutes(5));
  EXPECT_EQ(*log_, (Log{"a start", "a stop retired"}));
}

TEST_F(AgentHooksTest, OnStopRunsWhenKilledOrRemoved) {
  auto killed = Make("k");
  auto removed = Make("r");
  auto self_killed = Make("s");
  Run();
  log_->clear();
  ASSERT_TRUE(laurent_->KillAgent(killed->id(), Text("x")).ok());
  ASSERT_TRUE(laurent_->RemoveAgent(removed->id(), Text("x")).ok());
  ASSERT_TRUE(self_killed->KillSelf(Text("x")).ok());
  Run();
  EXPECT_EQ(*log_, (Log{"k stop killed", "r stop removed", "s stop killed"}));
}

TEST_F(AgentHooksTest, OnStopRunsOnlyOnce) {
  auto agent = Make("a");
  ASSERT_TRUE(agent->Retire(Text("done")).ok());
  Run();
  ASSERT_TRUE(laurent_->KillAgent(agent->id(), Text("x")).ok());
  ASSERT_TRUE(laurent_->RemoveAgent(agent->id(), Text("x")).ok());
  Run();
  EXPECT_EQ(*log_, (Log{"a start", "a stop retired"}));
}

TEST_F(AgentHooksTest, SubclassCannotBeCreatedByARemovedSource) {
  ASSERT_TRUE(rt().RemoveSource(laurent_->id(), Text("gone")).ok());
  auto agent = laurent_->CreateAgent<HookedAgent>({}, "late", log_);
  EXPECT_EQ(agent.status().code(), StatusCode::kFailedPrecondition);
  Run();
  EXPECT_TRUE(log_->empty());
}

boost::asio::awaitable<Result<Text>> ReportStrand(EventContext& ctx) {
  const bool before = OnStrandOf(ctx.agent());
  Status s = co_await ctx.SleepFor(minutes(1));
  if (!s.ok()) co_return s;
  co_return Text(std::string(before ? "on" : "off") + "/" +
                 (OnStrandOf(ctx.agent()) ? "on" : "off"));
}

TEST_F(AgentHooksTest, EventWorkRunsOnTheAgentsStrand) {
  auto agent = Make("a");
  auto plain = agent->Schedule(Spec("plain", PlainWork([](EventContext& ctx) -> Result<Text> {
                                      return Text(OnStrandOf(ctx.agent()) ? "on" : "off");
                                    })));
  auto coroutine = agent->Schedule(Spec("co", CoroutineWork(ReportStrand)));
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(coroutine.ok());
  Run();
  Advance(minutes(1));
  EXPECT_EQ(Archived(*plain).result.English(), "on");
  EXPECT_EQ(Archived(*coroutine).result.English(), "on/on");
}

TEST_F(AgentHooksTest, AgentCreatedOutsideASourceRefusesEverything) {
  auto loose = std::make_shared<Agent>();
  EXPECT_FALSE(loose->id());
  EXPECT_EQ(loose->Schedule(Spec("find", testing::Succeed())).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(loose->KillSelf(Text("x")).code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace magent
