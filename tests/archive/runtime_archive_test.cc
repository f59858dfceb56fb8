// A runtime whose archive is a TieredArchive over a real LevelDB: the events it runs end up
// on disk, searchable, and survive the runtime. And a runtime whose archive refuses its
// batches for a while: no record is lost or archived twice.
#include <gtest/gtest.h>

#include "archive/failing_archive.h"
#include "archive/record_fixture.h"
#include "magent/tiered_archive.h"
#include "testing/manual_runtime.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

using namespace std::chrono_literals;

RuntimeOptions WithArchive(const std::string& path) {
  RuntimeOptions options;
  auto archive = OpenArchive({.memory = {.hand_over_count = 2}, .leveldb = {.path = path}});
  EXPECT_TRUE(archive.ok()) << archive.status().ToString();
  if (archive.ok()) options.archive = *archive;
  return options;
}

class RuntimeArchiveTest : public testing::ManualRuntimeTest {
 protected:
  static const testing::TempDir& Dir() {
    static testing::TempDir dir;
    return dir;
  }
  RuntimeArchiveTest() : ManualRuntimeTest(WithArchive(Dir().path(NextName()))) {}
  static std::string NextName() {
    static int n = 0;
    return "db" + std::to_string(++n);
  }
};

TEST_F(RuntimeArchiveTest, RunEventsReachLevelDbAndAreSearchable) {
  auto agent = MakeAgent(*rt().owner());
  ASSERT_NE(agent, nullptr);
  EventSpec find = testing::Spec("find", testing::Succeed("Found it at abebooks"));
  find.goal = Text("Find a copy of 'Java in a Nutshell'");
  const EventId a = agent->Schedule(std::move(find)).value();
  const EventId b = agent->Schedule(testing::Spec("buy", testing::Succeed(), now() + 1min)).value();
  const EventId c =
      agent->Schedule(testing::Spec("ship", testing::Succeed(), now() + 2min)).value();
  Advance(3min);

  auto& tiered = dynamic_cast<TieredArchive&>(rt().unmasked_archive());
  EXPECT_EQ(Archived(c).outcome, Outcome::kSucceeded);
  Result<ArchivePage> page = tiered.QueryPage({.agent = agent->id()});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->records.size(), 3u);
  EXPECT_EQ(page->records[0].id, c);
  EXPECT_EQ(page->records[2].id, a);
  EXPECT_EQ(tiered.hand_over_status().waiting, 0u);
  EXPECT_EQ(tiered.hard().size(), 3u);
  const std::vector<EventRecord> found = tiered.Query({.text = "abebooks"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, a);
  EXPECT_EQ(found[0].goal.English(), "Find a copy of 'Java in a Nutshell'");
  EXPECT_EQ(tiered.Get(b)->kind, "buy");
}

class RuntimeArchiveRetryTest : public testing::ManualRuntimeTest {
 protected:
  RuntimeArchiveRetryTest()
      : RuntimeArchiveRetryTest(std::make_shared<testing::FailingArchive>()) {}
  explicit RuntimeArchiveRetryTest(std::shared_ptr<testing::FailingArchive> archive)
      : ManualRuntimeTest(With(archive)), archive_(std::move(archive)) {}
  static RuntimeOptions With(std::shared_ptr<PastEventArchive> archive) {
    RuntimeOptions options;
    options.archive = std::move(archive);
    return options;
  }
  std::shared_ptr<testing::FailingArchive> archive_;
};

// Records of events that ended while the archive refused them wait in the scheduler and
// go with the next batch the archive takes, in the order the events became Past.
TEST_F(RuntimeArchiveRetryTest, RecordsTheArchiveRefusedArriveLaterOnceAndInOrder) {
  auto agent = MakeAgent(*rt().owner());
  ASSERT_NE(agent, nullptr);
  archive_->failing = true;
  EventSpec find = testing::Spec("find", testing::Succeed("Found it"), now() + 1min);
  find.goal = Text("Find a copy");
  const EventId a = agent->Schedule(std::move(find)).value();
  const EventId b = agent->Schedule(testing::Spec("buy", testing::Succeed(), now() + 2min)).value();
  Advance(1min);
  Advance(1min);
  EXPECT_GE(archive_->appends.load(), 2);  // Each refused, nothing taken.
  EXPECT_EQ(archive_->size(), 0u);
  EXPECT_EQ(rt().scheduler().Counts().past, 2u);

  archive_->failing = false;
  const EventId c =
      agent->Schedule(testing::Spec("ship", testing::Succeed(), now() + 1min)).value();
  Advance(1min);
  EXPECT_EQ(testing::Ids(archive_->Query({})),
            (std::vector<std::uint64_t>{c.value(), b.value(), a.value()}));
  const EventRecord first = archive_->Get(a).value();
  EXPECT_EQ(first.kind, "find");
  EXPECT_EQ(first.goal.English(), "Find a copy");
  EXPECT_EQ(first.result.English(), "Found it");
  EXPECT_EQ(first.outcome, Outcome::kSucceeded);
}

}  // namespace
}  // namespace magent
