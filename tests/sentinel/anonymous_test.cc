// Anonymous sources: forbidden kinds, most pending events, most events a minute.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "magent/anonymous_sentinel.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::ManualRuntimeTest;
using testing::Spec;
using testing::Succeed;

RuntimeOptions WithAnonymousRules() {
  RuntimeOptions options;
  options.sentinel = std::make_shared<AnonymousSentinel>(
      AnonymousOptions{.kinds = {{"find", {.max_pending = 3, .max_per_minute = 100}},
                                 {"notify", {.max_pending = 100, .max_per_minute = 2}}}});
  return options;
}

class AnonymousTest : public ManualRuntimeTest {
 protected:
  AnonymousTest() : ManualRuntimeTest(WithAnonymousRules()) {}
  std::shared_ptr<AgentSource> anonymous_ = rt().CreateSource({.anonymous = true});
  std::shared_ptr<Agent> agent_ = MakeAgent(*anonymous_);
};

TEST_F(AnonymousTest, UnlistedKindIsForbidden) {
  auto id = agent_->Schedule(Spec("buy", Succeed()));
  EXPECT_EQ(id.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(id.status().message(), "Anonymous sources may not schedule 'buy'.");
}

TEST_F(AnonymousTest, KnownSourcesAreNotLimited) {
  auto laurent = rt().CreateSource({.name = "Laurent"});
  auto agent = MakeAgent(*laurent);
  EXPECT_TRUE(agent->Schedule(Spec("buy", Succeed())).ok());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(agent->Schedule(Spec("notify", Succeed())).ok());
}

TEST_F(AnonymousTest, MaxPendingCountsEveryAgentOfTheSource) {
  auto second = MakeAgent(*anonymous_);
  const TimePoint later = now() + minutes(5);
  ASSERT_TRUE(agent_->Schedule(Spec("find", Succeed(), later)).ok());
  ASSERT_TRUE(agent_->Schedule(Spec("find", Succeed(), later)).ok());
  ASSERT_TRUE(second->Schedule(Spec("find", Succeed(), later)).ok());
  auto fourth = second->Schedule(Spec("find", Succeed(), later));
  EXPECT_EQ(fourth.status().message(), "An anonymous source may have 3 pending events; it has 3.");
  Advance(minutes(5));  // They ran: room again.
  EXPECT_TRUE(agent_->Schedule(Spec("find", Succeed(), later + minutes(1))).ok());
}

TEST_F(AnonymousTest, MaxPendingHoldsUnderConcurrentSchedules) {
  // Decided under the model lock: threads racing cannot all see room for one more.
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (agent_->Schedule(Spec("find", Succeed(), now() + minutes(5))).ok()) ++admitted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 3);
  EXPECT_EQ(rt().scheduler().Counts().future, 3u);
}

TEST_F(AnonymousTest, ReauthorizingDoesNotCountTheEventAgainstItself) {
  const TimePoint later = now() + minutes(5);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(agent_->Schedule(Spec("find", Succeed(), later)).ok());
  ASSERT_TRUE(anonymous_->SetAgentClearance(agent_->id(), Clearance::kPublic).ok());
  for (const SourceMessage& m : anonymous_->Inbox()) {
    EXPECT_NE(m.kind, SourceMessage::Kind::kAuthorizationRevoked);
  }
  Advance(minutes(5));
  EXPECT_EQ(rt().unmasked_archive().Query({.kind = "find", .outcome = Outcome::kSucceeded}).size(),
            3u);
}

TEST_F(AnonymousTest, MaxRateIsPerMinute) {
  ASSERT_TRUE(agent_->Schedule(Spec("notify", Succeed())).ok());
  Advance(seconds(30));
  ASSERT_TRUE(agent_->Schedule(Spec("notify", Succeed())).ok());
  Advance(seconds(29));
  EXPECT_EQ(agent_->Schedule(Spec("notify", Succeed())).status().message(),
            "An anonymous source may schedule 2 'notify' events a minute.");
  Advance(seconds(1));  // The first is a minute old.
  EXPECT_TRUE(agent_->Schedule(Spec("notify", Succeed())).ok());
}

TEST_F(AnonymousTest, RateIsCountedPerSource) {
  auto other = rt().CreateSource({.anonymous = true});
  auto other_agent = MakeAgent(*other);
  ASSERT_TRUE(agent_->Schedule(Spec("notify", Succeed())).ok());
  ASSERT_TRUE(agent_->Schedule(Spec("notify", Succeed())).ok());
  EXPECT_TRUE(other_agent->Schedule(Spec("notify", Succeed())).ok());
}

TEST(AnonymousDefaultsTest, ListedKindsGetTenPendingAndSixtyAMinute) {
  AnonymousLimits limits;
  EXPECT_TRUE(limits.allowed);
  EXPECT_EQ(limits.max_pending, 10u);
  EXPECT_EQ(limits.max_per_minute, 60u);
  EXPECT_FALSE(AnonymousOptions{}.unlisted.allowed);
  EXPECT_EQ(RuntimeOptions{}.anonymous_clearance, Clearance::kLow);
}

}  // namespace
}  // namespace magent
