// Composing sentinels: a chain where the first denial wins, a registry by kind.
#include <memory>
#include <string>
#include <vector>

#include "magent/sentinel_chain.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

// Answers as told and counts the questions.
class FixedSentinel final : public Sentinel {
 public:
  FixedSentinel(bool allow, std::string name) : allow_(allow), name_(std::move(name)) {}
  Decision Decide(const AuthRequest&) override {
    ++asked;
    return allow_ ? Decision::Allow() : Decision::Deny(Text("denied by " + name_));
  }
  bool MaySeePrivate(SourceId, const EventRecord&) const override { return allow_; }
  int asked = 0;

 private:
  const bool allow_;
  const std::string name_;
};

Decision Ask(Sentinel& sentinel, const std::string& kind) {
  EventSpec spec;
  spec.kind = kind;
  AuthRequest request;
  request.spec = &spec;
  return sentinel.Decide(request);
}

TEST(SentinelChainTest, FirstDenialWinsAndLaterSentinelsAreNotAsked) {
  auto yes = std::make_shared<FixedSentinel>(true, "yes");
  auto no1 = std::make_shared<FixedSentinel>(false, "first");
  auto no2 = std::make_shared<FixedSentinel>(false, "second");
  SentinelChain chain({yes, no1, no2});
  Decision d = Ask(chain, "buy");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason.English(), "denied by first");
  EXPECT_EQ(yes->asked, 1);
  EXPECT_EQ(no1->asked, 1);
  EXPECT_EQ(no2->asked, 0);
}

TEST(SentinelChainTest, AllowedWhenAllAllow) {
  auto a = std::make_shared<FixedSentinel>(true, "a");
  auto b = std::make_shared<FixedSentinel>(true, "b");
  SentinelChain chain({a, b});
  EXPECT_TRUE(Ask(chain, "find").allowed);
  EXPECT_EQ(b->asked, 1);
  EXPECT_TRUE(
      Ask(*std::make_shared<SentinelChain>(std::vector<std::shared_ptr<Sentinel>>{}), "x").allowed);
}

// Allows, asking for a quorum.
class QuorumAsking final : public Sentinel {
 public:
  explicit QuorumAsking(QuorumRule rule) : rule_(rule) {}
  Decision Decide(const AuthRequest&) override { return Decision::AllowWhenSigned(rule_); }

 private:
  const QuorumRule rule_;
};

TEST(SentinelChainTest, HoldsForTheStrictestQuorum) {
  SentinelChain chain({std::make_shared<QuorumAsking>(QuorumRule{.min_weight = 0.5}),
                       std::make_shared<FixedSentinel>(true, "yes"),
                       std::make_shared<QuorumAsking>(
                           QuorumRule{.min_weight = 0.3, .late = LateSignature::kExpire})});
  Decision d = Ask(chain, "sign");
  ASSERT_TRUE(d.allowed);
  ASSERT_TRUE(d.quorum.has_value());
  EXPECT_EQ(d.quorum->min_weight, 0.5);
  EXPECT_EQ(d.quorum->late, LateSignature::kExpire);
  EXPECT_FALSE(Ask(*std::make_shared<SentinelChain>(std::vector<std::shared_ptr<Sentinel>>{
                       std::make_shared<FixedSentinel>(true, "yes")}),
                   "find")
                   .quorum.has_value());
}

TEST(SentinelChainTest, PrivateDataVisibleOnlyWhenEverySentinelAgrees) {
  SentinelChain chain(
      {std::make_shared<FixedSentinel>(true, "a"), std::make_shared<FixedSentinel>(false, "b")});
  EXPECT_FALSE(chain.MaySeePrivate(SourceId(1), EventRecord{}));
}

TEST(KindSentinelRegistryTest, EachKindGoesToItsSentinel) {
  auto buy = std::make_shared<FixedSentinel>(false, "buy rules");
  auto find = std::make_shared<FixedSentinel>(true, "find rules");
  KindSentinelRegistry registry;
  registry.Set("buy", buy);
  registry.Set("find", find);
  EXPECT_EQ(Ask(registry, "buy").reason.English(), "denied by buy rules");
  EXPECT_TRUE(Ask(registry, "find").allowed);
  EXPECT_EQ(buy->asked, 1);
  EXPECT_EQ(find->asked, 1);
}

TEST(KindSentinelRegistryTest, UnregisteredKindIsDeniedWithoutAFallback) {
  KindSentinelRegistry registry;
  Decision d = Ask(registry, "refund");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason.English(), "No sentinel rules kind 'refund'.");
}

TEST(KindSentinelRegistryTest, UnregisteredKindGoesToTheFallback) {
  auto fallback = std::make_shared<FixedSentinel>(true, "fallback");
  KindSentinelRegistry registry(fallback);
  registry.Set("buy", std::make_shared<FixedSentinel>(false, "buy rules"));
  EXPECT_TRUE(Ask(registry, "refund").allowed);
  EXPECT_EQ(fallback->asked, 1);
}

TEST(KindSentinelRegistryTest, PrivacyFollowsTheKindsSentinel) {
  KindSentinelRegistry registry;
  registry.Set("ship-to", std::make_shared<FixedSentinel>(false, "ship rules"));
  EventRecord record;
  record.kind = "ship-to";
  record.agent_source = SourceId(7);
  EXPECT_FALSE(registry.MaySeePrivate(SourceId(7), record));
  record.kind = "find";  // Unregistered: the default rule, the agent's source may see.
  EXPECT_TRUE(registry.MaySeePrivate(SourceId(7), record));
  EXPECT_FALSE(registry.MaySeePrivate(SourceId(8), record));
}

TEST(SentinelPrivacyRuleTest, DefaultRuleAdmitsTheAgentsSourceAndTheEventsSources) {
  AllowAllSentinel sentinel;
  EventRecord record;
  record.agent_source = SourceId(1);
  record.sources = {{SourceId(2), 0.5}};
  EXPECT_TRUE(sentinel.MaySeePrivate(SourceId(1), record));
  EXPECT_TRUE(sentinel.MaySeePrivate(SourceId(2), record));
  EXPECT_FALSE(sentinel.MaySeePrivate(SourceId(3), record));
}

}  // namespace
}  // namespace magent
