// MemoryArchive's compact record form and the chunked queue that holds it: every field
// comes back, decoding into a used record leaves nothing of it, and records of any size
// keep their order and bytes while chunks fill, empty and are reused.
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

std::vector<char> Encoded(const EventRecord& r) {
  std::vector<char> bytes(CompactSizeBound(r));
  const char* end = EncodeCompact(r, bytes.data());
  EXPECT_LE(static_cast<std::size_t>(end - bytes.data()), bytes.size());
  return bytes;
}

TEST(CompactRecordTest, EveryFieldComesBack) {
  const EventRecord full = testing::FullRecordV2();
  testing::ExpectSameRecord(Decoded(Encoded(full).data()), full);
  const EventRecord empty;
  testing::ExpectSameRecord(Decoded(Encoded(empty).data()), empty);
}

TEST(CompactRecordTest, IdAndFinishedAreReadWithoutDecoding) {
  const EventRecord full = testing::FullRecordV2();
  const std::vector<char> bytes = Encoded(full);
  EXPECT_EQ(CompactId(bytes.data()), full.id);
  EXPECT_EQ(CompactFinished(bytes.data()), full.finished);
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

// Payloads from empty to larger than the largest chunk, pushed and popped at random,
// against a model.
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
      queue.PushBack(r);
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
