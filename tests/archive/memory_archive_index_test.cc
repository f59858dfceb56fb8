// MemoryArchive's id index, built on the first Get and kept from then on, and the storage
// an append leaves: Get finds the newest record of an id whether it is asked before,
// between or after appends and purges (a seeded random run against a std::map), and an
// append leaves the caller's vector empty with its own storage, to be filled again.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "magent/archive.h"
#include "testing/manual_runtime.h"

namespace magent {
namespace {

EventRecord PastRecord(std::uint64_t id, std::string payload) {
  EventRecord r;
  r.id = EventId(id);
  r.kind = "find";
  r.state = EventState::kPast;
  r.outcome = Outcome::kSucceeded;
  r.payload = std::move(payload);
  r.finished = testing::TestEpoch();
  return r;
}

TEST(MemoryArchiveIndexTest, GetBeforeAnyAppendThenAfterAppendsAndPurges) {
  MemoryArchive archive({.max_events = 3});
  EXPECT_EQ(archive.Get(EventId(1)).status().code(), StatusCode::kNotFound);
  for (std::uint64_t id = 1; id <= 5; ++id) {
    std::vector<EventRecord> batch{PastRecord(id, "p" + std::to_string(id))};
    ASSERT_TRUE(archive.Append(batch).ok());
  }
  EXPECT_EQ(archive.Get(EventId(2)).status().code(), StatusCode::kNotFound);  // Purged.
  EXPECT_EQ(archive.Get(EventId(5))->payload, "p5");
}

TEST(MemoryArchiveIndexTest, AnIdAppendedAgainFindsTheNewerRecordUntilItIsPurged) {
  MemoryArchive archive({.max_events = 2});
  std::vector<EventRecord> first{PastRecord(7, "old")};
  ASSERT_TRUE(archive.Append(first).ok());
  std::vector<EventRecord> second{PastRecord(7, "new")};
  ASSERT_TRUE(archive.Append(second).ok());
  EXPECT_EQ(archive.Get(EventId(7))->payload, "new");
  // Purging the older record must not drop the index entry of the newer one.
  std::vector<EventRecord> third{PastRecord(8, "other")};
  ASSERT_TRUE(archive.Append(third).ok());
  EXPECT_EQ(archive.Get(EventId(7))->payload, "new");
}

// Appends random batches (ids sometimes repeated) to a bounded archive, asking for random
// ids at random moments, and checks every answer against a model of what must be kept.
TEST(MemoryArchiveIndexTest, RandomAppendsPurgesAndGetsMatchAModel) {
  constexpr std::size_t kMax = 200;
  MemoryArchive archive({.max_events = kMax});
  std::mt19937_64 rng(7);
  std::vector<std::pair<std::uint64_t, std::string>> kept;  // Oldest first, as appended.
  std::uint64_t appended = 0;
  for (int round = 0; round < 400; ++round) {
    std::vector<EventRecord> batch;
    const std::size_t n = 1 + rng() % 40;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t id = 1 + rng() % 500;
      const std::string payload = std::to_string(++appended);
      batch.push_back(PastRecord(id, payload));
      kept.emplace_back(id, payload);
    }
    ASSERT_TRUE(archive.Append(batch).ok());
    if (kept.size() > kMax) kept.erase(kept.begin(), kept.end() - kMax);
    if (rng() % 3 != 0) continue;  // Ask only now and then, so the index starts late.
    std::map<std::uint64_t, std::string> newest;
    for (const auto& [id, payload] : kept) newest[id] = payload;
    for (int ask = 0; ask < 20; ++ask) {
      const std::uint64_t id = 1 + rng() % 500;
      Result<EventRecord> got = archive.Get(EventId(id));
      auto it = newest.find(id);
      if (it == newest.end()) {
        EXPECT_EQ(got.status().code(), StatusCode::kNotFound) << "id " << id;
      } else {
        ASSERT_TRUE(got.ok()) << "id " << id;
        EXPECT_EQ(got->payload, it->second) << "id " << id;
      }
    }
  }
  EXPECT_EQ(archive.size(), kMax);
}

TEST(MemoryArchiveIndexTest, AppendLeavesTheRecordsEmptyWithTheirCapacity) {
  MemoryArchive archive({.max_events = 4});
  std::vector<EventRecord> batch;
  batch.reserve(64);
  for (std::uint64_t round = 0; round < 3; ++round) {  // The later rounds purge.
    for (std::uint64_t id = round * 4 + 1; id <= round * 4 + 4; ++id) {
      batch.push_back(PastRecord(id, ""));
    }
    const EventRecord* storage = batch.data();
    ASSERT_TRUE(archive.Append(batch).ok());
    EXPECT_TRUE(batch.empty());
    EXPECT_EQ(batch.capacity(), 64u);
    EXPECT_EQ(batch.data(), storage);  // The caller fills the same storage again.
  }
  EXPECT_EQ(archive.Get(EventId(12))->id, EventId(12));
  EXPECT_EQ(archive.Get(EventId(8)).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace magent
