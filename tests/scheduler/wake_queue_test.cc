// WakeQueue, the scheduler's radix heap: key order, equal keys first in first out, keys
// below the last popped clamped to it, PopDue bounded by `now` and `max`, NextKey, and
// Compact; then a long seeded random run against a std::multimap.
#include "scheduler/wake_queue.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <tuple>
#include <vector>

namespace magent::internal {
namespace {

struct FakeNode {
  int id = 0;
};

using Queue = WakeQueue<FakeNode>;
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

class SchedulerWakeQueueTest : public ::testing::Test {
 protected:
  SchedulerWakeQueueTest() : nodes_(64) {
    for (std::size_t i = 0; i < nodes_.size(); ++i) nodes_[i].id = static_cast<int>(i);
  }
  FakeNode* node(int i) { return &nodes_[static_cast<std::size_t>(i)]; }

  // Pops everything due at `now` (up to `max`) and returns the node ids.
  std::vector<int> Pop(std::uint64_t now, std::size_t max = 1000) {
    std::vector<Queue::Entry> out;
    queue_.PopDue(now, max, out);
    std::vector<int> ids;
    for (const auto& e : out) ids.push_back(e.node->id);
    return ids;
  }

  Queue queue_;
  std::vector<FakeNode> nodes_;
};

TEST_F(SchedulerWakeQueueTest, EmptyQueueHasNoNextKeyAndPopsNothing) {
  EXPECT_TRUE(queue_.empty());
  EXPECT_EQ(queue_.size(), 0u);
  EXPECT_EQ(queue_.NextKey(), std::nullopt);
  EXPECT_TRUE(Pop(kMax).empty());
}

TEST_F(SchedulerWakeQueueTest, PopsInKeyOrder) {
  const std::uint64_t keys[] = {50, 10, 30, 1000000, 20, 40, 7};
  for (int i = 0; i < 7; ++i) queue_.Push(keys[i], node(i), 0);
  EXPECT_EQ(queue_.size(), 7u);
  EXPECT_EQ(queue_.NextKey(), 7u);
  std::vector<Queue::Entry> out;
  queue_.PopDue(kMax, 100, out);
  std::vector<std::uint64_t> popped;
  for (const auto& e : out) popped.push_back(e.key);
  EXPECT_EQ(popped, (std::vector<std::uint64_t>{7, 10, 20, 30, 40, 50, 1000000}));
  EXPECT_TRUE(queue_.empty());
  EXPECT_EQ(queue_.NextKey(), std::nullopt);
}

TEST_F(SchedulerWakeQueueTest, EqualKeysPopInPushOrder) {
  queue_.Push(5, node(1), 0);
  queue_.Push(5, node(2), 0);
  queue_.Push(3, node(3), 0);
  queue_.Push(5, node(4), 0);
  queue_.Push(9, node(5), 0);
  queue_.Push(5, node(6), 0);
  EXPECT_EQ(Pop(100), (std::vector<int>{3, 1, 2, 4, 6, 5}));
}

TEST_F(SchedulerWakeQueueTest, EqualKeysPushedAcrossPopsKeepPushOrder) {
  queue_.Push(200, node(1), 0);
  queue_.Push(100, node(2), 0);
  EXPECT_EQ(Pop(100), (std::vector<int>{2}));
  queue_.Push(200, node(3), 0);  // Pushed after node 1, same key, after a pop.
  queue_.Push(150, node(4), 0);
  queue_.Push(200, node(5), 0);
  EXPECT_EQ(Pop(200), (std::vector<int>{4, 1, 3, 5}));
}

TEST_F(SchedulerWakeQueueTest, KeysBelowTheLastPoppedAreClampedToIt) {
  queue_.Push(100, node(1), 0);
  queue_.Push(300, node(2), 0);
  EXPECT_EQ(Pop(100), (std::vector<int>{1}));
  queue_.Push(50, node(3), 0);  // In the past: due now, at the last popped key.
  queue_.Push(0, node(4), 0);
  EXPECT_EQ(queue_.NextKey(), 100u);
  std::vector<Queue::Entry> out;
  queue_.PopDue(100, 10, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].node->id, 3);
  EXPECT_EQ(out[0].key, 100u);
  EXPECT_EQ(out[1].node->id, 4);
  EXPECT_EQ(out[1].key, 100u);
  EXPECT_EQ(queue_.NextKey(), 300u);
}

TEST_F(SchedulerWakeQueueTest, PopDueStopsAtNow) {
  for (int i = 1; i <= 10; ++i) queue_.Push(static_cast<std::uint64_t>(i) * 10, node(i), 0);
  EXPECT_TRUE(Pop(9).empty());
  EXPECT_EQ(Pop(35), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(queue_.size(), 7u);
  EXPECT_EQ(queue_.NextKey(), 40u);
  EXPECT_TRUE(Pop(39).empty());
  EXPECT_EQ(Pop(40), (std::vector<int>{4}));
}

TEST_F(SchedulerWakeQueueTest, PopDueTakesAtMostMax) {
  for (int i = 0; i < 10; ++i) queue_.Push(7, node(i), 0);  // All equal.
  for (int i = 10; i < 20; ++i) queue_.Push(static_cast<std::uint64_t>(i), node(i), 0);
  EXPECT_EQ(Pop(kMax, 4), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(queue_.NextKey(), 7u);
  EXPECT_EQ(Pop(kMax, 8), (std::vector<int>{4, 5, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(queue_.size(), 8u);
  EXPECT_TRUE(Pop(kMax, 0).empty());
  EXPECT_EQ(Pop(kMax, 100), (std::vector<int>{12, 13, 14, 15, 16, 17, 18, 19}));
}

TEST_F(SchedulerWakeQueueTest, PopDueAppendsToWhatTheCallerHas) {
  queue_.Push(1, node(1), 0);
  queue_.Push(2, node(2), 0);
  std::vector<Queue::Entry> out{{0, node(9), 0}};
  queue_.PopDue(kMax, 2, out);  // `max` counts what `out` already holds.
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].node->id, 1);
}

TEST_F(SchedulerWakeQueueTest, NextKeyFollowsPushesAndPops) {
  queue_.Push(500, node(1), 0);
  EXPECT_EQ(queue_.NextKey(), 500u);
  queue_.Push(70, node(2), 0);
  EXPECT_EQ(queue_.NextKey(), 70u);
  queue_.Push(600, node(3), 0);
  EXPECT_EQ(queue_.NextKey(), 70u);
  EXPECT_EQ(Pop(70), (std::vector<int>{2}));
  EXPECT_EQ(queue_.NextKey(), 500u);
  queue_.Push(80, node(4), 0);
  EXPECT_EQ(queue_.NextKey(), 80u);
  EXPECT_EQ(Pop(kMax), (std::vector<int>{4, 1, 3}));
  EXPECT_EQ(queue_.NextKey(), std::nullopt);
}

TEST_F(SchedulerWakeQueueTest, ExtremeKeysKeepTheirOrder) {
  queue_.Push(kMax, node(1), 0);
  queue_.Push(0, node(2), 0);
  queue_.Push(kMax - 1, node(3), 0);
  queue_.Push(std::uint64_t{1} << 63, node(4), 0);
  EXPECT_EQ(queue_.NextKey(), 0u);
  EXPECT_EQ(Pop(kMax), (std::vector<int>{2, 4, 3, 1}));
}

TEST_F(SchedulerWakeQueueTest, CompactRemovesStaleEntriesAndKeepsTheOrderOfTheRest) {
  for (int i = 0; i < 20; ++i) {
    queue_.Push(static_cast<std::uint64_t>(1000 - (i % 5) * 100), node(i),
                static_cast<std::uint32_t>(i));
  }
  int asked = 0;
  queue_.Compact([&asked](const Queue::Entry& e) {
    ++asked;
    return e.gen % 2 == 1;  // Odd generations are stale.
  });
  EXPECT_EQ(asked, 20);
  EXPECT_EQ(queue_.size(), 10u);
  // Even i have keys 1000, 800, 600, 900, 700, ...: by key, then push order.
  EXPECT_EQ(Pop(kMax), (std::vector<int>{4, 14, 8, 18, 2, 12, 6, 16, 0, 10}));
}

TEST_F(SchedulerWakeQueueTest, CompactAfterAPartialPopKeepsWhatWasNotPopped) {
  for (int i = 0; i < 6; ++i) queue_.Push(10, node(i), 0);
  queue_.Push(20, node(6), 0);
  EXPECT_EQ(Pop(kMax, 2), (std::vector<int>{0, 1}));
  int asked = 0;
  queue_.Compact([&asked](const Queue::Entry& e) {
    ++asked;
    return e.node->id == 3;
  });
  EXPECT_EQ(asked, 5);  // Popped entries are not asked about again.
  EXPECT_EQ(queue_.size(), 4u);
  EXPECT_EQ(queue_.NextKey(), 10u);
  EXPECT_EQ(Pop(kMax), (std::vector<int>{2, 4, 5, 6}));
}

TEST_F(SchedulerWakeQueueTest, CompactOfEverythingEmptiesTheQueue) {
  for (int i = 0; i < 8; ++i) queue_.Push(static_cast<std::uint64_t>(i * 7 + 3), node(i), 0);
  EXPECT_EQ(Pop(3), (std::vector<int>{0}));
  queue_.Compact([](const Queue::Entry&) { return true; });
  EXPECT_TRUE(queue_.empty());
  EXPECT_EQ(queue_.NextKey(), std::nullopt);
  EXPECT_TRUE(Pop(kMax).empty());
  queue_.Push(1, node(9), 0);  // Below the last popped (3): clamped.
  EXPECT_EQ(queue_.NextKey(), 3u);
  EXPECT_EQ(Pop(3), (std::vector<int>{9}));
}

// Waves of entries as a long-running scheduler sees them: each due within the next span of
// time, all popped before the next wave, time moving on, so that the keys' high bits (and
// with them the buckets that take the load) change from wave to wave. The storage the
// queue holds follows the largest wave (plus a fixed allowance of 64k entries) instead of
// growing with each bucket's largest load. Waves of 100k and of 30k entries (below the
// allowance), and a burst of one key (which all lands in one bucket).
std::size_t MostHeldOverWaves(std::size_t wave_size, bool one_key) {
  constexpr std::uint64_t kSpan = std::uint64_t{1} << 36;
  std::vector<FakeNode> nodes(wave_size);
  Queue queue;
  std::mt19937_64 rng(0xa11ce);
  std::uint64_t now = std::uint64_t{1} << 50;
  std::size_t most_held = 0;
  std::vector<Queue::Entry> out;
  for (int wave = 0; wave < 24; ++wave) {
    const std::uint64_t burst = now + rng() % kSpan;
    for (FakeNode& n : nodes) queue.Push(one_key ? burst : now + rng() % kSpan, &n, 0);
    most_held = std::max(most_held, queue.held());
    now += kSpan + rng() % kSpan;
    out.clear();
    queue.PopDue(now, wave_size + 1, out);
    EXPECT_EQ(out.size(), wave_size);
    EXPECT_TRUE(queue.empty());
  }
  // Between waves the queue is empty, so it keeps only the allowance.
  EXPECT_LE(queue.held(), std::size_t{1} << 16);
  return most_held;
}

TEST_F(SchedulerWakeQueueTest, StorageFollowsTheLargestWaveNotTheQueuesHistory) {
  constexpr std::size_t kAllowance = std::size_t{1} << 16;
  // Growing vectors double, and empty buckets keep some storage for the next wave.
  for (const std::size_t wave : {std::size_t{100000}, std::size_t{30000}}) {
    EXPECT_LE(MostHeldOverWaves(wave, /*one_key=*/false), 5 * wave + kAllowance)
        << "waves of " << wave;
  }
  EXPECT_LE(MostHeldOverWaves(100000, /*one_key=*/true), 5 * 100000 + kAllowance);
}

// A seeded random mix of pushes (some in the past), bounded pops with `now` moving forward,
// NextKey and compactions, checked step by step against a std::multimap, whose equal keys
// keep insertion order.
TEST_F(SchedulerWakeQueueTest, MatchesAMultimapOverARandomRun) {
  using Ref = std::multimap<std::uint64_t, std::pair<int, std::uint32_t>>;
  std::vector<FakeNode> nodes(50000);
  for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i].id = static_cast<int>(i);
  Queue queue;
  Ref ref;
  std::mt19937_64 rng(0x5eed2026);
  std::uint64_t now = 1'000'000;
  std::uint64_t last_popped = 0;
  int next = 0;
  auto chance = [&rng](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  for (int step = 0; step < 200000 && next < static_cast<int>(nodes.size()); ++step) {
    const int op = std::uniform_int_distribution<int>(0, 99)(rng);
    if (op < 55) {
      // Push: mostly ahead of now, some in the past, some far ahead, a few at now.
      std::uint64_t key;
      if (chance(10)) {
        key = now - std::uniform_int_distribution<std::uint64_t>(0, 5000)(rng);
      } else if (chance(5)) {
        key = now + std::uniform_int_distribution<std::uint64_t>(0, std::uint64_t{1} << 50)(rng);
      } else if (chance(10)) {
        key = now;
      } else {
        key = now + std::uniform_int_distribution<std::uint64_t>(0, 100000)(rng);
      }
      const auto gen = static_cast<std::uint32_t>(rng() & 0xff);
      queue.Push(key, &nodes[static_cast<std::size_t>(next)], gen);
      ref.emplace(std::max(key, last_popped), std::make_pair(next, gen));
      ++next;
    } else if (op < 90) {
      now += std::uniform_int_distribution<std::uint64_t>(0, 20000)(rng);
      const std::size_t max = std::uniform_int_distribution<std::size_t>(0, 64)(rng);
      std::vector<Queue::Entry> out;
      queue.PopDue(now, max, out);
      std::size_t expected = 0;
      for (auto it = ref.begin(); it != ref.end() && it->first <= now && expected < max;) {
        ASSERT_LT(expected, out.size()) << "step " << step;
        const Queue::Entry& got = out[expected];
        ASSERT_EQ(std::make_tuple(got.key, got.node->id, got.gen),
                  std::make_tuple(it->first, it->second.first, it->second.second))
            << "step " << step << ", entry " << expected;
        last_popped = it->first;
        it = ref.erase(it);
        ++expected;
      }
      ASSERT_EQ(out.size(), expected) << "step " << step;
    } else if (op < 98) {
      const std::optional<std::uint64_t> want =
          ref.empty() ? std::nullopt : std::optional<std::uint64_t>(ref.begin()->first);
      ASSERT_EQ(queue.NextKey(), want) << "step " << step;
    } else {
      const int modulus = std::uniform_int_distribution<int>(2, 5)(rng);
      auto stale = [modulus](int id, std::uint32_t gen) {
        return (static_cast<std::uint32_t>(id) + gen) % static_cast<std::uint32_t>(modulus) == 0;
      };
      queue.Compact([&](const Queue::Entry& e) { return stale(e.node->id, e.gen); });
      std::erase_if(ref, [&](const auto& kv) { return stale(kv.second.first, kv.second.second); });
    }
    ASSERT_EQ(queue.size(), ref.size()) << "step " << step;
  }
  // Drain what is left.
  std::vector<Queue::Entry> out;
  queue.PopDue(kMax, kMax, out);
  ASSERT_EQ(out.size(), ref.size());
  std::size_t i = 0;
  for (const auto& [key, value] : ref) {
    EXPECT_EQ(std::make_tuple(out[i].key, out[i].node->id, out[i].gen),
              std::make_tuple(key, value.first, value.second));
    ++i;
  }
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace magent::internal
