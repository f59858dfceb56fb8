// LevelDbArchive on a real LevelDB in a temp dir: records round trip whole, every filter
// combination and the time range answer as a scan of every record would, pages neither
// repeat nor skip records (also while records are appended), the archive survives a
// reopen, and bad options and cursors are refused.
#include "magent/leveldb_archive.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "archive/record_fixture.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::Ids;
using testing::PastRecord;
using testing::TestEpoch;

std::unique_ptr<LevelDbArchive> OpenOk(LevelDbArchiveOptions options) {
  auto archive = LevelDbArchive::Open(std::move(options));
  EXPECT_TRUE(archive.ok()) << archive.status().ToString();
  return archive.ok() ? std::move(archive).value() : nullptr;
}

// Every page of `query`, joined; fails the test on a page error or a runaway loop.
std::vector<EventRecord> AllPages(const PastEventArchive& archive, ArchiveQuery query) {
  std::vector<EventRecord> all;
  for (int pages = 0; pages < 10000; ++pages) {
    Result<ArchivePage> page = archive.QueryPage(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    EXPECT_LE(page->records.size(), query.limit);
    all.insert(all.end(), page->records.begin(), page->records.end());
    if (page->next_cursor.empty()) break;
    EXPECT_EQ(page->records.size(), query.limit) << "a page with a cursor is full";
    query.cursor = page->next_cursor;
  }
  return all;
}

TEST(LevelDbArchiveTest, EveryFieldRoundTripsAndSurvivesAReopen) {
  testing::TempDir dir;
  const EventRecord record = testing::FullRecordV3();
  {
    auto archive = OpenOk({.path = dir.path()});
    std::vector<EventRecord> batch{record};
    ASSERT_TRUE(archive->Append(batch).ok());
    EXPECT_TRUE(batch.empty());
    testing::ExpectSameRecord(archive->Get(record.id).value(), record);
  }
  auto archive = OpenOk({.path = dir.path(), .create_if_missing = false});
  EXPECT_EQ(archive->size(), 1u);
  testing::ExpectSameRecord(archive->Get(record.id).value(), record);
  const std::vector<EventRecord> found = archive->Query({.agent = record.agent});
  ASSERT_EQ(found.size(), 1u);
  testing::ExpectSameRecord(found[0], record);
  EXPECT_EQ(archive->Get(EventId(1)).status().code(), StatusCode::kNotFound);
}

TEST(LevelDbArchiveTest, AppendsAfterAReopenComeFirstAndCountOn) {
  testing::TempDir dir;
  const TimePoint t = TestEpoch();
  {
    auto archive = OpenOk({.path = dir.path()});
    std::vector<EventRecord> batch{PastRecord(1, t), PastRecord(2, t)};
    ASSERT_TRUE(archive->Append(batch).ok());
  }
  auto archive = OpenOk({.path = dir.path()});
  std::vector<EventRecord> batch{PastRecord(3, t)};  // Same finish time: arrival decides.
  ASSERT_TRUE(archive->Append(batch).ok());
  EXPECT_EQ(archive->size(), 3u);
  EXPECT_EQ(Ids(archive->Query({})), (std::vector<std::uint64_t>{3, 2, 1}));
}

TEST(LevelDbArchiveTest, GetFindsTheNewestRecordOfAnId) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  EventRecord old_one = PastRecord(5, TestEpoch());
  old_one.payload = "old";
  EventRecord new_one = PastRecord(5, TestEpoch() + 1s);
  new_one.payload = "new";
  std::vector<EventRecord> batch{old_one, new_one};
  ASSERT_TRUE(archive->Append(batch).ok());
  EXPECT_EQ(archive->Get(EventId(5))->payload, "new");
}

TEST(LevelDbArchiveTest, RefusesRecordsThatAreNotPastAndKeepsThem) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  std::vector<EventRecord> batch{PastRecord(1, TestEpoch()), PastRecord(2, TestEpoch())};
  batch[1].state = EventState::kCurrent;
  EXPECT_EQ(archive->Append(batch).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_EQ(archive->size(), 0u);
  EXPECT_TRUE(archive->Query({}).empty());
}

TEST(LevelDbArchiveTest, NewestFirstIsByFinishTimeThenArrival) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  const TimePoint t = TestEpoch();
  // Finished out of arrival order, and before the epoch too (negative times sort right).
  std::vector<EventRecord> batch{PastRecord(1, t + 2s), PastRecord(2, t), PastRecord(3, t + 2s),
                                 PastRecord(4, TimePoint{} - 1h), PastRecord(5, t + 1s)};
  ASSERT_TRUE(archive->Append(batch).ok());
  EXPECT_EQ(Ids(archive->Query({})), (std::vector<std::uint64_t>{3, 1, 5, 2, 4}));
  EXPECT_EQ(Ids(archive->Query({.kind = "find"})), (std::vector<std::uint64_t>{3, 1, 5, 2, 4}));
}

// Records with random agents, sources, kinds, outcomes, texts and finish times; every
// combination of filters is asked in pages of 7 and compared with a scan of them all.
// Source 3 owns no agent: it only backs events, so `source` and `backed_by` differ.
TEST(LevelDbArchiveTest, EveryFilterCombinationMatchesAScanOfAllRecords) {
  testing::TempDir dir;
  // A small write buffer so the records spread over several sorted files and the planner
  // sees real index sizes.
  auto archive = OpenOk({.path = dir.path(), .write_buffer_bytes = 64 << 10});
  std::mt19937_64 rng(42);
  const std::vector<std::string> kinds{"find", "buy", "buyer", "buy.sell"};
  const std::vector<std::string> words{"Java", "nutshell", "book", "shipping"};
  std::vector<EventRecord> all;  // In arrival order.
  for (std::uint64_t id = 1; id <= 1500; ++id) {
    EventRecord r = PastRecord(id, TestEpoch() + std::chrono::seconds(rng() % 600),
                               kinds[rng() % kinds.size()]);
    r.agent = AgentId(1 + rng() % 4);
    r.agent_source = SourceId(1 + r.agent.value() % 2);
    if (rng() % 3 == 0) r.sources = {{SourceId(3), 1.0}, {r.agent_source, 1.0}};
    r.outcome = static_cast<Outcome>(1 + rng() % 6);
    r.goal = Text("Goal " + words[rng() % words.size()]);
    r.result = Text(rng() % 5 == 0 ? "About JAVA" : "done");
    all.push_back(r);
  }
  for (std::size_t i = 0; i < all.size(); i += 100) {
    std::vector<EventRecord> batch(all.begin() + i, all.begin() + i + 100);
    ASSERT_TRUE(archive->Append(batch).ok());
  }
  // The expected order: finish time, then arrival, newest first.
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return all[a].finished != all[b].finished ? all[a].finished > all[b].finished : a > b;
  });

  std::size_t non_empty = 0;
  for (int mask = 0; mask < 256; ++mask) {
    ArchiveQuery q;
    q.limit = 7;
    if (mask & 1) q.agent = AgentId(2);
    if (mask & 2) q.source = SourceId(1);
    if (mask & 4) q.kind = "buyer";
    if (mask & 8) q.outcome = Outcome::kFailed;
    if (mask & 16) {
      q.finished_from = TestEpoch() + 100s;
      q.finished_until = TestEpoch() + 400s;
    }
    if (mask & 32) q.text = "java";
    if (mask & 64) q.backed_by = SourceId(3);
    if (mask & 128) q.not_kinds = {"buy"};  // And "buy.sell", not "buyer".
    std::vector<std::uint64_t> expected;
    for (std::size_t i : order) {
      const EventRecord& r = all[i];
      const bool backed_by_3 =
          std::any_of(r.sources.begin(), r.sources.end(),
                      [](const SourceWeight& s) { return s.source == SourceId(3); });
      if ((mask & 1) && r.agent != AgentId(2)) continue;
      if ((mask & 2) && r.agent_source != SourceId(1)) continue;
      if ((mask & 64) && !backed_by_3) continue;
      if ((mask & 128) && (r.kind == "buy" || r.kind == "buy.sell")) continue;
      if ((mask & 4) && r.kind != "buyer") continue;
      if ((mask & 8) && r.outcome != Outcome::kFailed) continue;
      if ((mask & 16) && (r.finished < *q.finished_from || r.finished >= *q.finished_until)) {
        continue;
      }
      if ((mask & 32) && r.goal.English().find("Java") == std::string::npos &&
          r.result.English() != "About JAVA") {
        continue;
      }
      expected.push_back(r.id.value());
    }
    non_empty += !expected.empty();
    EXPECT_EQ(Ids(AllPages(*archive, q)), expected) << "filter mask " << mask;
  }
  EXPECT_GT(non_empty, 200u);  // The data exercises nearly every combination.
}

TEST(LevelDbArchiveTest, TimeRangeIsInclusiveFromExclusiveUntil) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  const TimePoint t = TestEpoch();
  std::vector<EventRecord> batch{PastRecord(1, t), PastRecord(2, t + 1s), PastRecord(3, t + 2s)};
  ASSERT_TRUE(archive->Append(batch).ok());
  EXPECT_EQ(Ids(archive->Query({.finished_from = t + 1s, .finished_until = t + 2s})),
            (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(
      Ids(archive->Query({.agent = AgentId(1), .finished_from = t, .finished_until = t + 2s})),
      (std::vector<std::uint64_t>{2, 1}));
}

TEST(LevelDbArchiveTest, PagesStayStableWhileNewerRecordsArrive) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  std::vector<EventRecord> batch;
  for (std::uint64_t id = 1; id <= 10; ++id) batch.push_back(PastRecord(id, TestEpoch() + id * 1s));
  ASSERT_TRUE(archive->Append(batch).ok());
  ArchiveQuery q{.limit = 4};
  Result<ArchivePage> first = archive->QueryPage(q);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Ids(first->records), (std::vector<std::uint64_t>{10, 9, 8, 7}));
  for (std::uint64_t id = 11; id <= 20; ++id)
    batch.push_back(PastRecord(id, TestEpoch() + id * 1s));
  ASSERT_TRUE(archive->Append(batch).ok());
  q.cursor = first->next_cursor;
  Result<ArchivePage> second = archive->QueryPage(q);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(second->records), (std::vector<std::uint64_t>{6, 5, 4, 3}));
  q.cursor = second->next_cursor;
  Result<ArchivePage> last = archive->QueryPage(q);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(Ids(last->records), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_TRUE(last->next_cursor.empty());
}

// Pages walked while another thread appends newer records: each walk sees a consistent,
// strictly ordered set with no duplicates, and the appender's records all arrive.
TEST(LevelDbArchiveTest, QueriesRunWhileAnotherThreadAppends) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  std::thread appender([&] {
    for (std::uint64_t batch = 0; batch < 50; ++batch) {
      std::vector<EventRecord> records;
      for (std::uint64_t i = 1; i <= 20; ++i) {
        const std::uint64_t id = batch * 20 + i;
        records.push_back(PastRecord(id, TestEpoch() + id * 1ms));
      }
      EXPECT_TRUE(archive->Append(records).ok());
    }
  });
  for (int walk = 0; walk < 20; ++walk) {
    const std::vector<std::uint64_t> ids = Ids(AllPages(*archive, {.limit = 16}));
    for (std::size_t i = 1; i < ids.size(); ++i) ASSERT_LT(ids[i], ids[i - 1]);
  }
  appender.join();
  EXPECT_EQ(archive->size(), 1000u);
  EXPECT_EQ(AllPages(*archive, {.limit = 64}).size(), 1000u);
}

TEST(LevelDbArchiveTest, AnExactlyFullLastPageHasNoCursor) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  std::vector<EventRecord> batch{PastRecord(1, TestEpoch()), PastRecord(2, TestEpoch())};
  ASSERT_TRUE(archive->Append(batch).ok());
  Result<ArchivePage> page = archive->QueryPage({.limit = 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->records.size(), 2u);
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST(LevelDbArchiveTest, ABadCursorIsInvalidArgument) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  for (const char* cursor : {"x", "0123456789abcdef0123456789abcdeg", "12"}) {
    EXPECT_EQ(archive->QueryPage({.cursor = cursor}).status().code(), StatusCode::kInvalidArgument)
        << cursor;
    EXPECT_TRUE(archive->Query({.cursor = cursor}).empty());
  }
}

TEST(LevelDbArchiveTest, OptionsAreValidated) {
  testing::TempDir dir;
  EXPECT_EQ(LevelDbArchive::Open({}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LevelDbArchive::Open({.path = dir.path(), .write_buffer_bytes = 1024}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(LevelDbArchive::Open({.path = dir.path(), .write_buffer_bytes = std::size_t{2} << 30})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      LevelDbArchive::Open({.path = dir.path("none"), .create_if_missing = false}).status().code(),
      StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.path("none")));
  auto archive = OpenOk({.path = dir.path("db"), .sync = true, .block_cache_bytes = 1 << 20});
  EXPECT_TRUE(archive->options().sync);
  std::vector<EventRecord> batch{PastRecord(1, TestEpoch())};
  EXPECT_TRUE(archive->Append(batch).ok());
}

TEST(LevelDbArchiveTest, ASecondOpenOfTheSameDatabaseIsUnavailable) {
  testing::TempDir dir;
  auto archive = OpenOk({.path = dir.path()});
  EXPECT_EQ(LevelDbArchive::Open({.path = dir.path()}).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace magent
