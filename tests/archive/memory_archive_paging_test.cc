// MemoryArchive's text filter, its cursors (stable while records arrive, ending where
// records were purged), and its hand-over to a hard archive by count and age, which a
// purge never overtakes.
#include <gtest/gtest.h>

#include <chrono>

#include "archive/failing_archive.h"
#include "archive/record_fixture.h"
#include "magent/archive.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::Ids;
using testing::PastRecord;
using testing::TestEpoch;

void AppendOne(PastEventArchive& archive, std::uint64_t id, TimePoint finished) {
  std::vector<EventRecord> batch{PastRecord(id, finished)};
  ASSERT_TRUE(archive.Append(batch).ok());
}

TEST(MemoryArchivePagingTest, TextMatchesGoalOrResultInAnyCase) {
  MemoryArchive archive;
  std::vector<EventRecord> batch{PastRecord(1, TestEpoch()), PastRecord(2, TestEpoch()),
                                 PastRecord(3, TestEpoch())};
  batch[0].goal = Text("goal.find", "Find '{0}'", {"Java in a Nutshell"});  // Argument text.
  batch[1].result = Text("Bought JAVA for $6");
  ASSERT_TRUE(archive.Append(batch).ok());
  EXPECT_EQ(Ids(archive.Query({.text = "java"})), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_EQ(Ids(archive.Query({.text = "NUTSHELL"})), (std::vector<std::uint64_t>{1}));
  EXPECT_TRUE(archive.Query({.text = "python"}).empty());
}

TEST(MemoryArchivePagingTest, CursorsWalkEveryRecordOnceWhileNewOnesArrive) {
  MemoryArchive archive;
  for (std::uint64_t id = 1; id <= 9; ++id) AppendOne(archive, id, TestEpoch());
  ArchiveQuery q{.limit = 4};
  std::vector<std::uint64_t> seen;
  for (int page = 0; page < 5; ++page) {
    Result<ArchivePage> p = archive.QueryPage(q);
    ASSERT_TRUE(p.ok());
    for (std::uint64_t id : Ids(p->records)) seen.push_back(id);
    AppendOne(archive, 100 + page, TestEpoch());  // Newer than every cursor.
    if (p->next_cursor.empty()) break;
    q.cursor = p->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(MemoryArchivePagingTest, APageEndsWhereRecordsWerePurged) {
  MemoryArchive archive({.max_events = 5});
  for (std::uint64_t id = 1; id <= 5; ++id) AppendOne(archive, id, TestEpoch());
  Result<ArchivePage> first = archive.QueryPage({.limit = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Ids(first->records), (std::vector<std::uint64_t>{5, 4}));
  for (std::uint64_t id = 6; id <= 8; ++id) AppendOne(archive, id, TestEpoch());  // Purges 1-3.
  Result<ArchivePage> second = archive.QueryPage({.cursor = first->next_cursor, .limit = 2});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->records.empty());
  EXPECT_TRUE(second->next_cursor.empty());
}

TEST(MemoryArchivePagingTest, ABadCursorIsInvalidArgument) {
  MemoryArchive archive;
  AppendOne(archive, 1, TestEpoch());
  for (const char* cursor : {"x", "1x", "99", "-1"}) {
    EXPECT_EQ(archive.QueryPage({.cursor = cursor}).status().code(), StatusCode::kInvalidArgument)
        << cursor;
  }
}

TEST(MemoryArchivePagingTest, HandsOverByCountOldestFirst) {
  auto hard = std::make_shared<testing::FailingArchive>();
  MemoryArchive archive({.hand_over_to = hard, .hand_over_count = 3});
  AppendOne(archive, 1, TestEpoch());
  AppendOne(archive, 2, TestEpoch());
  EXPECT_EQ(hard->size(), 0u);
  EXPECT_EQ(archive.hand_over_status().waiting, 2u);
  AppendOne(archive, 3, TestEpoch());
  EXPECT_EQ(Ids(hard->Query({})), (std::vector<std::uint64_t>{3, 2, 1}));
  const HandOverStatus status = archive.hand_over_status();
  EXPECT_EQ(status.handed, 3u);
  EXPECT_EQ(status.waiting, 0u);
  EXPECT_TRUE(status.last_error.ok());
  EXPECT_EQ(archive.size(), 3u);  // Memory keeps them too, within its bounds.
}

TEST(MemoryArchivePagingTest, HandsOverEveryFieldOfARecord) {
  auto hard = std::make_shared<testing::FailingArchive>();
  MemoryArchive archive({.hand_over_to = hard, .hand_over_count = 1});
  std::vector<EventRecord> batch{testing::FullRecordV2()};
  ASSERT_TRUE(archive.Append(batch).ok());
  Result<EventRecord> handed = hard->Get(testing::FullRecordV2().id);
  ASSERT_TRUE(handed.ok());
  testing::ExpectSameRecord(*handed, testing::FullRecordV2());
}

TEST(MemoryArchivePagingTest, HandsOverByAge) {
  auto hard = std::make_shared<testing::FailingArchive>();
  MemoryArchive archive({.hand_over_to = hard, .hand_over_age = 1min});
  AppendOne(archive, 1, TestEpoch());
  AppendOne(archive, 2, TestEpoch() + 1min);
  EXPECT_EQ(hard->size(), 0u);
  AppendOne(archive, 3, TestEpoch() + 1min + 1s);  // Record 1 is now over a minute old.
  EXPECT_EQ(Ids(hard->Query({})), (std::vector<std::uint64_t>{3, 2, 1}));
}

TEST(MemoryArchivePagingTest, PurgeNeverDropsARecordTheHardArchiveRefused) {
  auto hard = std::make_shared<testing::FailingArchive>();
  hard->failing = true;
  MemoryArchive archive({.max_events = 2, .hand_over_to = hard, .hand_over_count = 1});
  for (std::uint64_t id = 1; id <= 5; ++id) AppendOne(archive, id, TestEpoch());
  EXPECT_EQ(archive.size(), 5u);  // Over max_events: nothing may go.
  EXPECT_EQ(archive.purged(), 0u);
  EXPECT_EQ(archive.Get(EventId(1))->id, EventId(1));
  HandOverStatus status = archive.hand_over_status();
  EXPECT_EQ(status.waiting, 5u);
  EXPECT_EQ(status.last_error.code(), StatusCode::kUnavailable);
  EXPECT_EQ(archive.HandOverAll().code(), StatusCode::kUnavailable);

  hard->failing = false;
  EXPECT_TRUE(archive.HandOverAll().ok());
  EXPECT_EQ(Ids(hard->Query({})), (std::vector<std::uint64_t>{5, 4, 3, 2, 1}));
  EXPECT_EQ(archive.size(), 2u);  // Handed over, so the purge rules apply again.
  EXPECT_EQ(archive.purged(), 3u);
  status = archive.hand_over_status();
  EXPECT_EQ(status.waiting, 0u);
  EXPECT_TRUE(status.last_error.ok());
}

TEST(MemoryArchivePagingTest, AFailedHandOverIsRetriedByTheNextAppend) {
  auto hard = std::make_shared<testing::FailingArchive>();
  hard->failing = true;
  MemoryArchive archive({.max_events = 1, .hand_over_to = hard, .hand_over_count = 2});
  AppendOne(archive, 1, TestEpoch());
  AppendOne(archive, 2, TestEpoch());
  EXPECT_EQ(hard->appends, 1);
  hard->failing = false;
  AppendOne(archive, 3, TestEpoch());
  EXPECT_EQ(Ids(hard->Query({})), (std::vector<std::uint64_t>{3, 2, 1}));
  EXPECT_EQ(archive.size(), 1u);
}

TEST(MemoryArchivePagingTest, WithoutAHardArchiveHandOverIsANoOp) {
  MemoryArchive archive({.max_events = 1});
  AppendOne(archive, 1, TestEpoch());
  AppendOne(archive, 2, TestEpoch());
  EXPECT_TRUE(archive.HandOverAll().ok());
  EXPECT_EQ(archive.hand_over_status().waiting, 0u);
  EXPECT_EQ(archive.purged(), 1u);
}

}  // namespace
}  // namespace magent
