// LiveIndex, the scheduler's id -> node index: finds what was inserted and not erased,
// nothing else (ids never inserted, erased, or outside the pages held), lists live nodes
// in id order, frees pages as they empty, and survives a seeded random run against a
// std::map.
#include "scheduler/live_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace magent::internal {
namespace {

struct FakeNode {
  std::uint64_t id = 0;
};

std::vector<std::uint64_t> Listed(const LiveIndex<FakeNode>& index) {
  std::vector<std::uint64_t> ids;
  index.ForEach([&ids](FakeNode* node) { ids.push_back(node->id); });
  return ids;
}

TEST(SchedulerLiveIndexTest, FindsWhatWasInsertedUntilErased) {
  LiveIndex<FakeNode> index;
  std::vector<FakeNode> nodes(10);
  for (std::uint64_t i = 1; i < nodes.size(); ++i) {
    nodes[i].id = i;
    index.Insert(EventId(i), &nodes[i]);
  }
  EXPECT_EQ(index.size(), 9u);
  EXPECT_EQ(index.Find(EventId(4)), &nodes[4]);
  index.Erase(EventId(4));
  EXPECT_EQ(index.Find(EventId(4)), nullptr);
  EXPECT_EQ(index.Find(EventId(0)), nullptr);
  EXPECT_EQ(index.Find(EventId(10)), nullptr);        // Not handed out yet.
  EXPECT_EQ(index.Find(EventId(1u << 30)), nullptr);  // Far beyond every page.
  EXPECT_EQ(index.size(), 8u);
  EXPECT_EQ(Listed(index), (std::vector<std::uint64_t>{1, 2, 3, 5, 6, 7, 8, 9}));
}

TEST(SchedulerLiveIndexTest, PagesThatEmptiedAreDroppedAndLookupsStillAnswer) {
  LiveIndex<FakeNode> index;
  constexpr std::uint64_t kN = 20000;  // Several pages.
  std::vector<FakeNode> nodes(kN + 1);
  for (std::uint64_t i = 1; i <= kN; ++i) {
    nodes[i].id = i;
    index.Insert(EventId(i), &nodes[i]);
  }
  // End everything but the newest id: the pages before it are freed.
  for (std::uint64_t i = 1; i < kN; ++i) index.Erase(EventId(i));
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.Find(EventId(1)), nullptr);
  EXPECT_EQ(index.Find(EventId(kN - 1)), nullptr);
  EXPECT_EQ(index.Find(EventId(kN)), &nodes[kN]);
  EXPECT_EQ(Listed(index), (std::vector<std::uint64_t>{kN}));
  // New ids keep coming after the dropped pages.
  FakeNode later{kN + 5000};
  index.Insert(EventId(later.id), &later);
  EXPECT_EQ(index.Find(EventId(later.id)), &later);
  index.Erase(EventId(kN));
  EXPECT_EQ(Listed(index), (std::vector<std::uint64_t>{kN + 5000}));
}

// A long-running scheduler: ids keep coming, the oldest end, and the pages behind them are
// dropped from the index's arrays again and again, while every lookup keeps answering.
TEST(SchedulerLiveIndexTest, ASlidingWindowOfLiveIdsStaysFoundAcrossManyDroppedPages) {
  LiveIndex<FakeNode> index;
  constexpr std::uint64_t kN = 700000;  // About 170 pages of 4096 ids.
  constexpr std::uint64_t kWindow = 5000;
  std::vector<FakeNode> nodes(kN + 1);
  for (std::uint64_t i = 1; i <= kN; ++i) {
    nodes[i].id = i;
    index.Insert(EventId(i), &nodes[i]);
    if (i > kWindow) index.Erase(EventId(i - kWindow));
    if (i % 997 == 0 && i > kWindow) {
      const std::uint64_t oldest = i - kWindow + 1;
      ASSERT_EQ(index.size(), kWindow) << i;
      ASSERT_EQ(index.Find(EventId(oldest)), &nodes[oldest]) << i;
      ASSERT_EQ(index.Find(EventId(oldest - 1)), nullptr) << i;
      ASSERT_EQ(index.Find(EventId(1)), nullptr) << i;
      ASSERT_EQ(index.Find(EventId(i)), &nodes[i]) << i;
      ASSERT_EQ(index.Find(EventId(i + 1)), nullptr) << i;
    }
  }
  std::vector<std::uint64_t> expected;
  for (std::uint64_t i = kN - kWindow + 1; i <= kN; ++i) expected.push_back(i);
  EXPECT_EQ(Listed(index), expected);
}

// One old event stays live (far-future due time) while ids keep coming and ending behind
// it: the pages in between are dropped and every lookup still answers.
TEST(SchedulerLiveIndexTest, AnOldLiveIdKeepsItsPageWhileLaterPagesComeAndGo) {
  LiveIndex<FakeNode> index;
  constexpr std::uint64_t kN = 300000;  // About 73 pages.
  std::vector<FakeNode> nodes(kN + 1);
  for (std::uint64_t i = 1; i <= kN; ++i) {
    nodes[i].id = i;
    index.Insert(EventId(i), &nodes[i]);
    if (i > 2) index.Erase(EventId(i - 1));  // Id 1 stays; the rest end one step later.
  }
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Find(EventId(1)), &nodes[1]);
  EXPECT_EQ(index.Find(EventId(2)), nullptr);
  EXPECT_EQ(index.Find(EventId(kN / 2)), nullptr);
  EXPECT_EQ(index.Find(EventId(kN)), &nodes[kN]);
  EXPECT_EQ(Listed(index), (std::vector<std::uint64_t>{1, kN}));
  index.Erase(EventId(1));
  EXPECT_EQ(index.Find(EventId(1)), nullptr);
  EXPECT_EQ(Listed(index), (std::vector<std::uint64_t>{kN}));
}

TEST(SchedulerLiveIndexTest, ClearForgetsEverythingAndLaterIdsStillWork) {
  LiveIndex<FakeNode> index;
  FakeNode a{3}, b{9000};
  index.Insert(EventId(3), &a);
  index.Clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.Find(EventId(3)), nullptr);
  index.Insert(EventId(9000), &b);
  EXPECT_EQ(index.Find(EventId(9000)), &b);
}

TEST(SchedulerLiveIndexTest, RandomInsertsAndErasesMatchAMap) {
  LiveIndex<FakeNode> index;
  std::map<std::uint64_t, FakeNode*> model;
  std::vector<std::unique_ptr<FakeNode>> owned;
  std::mt19937_64 rng(11);
  std::uint64_t next = 0;
  for (int step = 0; step < 200000; ++step) {
    const auto roll = rng() % 10;
    if (roll < 5 || model.empty()) {
      next += 1 + (rng() % 50 == 0 ? rng() % 9000 : 0);  // Sometimes skip whole pages.
      owned.push_back(std::make_unique<FakeNode>(FakeNode{next}));
      index.Insert(EventId(next), owned.back().get());
      model[next] = owned.back().get();
    } else {
      auto it = model.lower_bound(1 + rng() % next);
      if (it == model.end()) it = model.begin();
      index.Erase(EventId(it->first));
      model.erase(it);
    }
    const std::uint64_t probe = rng() % (next + 10);
    auto it = model.find(probe);
    ASSERT_EQ(index.Find(EventId(probe)), it == model.end() ? nullptr : it->second)
        << "step " << step << " id " << probe;
  }
  EXPECT_EQ(index.size(), model.size());
  std::vector<std::uint64_t> expected;
  for (const auto& [id, node] : model) expected.push_back(id);
  EXPECT_EQ(Listed(index), expected);
}

}  // namespace
}  // namespace magent::internal
