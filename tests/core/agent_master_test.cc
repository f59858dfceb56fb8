// The AgentMaster's first half: what a source can do to its agents' events (modify a Future
// one, grant a running one more time), the hooks through which an agent hears how its
// events ended and decides extensions, and the messages it sends its source.
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/test_work.h"
#include "magent/signature.h"
#include "testing/durable_runtime.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::minutes;
using testing::ManualRuntimeTest;
using testing::OnStrandOf;
using testing::Sleep;
using testing::Spec;
using testing::Succeed;

// Denies any event due after `latest_due_`; allows the rest.
class DueLimitSentinel final : public Sentinel {
 public:
  explicit DueLimitSentinel(TimePoint latest_due) : latest_due_(latest_due) {}
  Decision Decide(const AuthRequest& request) override {
    if (request.spec->due > latest_due_) {
      return Decision::Deny(Text("test.too_late", "Due too late.", {}));
    }
    return Decision::Allow();
  }

 private:
  const TimePoint latest_due_;
};

RuntimeOptions WithSentinel(std::shared_ptr<Sentinel> sentinel) {
  RuntimeOptions options;
  options.sentinel = std::move(sentinel);
  return options;
}

// "note": plain work, built by its factory, that notes its payload; its payload may change.
// "fixed": the same, with a payload that may not.
KindSpec NoteKind(std::string name, bool modifiable,
                  std::shared_ptr<std::vector<std::string>> ran) {
  return KindSpec{.name = std::move(name),
                  .factory =
                      [ran](const std::string& payload) {
                        return Result<Work>(PlainWork([ran, payload](EventContext&) {
                          ran->push_back(payload);
                          return Result<Text>(Text("noted " + payload));
                        }));
                      },
                  .payload_modifiable = modifiable};
}

class AgentMasterTest : public ManualRuntimeTest {
 protected:
  explicit AgentMasterTest(RuntimeOptions options = {}) : ManualRuntimeTest(std::move(options)) {
    EXPECT_TRUE(rt().RegisterKind(NoteKind("note", true, ran_)).ok());
    EXPECT_TRUE(rt().RegisterKind(NoteKind("fixed", false, ran_)).ok());
  }

  EventId Note(Agent& agent, std::string kind, std::string payload, TimePoint due) {
    EventSpec spec;
    spec.kind = std::move(kind);
    spec.payload = std::move(payload);
    spec.due = due;
    auto id = agent.Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }

  std::shared_ptr<std::vector<std::string>> ran_ = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
  std::shared_ptr<Agent> agent_ = MakeAgent(*laurent_, {.name = "buyer"});
};

TEST_F(AgentMasterTest, AnEarlierDueTimeRunsTheEventThen) {
  const EventId id = Note(*agent_, "note", "a", now() + minutes(10));
  ASSERT_TRUE(laurent_->ModifyEvent(id, {.due = now() + minutes(1)}).ok());
  Advance(minutes(1));
  EXPECT_EQ(*ran_, std::vector<std::string>{"a"});
  EXPECT_EQ(Archived(id).outcome, Outcome::kSucceeded);
}

TEST_F(AgentMasterTest, ALaterDueTimeKeepsTheEventWaiting) {
  const EventId id = Note(*agent_, "note", "a", now() + minutes(1));
  ASSERT_TRUE(laurent_->ModifyEvent(id, {.due = now() + minutes(10)}).ok());
  Advance(minutes(1));
  EXPECT_TRUE(ran_->empty());
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(id)->due, now() + minutes(9));
  Advance(minutes(9));
  EXPECT_EQ(*ran_, std::vector<std::string>{"a"});
}

TEST_F(AgentMasterTest, EachChangedFieldIsInTheArchivedHistory) {
  const TimePoint due = now() + minutes(10);
  const EventId id = Note(*agent_, "note", "a", due);
  ASSERT_TRUE(laurent_
                  ->ModifyEvent(id, {.due = now() + minutes(5),
                                     .allowable = minutes(3),
                                     .goal = Text("Buy it sooner"),
                                     .payload = std::string("b")})
                  .ok());
  Advance(minutes(5));
  EXPECT_EQ(*ran_, std::vector<std::string>{"b"});  // The work was built from the new payload.
  const EventRecord record = Archived(id);
  EXPECT_EQ(record.allowable, minutes(3));
  EXPECT_EQ(record.goal, Text("Buy it sooner"));
  EXPECT_EQ(record.payload, "b");
  ASSERT_EQ(record.history.size(), 4u);
  EXPECT_EQ(record.history[0].field, ChangedField::kDue);
  EXPECT_EQ(record.history[0].from.args(), std::vector<std::string>{"2026-11-22T09:10:00Z"});
  EXPECT_EQ(record.history[0].to.args(), std::vector<std::string>{"2026-11-22T09:05:00Z"});
  EXPECT_EQ(record.history[1].field, ChangedField::kAllowable);
  EXPECT_EQ(record.history[1].from.args(), std::vector<std::string>{"unlimited"});
  EXPECT_EQ(record.history[1].to.args(), std::vector<std::string>{"3m"});
  EXPECT_EQ(record.history[2].field, ChangedField::kGoal);
  EXPECT_EQ(record.history[2].to, Text("Buy it sooner"));
  EXPECT_EQ(record.history[3].field, ChangedField::kPayload);
  EXPECT_EQ(record.history[3].from.args(), std::vector<std::string>{"a"});
  for (const EventChange& change : record.history) {
    EXPECT_EQ(change.by, laurent_->id());
    EXPECT_EQ(change.at, due - minutes(10));
  }
}

TEST_F(AgentMasterTest, AnotherSourcesEventCannotBeModified) {
  const EventId id = Note(*agent_, "note", "a", now() + minutes(10));
  auto other = rt().CreateSource({.name = "Mallory"});
  EXPECT_EQ(other->ModifyEvent(id, {.due = now()}).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(other->ModifyEvent(id, {.payload = std::string("evil")}).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(other->GrantMoreTime(id, minutes(1)).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(id)->history.empty());
}

TEST_F(AgentMasterTest, OnlyALiveFutureEventCanBeModified) {
  EXPECT_EQ(laurent_->ModifyEvent(EventId(999), {.due = now()}).code(), StatusCode::kNotFound);
  auto id = agent_->Schedule(Spec("nap", Sleep(minutes(10))));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(laurent_->ModifyEvent(*id, {.goal = Text("late")}).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->ModifyEvent(*id, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(laurent_->ModifyEvent(*id, {.allowable = Duration::zero()}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AgentMasterTest, AFixedPayloadCannotChange) {
  const EventId id = Note(*agent_, "fixed", "a", now() + minutes(1));
  EXPECT_EQ(laurent_->ModifyEvent(id, {.payload = std::string("b")}).code(),
            StatusCode::kInvalidArgument);
  Advance(minutes(1));
  EXPECT_EQ(*ran_, std::vector<std::string>{"a"});
}

class AgentMasterSentinelTest : public AgentMasterTest {
 protected:
  AgentMasterSentinelTest()
      : AgentMasterTest(
            WithSentinel(std::make_shared<DueLimitSentinel>(testing::TestEpoch() + minutes(30)))) {}
};

TEST_F(AgentMasterSentinelTest, AChangeTheSentinelDeniesLeavesTheEventAsItWas) {
  const EventId id = Note(*agent_, "note", "a", now() + minutes(10));
  Status s = laurent_->ModifyEvent(id, {.due = now() + minutes(60), .goal = Text("later")});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "Due too late.");
  auto snapshot = rt().scheduler().SnapshotUnmasked(id);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->due, now() + minutes(10));
  EXPECT_TRUE(snapshot->goal.empty());
  EXPECT_TRUE(snapshot->history.empty());
  ASSERT_TRUE(laurent_->ModifyEvent(id, {.due = now() + minutes(20)}).ok());
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(id)->history.size(), 1u);
}

class AgentMasterQuorumTest : public AgentMasterTest {
 protected:
  AgentMasterQuorumTest()
      : AgentMasterTest(WithSentinel(std::make_shared<QuorumSentinel>(
            std::map<std::string, QuorumRule, std::less<>>{{"note", QuorumRule{}}}))) {}

  std::shared_ptr<AgentSource> signer_ =
      rt().CreateSource({.name = "signer", .signing_key = "key"});
  EventId Held() {
    EventSpec spec;
    spec.kind = "note";
    spec.payload = "a";
    spec.due = now() + minutes(1);
    spec.sources = {{signer_->id(), 1.0}};
    auto id = agent_->Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }
};

TEST_F(AgentMasterQuorumTest, ANewPayloadDropsTheSignaturesAndHoldsTheEventAgain) {
  const EventId id = Held();
  ASSERT_TRUE(signer_->Sign(id, SignEvent("key", id, "note", "a")).ok());
  EXPECT_FALSE(rt().scheduler().SnapshotUnmasked(id)->frozen);
  ASSERT_TRUE(laurent_->ModifyEvent(id, {.payload = std::string("b")}).ok());
  EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(id)->frozen);
  Advance(minutes(1));
  EXPECT_TRUE(ran_->empty());
  // The old signature signs another payload; a new one releases it.
  EXPECT_EQ(signer_->Sign(id, SignEvent("key", id, "note", "a")).code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(signer_->Sign(id, SignEvent("key", id, "note", "b")).ok());
  Run();
  EXPECT_EQ(*ran_, std::vector<std::string>{"b"});
}

TEST_F(AgentMasterQuorumTest, ANewDueTimeKeepsTheSignatures) {
  const EventId id = Held();
  ASSERT_TRUE(signer_->Sign(id, SignEvent("key", id, "note", "a")).ok());
  ASSERT_TRUE(laurent_->ModifyEvent(id, {.due = now() + minutes(2)}).ok());
  EXPECT_FALSE(rt().scheduler().SnapshotUnmasked(id)->frozen);
  Advance(minutes(2));
  EXPECT_EQ(*ran_, std::vector<std::string>{"a"});
}

TEST_F(AgentMasterTest, MoreTimeKeepsARunningEventFromTimingOut) {
  EventSpec spec = Spec("nap", Sleep(minutes(10)));
  spec.allowable = minutes(5);
  auto id = agent_->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok());
  Run();
  Advance(minutes(4));
  ASSERT_TRUE(laurent_->GrantMoreTime(*id, minutes(10)).ok());
  Advance(minutes(6));
  const EventRecord record = Archived(*id);
  EXPECT_EQ(record.outcome, Outcome::kSucceeded);
  ASSERT_EQ(record.extensions.size(), 1u);
  EXPECT_EQ(record.extensions[0].granted, minutes(10));
  ASSERT_EQ(record.history.size(), 1u);
  EXPECT_EQ(record.history[0].field, ChangedField::kMoreTime);
  EXPECT_EQ(record.history[0].from.args(), std::vector<std::string>{"5m"});
  EXPECT_EQ(record.history[0].to.args(), std::vector<std::string>{"15m"});
}

TEST_F(AgentMasterTest, MoreTimeIsForARunningEventOnly) {
  const EventId id = Note(*agent_, "note", "a", now() + minutes(10));
  EXPECT_EQ(laurent_->GrantMoreTime(id, minutes(1)).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->GrantMoreTime(id, Duration::zero()).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(laurent_->GrantMoreTime(EventId(999), minutes(1)).code(), StatusCode::kNotFound);
}

TEST_F(AgentMasterTest, ASourcesGrantLeavesTheAgentsPolicyWhole) {
  auto agent = MakeAgent(
      *laurent_, {.extension_policy = {
                      .max_per_extension = minutes(5), .max_total = minutes(5), .max_count = 1}});
  EventSpec spec = Spec("nap", Sleep(minutes(11)));
  spec.allowable = minutes(5);
  auto id = agent->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_TRUE(laurent_->GrantMoreTime(*id, minutes(2)).ok());
  // 5 allowed + 2 granted by the source + 5 from the agent's policy, asked for at 7.
  Advance(minutes(7));
  Advance(minutes(4));
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

// Logs how its events ended, on its strand, and schedules a retry after a failure.
class OutcomeAgent : public Agent {
 public:
  std::vector<std::string> log;

 protected:
  void OnEventEnded(const EventRecord& record) override {
    log.push_back(record.kind + " " + std::string(OutcomeName(record.outcome)));
    if (record.outcome == Outcome::kFailed) {
      (void)Schedule(Spec("retry", Succeed("retried")));
    }
  }
};

TEST_F(AgentMasterTest, AnAgentHearsHowEachOfItsEventsEnded) {
  auto agent = laurent_->CreateAgent<OutcomeAgent>({});
  ASSERT_TRUE(agent.ok());
  ASSERT_TRUE((*agent)->Schedule(Spec("find", Succeed())).ok());
  ASSERT_TRUE((*agent)->Schedule(Spec("buy", testing::Fail())).ok());
  auto cancelled = (*agent)->Schedule(Spec("ship", Succeed(), now() + minutes(1)));
  ASSERT_TRUE(cancelled.ok());
  ASSERT_TRUE((*agent)->Cancel(*cancelled).ok());
  Run();
  EXPECT_EQ((*agent)->log, (std::vector<std::string>{"ship cancelled", "find succeeded",
                                                     "buy failed", "retry succeeded"}));
}

TEST_F(AgentMasterTest, AnAgentSendsItsSourceAMessageOfItsOwn) {
  ASSERT_TRUE(agent_->SendToSource(Text("test.low_stock", "Only {0} left.", {"2"})).ok());
  auto messages = testing::OfKind(laurent_->Inbox(), SourceMessage::Kind::kAgentMessage);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].agent, agent_->id());
  EXPECT_EQ(messages[0].text.English(), "Only 2 left.");
  EXPECT_EQ(agent_->SendToSource(Text()).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(agent_->KillSelf(Text("done")).ok());
  EXPECT_EQ(agent_->SendToSource(Text("still here")).code(), StatusCode::kFailedPrecondition);
}

// Grants "patient" events what they ask, refuses the others; logs each request.
class PickyAgent : public Agent {
 public:
  std::vector<std::string> asked;

 protected:
  Duration OnExtensionRequest(const EventRecord& record, Duration requested) override {
    asked.push_back(record.kind + (OnStrandOf(*this) ? "" : " off-strand"));
    return record.kind == "patient" ? requested : Duration::zero();
  }
};

class AgentExtensionTest : public AgentMasterTest {
 protected:
  std::shared_ptr<PickyAgent> Picky(ExtensionPolicy policy) {
    auto agent = laurent_->CreateAgent<PickyAgent>({.extension_policy = policy});
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    Run();
    return agent.ok() ? *agent : nullptr;
  }
  EventId Nap(Agent& agent, std::string kind, Duration allowable, Duration nap) {
    EventSpec spec = Spec(std::move(kind), Sleep(nap));
    spec.allowable = allowable;
    auto id = agent.Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }
};

TEST_F(AgentExtensionTest, TheAgentDecidesEachRequestOnItsStrand) {
  auto agent = Picky({.max_per_extension = minutes(10), .max_total = minutes(60)});
  const EventId patient = Nap(*agent, "patient", minutes(5), minutes(8));
  const EventId hasty = Nap(*agent, "hasty", minutes(5), minutes(8));
  Run();
  Advance(minutes(5));
  Advance(minutes(3));
  std::sort(agent->asked.begin(), agent->asked.end());
  EXPECT_EQ(agent->asked, (std::vector<std::string>{"hasty", "patient"}));
  EXPECT_EQ(Archived(patient).outcome, Outcome::kSucceeded);
  EXPECT_EQ(Archived(hasty).outcome, Outcome::kTimedOut);
  ASSERT_EQ(Archived(hasty).extensions.size(), 1u);
  EXPECT_EQ(Archived(hasty).extensions[0].granted, Duration::zero());
}

TEST_F(AgentExtensionTest, WhatTheAgentGrantsIsBoundedByItsPolicy) {
  auto agent = Picky({.max_per_extension = minutes(2), .max_total = minutes(2)});
  const EventId id = Nap(*agent, "patient", minutes(5), minutes(8));
  Run();
  Advance(minutes(5));
  Advance(minutes(3));
  const EventRecord record = Archived(id);
  EXPECT_EQ(record.outcome, Outcome::kTimedOut);
  ASSERT_GE(record.extensions.size(), 1u);
  EXPECT_EQ(record.extensions[0].granted, minutes(2));
}

// Work that asks for more time at once and returns what it heard.
Work AskFirst(Duration more) {
  return PlainWork([more](EventContext& ctx) -> Result<Text> {
    Result<Duration> granted = ctx.RequestExtension(more);
    if (!granted.ok()) return granted.status();
    return Text("granted");
  });
}

TEST_F(AgentExtensionTest, AWorksRequestIsDecidedByItsAgent) {
  auto agent = Picky({.max_per_extension = minutes(10), .max_total = minutes(60)});
  EventSpec patient = Spec("patient", AskFirst(minutes(3)));
  patient.allowable = minutes(5);
  EventSpec hasty = Spec("hasty", AskFirst(minutes(3)));
  hasty.allowable = minutes(5);
  auto granted = agent->Schedule(std::move(patient));
  auto refused = agent->Schedule(std::move(hasty));
  ASSERT_TRUE(granted.ok() && refused.ok());
  Run();
  EXPECT_EQ(Archived(*granted).outcome, Outcome::kSucceeded);
  EXPECT_EQ(Archived(*refused).outcome, Outcome::kFailed);
  std::sort(agent->asked.begin(), agent->asked.end());
  EXPECT_EQ(agent->asked, (std::vector<std::string>{"hasty", "patient"}));
}

TEST_F(AgentExtensionTest, PlainWorkThatReturnsLateWaitsForItsAgentsAnswer) {
  auto agent = Picky({.max_per_extension = minutes(10), .max_total = minutes(60)});
  ManualClock* manual = &clock();
  auto late = [manual](EventContext&) -> Result<Text> {
    manual->Advance(minutes(7));  // The work takes 7 minutes of its 5.
    return Text("late");
  };
  EventSpec patient = Spec("patient", PlainWork(late));
  patient.allowable = minutes(5);
  auto id = agent->Schedule(std::move(patient));
  ASSERT_TRUE(id.ok());
  Run();
  const EventRecord record = Archived(*id);
  EXPECT_EQ(record.outcome, Outcome::kSucceeded);
  EXPECT_EQ(record.result, Text("late"));
  EXPECT_EQ(agent->asked, std::vector<std::string>{"patient"});
}

class AgentMasterRestartTest : public testing::DurableRuntimeTest {
 protected:
  AgentMasterRestartTest() { kinds_[0].payload_modifiable = true; }
};

TEST_F(AgentMasterRestartTest, AModifiedEventIsRestoredAsModified) {
  Open();
  auto source = rt().CreateSource({.name = "Laurent"});
  auto agent = source->CreateAgent({.name = "ticker"});
  ASSERT_TRUE(agent.ok());
  const EventId id = Tick(**agent, "a", now() + minutes(10));
  ASSERT_TRUE(source
                  ->ModifyEvent(id, {.due = now() + minutes(2),
                                     .goal = Text("Tick sooner"),
                                     .payload = std::string("b")})
                  .ok());
  Open();  // Crashes, restores.
  auto restored = rt().scheduler().SnapshotUnmasked(id);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->due, now() + minutes(2));
  EXPECT_EQ(restored->history.size(), 3u);
  Advance(minutes(2));
  EXPECT_EQ(ran_, std::vector<std::string>{"b"});
  const EventRecord record = Archived(id);
  EXPECT_EQ(record.goal, Text("Tick sooner"));
  ASSERT_EQ(record.history.size(), 3u);
  EXPECT_EQ(record.history[0].field, ChangedField::kDue);
  EXPECT_EQ(record.history[2].field, ChangedField::kPayload);
}

}  // namespace
}  // namespace magent
