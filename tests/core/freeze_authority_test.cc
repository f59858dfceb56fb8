// Who may lift a freeze: an agent cannot undo a freeze its source set (directly, or by
// taking over the agent's own freeze), the source can, and an agent's own freeze stays
// its own to lift.
#include <gtest/gtest.h>

#include "testing/manual_runtime.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::Spec;
using testing::Succeed;

class FreezeAuthorityTest : public testing::ManualRuntimeTest {
 protected:
  std::shared_ptr<AgentSource> laurent_ = rt().CreateSource({.name = "Laurent"});
};

TEST_F(FreezeAuthorityTest, AnAgentCannotUnfreezeWhatItsSourceFroze) {
  auto agent = MakeAgent(*laurent_);
  auto id = agent->Schedule(Spec("find", Succeed(), now() + 1min));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(laurent_->FreezeAgent(agent->id()).ok());

  EXPECT_EQ(agent->UnfreezeAll().code(), StatusCode::kPermissionDenied);
  Advance(5min);
  EXPECT_EQ(agent->state(), AgentState::kFrozen);
  EXPECT_EQ(rt().scheduler().Counts().past, 0u);  // Still held.

  ASSERT_TRUE(laurent_->UnfreezeAgent(agent->id()).ok());
  Run();
  EXPECT_EQ(Archived(*id).outcome, Outcome::kSucceeded);
}

TEST_F(FreezeAuthorityTest, TheSourceTakesOverAnAgentsOwnFreeze) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(agent->FreezeAll().ok());
  ASSERT_TRUE(laurent_->FreezeAgent(agent->id()).ok());
  EXPECT_EQ(agent->UnfreezeAll().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(agent->state(), AgentState::kFrozen);
  ASSERT_TRUE(laurent_->UnfreezeAgent(agent->id()).ok());
  EXPECT_EQ(agent->state(), AgentState::kActive);
}

TEST_F(FreezeAuthorityTest, AnAgentsOwnFreezeIsItsOwnToLiftAgainAfterTheSourceLiftedOne) {
  auto agent = MakeAgent(*laurent_);
  ASSERT_TRUE(laurent_->FreezeAgent(agent->id()).ok());
  ASSERT_TRUE(laurent_->UnfreezeAgent(agent->id()).ok());
  ASSERT_TRUE(agent->FreezeAll().ok());  // Its own freeze this time.
  EXPECT_TRUE(agent->UnfreezeAll().ok());
  EXPECT_EQ(agent->state(), AgentState::kActive);
}

}  // namespace
}  // namespace magent
