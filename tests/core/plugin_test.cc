// The plugin seam: event kinds built from payloads, and agent types.
#include <memory>
#include <string>
#include <utility>

#include "core/test_work.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using testing::ManualRuntimeTest;
using testing::Spec;
using testing::Succeed;

// Work for kind "echo": succeeds with "echo: <payload>".
KindSpec EchoKind() {
  return {"echo", [](const std::string& payload) -> Result<Work> {
            return Work(PlainWork([payload](EventContext& ctx) -> Result<Text> {
              return Text("echo", "echo: {0} ({1})", {payload, ctx.payload()});
            }));
          }};
}

class PluginTest : public ManualRuntimeTest {
 protected:
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

TEST_F(PluginTest, EventWithoutWorkIsBuiltByItsKindsFactoryFromThePayload) {
  ASSERT_TRUE(rt().RegisterKind(EchoKind()).ok());
  auto agent = MakeAgent(*laurent_);
  EventSpec spec;
  spec.kind = "echo";
  spec.payload = "hello";
  auto id = agent->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Run();
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "echo: hello (hello)");
  EXPECT_EQ(r.payload, "hello");
}

TEST_F(PluginTest, EventWithItsOwnWorkIgnoresTheFactory) {
  ASSERT_TRUE(rt().RegisterKind(EchoKind()).ok());
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("echo", Succeed("own work")));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(Archived(*id).result.English(), "own work");
}

TEST_F(PluginTest, UnknownKindWithoutWorkIsInvalidAndNothingIsScheduled) {
  auto agent = MakeAgent(*laurent_);
  EventSpec spec;
  spec.kind = "teleport";
  auto id = agent->Schedule(std::move(spec));
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(rt().scheduler().Counts().future, 0u);
  EXPECT_TRUE(transitions().empty());
}

TEST_F(PluginTest, KindRegistrationIsValidated) {
  EXPECT_EQ(rt().RegisterKind({"", EchoKind().factory}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(rt().RegisterKind({"nofactory", nullptr}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(rt().RegisterKind(EchoKind()).ok());
  EXPECT_EQ(rt().RegisterKind(EchoKind()).code(), StatusCode::kFailedPrecondition);
}

TEST_F(PluginTest, DuplicateKindKeepsTheFirstFactory) {
  ASSERT_TRUE(rt().RegisterKind(EchoKind()).ok());
  KindSpec other{"echo", [](const std::string&) -> Result<Work> { return Succeed("other"); }};
  ASSERT_FALSE(rt().RegisterKind(std::move(other)).ok());
  auto agent = MakeAgent(*laurent_);
  EventSpec spec;
  spec.kind = "echo";
  spec.payload = "x";
  auto id = agent->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(Archived(*id).result.English(), "echo: x (x)");
}

TEST_F(PluginTest, FactoryErrorIsReturnedBySchedule) {
  ASSERT_TRUE(rt().RegisterKind({"strict",
                                 [](const std::string& payload) -> Result<Work> {
                                   if (payload.empty()) {
                                     return Status::InvalidArgument("payload required");
                                   }
                                   return Succeed(payload);
                                 }})
                  .ok());
  auto agent = MakeAgent(*laurent_);
  EventSpec bad;
  bad.kind = "strict";
  auto result = agent->Schedule(std::move(bad));
  EXPECT_EQ(result.status(), Status::InvalidArgument("payload required"));
  EXPECT_EQ(rt().scheduler().Counts().future, 0u);
}

TEST_F(PluginTest, FactoryThatMakesNoWorkIsAnInternalError) {
  ASSERT_TRUE(
      rt().RegisterKind({"empty", [](const std::string&) -> Result<Work> { return Work(); }}).ok());
  auto agent = MakeAgent(*laurent_);
  EventSpec spec;
  spec.kind = "empty";
  EXPECT_EQ(agent->Schedule(std::move(spec)).status().code(), StatusCode::kInternal);
}

TEST_F(PluginTest, KindsBuildSpawnedEventsToo) {
  ASSERT_TRUE(rt().RegisterKind(EchoKind()).ok());
  auto agent = MakeAgent(*laurent_);
  auto child = std::make_shared<EventId>();
  auto id = agent->Schedule(Spec("parent", PlainWork([child](EventContext& ctx) -> Result<Text> {
                                   EventSpec spec;
                                   spec.kind = "echo";
                                   spec.payload = "from parent";
                                   Result<EventId> spawned = ctx.Spawn(std::move(spec));
                                   if (!spawned.ok()) return spawned.status();
                                   *child = *spawned;
                                   return Text("spawned");
                                 })));
  ASSERT_TRUE(id.ok());
  Run();
  ASSERT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
  EventRecord c = Archived(*child);
  EXPECT_EQ(c.parent, *id);
  EXPECT_EQ(c.result.English(), "echo: from parent (from parent)");
}

// --- Agent types.

class Buyer : public Agent {
 public:
  int budget = 8;
};

TEST_F(PluginTest, RegisteredAgentTypeIsCreatedByName) {
  ASSERT_TRUE(rt().RegisterAgentType("buyer", [] { return std::make_shared<Buyer>(); }).ok());
  auto agent = laurent_->CreateAgent("buyer", {.name = "bookbuyer"});
  ASSERT_TRUE(agent.ok()) << agent.status().ToString();
  auto buyer = std::dynamic_pointer_cast<Buyer>(*agent);
  ASSERT_TRUE(buyer) << "not built by the registered factory";
  EXPECT_EQ(buyer->budget, 8);
  EXPECT_EQ(buyer->name(), "bookbuyer");
  EXPECT_EQ(buyer->source_id(), laurent_->id());
  EXPECT_TRUE(rt().registry().Find(buyer->id()).ok());
  auto id = buyer->Schedule(Spec("find", Succeed()));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(Archived(*id).agent, buyer->id());
}

TEST_F(PluginTest, EachCreationGetsAFreshAgent) {
  ASSERT_TRUE(rt().RegisterAgentType("buyer", [] { return std::make_shared<Buyer>(); }).ok());
  auto a = laurent_->CreateAgent("buyer", {});
  auto b = laurent_->CreateAgent("buyer", {});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_NE((*a)->id(), (*b)->id());
  EXPECT_NE(a->get(), b->get());
}

TEST_F(PluginTest, UnknownAgentTypeIsNotFound) {
  EXPECT_EQ(laurent_->CreateAgent("ghost", {}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(rt().registry().List().empty());
}

TEST_F(PluginTest, AgentTypeRegistrationIsValidated) {
  auto factory = [] { return std::make_shared<Buyer>(); };
  EXPECT_EQ(rt().RegisterAgentType("", factory).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(rt().RegisterAgentType("none", nullptr).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(rt().RegisterAgentType("buyer", factory).ok());
  EXPECT_EQ(rt().RegisterAgentType("buyer", factory).code(), StatusCode::kFailedPrecondition);
}

TEST_F(PluginTest, FactoryReturningNoAgentIsAnInternalError) {
  ASSERT_TRUE(rt().RegisterAgentType("null", [] { return std::shared_ptr<Agent>(); }).ok());
  EXPECT_EQ(laurent_->CreateAgent("null", {}).status().code(), StatusCode::kInternal);
}

TEST_F(PluginTest, FactoryReturningAnAttachedAgentIsRefused) {
  auto shared = std::make_shared<Buyer>();
  ASSERT_TRUE(rt().RegisterAgentType("singleton", [shared] { return shared; }).ok());
  ASSERT_TRUE(laurent_->CreateAgent("singleton", {}).ok());
  EXPECT_EQ(laurent_->CreateAgent("singleton", {}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(laurent_->Agents().size(), 1u);
}

}  // namespace
}  // namespace magent
