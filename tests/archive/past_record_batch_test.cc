// PastRecordBatch, the form in which the runtime hands Past records to an archive: records
// come back whole and in order, batches join, copy and move as values, and archives take
// them: MemoryArchive as they are, others through the default that decodes them into
// Append(), and none of them loses a batch it refused.
#include "magent/past_record_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "archive/failing_archive.h"
#include "archive/past_record_batch_access.h"
#include "archive/record_fixture.h"
#include "magent/archive.h"
#include "magent/tiered_archive.h"

namespace magent {
namespace {

using testing::Ids;

EventRecord Past(std::uint64_t id, std::string payload = "") {
  EventRecord r;
  r.id = EventId(id);
  r.kind = "find";
  r.state = EventState::kPast;
  r.outcome = Outcome::kSucceeded;
  r.result = Text("found " + std::to_string(id));
  r.payload = std::move(payload);
  r.finished = testing::TestEpoch() + std::chrono::seconds(id);
  return r;
}

EventRecord DecodedAt(const PastRecordBatch& batch, std::size_t i) {
  EventRecord r;
  batch.Decode(i, r);
  return r;
}

TEST(PastRecordBatchTest, RecordsComeBackWholeAndInOrder) {
  PastRecordBatch batch;
  EXPECT_TRUE(batch.empty());
  const EventRecord full = testing::FullRecordV3();
  batch.Add(full);
  batch.Add(Past(7));
  ASSERT_EQ(batch.size(), 2u);
  testing::ExpectSameRecord(DecodedAt(batch, 0), full);
  testing::ExpectSameRecord(DecodedAt(batch, 1), Past(7));
  EXPECT_EQ(batch.id(0), full.id);
  EXPECT_EQ(batch.id(1), EventId(7));
  EXPECT_EQ(batch.state(1), EventState::kPast);
}

// Far more bytes than the first storage, with a record larger than all the others.
TEST(PastRecordBatchTest, GrowsAcrossManyAndLargeRecords) {
  PastRecordBatch batch;
  for (std::uint64_t id = 1; id <= 2000; ++id) {
    batch.Add(Past(id, id == 1000 ? std::string(1 << 20, 'x') : std::to_string(id)));
  }
  ASSERT_EQ(batch.size(), 2000u);
  for (std::uint64_t id = 1; id <= 2000; ++id) {
    const EventRecord r = DecodedAt(batch, id - 1);
    ASSERT_EQ(r.id, EventId(id));
    ASSERT_EQ(r.payload, id == 1000 ? std::string(1 << 20, 'x') : std::to_string(id));
  }
}

TEST(PastRecordBatchTest, AddingABatchAppendsItsRecordsAfterTheseInOrder) {
  PastRecordBatch first;
  PastRecordBatch second;
  first.Add(Past(1, "one"));
  second.Add(Past(2, "two"));
  second.Add(Past(3, std::string(10000, 'z')));
  first.Add(second);
  first.Add(PastRecordBatch());
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(DecodedAt(first, 0).payload, "one");
  EXPECT_EQ(DecodedAt(first, 1).payload, "two");
  EXPECT_EQ(DecodedAt(first, 2).payload, std::string(10000, 'z'));
  EXPECT_EQ(second.size(), 2u);  // Untouched.
}

TEST(PastRecordBatchTest, ABatchAddedToItselfHoldsItsRecordsTwice) {
  PastRecordBatch batch;
  batch.Add(Past(1, "one"));
  batch.Add(Past(2, std::string(5000, 'y')));  // Past the first storage: it grows.
  batch.Add(batch);
  ASSERT_EQ(batch.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(batch.id(i), EventId(i % 2 + 1)) << i;
  EXPECT_EQ(DecodedAt(batch, 3).payload, std::string(5000, 'y'));
}

TEST(PastRecordBatchTest, ClearForgetsTheRecordsAndTheBatchFillsAgain) {
  PastRecordBatch batch;
  batch.Add(Past(1, "old"));
  batch.Clear();
  EXPECT_TRUE(batch.empty());
  batch.Add(Past(2, "new"));
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(DecodedAt(batch, 0).payload, "new");
}

TEST(PastRecordBatchTest, CopiesAreIndependentAndMovedFromBatchesAreEmpty) {
  PastRecordBatch batch;
  batch.Add(Past(1, "one"));
  PastRecordBatch copy = batch;
  copy.Add(Past(2, "two"));
  EXPECT_EQ(batch.size(), 1u);
  EXPECT_EQ(copy.size(), 2u);
  copy = batch;
  ASSERT_EQ(copy.size(), 1u);
  EXPECT_EQ(DecodedAt(copy, 0).payload, "one");

  PastRecordBatch moved = std::move(copy);
  EXPECT_EQ(moved.size(), 1u);
  EXPECT_TRUE(copy.empty());   // NOLINT(bugprone-use-after-move): defined as empty.
  copy.Add(Past(3, "three"));  // And usable.
  EXPECT_EQ(DecodedAt(copy, 0).payload, "three");
  moved = std::move(copy);
  EXPECT_EQ(DecodedAt(moved, 0).payload, "three");
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(PastRecordBatchTest, AssigningABatchToItselfKeepsItsRecords) {
  PastRecordBatch batch;
  batch.Add(Past(1, "one"));
  PastRecordBatch& same = batch;  // Through a reference: a direct self-assignment warns.
  batch = same;
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(DecodedAt(batch, 0).payload, "one");
}

TEST(PastRecordBatchArchiveTest, MemoryArchiveTakesTheBatchAndEmptiesIt) {
  MemoryArchive archive;
  ASSERT_TRUE(archive.Get(EventId(1)).status().code() == StatusCode::kNotFound);  // Indexed.
  PastRecordBatch batch;
  const EventRecord full = testing::FullRecordV3();
  batch.Add(Past(1));
  batch.Add(full);
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(archive.size(), 2u);
  testing::ExpectSameRecord(archive.Get(full.id).value(), full);
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{full.id.value(), 1}));
  // Records of both kinds of append live side by side, in arrival order.
  std::vector<EventRecord> records{Past(9)};
  ASSERT_TRUE(archive.Append(records).ok());
  batch.Add(Past(10));
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{10, 9, full.id.value(), 1}));
}

// What the scheduler writes for an event that ended with nothing said: no result text,
// one bit. MemoryArchive keeps the bytes and gives the usual text back.
TEST(PastRecordBatchArchiveTest, MemoryArchiveGivesBackTheUsualResultOfAnEncodedRecord) {
  MemoryArchive archive;
  PastRecordBatch batch;
  internal::PastRecordBatchAccess::Add(batch, {.id = EventId(3),
                                               .kind = "noop",
                                               .state = EventState::kPast,
                                               .outcome = Outcome::kKilled,
                                               .finished = testing::TestEpoch()});
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  const EventRecord r = archive.Get(EventId(3)).value();
  EXPECT_EQ(r.outcome, Outcome::kKilled);
  EXPECT_EQ(r.result, Text("killed", "Killed.", {}));
  EXPECT_EQ(r.kind, "noop");
}

TEST(PastRecordBatchArchiveTest, MemoryArchiveRefusesABatchWithARecordNotPast) {
  MemoryArchive archive;
  PastRecordBatch batch;
  EventRecord current = Past(2);
  current.state = EventState::kCurrent;
  batch.Add(Past(1));
  batch.Add(current);
  EXPECT_EQ(archive.AppendBatch(batch).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(archive.size(), 0u);
  EXPECT_EQ(batch.size(), 2u);  // Left for the caller to retry or report.
}

TEST(PastRecordBatchArchiveTest, MemoryArchivePurgesAndHandsOverBatchesLikeRecords) {
  auto hard = std::make_shared<MemoryArchive>();
  MemoryArchive archive({.max_events = 2, .hand_over_to = hard, .hand_over_count = 3});
  PastRecordBatch batch;
  for (std::uint64_t id = 1; id <= 4; ++id) batch.Add(Past(id));
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  EXPECT_EQ(hard->size(), 4u);
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{4, 3}));
  EXPECT_EQ(archive.purged(), 2u);
  testing::ExpectSameRecord(hard->Get(EventId(2)).value(), Past(2));
}

// An archive that implements only Append() gets the batch's records decoded, in order.
TEST(PastRecordBatchArchiveTest, TheDefaultDecodesTheBatchIntoAppend) {
  testing::FailingArchive archive;
  PastRecordBatch batch;
  const EventRecord full = testing::FullRecordV3();
  batch.Add(full);
  batch.Add(Past(8));
  archive.failing = true;
  EXPECT_EQ(archive.AppendBatch(batch).code(), StatusCode::kUnavailable);
  EXPECT_EQ(batch.size(), 2u);  // Refused: nothing taken.
  archive.failing = false;
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  EXPECT_TRUE(batch.empty());
  testing::ExpectSameRecord(archive.Get(full.id).value(), full);
  EXPECT_EQ(Ids(archive.Query({})), (std::vector<std::uint64_t>{8, full.id.value()}));
}

TEST(PastRecordBatchArchiveTest, TieredArchiveKeepsTheBatchInMemoryForTheHardArchive) {
  auto hard = std::make_shared<testing::FailingArchive>();
  TieredArchive archive({.hand_over_count = 2}, hard);
  PastRecordBatch batch;
  batch.Add(Past(1));
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(archive.memory().size(), 1u);
  EXPECT_EQ(hard->size(), 0u);  // Below the hand-over count.
  batch.Add(Past(2));
  ASSERT_TRUE(archive.AppendBatch(batch).ok());
  EXPECT_EQ(hard->size(), 2u);
  testing::ExpectSameRecord(hard->Get(EventId(2)).value(), Past(2));
}

}  // namespace
}  // namespace magent
