// A restart keeps what the Sentinel decided: held events stay held with the signatures
// they had, revoked signatures and revoked events stay revoked, clearances of sources and
// agents come back, and sources get their signing keys back from the key store. Each test
// restarts a runtime on a real LevelDB journal on disk.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
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
    auto snapshot = rt().scheduler().SnapshotUnmasked(id);
    return snapshot.ok() && snapshot->frozen;
  }
  std::filesystem::path KeyFile(SourceId id) {
    return dir_.root() / "journal" / "keys" / ("source-" + id.ToString() + ".key");
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
TEST_F(JournalSentinelTest, HeldEventStaysHeldWithItsSignaturesUntilTheQuorumSigns) {
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

  // Bob's weight 2 and Alice's 1, signed before the restart, reach 3.
  ASSERT_TRUE(SignAs(bob->id(), "bob's key", *id, "7 ACME").ok());
  Run();
  EXPECT_EQ(ran_, std::vector<std::string>{"7 ACME"});
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
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

  ASSERT_TRUE(SignAs(bob->id(), "b", *id, "x").ok());
  Run();
  EXPECT_EQ(ran_, std::vector<std::string>{"x"});
}

TEST_F(JournalSentinelTest, SignaturesGivenAfterTheRestartAreKeptByTheNextOne) {
  sentinel_ = Quorum(2);
  Open();
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "a"});
  auto bob = rt().CreateSource({.name = "Bob", .signing_key = "b"});
  auto agent = alice->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  auto id = Buy(**agent, "x", {{alice->id(), 1}, {bob->id(), 1}}, now() + 1h);
  ASSERT_TRUE(id.ok());
  Open();
  ASSERT_TRUE(SignAs(alice->id(), "a", *id, "x").ok());
  Open();
  ASSERT_TRUE(SignAs(bob->id(), "b", *id, "x").ok());
  Open();
  EXPECT_FALSE(Frozen(*id)) << "both signatures survive, each over its own restart";
  Advance(1h);
  EXPECT_EQ(ran_, std::vector<std::string>{"x"});
}

TEST_F(JournalSentinelTest, KeysAreKeptInAFilePerSourceReadableByItsOwnerOnly) {
  Open();
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "alice's key"});
  auto plain = rt().CreateSource({.name = "no key"});
  const std::filesystem::path file = KeyFile(alice->id());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0) << file;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(bytes.str(), "alice's key");
  EXPECT_FALSE(std::filesystem::exists(KeyFile(plain->id())));
  ASSERT_EQ(::stat(file.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

// Issue 16: "After the restart every correct signature fails with 'the signature of
// source 'Alice' on event 52 does not verify'."
TEST_F(JournalSentinelTest, ARestoredSourceWithoutItsKeySaysTheKeyIsMissing) {
  sentinel_ = Quorum(1);
  Open();
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "alice's key"});
  auto agent = alice->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  auto id = Buy(**agent, "x");
  ASSERT_TRUE(id.ok());
  Crash();
  std::filesystem::remove(KeyFile(alice->id()));

  Open();
  const Status signed_ = SignAs(alice->id(), "alice's key", *id, "x");
  EXPECT_EQ(signed_.code(), StatusCode::kFailedPrecondition) << signed_.ToString();
  EXPECT_NE(signed_.message().find("signing key is missing"), std::string::npos)
      << signed_.ToString();
  EXPECT_EQ(signed_.message().find("does not verify"), std::string::npos);
  Run();
  EXPECT_TRUE(Frozen(*id));
  EXPECT_TRUE(ran_.empty());
}

TEST_F(JournalSentinelTest, TheHostCanGiveKeysAgainThroughItsOwnKeyStore) {
  sentinel_ = Quorum(1);
  auto before = std::make_shared<MemoryKeyStore>();
  keys_ = before;
  Open();
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "alice's key"});
  auto agent = alice->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  auto id = Buy(**agent, "x");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(before->Get(alice->id()).value(), "alice's key");
  EXPECT_FALSE(std::filesystem::exists(dir_.root() / "journal" / "keys"));

  // A new process: the host's secret store fills a fresh key store before Create.
  auto after = std::make_shared<MemoryKeyStore>();
  ASSERT_TRUE(after->Put(alice->id(), "alice's key").ok());
  keys_ = after;
  Open();
  ASSERT_TRUE(SignAs(alice->id(), "alice's key", *id, "x").ok());
  Run();
  EXPECT_EQ(ran_, std::vector<std::string>{"x"});
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
