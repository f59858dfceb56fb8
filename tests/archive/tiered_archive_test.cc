// TieredArchive: a MemoryArchive handing over to a real LevelDbArchive (or to one that
// fails), and OpenArchive's three configurations.
#include "magent/tiered_archive.h"

#include <gtest/gtest.h>

#include <chrono>

#include "archive/failing_archive.h"
#include "archive/record_fixture.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::Ids;
using testing::PastRecord;
using testing::TestEpoch;

void AppendIds(PastEventArchive& archive, std::uint64_t first, std::uint64_t last) {
  std::vector<EventRecord> batch;
  for (std::uint64_t id = first; id <= last; ++id) {
    batch.push_back(PastRecord(id, TestEpoch() + id * 1s));
  }
  ASSERT_TRUE(archive.Append(batch).ok());
}

std::shared_ptr<LevelDbArchive> OpenLevelDb(const std::string& path) {
  auto archive = LevelDbArchive::Open({.path = path});
  EXPECT_TRUE(archive.ok()) << archive.status().ToString();
  return std::move(archive).value();
}

TEST(TieredArchiveTest, HandsOverToLevelDbByCountAndMemoryStaysBounded) {
  testing::TempDir dir;
  auto hard = OpenLevelDb(dir.path());
  TieredArchive archive({.max_events = 4, .hand_over_count = 5}, hard);
  AppendIds(archive, 1, 4);
  EXPECT_EQ(hard->size(), 0u);
  EXPECT_EQ(archive.size(), 4u);
  AppendIds(archive, 5, 10);
  EXPECT_EQ(hard->size(), 10u);
  EXPECT_EQ(archive.memory().size(), 4u);
  EXPECT_EQ(archive.size(), 10u);
  EXPECT_EQ(archive.Get(EventId(1))->id, EventId(1));    // From LevelDB.
  EXPECT_EQ(archive.Get(EventId(10))->id, EventId(10));  // From memory.
  EXPECT_EQ(archive.Get(EventId(11)).status().code(), StatusCode::kNotFound);
}

TEST(TieredArchiveTest, AQueryHandsOverWaitingRecordsFirstAndSeesThemAll) {
  testing::TempDir dir;
  auto hard = OpenLevelDb(dir.path());
  TieredArchive archive({.hand_over_count = 100}, hard);
  AppendIds(archive, 1, 6);
  EXPECT_EQ(archive.hand_over_status().waiting, 6u);
  Result<ArchivePage> page = archive.QueryPage({.limit = 4});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(page->records), (std::vector<std::uint64_t>{6, 5, 4, 3}));
  EXPECT_EQ(archive.hand_over_status().waiting, 0u);
  AppendIds(archive, 7, 8);  // Waiting again; the cursor still continues where it was.
  Result<ArchivePage> next = archive.QueryPage({.cursor = page->next_cursor, .limit = 4});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(Ids(next->records), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_EQ(Ids(archive.Query({.limit = 3})), (std::vector<std::uint64_t>{8, 7, 6}));
}

TEST(TieredArchiveTest, RecordsSurviveARestartThroughTheHardArchive) {
  testing::TempDir dir;
  {
    TieredArchive archive({.hand_over_count = 2}, OpenLevelDb(dir.path()));
    AppendIds(archive, 1, 3);
    ASSERT_TRUE(archive.HandOverAll().ok());  // What a host does before it stops.
  }
  TieredArchive archive({}, OpenLevelDb(dir.path()));
  EXPECT_EQ(archive.size(), 3u);
  EXPECT_EQ(archive.Get(EventId(2))->id, EventId(2));
}

TEST(TieredArchiveTest, AFailingHardArchiveKeepsRecordsInMemoryAndFailsQueries) {
  auto hard = std::make_shared<testing::FailingArchive>();
  hard->failing = true;
  TieredArchive archive({.max_events = 2, .hand_over_count = 1}, hard);
  AppendIds(archive, 1, 4);  // The append itself succeeds.
  EXPECT_EQ(archive.memory().size(), 4u);
  EXPECT_EQ(archive.size(), 4u);
  EXPECT_EQ(archive.hand_over_status().last_error.code(), StatusCode::kUnavailable);
  EXPECT_EQ(archive.Get(EventId(1))->id, EventId(1));
  EXPECT_EQ(archive.QueryPage({}).status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(archive.Query({}).empty());
  hard->failing = false;
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{4, 3, 2, 1}));
  EXPECT_EQ(archive.memory().size(), 2u);
}

TEST(TieredArchiveTest, OpenArchiveBuildsEachConfiguration) {
  testing::TempDir dir;
  auto memory = OpenArchive({.mode = ArchiveMode::kMemory});
  ASSERT_TRUE(memory.ok());
  EXPECT_NE(dynamic_cast<MemoryArchive*>(memory->get()), nullptr);
  auto leveldb = OpenArchive({.mode = ArchiveMode::kLevelDb, .leveldb = {.path = dir.path("l")}});
  ASSERT_TRUE(leveldb.ok());
  EXPECT_NE(dynamic_cast<LevelDbArchive*>(leveldb->get()), nullptr);
  auto tiered = OpenArchive({.leveldb = {.path = dir.path("t")}});
  ASSERT_TRUE(tiered.ok());
  EXPECT_NE(dynamic_cast<TieredArchive*>(tiered->get()), nullptr);
  EXPECT_EQ(OpenArchive({.mode = ArchiveMode::kTiered}).status().code(),
            StatusCode::kInvalidArgument);  // No path.
}

}  // namespace
}  // namespace magent
