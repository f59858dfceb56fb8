// MemoryArchive's compact record form and the chunked queue that holds it: every field
// comes back, absent fields and the default result cost nothing but come back right,
// decoding into a used record leaves nothing of it, and records of any size keep their
// order and bytes while chunks fill, empty and are reused.
#include "archive/compact_record.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "archive/compact_record_queue.h"
#include "archive/record_fixture.h"

namespace magent::internal {
namespace {

EventRecord Decoded(const char* encoded) {
  EventRecord r;
  DecodeCompact(encoded, r);
  return r;
}

std::vector<char> Encoded(const RecordFields& fields) {
  std::vector<char> bytes(CompactSizeBound(fields));
  const char* end = EncodeCompact(fields, bytes.data());
  EXPECT_LE(static_cast<std::size_t>(end - bytes.data()), bytes.size());
  bytes.resize(static_cast<std::size_t>(end - bytes.data()));
  return bytes;
}

std::vector<char> Encoded(const EventRecord& r) { return Encoded(FieldsOf(r)); }

TEST(CompactRecordTest, EveryFieldComesBack) {
  const EventRecord full = testing::FullRecordV3();
  testing::ExpectSameRecord(Decoded(Encoded(full).data()), full);
  const EventRecord empty;
  testing::ExpectSameRecord(Decoded(Encoded(empty).data()), empty);
}

TEST(CompactRecordTest, IdFinishedAndStateAreReadWithoutDecoding) {
  const EventRecord full = testing::FullRecordV3();
  const std::vector<char> bytes = Encoded(full);
  EXPECT_EQ(CompactId(bytes.data()), full.id);
  EXPECT_EQ(CompactFinished(bytes.data()), full.finished);
  EXPECT_EQ(CompactState(bytes.data()), EventState::kPast);
}

// What the scheduler writes for most events: null lists, no goal or payload, and no
// result (its outcome's usual text). Empty fields take no bytes beyond the fixed part.
TEST(CompactRecordTest, AbsentFieldsAndTheDefaultResultComeBack) {
  for (Outcome outcome :
       {Outcome::kSucceeded, Outcome::kFailed, Outcome::kKilled, Outcome::kTimedOut,
        Outcome::kCancelled, Outcome::kExpired, Outcome::kInterrupted}) {
    const RecordFields fields{.id = EventId(5),
                              .kind = "noop",
                              .state = EventState::kPast,
                              .outcome = outcome,
                              .finished = testing::TestEpoch()};
    const std::vector<char> bytes = Encoded(fields);
    // The fixed part (92 bytes), then the kind's length and its 4 bytes: nothing else.
    EXPECT_EQ(bytes.size(), 92u + 1 + 4);
    const EventRecord r = Decoded(bytes.data());
    EXPECT_EQ(r.id, EventId(5));
    EXPECT_EQ(r.kind, "noop");
    EXPECT_EQ(r.outcome, outcome);
    EXPECT_FALSE(r.result.English().empty()) << OutcomeName(outcome);
    EXPECT_EQ(r.result.message_id(), OutcomeName(outcome));
    EXPECT_TRUE(r.goal.empty() && r.goal.message_id().empty() && r.goal.args().empty());
    EXPECT_TRUE(r.payload.empty() && r.sources.empty() && r.activants.empty() &&
                r.passivants.empty() && r.extensions.empty());
  }
  EXPECT_EQ(Decoded(Encoded(RecordFields{.outcome = Outcome::kSucceeded}).data()).result,
            Text("succeeded", "Succeeded.", {}));
  // Not ended (a snapshot): no usual text, an empty result.
  EXPECT_EQ(Decoded(Encoded(RecordFields{.kind = "noop"}).data()).result, Text());
  // A record with its lists present but empty encodes exactly like one without them.
  EventRecord empty_lists;
  empty_lists.kind = "noop";
  empty_lists.result = Text("done");
  RecordFields without = FieldsOf(empty_lists);
  without.sources = nullptr;
  without.activants = nullptr;
  without.passivants = nullptr;
  without.goal = nullptr;
  without.payload = nullptr;
  without.extensions = nullptr;
  EXPECT_EQ(Encoded(empty_lists), Encoded(without));
  // A Text that is empty but for its message id or arguments is kept whole.
  EventRecord odd_goal;
  odd_goal.goal = Text("id-only", "", {"arg"});
  EXPECT_EQ(Decoded(Encoded(odd_goal).data()).goal, odd_goal.goal);
}

// A result that was set, even to an empty text, is not replaced by the default.
TEST(CompactRecordTest, AnExplicitResultIsKeptEvenWhenEmpty) {
  EventRecord r;
  r.state = EventState::kPast;
  r.outcome = Outcome::kSucceeded;
  r.result = Text();
  EXPECT_TRUE(Decoded(Encoded(r).data()).result.empty());
  r.result = Text("Sold for $7");
  EXPECT_EQ(Decoded(Encoded(r).data()).result, Text("Sold for $7"));
}

TEST(CompactRecordTest, CopyFieldsGivesTheRecordOfTheFields) {
  const EventRecord full = testing::FullRecordV3();
  EventRecord copy = testing::FullRecordV1();
  copy.kind = "something else";
  CopyFields(FieldsOf(full), copy);
  testing::ExpectSameRecord(copy, full);
}

TEST(CompactRecordTest, LongStringsAndExtremeTimesComeBack) {
  EventRecord r = testing::FullRecordV2();
  r.kind = std::string(300, 'k');              // A two-byte length.
  r.payload = std::string(70000, '\0') + "x";  // A three-byte length.
  r.goal = Text("id", std::string(20000, '{'), std::vector<std::string>(200, "arg"));
  r.allowable = Duration::max();
  r.created = TimePoint::min();
  r.sources.push_back({SourceId(~std::uint64_t{0}), -0.25});
  testing::ExpectSameRecord(Decoded(Encoded(r).data()), r);
}

TEST(CompactRecordTest, DecodingIntoAUsedRecordLeavesNothingOfIt) {
  EventRecord used = testing::FullRecordV2();
  EventRecord small;
  small.id = EventId(9);
  small.kind = "find";
  small.state = EventState::kPast;
  small.result = Text("Done");
  DecodeCompact(Encoded(small).data(), used);
  testing::ExpectSameRecord(used, small);
}

// Payloads from empty to larger than the largest chunk, pushed (encoded by the queue or
// already encoded) and popped at random, against a model.
TEST(CompactRecordQueueTest, RecordsOfEverySizeKeepTheirOrderAcrossChunks) {
  CompactRecordQueue queue;
  std::deque<std::string> model;
  std::mt19937_64 rng(11);
  std::uint64_t next_id = 1;
  for (int step = 0; step < 3000; ++step) {
    if (rng() % 5 < 3) {
      const std::size_t size = rng() % 50 == 0 ? rng() % (3 << 20) : rng() % 2000;
      EventRecord r;
      r.id = EventId(next_id++);
      r.payload = std::string(size, static_cast<char>('a' + rng() % 26));
      if (rng() % 2 == 0) {
        queue.PushBack(FieldsOf(r));
      } else {
        const std::vector<char> bytes = Encoded(r);
        queue.PushBackEncoded({bytes.data(), bytes.size()});
      }
      model.push_back(r.payload);
    } else if (!model.empty()) {
      queue.PopFront();
      model.pop_front();
    }
    ASSERT_EQ(queue.size(), model.size());
    if (model.empty()) continue;
    const std::size_t i = rng() % model.size();
    ASSERT_EQ(Decoded(queue[i]).payload, model[i]) << "step " << step;
    ASSERT_EQ(Decoded(queue[0]).payload, model.front()) << "step " << step;
  }
}

}  // namespace
}  // namespace magent::internal
