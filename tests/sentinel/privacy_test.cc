// Private activants and passivants are masked for viewers the Sentinel does not admit.
#include "magent/privacy.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

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
  EventRecord seen = *rt().View(stranger_->id()).Get(*id);
  EXPECT_EQ(seen.activants[0].id, kMasked);
  EXPECT_EQ(seen.activants[0].label, kMasked);
  EXPECT_EQ(seen.activants[0].kind, "card") << "the kind stays";
  EXPECT_EQ(seen.activants[1].label, "Lyon") << "public data stays";
  EXPECT_EQ(seen.passivants[0].label, kMasked);
  for (const EventRecord& r : rt().View(stranger_->id()).Query({})) {
    for (const Passivant& p : r.passivants) EXPECT_EQ(p.label, kMasked) << r.kind;
  }
}

TEST_F(PrivacyTest, ArchiveIsUnmaskedForTheAgentsSource) {
  auto id = agent_->Schedule(ShipTo());
  ASSERT_TRUE(id.ok());
  Run();
  EventRecord seen = *rt().View(laurent_->id()).Get(*id);
  EXPECT_EQ(seen.activants[0].label, "Visa 4111");
  EXPECT_EQ(seen.passivants[0].label, "12 rue des Lilas, Paris");
}

TEST_F(PrivacyTest, LiveSnapshotsAreMaskedToo) {
  auto id = agent_->Schedule(ShipTo(now() + minutes(5)));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(rt().View(stranger_->id()).Snapshot(*id)->passivants[0].label, kMasked);
  EXPECT_EQ(rt().View(laurent_->id()).Snapshot(*id)->passivants[0].label,
            "12 rue des Lilas, Paris");
}

TEST_F(PrivacyTest, DecisionRecordsAreMaskedLikeTheEvent) {
  auto low = MakeAgent(*laurent_, {.clearance = Clearance::kLow});
  ASSERT_FALSE(low->Schedule(ShipTo()).ok());
  auto decisions = rt().View(stranger_->id())
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
  EXPECT_EQ(rt().View(shipping->id()).Get(*id)->passivants[0].label, "12 rue des Lilas, Paris");
  EXPECT_EQ(rt().View(stranger_->id()).Get(*id)->passivants[0].label, kMasked);
  grants_->Revoke(shipping->id(), laurent_->id());
  EXPECT_EQ(rt().View(shipping->id()).Get(*id)->passivants[0].label, kMasked);
}

TEST_F(PrivacyTest, ArchivePagesAreMasked) {
  auto id = agent_->Schedule(ShipTo());
  ASSERT_TRUE(id.ok());
  Run();
  auto page = rt().View(stranger_->id()).QueryPage({.kind = "ship-to"});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].activants[0].id, kMasked);
  EXPECT_EQ(page->records[0].passivants[0].label, kMasked);
  page = rt().View(laurent_->id()).QueryPage({.kind = "ship-to"});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->records.at(0).passivants[0].label, "12 rue des Lilas, Paris");
}

TEST_F(PrivacyTest, PastEventsAreMaskedAsTheyEnd) {
  std::vector<EventRecord> stranger_saw, laurent_saw;
  boost::signals2::scoped_connection stranger =
      rt().View(stranger_->id()).OnPast([&](const EventRecord& r) { stranger_saw.push_back(r); });
  // The view is gone; its slot stays connected.
  boost::signals2::scoped_connection laurent =
      laurent_->View().OnPast([&](const EventRecord& r) { laurent_saw.push_back(r); });
  ASSERT_TRUE(agent_->Schedule(ShipTo()).ok());
  Run();
  ASSERT_EQ(stranger_saw.size(), 2u) << "the decision and the event";
  ASSERT_EQ(laurent_saw.size(), 2u);
  for (const EventRecord& r : stranger_saw) {
    EXPECT_EQ(r.activants[0].label, kMasked) << r.kind;
    EXPECT_EQ(r.activants[1].label, "Lyon") << r.kind;
    EXPECT_EQ(r.passivants[0].id, kMasked) << r.kind;
  }
  for (const EventRecord& r : laurent_saw) {
    EXPECT_EQ(r.passivants[0].label, "12 rue des Lilas, Paris") << r.kind;
  }
}

TEST_F(PrivacyTest, ASourceViewsAsItself) {
  auto id = agent_->Schedule(ShipTo(now() + minutes(5)));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(laurent_->View().viewer(), laurent_->id());
  EXPECT_EQ(laurent_->View().Snapshot(*id)->activants[0].label, "Visa 4111");
  EXPECT_EQ(stranger_->View().Snapshot(*id)->activants[0].label, kMasked);
  Advance(minutes(5));
  EXPECT_EQ(laurent_->View().Get(*id)->passivants[0].label, "12 rue des Lilas, Paris");
  EXPECT_EQ(stranger_->View().Get(*id)->passivants[0].label, kMasked);
  EXPECT_EQ(stranger_->View().Query({.kind = "ship-to"}).at(0).passivants[0].label, kMasked);
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

TEST(MaskedTest, MasksEveryPrivateParticipantAndNothingElse) {
  EventRecord record;
  record.agent_source = SourceId(1);
  record.activants = {{.id = "card", .kind = "card", .label = "Visa", .is_private = true},
                      {.id = "bank", .kind = "bank", .label = "Bank"}};
  record.passivants = {{.id = "address", .kind = "address", .label = "Home", .is_private = true}};
  const EventRecord seen = Masked(record);
  EXPECT_EQ(seen.activants[0].id, kMasked);
  EXPECT_EQ(seen.activants[0].kind, "card");
  EXPECT_TRUE(seen.activants[0].is_private);
  EXPECT_EQ(seen.activants[1], record.activants[1]);
  EXPECT_EQ(seen.passivants[0].label, kMasked);
}

}  // namespace
}  // namespace magent
