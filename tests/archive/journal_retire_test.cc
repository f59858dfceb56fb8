// Issue 16, item 6, on a durable runtime: a retired agent restored with a held event ends
// it as it would have before the restart, so its final report goes out. The journal gets
// such an agent when the process stops after the retire but before the held event's Past
// record reached the archive.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "archive/failing_archive.h"
#include "magent/magent.h"
#include "testing/durable_runtime.h"

namespace magent {
namespace {

using namespace std::chrono_literals;

class JournalRetireTest : public testing::DurableRuntimeTest {
 protected:
  JournalRetireTest() {
    sentinel_ = std::make_shared<QuorumSentinel>(
        std::map<std::string, QuorumRule, std::less<>>{{"tick", {.min_weight = 2}}});
  }
  // Open(), on `failing_` instead of the memory archive.
  void OpenFailing() {
    Crash();
    RuntimeOptions options = Options();
    options.archive = failing_;
    auto runtime = Runtime::Create(std::move(options));
    ASSERT_TRUE(runtime.ok()) << runtime.status().ToString();
    runtime_ = std::move(runtime).value();
    Run();
  }

  std::shared_ptr<testing::FailingArchive> failing_ = std::make_shared<testing::FailingArchive>();
};

TEST_F(JournalRetireTest, RestoredRetiredAgentsHeldEventEndsSoItsFinalReportGoesOut) {
  OpenFailing();
  auto laurent = rt().CreateSource({.name = "Laurent", .signing_key = "l"});
  auto alice = rt().CreateSource({.name = "Alice", .signing_key = "a"});
  auto agent = laurent->CreateAgent({.name = "trader"});
  ASSERT_TRUE(agent.ok());
  EventSpec spec;
  spec.kind = "tick";
  spec.payload = "x";
  spec.due = now() + 1h;
  spec.sources = {{laurent->id(), 1}, {alice->id(), 1}};
  auto id = (*agent)->Schedule(std::move(spec));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  const AgentId agent_id = (*agent)->id();

  // The archive refuses the held event's Past record; the retire is journaled (the next
  // source's commit writes it), and the process stops.
  failing_->failing = true;
  ASSERT_TRUE((*agent)->Retire(Text("done")).ok());
  Run();
  rt().CreateSource({.name = "late"});
  agent->reset();
  Crash();  // Its last try to archive the record fails too.
  failing_->failing = false;

  OpenFailing();
  EXPECT_FALSE(Pending(*id)) << "a retired agent's held event is waiting for good";
  auto record = failing_->Get(*id);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->outcome, Outcome::kKilled);
  EXPECT_EQ(record->result.English(), "Retired with no one to sign.");
  auto source = rt().FindSource(laurent->id());
  ASSERT_TRUE(source.ok());
  std::vector<SourceMessage> finals;
  for (const SourceMessage& m : (*source)->Inbox()) {
    if (m.kind == SourceMessage::Kind::kFinalReport) finals.push_back(m);
  }
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].agent, agent_id);
  EXPECT_EQ(finals[0].report->per_kind["tick"], KindCounts{.killed = 1});
  EXPECT_TRUE(ran_.empty());
}

}  // namespace
}  // namespace magent
