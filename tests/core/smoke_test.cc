#include "testing/manual_runtime.h"

namespace magent {
namespace {

using testing::ManualRuntimeTest;

class SmokeTest : public ManualRuntimeTest {};

TEST_F(SmokeTest, EventRunsWhenDueAndIsArchived) {
  auto source = rt().CreateSource({.name = "Laurent"});
  auto agent = MakeAgent(*source);
  EventSpec spec;
  spec.kind = "find";
  spec.due = now() + std::chrono::minutes(5);
  spec.work = testing::Succeed("found");
  auto id = agent->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok());
  Run();
  EXPECT_EQ(rt().scheduler().Counts().future, 1u);
  Advance(std::chrono::minutes(5));
  EventRecord r = Archived(*id);
  EXPECT_EQ(r.outcome, Outcome::kSucceeded);
  EXPECT_EQ(r.result.English(), "found");
}

}  // namespace
}  // namespace magent
