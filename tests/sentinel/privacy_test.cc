// Private activants and passivants are masked for viewers the Sentinel does not admit.
#include "magent/privacy.h"

#include <chrono>
#include <memory>
#include <string>

#include "magent/clearance_sentinel.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::Spec;
using testing::Succeed;

std::shared_ptr<PrivacyGrants> Grants() {
  return std::make_shared<PrivacyGrants>(std::make_shared<ClearanceSentinel>(
      ClearanceOptions{.levels = {{"ship-to", Clearance::kPrivate}}}));
}

RuntimeOptions WithGrants(std::shared_ptr<PrivacyGrants> grants) {
  RuntimeOptions options;
  options.sentinel = std::move(grants);
  return options;
}

class PrivacyTest : public ManualRuntimeTest {
 protected:
  PrivacyTest() : PrivacyTest(Grants()) {}
  explicit PrivacyTest(std::shared_ptr<PrivacyGrants> grants)
      : ManualRuntimeTest(WithGrants(grants)), grants_(std::move(grants)) {}

  EventSpec ShipTo(TimePoint due = {}) {
    EventSpec spec = Spec("ship-to", Succeed("shipped"), due);
    spec.activants = {{.id = "card:4111", .kind = "card", .label = "Visa 4111", .is_private = true},
                      {.id = "warehouse:lyon", .kind = "warehouse", .label = "Lyon"}};
    spec.passivants = {{.id = "address:home",
                        .kind = "address",
                        .label = "12 rue des Lilas, Paris",
                        .is_private = true}};
    return spec;
  }

  std::shared_ptr<PrivacyGrants> grants_;
  std::shared_ptr<AgentSource> laurent_ =
      rt().CreateSource({.name = "Laurent", .clearance = Clearance::kPrivate});
  std::shared_ptr<AgentSource> stranger_ = rt().CreateSource({.name = "stranger"});
  std::shared_ptr<Agent> agent_ = MakeAgent(*laurent_);
};

TEST_F(PrivacyTest, ArchiveIsMaskedForAnUnauthorizedViewer) {
  auto id = agent_->Schedule(ShipTo());
  ASSERT_TRUE(id.ok());
  Run();
  EventRecord seen = *MaskedView(rt(), stranger_->id()).Get(*id);
  EXPECT_EQ(seen.activants[0].id, kMasked);
  EXPECT_EQ(seen.activants[0].label, kMasked);
  EXPECT_EQ(seen.activants[0].kind, "card") << "the kind stays";
  EXPECT_EQ(seen.activants[1].label, "Lyon") << "public data stays";
  EXPECT_EQ(seen.passivants[0].label, kMasked);
  for (const EventRecord& r : MaskedView(rt(), stranger_->id()).Query({})) {
    for (const Passivant& p : r.passivants) EXPECT_EQ(p.label, kMasked) << r.kind;
  }
}

TEST_F(PrivacyTest, ArchiveIsUnmaskedForTheAgentsSource) {
  auto id = agent_->Schedule(ShipTo());
  ASSERT_TRUE(id.ok());
  Run();
  EventRecord seen = *MaskedView(rt(), laurent_->id()).Get(*id);
  EXPECT_EQ(seen.activants[0].label, "Visa 4111");
  EXPECT_EQ(seen.passivants[0].label, "12 rue des Lilas, Paris");
}

TEST_F(PrivacyTest, LiveSnapshotsAreMaskedToo) {
  auto id = agent_->Schedule(ShipTo(now() + minutes(5)));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(MaskedView(rt(), stranger_->id()).Snapshot(*id)->passivants[0].label, kMasked);
  EXPECT_EQ(MaskedView(rt(), laurent_->id()).Snapshot(*id)->passivants[0].label,
            "12 rue des Lilas, Paris");
}

TEST_F(PrivacyTest, DecisionRecordsAreMaskedLikeTheEvent) {
  auto low = MakeAgent(*laurent_, {.clearance = Clearance::kLow});
  ASSERT_FALSE(low->Schedule(ShipTo()).ok());
  auto decisions = MaskedView(rt(), stranger_->id())
                       .Query({.kind = std::string(kDecisionKind), .outcome = Outcome::kFailed});
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].passivants[0].label, kMasked);
}

TEST_F(PrivacyTest, GrantedViewerSeesAndRevokedDoesNot) {
  auto shipping = rt().CreateSource({.name = "shipping"});
  auto id = agent_->Schedule(ShipTo());
  ASSERT_TRUE(id.ok());
  Run();
  grants_->Grant(shipping->id(), laurent_->id());
  EXPECT_EQ(MaskedView(rt(), shipping->id()).Get(*id)->passivants[0].label,
            "12 rue des Lilas, Paris");
  EXPECT_EQ(MaskedView(rt(), stranger_->id()).Get(*id)->passivants[0].label, kMasked);
  grants_->Revoke(shipping->id(), laurent_->id());
  EXPECT_EQ(MaskedView(rt(), shipping->id()).Get(*id)->passivants[0].label, kMasked);
}

TEST(MaskedForTest, AnEventSourceMaySee) {
  EventRecord record;
  record.agent_source = SourceId(1);
  record.sources = {{SourceId(2), 1}};
  record.activants = {{.id = "card", .kind = "card", .label = "Visa", .is_private = true}};
  AllowAllSentinel sentinel;
  EXPECT_EQ(MaskedFor(record, SourceId(2), sentinel).activants[0].label, "Visa");
  EXPECT_EQ(MaskedFor(record, SourceId(3), sentinel).activants[0].label, kMasked);
}

}  // namespace
}  // namespace magent
