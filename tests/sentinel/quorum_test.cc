// Weighted multi-source approval: held events, checked signatures, late signatures.
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "magent/quorum_sentinel.h"
#include "magent/signature.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::Spec;

RuntimeOptions WithQuorum() {
  RuntimeOptions options;
  options.sentinel =
      std::make_shared<QuorumSentinel>(std::map<std::string, QuorumRule, std::less<>>{
          {"approve", {.min_weight = 0.5}},
          {"buy", {.min_weight = 2, .late = LateSignature::kExpire}}});
  return options;
}

class QuorumTest : public ManualRuntimeTest {
 protected:
  QuorumTest() : ManualRuntimeTest(WithQuorum()) {
    for (int i = 0; i < 4; ++i) {
      board_.push_back(rt().CreateSource(
          {.name = "member" + std::to_string(i), .signing_key = "key-" + std::to_string(i)}));
    }
  }

  Work Counting() {
    return PlainWork([runs = runs_](EventContext&) -> Result<Text> {
      ++*runs;
      return Text("ran");
    });
  }
  // A document that needs signatures of board members summing to 0.5; each weighs 0.2.
  EventSpec Document(TimePoint due = {}) {
    EventSpec spec = Spec("approve", Counting(), due);
    for (const auto& member : board_) spec.sources.push_back({member->id(), 0.2});
    return spec;
  }
  Status SignAs(int member, EventId id, std::string kind = "approve") {
    return board_[member]->Sign(id, SignEvent("key-" + std::to_string(member), id, kind, ""));
  }

  std::shared_ptr<std::atomic<int>> runs_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<AgentSource> secretary_ = rt().CreateSource({.name = "secretary"});
  std::shared_ptr<Agent> agent_ = MakeAgent(*secretary_, {.name = "clerk"});
  std::vector<std::shared_ptr<AgentSource>> board_;
};

TEST_F(QuorumTest, QuorumIsReachedByTheThirdSignatureAndNotBefore) {
  auto id = agent_->Schedule(Document());
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(*runs_, 0) << "held: no signatures yet";
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id)->frozen);

  ASSERT_TRUE(SignAs(0, *id).ok());
  ASSERT_TRUE(SignAs(1, *id).ok());
  ASSERT_TRUE(SignAs(1, *id).ok()) << "signing twice counts once";
  Advance(minutes(1));
  EXPECT_EQ(*runs_, 0) << "0.4 < 0.5";
  EXPECT_EQ(rt().scheduler().Counts().future, 1u);

  ASSERT_TRUE(SignAs(2, *id).ok());
  Run();
  EXPECT_EQ(*runs_, 1);
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(QuorumTest, ForgedSignatureIsRefused) {
  auto id = agent_->Schedule(Document());
  ASSERT_TRUE(id.ok());
  // Signed with another member's key, with a right key over another event, and garbage.
  EXPECT_EQ(board_[0]->Sign(*id, SignEvent("key-1", *id, "approve", "")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(
      board_[0]->Sign(*id, SignEvent("key-0", EventId(id->value() + 1), "approve", "")).code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(board_[0]->Sign(*id, "signed").code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(SignAs(1, *id).ok());
  ASSERT_TRUE(SignAs(2, *id).ok());
  Run();
  EXPECT_EQ(*runs_, 0) << "the forgeries counted for nothing";
}

TEST_F(QuorumTest, SignatureOfASourceNotOnTheEventIsRefused) {
  auto outsider = rt().CreateSource({.name = "outsider", .signing_key = "out"});
  auto id = agent_->Schedule(Document());
  ASSERT_TRUE(id.ok());
  Status s = outsider->Sign(*id, SignEvent("out", *id, "approve", ""));
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "source 'outsider' is not a source of event " + id->ToString());
}

TEST_F(QuorumTest, SourceWithoutAKeyCannotSign) {
  auto keyless = rt().CreateSource({.name = "keyless"});
  auto agent = MakeAgent(*keyless);
  auto id = agent->Schedule(Spec("approve", Counting()));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(keyless->Sign(*id, SignEvent("", *id, "approve", "")).code(),
            StatusCode::kPermissionDenied);
}

TEST_F(QuorumTest, EventWithoutListedSourcesNeedsItsAgentsSourceSignature) {
  auto laurent = rt().CreateSource({.name = "Laurent", .signing_key = "laurent"});
  auto agent = MakeAgent(*laurent);
  auto id = agent->Schedule(Spec("approve", Counting()));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(*runs_, 0);
  ASSERT_TRUE(laurent->Sign(*id, SignEvent("laurent", *id, "approve", "")).ok());
  Run();
  EXPECT_EQ(*runs_, 1);
}

TEST_F(QuorumTest, SignatureAfterTheDueTimeRunsLateForARunLateKind) {
  auto id = agent_->Schedule(Document(now() + minutes(5)));
  ASSERT_TRUE(id.ok());
  Advance(minutes(30));
  EXPECT_EQ(*runs_, 0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(SignAs(i, *id).ok());
  Run();
  EXPECT_EQ(*runs_, 1);
  EXPECT_EQ(Archived(*id).started, now());
}

TEST_F(QuorumTest, UnsignedEventOfAnExpiringKindExpiresAtItsDueTime) {
  EventSpec spec = Spec("buy", Counting(), now() + minutes(5));
  spec.sources = {{board_[0]->id(), 1}, {board_[1]->id(), 1}};
  auto id = agent_->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(SignAs(0, *id, "buy").ok());
  Advance(minutes(4));
  EXPECT_EQ(rt().scheduler().Counts().future, 1u);
  Advance(minutes(1));
  EXPECT_EQ(*runs_, 0);
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kExpired);
  EXPECT_EQ(r.result.English(), "Not signed by enough of its sources by its due time.");
  EXPECT_EQ(SignAs(1, *id, "buy").code(), StatusCode::kNotFound) << "too late";
}

TEST_F(QuorumTest, ExpiringKindSignedInTimeRuns) {
  EventSpec spec = Spec("buy", Counting(), now() + minutes(5));
  spec.sources = {{board_[0]->id(), 1}, {board_[1]->id(), 1}};
  auto id = agent_->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(SignAs(0, *id, "buy").ok());
  ASSERT_TRUE(SignAs(1, *id, "buy").ok());
  Advance(minutes(5));
  EXPECT_EQ(*runs_, 1);
}

TEST_F(QuorumTest, UnreachableQuorumIsDenied) {
  EventSpec spec = Spec("buy", Counting());
  spec.sources = {{board_[0]->id(), 1}};
  auto id = agent_->Schedule(std::move(spec));
  EXPECT_EQ(id.status().message(), "Kind 'buy' needs signatures weighing 2; its sources weigh 1.");
}

// The agent writes the weights: a NaN weight compared as reaching the quorum, so one
// signature of weight NaN released a buy that needs 2 (issue 16).
TEST_F(QuorumTest, AWeightThatIsNoPositiveNumberIsDeniedIssue16) {
  for (double weight : {std::nan(""), -5.0, 0.0, HUGE_VAL}) {
    EventSpec spec = Spec("buy", Counting());
    spec.sources = {{board_[0]->id(), weight}, {board_[1]->id(), 2}};
    auto id = agent_->Schedule(std::move(spec));
    ASSERT_FALSE(id.ok()) << weight;
    EXPECT_NE(id.status().message().find("a weight must be a positive number"), std::string::npos)
        << id.status().message();
  }
  EXPECT_EQ(*runs_, 0);
}

// Whatever sentinel lets such an event in, its signature counts nothing (issue 16).
class AnyWeightSentinel final : public Sentinel {
 public:
  Decision Decide(const AuthRequest&) override {
    return Decision::AllowWhenSigned({.min_weight = 2});
  }
};

class AnyWeightQuorumTest : public ManualRuntimeTest {
 protected:
  static RuntimeOptions Options() {
    RuntimeOptions options;
    options.sentinel = std::make_shared<AnyWeightSentinel>();
    return options;
  }
  AnyWeightQuorumTest() : ManualRuntimeTest(Options()) {}
  std::shared_ptr<AgentSource> signer_ = rt().CreateSource({.name = "signer", .signing_key = "k"});
  std::shared_ptr<Agent> agent_ = MakeAgent(*signer_, {.name = "trader"});
};

TEST_F(AnyWeightQuorumTest, ASignatureOfWeightNaNReachesNoQuorumIssue16) {
  auto runs = std::make_shared<std::atomic<int>>(0);
  EventSpec spec = Spec("buy", PlainWork([runs](EventContext&) -> Result<Text> {
                          ++*runs;
                          return Text("bought");
                        }));
  spec.sources = {{signer_->id(), std::nan("")}};
  auto id = agent_->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok()) << id.status().message();
  // Refused: the signature weighs nothing.
  EXPECT_FALSE(signer_->Sign(*id, SignEvent("k", *id, "buy", "")).ok());
  Run();
  EXPECT_EQ(*runs, 0);
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id)->frozen);
}

TEST_F(QuorumTest, RevokedSignatureHoldsTheEventAgainAndTellsTheAgentsSource) {
  auto id = agent_->Schedule(Document(now() + minutes(5)));
  ASSERT_TRUE(id.ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(SignAs(i, *id).ok());
  EXPECT_FALSE(rt().scheduler().SnapshotUnmasked(*id)->frozen);
  ASSERT_TRUE(board_[2]->RevokeSignature(*id).ok());
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(*id)->frozen);
  std::vector<SourceMessage> inbox = secretary_->Inbox();
  ASSERT_FALSE(inbox.empty());
  EXPECT_EQ(inbox.back().kind, SourceMessage::Kind::kAuthorizationRevoked);
  EXPECT_EQ(inbox.back().events, std::vector<EventId>{*id});
  Advance(minutes(10));
  EXPECT_EQ(*runs_, 0);
  EXPECT_EQ(board_[2]->RevokeSignature(*id).code(), StatusCode::kNotFound);
  ASSERT_TRUE(SignAs(3, *id).ok());
  Run();
  EXPECT_EQ(*runs_, 1);
}

TEST_F(QuorumTest, KindWithoutAQuorumNeedsNoSignature) {
  auto laurent = rt().CreateSource({.name = "Laurent", .signing_key = "laurent"});
  auto agent = MakeAgent(*laurent);
  auto id = agent->Schedule(Spec("find", Counting(), now() + minutes(1)));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(laurent->Sign(*id, SignEvent("laurent", *id, "find", "")).code(),
            StatusCode::kFailedPrecondition);
  Advance(minutes(1));
  EXPECT_EQ(*runs_, 1);
}

TEST(SignatureTest, VerifiesOnlyTheSameKeyEventKindAndPayload) {
  const std::string sig = SignEvent("k", EventId(7), "buy", "isbn");
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(VerifyEventSignature("k", EventId(7), "buy", "isbn", sig));
  EXPECT_FALSE(VerifyEventSignature("K", EventId(7), "buy", "isbn", sig));
  EXPECT_FALSE(VerifyEventSignature("k", EventId(8), "buy", "isbn", sig));
  EXPECT_FALSE(VerifyEventSignature("k", EventId(7), "find", "isbn", sig));
  EXPECT_FALSE(VerifyEventSignature("k", EventId(7), "buy", "isbm", sig));
  EXPECT_FALSE(VerifyEventSignature("k", EventId(7), "buy", "isbn", sig.substr(1)));
  EXPECT_FALSE(VerifyEventSignature("", EventId(7), "buy", "isbn",
                                    SignEvent("", EventId(7), "buy", "isbn")));
}

}  // namespace
}  // namespace magent
