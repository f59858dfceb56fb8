#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "archive/record_fixture.h"
#include "magent/archive.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

using testing::Ids;

using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kT0 = testing::TestEpoch();

// A Past record; `minute` is when it finished, in minutes after kT0.
EventRecord Past(std::uint64_t id, int minute, std::string kind = "find", std::uint64_t agent = 1,
                 std::uint64_t source = 1, Outcome outcome = Outcome::kSucceeded) {
  EventRecord r;
  r.id = EventId(id);
  r.kind = std::move(kind);
  r.agent = AgentId(agent);
  r.agent_source = SourceId(source);
  r.sources = {SourceWeight{SourceId(source), 1.0}};
  r.state = EventState::kPast;
  r.outcome = outcome;
  r.result = Text("r" + std::to_string(id));
  r.created = kT0;
  r.due = kT0;
  r.finished = kT0 + minutes(minute);
  return r;
}

Status AppendOne(MemoryArchive& archive, EventRecord record) {
  std::vector<EventRecord> batch{std::move(record)};
  return archive.Append(batch);
}

class MemoryArchiveTest : public ::testing::Test {
 protected:
  // Eight records, finished one minute apart, in id order:
  //   id  kind  agent source outcome   extra source
  //   1   find  1     1      ok
  //   2   buy   1     1      failed
  //   3   find  2     1      ok
  //   4   ship  3     2      ok
  //   5   buy   2     1      killed
  //   6   find  3     2      failed    source 7 co-signed
  //   7   find  1     1      ok
  //   8   buy   3     2      ok
  void Fill() {
    std::vector<EventRecord> records = {
        Past(1, 1, "find", 1, 1),
        Past(2, 2, "buy", 1, 1, Outcome::kFailed),
        Past(3, 3, "find", 2, 1),
        Past(4, 4, "ship", 3, 2),
        Past(5, 5, "buy", 2, 1, Outcome::kKilled),
        Past(6, 6, "find", 3, 2, Outcome::kFailed),
        Past(7, 7, "find", 1, 1),
        Past(8, 8, "buy", 3, 2),
    };
    records[5].sources.push_back(SourceWeight{SourceId(7), 0.5});
    ASSERT_TRUE(archive_.Append(records).ok());
  }

  MemoryArchive archive_;
};

TEST_F(MemoryArchiveTest, AppendThenGetReturnsTheRecord) {
  EventRecord r = Past(1, 5, "buy");
  r.goal = Text("Buy it");
  r.payload = "isbn";
  r.activants = {Activant{"card:1", "card", "Visa"}};
  r.passivants = {Passivant{"book:1", "book", "Java"}};
  r.extensions = {Extension{kT0, minutes(1), minutes(1)}};
  ASSERT_TRUE(AppendOne(archive_, r).ok());
  EXPECT_EQ(archive_.size(), 1u);
  auto got = archive_.Get(EventId(1));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->kind, "buy");
  EXPECT_EQ(got->goal, Text("Buy it"));
  EXPECT_EQ(got->payload, "isbn");
  EXPECT_EQ(got->activants, r.activants);
  EXPECT_EQ(got->passivants, r.passivants);
  EXPECT_EQ(got->extensions, r.extensions);
  EXPECT_EQ(got->finished, kT0 + minutes(5));
  EXPECT_EQ(got->result.English(), "r1");
}

TEST_F(MemoryArchiveTest, AFullRecordComesBackFromGetAndQuery) {
  const EventRecord full = testing::FullRecordV3();
  ASSERT_TRUE(AppendOne(archive_, full).ok());
  Result<EventRecord> got = archive_.Get(full.id);
  ASSERT_TRUE(got.ok());
  testing::ExpectSameRecord(*got, full);
  std::vector<EventRecord> found = archive_.Query({.agent = full.agent});
  ASSERT_EQ(found.size(), 1u);
  testing::ExpectSameRecord(found[0], full);
}

TEST_F(MemoryArchiveTest, AppendTakesTheRecords) {
  std::vector<EventRecord> records = {Past(1, 1)};
  records[0].payload = std::string(100, 'x');
  ASSERT_TRUE(archive_.Append(records).ok());
  EXPECT_EQ(archive_.Get(EventId(1))->payload, std::string(100, 'x'));
}

TEST_F(MemoryArchiveTest, GetUnknownIsNotFound) {
  EXPECT_EQ(archive_.Get(EventId(42)).status().code(), StatusCode::kNotFound);
  Fill();
  EXPECT_EQ(archive_.Get(EventId(42)).status().code(), StatusCode::kNotFound);
}

TEST_F(MemoryArchiveTest, EmptyAppendIsFine) {
  std::vector<EventRecord> none;
  EXPECT_TRUE(archive_.Append(none).ok());
  EXPECT_EQ(archive_.size(), 0u);
}

TEST_F(MemoryArchiveTest, QueryWithoutFiltersReturnsAllNewestFirst) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({})), (std::vector<std::uint64_t>{8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST_F(MemoryArchiveTest, QueryOrderIsTheOrderEventsBecamePast) {
  // Appended in this order, whatever their finish times say.
  ASSERT_TRUE(AppendOne(archive_, Past(1, 10)).ok());
  ASSERT_TRUE(AppendOne(archive_, Past(2, 5)).ok());
  ASSERT_TRUE(AppendOne(archive_, Past(3, 7)).ok());
  EXPECT_EQ(Ids(archive_.Query({})), (std::vector<std::uint64_t>{3, 2, 1}));
}

TEST_F(MemoryArchiveTest, QueryByAgent) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({.agent = AgentId(1)})), (std::vector<std::uint64_t>{7, 2, 1}));
  EXPECT_TRUE(archive_.Query({.agent = AgentId(9)}).empty());
}

TEST_F(MemoryArchiveTest, QueryBySourceMatchesTheAgentsSourceBackedByAnEventSource) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({.source = SourceId(2)})), (std::vector<std::uint64_t>{8, 6, 4}));
  EXPECT_TRUE(archive_.Query({.source = SourceId(7)}).empty());
  EXPECT_EQ(Ids(archive_.Query({.backed_by = SourceId(7)})), (std::vector<std::uint64_t>{6}));
}

TEST_F(MemoryArchiveTest, QueryByKind) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({.kind = "buy"})), (std::vector<std::uint64_t>{8, 5, 2}));
  EXPECT_TRUE(archive_.Query({.kind = "sell"}).empty());
}

TEST_F(MemoryArchiveTest, QueryByOutcome) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({.outcome = Outcome::kFailed})), (std::vector<std::uint64_t>{6, 2}));
  EXPECT_EQ(Ids(archive_.Query({.outcome = Outcome::kKilled})), (std::vector<std::uint64_t>{5}));
  EXPECT_TRUE(archive_.Query({.outcome = Outcome::kExpired}).empty());
}

TEST_F(MemoryArchiveTest, QueryByTimeRangeIsInclusiveFromExclusiveUntil) {
  Fill();
  EXPECT_EQ(
      Ids(archive_.Query({.finished_from = kT0 + minutes(3), .finished_until = kT0 + minutes(6)})),
      (std::vector<std::uint64_t>{5, 4, 3}));
  EXPECT_EQ(Ids(archive_.Query({.finished_from = kT0 + minutes(7)})),
            (std::vector<std::uint64_t>{8, 7}));
  EXPECT_EQ(Ids(archive_.Query({.finished_until = kT0 + minutes(2)})),
            (std::vector<std::uint64_t>{1}));
  EXPECT_TRUE(
      archive_.Query({.finished_from = kT0 + minutes(5), .finished_until = kT0 + minutes(5)})
          .empty());
}

TEST_F(MemoryArchiveTest, QueryLimitKeepsTheNewest) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({.limit = 3})), (std::vector<std::uint64_t>{8, 7, 6}));
  EXPECT_TRUE(archive_.Query({.limit = 0}).empty());
  EXPECT_EQ(Ids(archive_.Query({.kind = "find", .limit = 2})), (std::vector<std::uint64_t>{7, 6}));
}

TEST_F(MemoryArchiveTest, QueryDefaultLimitIsAHundred) {
  std::vector<EventRecord> records;
  for (std::uint64_t i = 1; i <= 150; ++i) records.push_back(Past(i, 1));
  ASSERT_TRUE(archive_.Append(records).ok());
  auto result = archive_.Query({});
  ASSERT_EQ(result.size(), 100u);
  EXPECT_EQ(result.front().id, EventId(150));
  EXPECT_EQ(result.back().id, EventId(51));
}

TEST_F(MemoryArchiveTest, QueryFiltersCombine) {
  Fill();
  EXPECT_EQ(Ids(archive_.Query({.agent = AgentId(1),
                                .kind = "find",
                                .outcome = Outcome::kSucceeded,
                                .finished_from = kT0 + minutes(2)})),
            (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(Ids(archive_.Query({.source = SourceId(1), .kind = "buy"})),
            (std::vector<std::uint64_t>{5, 2}));
}

TEST_F(MemoryArchiveTest, RefusesNonPastRecordsAndAppendsNothing) {
  ASSERT_TRUE(AppendOne(archive_, Past(1, 1)).ok());
  std::vector<EventRecord> batch = {Past(2, 2), Past(3, 3), Past(4, 4)};
  batch[1].state = EventState::kCurrent;
  batch[0].payload = "keep me";
  Status s = archive_.Append(batch);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(archive_.size(), 1u);
  EXPECT_EQ(archive_.Get(EventId(2)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(archive_.Get(EventId(4)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Ids(archive_.Query({})), (std::vector<std::uint64_t>{1}));
  // The caller's records are untouched, so it can retry them.
  EXPECT_EQ(batch[0].payload, "keep me");
  EXPECT_EQ(batch[0].kind, "find");
  EXPECT_EQ(batch[2].kind, "find");

  EventRecord future = Past(5, 5);
  future.state = EventState::kFuture;
  EXPECT_EQ(AppendOne(archive_, future).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(archive_.size(), 1u);
  EXPECT_EQ(archive_.purged(), 0u);
}

TEST(MemoryArchivePurgeTest, KeepsAtMostMaxEventsDroppingTheOldest) {
  MemoryArchive archive({.max_events = 3});
  for (std::uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(AppendOne(archive, Past(i, 1)).ok());
  EXPECT_EQ(archive.size(), 3u);
  EXPECT_EQ(archive.purged(), 2u);
  EXPECT_EQ(archive.Get(EventId(1)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(archive.Get(EventId(2)).status().code(), StatusCode::kNotFound);
  for (std::uint64_t i = 3; i <= 5; ++i) {
    auto got = archive.Get(EventId(i));
    ASSERT_TRUE(got.ok()) << i;
    EXPECT_EQ(got->id, EventId(i));
  }
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{5, 4, 3}));
}

TEST(MemoryArchivePurgeTest, OneLargeBatchIsPurgedToMaxEvents) {
  MemoryArchive archive({.max_events = 2});
  std::vector<EventRecord> batch = {Past(1, 1), Past(2, 2), Past(3, 3), Past(4, 4)};
  ASSERT_TRUE(archive.Append(batch).ok());
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{4, 3}));
  EXPECT_EQ(archive.purged(), 2u);
  EXPECT_EQ(archive.Get(EventId(3))->id, EventId(3));
}

TEST(MemoryArchivePurgeTest, DropsRecordsOlderThanMaxAgeBeforeTheNewest) {
  MemoryArchive archive({.max_age = hours(1)});
  ASSERT_TRUE(AppendOne(archive, Past(1, 0)).ok());
  ASSERT_TRUE(AppendOne(archive, Past(2, 30)).ok());
  ASSERT_TRUE(AppendOne(archive, Past(3, 60)).ok());
  EXPECT_EQ(archive.size(), 3u) << "exactly max_age old is kept";
  EXPECT_EQ(archive.purged(), 0u);

  ASSERT_TRUE(AppendOne(archive, Past(4, 100)).ok());
  EXPECT_EQ(archive.purged(), 2u);
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{4, 3}));
  EXPECT_EQ(archive.Get(EventId(1)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(archive.Get(EventId(2)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(archive.Get(EventId(3)).ok());
}

TEST(MemoryArchivePurgeTest, PurgedCountsEveryDrop) {
  MemoryArchive archive({.max_events = 1});
  for (std::uint64_t i = 1; i <= 10; ++i) ASSERT_TRUE(AppendOne(archive, Past(i, 1)).ok());
  EXPECT_EQ(archive.purged(), 9u);
  EXPECT_EQ(archive.size(), 1u);
  EXPECT_TRUE(archive.Get(EventId(10)).ok());
}

TEST(MemoryArchivePurgeTest, GetStaysCorrectAfterManyPurges) {
  MemoryArchive archive({.max_events = 4});
  for (std::uint64_t i = 1; i <= 50; ++i) {
    ASSERT_TRUE(AppendOne(archive, Past(i, static_cast<int>(i))).ok());
    for (std::uint64_t j = (i > 3 ? i - 3 : 1); j <= i; ++j) {
      auto got = archive.Get(EventId(j));
      ASSERT_TRUE(got.ok()) << "after " << i << ", event " << j;
      ASSERT_EQ(got->id, EventId(j));
    }
  }
}

TEST(MemoryArchivePurgeTest, KeepsOrderAndIdsWhenItGrowsAfterAgePurges) {
  MemoryArchive archive({.max_age = hours(1)});
  for (std::uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(AppendOne(archive, Past(i, 0)).ok());
  // Drops the first five, so the oldest record no longer sits at the start of memory.
  ASSERT_TRUE(AppendOne(archive, Past(6, 100)).ok());
  ASSERT_EQ(archive.purged(), 5u);
  std::vector<std::uint64_t> expected = {6};
  for (std::uint64_t i = 7; i <= 60; ++i) {
    ASSERT_TRUE(AppendOne(archive, Past(i, 100)).ok());
    expected.insert(expected.begin(), i);
  }
  EXPECT_EQ(archive.size(), 55u);
  EXPECT_EQ(Ids(archive.Query({.limit = 1000})), expected);
  for (std::uint64_t i = 6; i <= 60; ++i) {
    auto got = archive.Get(EventId(i));
    ASSERT_TRUE(got.ok()) << i;
    EXPECT_EQ(got->id, EventId(i));
    EXPECT_EQ(got->result.English(), "r" + std::to_string(i));
  }
}

TEST(MemoryArchivePurgeTest, ZeroMaxEventsKeepsNothing) {
  MemoryArchive archive({.max_events = 0});
  ASSERT_TRUE(AppendOne(archive, Past(1, 1)).ok());
  EXPECT_EQ(archive.size(), 0u);
  EXPECT_EQ(archive.purged(), 1u);
  EXPECT_EQ(archive.Get(EventId(1)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(archive.Query({}).empty());
}

TEST(MemoryArchivePurgeTest, ReappendedIdIsFoundAtItsNewestRecord) {
  MemoryArchive archive({.max_events = 2});
  EventRecord first = Past(1, 1);
  first.payload = "first";
  EventRecord again = Past(1, 2);
  again.payload = "again";
  ASSERT_TRUE(AppendOne(archive, first).ok());
  ASSERT_TRUE(AppendOne(archive, again).ok());
  EXPECT_EQ(archive.Get(EventId(1))->payload, "again");
  ASSERT_TRUE(AppendOne(archive, Past(2, 3)).ok());  // Purges "first".
  auto got = archive.Get(EventId(1));
  ASSERT_TRUE(got.ok()) << "purging the older copy lost the newer one";
  EXPECT_EQ(got->payload, "again");
}

TEST(MemoryArchiveConcurrencyTest, ConcurrentAppendsQueriesAndGetsKeepEveryRecord) {
  MemoryArchive archive;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    do {
      auto recent = archive.Query({.limit = 10});
      for (const EventRecord& r : recent) {
        if (!archive.Get(r.id).ok()) ADD_FAILURE() << "lost " << r.id.value();
      }
      (void)archive.size();
      ++reads;
    } while (!stop.load());
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&archive, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const auto id = static_cast<std::uint64_t>(t * kPerThread + i + 1);
        std::vector<EventRecord> one = {Past(id, i, "k" + std::to_string(t))};
        ASSERT_TRUE(archive.Append(one).ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  stop = true;
  reader.join();

  EXPECT_EQ(archive.size(), std::size_t{kThreads * kPerThread});
  for (std::uint64_t id = 1; id <= kThreads * kPerThread; ++id) {
    ASSERT_TRUE(archive.Get(EventId(id)).ok()) << id;
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(archive.Query({.kind = "k" + std::to_string(t), .limit = 10000}).size(),
              std::size_t{kPerThread});
  }
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace magent
