// The sentinel seam: only authorized events are scheduled, and only scheduled ones run.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::Spec;

// Refuses events of one kind and remembers who asked for what.
class DenyKindSentinel final : public Sentinel {
 public:
  explicit DenyKindSentinel(std::string denied) : denied_(std::move(denied)) {}
  Decision Decide(const AuthRequest& request) override {
    std::lock_guard lock(mu_);
    asked_.push_back(std::string(request.agent_name) + "/" + request.spec->kind);
    if (request.spec->kind == denied_) return Decision::Deny(Text("no " + denied_ + " allowed"));
    return Decision::Allow();
  }
  std::vector<std::string> asked() const {
    std::lock_guard lock(mu_);
    return asked_;
  }

 private:
  const std::string denied_;
  mutable std::mutex mu_;
  std::vector<std::string> asked_;
};

class SentinelTest : public ManualRuntimeTest {
 protected:
  static RuntimeOptions Options(std::shared_ptr<Sentinel> sentinel) {
    RuntimeOptions options;
    options.sentinel = std::move(sentinel);
    return options;
  }
  SentinelTest() : SentinelTest(std::make_shared<DenyKindSentinel>("buy")) {}
  explicit SentinelTest(std::shared_ptr<DenyKindSentinel> sentinel)
      : ManualRuntimeTest(Options(sentinel)), sentinel_(std::move(sentinel)) {}

  // Work that counts its runs.
  Work Counting() {
    return PlainWork([runs = runs_](EventContext&) -> Result<Text> {
      ++*runs;
      return Text("ran");
    });
  }

  std::shared_ptr<DenyKindSentinel> sentinel_;
  std::shared_ptr<std::atomic<int>> runs_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

TEST_F(SentinelTest, DeniedKindIsRefusedAndNothingIsScheduledOrRun) {
  auto agent = MakeAgent(*laurent_, {.name = "bookbuyer"});
  auto id = agent->Schedule(Spec("buy", Counting()));
  EXPECT_EQ(id.status(), Status::PermissionDenied("no buy allowed"));
  EXPECT_EQ(sentinel_->asked(), (std::vector<std::string>{"bookbuyer/buy"}));

  SchedulerCounts counts = rt().scheduler().Counts();
  EXPECT_EQ(counts.future, 0u);
  EXPECT_EQ(counts.current, 0u);
  EXPECT_EQ(counts.past, 1u) << "the decision record";
  EXPECT_TRUE(transitions().empty());
  EXPECT_EQ(rt().registry().Find(agent->id())->live_events, 0u);
  Advance(minutes(10));
  EXPECT_EQ(*runs_, 0);
  auto archived = rt().unmasked_archive().Query({});
  ASSERT_EQ(archived.size(), 1u) << "only the decision";
  EXPECT_EQ(archived[0].kind, kDecisionKind);
  EXPECT_EQ(archived[0].payload, "buy");
  EXPECT_TRUE(agent->Counts().empty()) << "a refused event is not an event";
}

TEST_F(SentinelTest, AllowedKindRuns) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Counting()));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(*runs_, 1);
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(SentinelTest, SentinelIsAskedForSpawnToo) {
  auto agent = MakeAgent(*laurent_, {.name = "bookbuyer"});
  auto spawn_status = std::make_shared<Status>();
  auto id = agent->Schedule(
      Spec("find", PlainWork([this, spawn_status](EventContext& ctx) -> Result<Text> {
             *spawn_status = ctx.Spawn(Spec("buy", Counting())).status();
             return Text("found");
           })));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(spawn_status->code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(*runs_, 0);
  EXPECT_EQ(rt().unmasked_archive().Query({.kind = "find"}).size(), 1u);
  EXPECT_EQ(rt().scheduler().Counts().future, 0u);
  EXPECT_EQ(sentinel_->asked(), (std::vector<std::string>{"bookbuyer/find", "bookbuyer/buy"}));
}

TEST_F(SentinelTest, NoSentinelConfiguredRecordsNoDecisions) {
  std::unique_ptr<Runtime> plain =
      Runtime::Create({.clock = std::make_shared<ManualClock>(now()), .threads = 0}).value();
  auto agent = plain->CreateSource({.name = "Laurent"})->CreateAgent({}).value();
  ASSERT_TRUE(agent->Schedule(Spec("buy", Counting())).ok());
  plain->RunUntilIdle();
  EXPECT_EQ(*runs_, 1);
  auto archived = plain->unmasked_archive().Query({});
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(archived[0].kind, "buy");
}

TEST_F(SentinelTest, InvalidSpecIsRefusedBeforeTheSentinelIsAsked) {
  auto agent = MakeAgent(*laurent_);
  EXPECT_EQ(agent->Schedule(Spec("", Counting())).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(sentinel_->asked().empty());
}

}  // namespace
}  // namespace magent
