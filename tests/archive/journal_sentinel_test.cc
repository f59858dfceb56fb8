// A restart keeps what the Sentinel decided: held events stay held with the signatures
// they had, revoked signatures and revoked events stay revoked, clearances of sources and
// agents come back. Each test restarts a runtime on a real LevelDB journal on disk.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "magent/magent.h"
#include "testing/durable_runtime.h"

namespace magent {
namespace {

using namespace std::chrono_literals;

class JournalSentinelTest : public testing::DurableRuntimeTest {
 protected:
  JournalSentinelTest() {
    // "buy": plain work that notes its payload, like "tick".
    kinds_.push_back(KindSpec{.name = "buy", .factory = [this](const std::string& payload) {
                                return Result<Work>(PlainWork([this, payload](EventContext&) {
                                  ran_.push_back(payload);
                                  return Result<Text>(Text("bought " + payload));
                                }));
                              }});
  }

  // A "buy" of `agent`, due at `due`, whose sources are `sources`.
  Result<EventId> Buy(Agent& agent, std::string payload, std::vector<SourceWeight> sources = {},
                      TimePoint due = {}) {
    EventSpec spec;
    spec.kind = "buy";
    spec.payload = std::move(payload);
    spec.sources = std::move(sources);
    spec.due = due;
    return agent.Schedule(std::move(spec));
  }
  std::shared_ptr<AgentSource> Source(SourceId id) {
    auto source = rt().FindSource(id);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    return source.ok() ? *source : nullptr;
  }
  Status SignAs(SourceId source, const std::string& key, EventId id, const std::string& payload) {
    return Source(source)->Sign(id, SignEvent(key, id, "buy", payload));
  }
  bool Frozen(EventId id) {
    auto snapshot = rt().scheduler().Snapshot(id);
    return snapshot.ok() && snapshot->frozen;
  }
};

std::shared_ptr<Sentinel> Quorum(double min_weight) {
  return std::make_shared<QuorumSentinel>(
      std::map<std::string, QuorumRule, std::less<>>{{"buy", {.min_weight = min_weight}}});
}

std::shared_ptr<Sentinel> BuyNeedsHigh() {
  return std::make_shared<ClearanceSentinel>(
      ClearanceOptions{.levels = {{"buy", Clearance::kHigh}, {"tick", Clearance::kPublic}}});
}

// Issue 16: "A buy needing weight 3, signed only by a source of weight 1 and held, came
// back not held and ran."
TEST_F(JournalSentinelTest, HeldEventStaysHeldWithItsSignatures) {
  sentinel_ = Quorum(3);
  Open();
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "alice's key"});
  auto bob = rt().CreateSource({.name = "Bob", .signing_key = "bob's key"});
  auto agent = alice->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  auto id = Buy(**agent, "7 ACME", {{alice->id(), 1}, {bob->id(), 2}});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(SignAs(alice->id(), "alice's key", *id, "7 ACME").ok());
  Run();
  ASSERT_TRUE(Frozen(*id));

  Open();
  Advance(1h);
  EXPECT_TRUE(ran_.empty()) << "weight 1 of 3: it must not run";
  EXPECT_TRUE(Frozen(*id));
  EXPECT_EQ(rt().scheduler().Counts().frozen, 1u);
}

TEST_F(JournalSentinelTest, RevokedSignatureStaysRevokedAcrossARestart) {
  sentinel_ = Quorum(2);
  Open();
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "a"});
  auto bob = rt().CreateSource({.name = "Bob", .signing_key = "b"});
  auto agent = alice->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  auto id = Buy(**agent, "x", {{alice->id(), 1}, {bob->id(), 1}}, now() + 1h);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(SignAs(alice->id(), "a", *id, "x").ok());
  ASSERT_TRUE(SignAs(bob->id(), "b", *id, "x").ok());
  ASSERT_TRUE(bob->RevokeSignature(*id).ok());
  Run();

  Open();
  Advance(2h);
  EXPECT_TRUE(ran_.empty()) << "Bob withdrew his signature before the restart";
  EXPECT_TRUE(Frozen(*id));
  EXPECT_EQ(Source(bob->id())->RevokeSignature(*id).code(), StatusCode::kNotFound);
}

// Issue 16: "Before: 'Agent 'browser' has clearance low; kind 'buy' needs high'. After the
// restart the same agent's buy was allowed."
TEST_F(JournalSentinelTest, AnAgentsClearanceRefusesAfterARestartAsBefore) {
  sentinel_ = BuyNeedsHigh();
  Open();
  auto alice = rt().CreateSource({.name = "Alice"});
  auto agent = alice->CreateAgent({.name = "browser", .clearance = Clearance::kLow});
  ASSERT_TRUE(agent.ok());
  const AgentId browser_id = (*agent)->id();
  const Status before = Buy(**agent, "x").status();
  ASSERT_EQ(before.code(), StatusCode::kPermissionDenied);

  Open();
  auto browser = Restored(browser_id);
  ASSERT_NE(browser, nullptr);
  const Status after = Buy(*browser, "x").status();
  EXPECT_EQ(after.code(), StatusCode::kPermissionDenied) << after.ToString();
  EXPECT_EQ(after.message(), before.message());
}

TEST_F(JournalSentinelTest, AClearanceSetBySetAgentClearanceSurvivesARestart) {
  sentinel_ = BuyNeedsHigh();
  Open();
  auto alice = rt().CreateSource({.name = "Alice"});
  auto agent = alice->CreateAgent({.name = "browser"});
  ASSERT_TRUE(agent.ok());
  const AgentId browser = (*agent)->id();
  ASSERT_TRUE(alice->SetAgentClearance(browser, Clearance::kLow).ok());

  Open();
  EXPECT_EQ(Buy(*Restored(browser), "x").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(JournalSentinelTest, ASourcesOwnClearanceSurvivesARestart) {
  Open();
  auto low = rt().CreateSource({.name = "Low", .clearance = Clearance::kLow});
  auto agent = low->CreateAgent({.name = "a"});
  ASSERT_TRUE(agent.ok());
  const AgentId a = (*agent)->id();
  ASSERT_EQ(low->SetAgentClearance(a, Clearance::kHigh).code(), StatusCode::kInvalidArgument);

  Open();
  EXPECT_EQ(Source(low->id())->SetAgentClearance(a, Clearance::kHigh).code(),
            StatusCode::kInvalidArgument)
      << "a source of clearance low cannot grant high after a restart either";
}

TEST_F(JournalSentinelTest, EventsRevokedByALoweredClearanceStayFrozenAcrossARestart) {
  sentinel_ = BuyNeedsHigh();
  Open();
  auto alice = rt().CreateSource({.name = "Alice"});
  auto agent = alice->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  const AgentId trader = (*agent)->id();
  auto id = Buy(**agent, "x", {}, now() + 1h);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(alice->SetAgentClearance(trader, Clearance::kLow).ok());
  Run();
  ASSERT_TRUE(Frozen(*id));

  Open();
  Advance(2h);
  EXPECT_TRUE(ran_.empty()) << "revoked before the restart";
  EXPECT_TRUE(Frozen(*id));

  ASSERT_TRUE(Source(alice->id())->SetAgentClearance(trader, Clearance::kHigh).ok());
  Run();
  EXPECT_EQ(ran_, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace magent
