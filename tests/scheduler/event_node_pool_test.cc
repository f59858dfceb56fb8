// EventNodePool: every node it hands out is distinct and fresh, freed slots are reused
// before new memory is taken, allocation after a burst of frees goes in address order
// (what makes scheduling bursts sequential in memory), and a seeded random run never hands
// out a slot twice.
#include "scheduler/event_node_pool.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <vector>

namespace magent::internal {
namespace {

TEST(SchedulerEventNodePoolTest, NodesAreDistinctAndFresh) {
  EventNodePool pool;
  std::vector<EventNode*> nodes;
  for (int i = 0; i < 5000; ++i) {
    EventNode* node = pool.New();
    EXPECT_EQ(node->state, EventState::kFuture);
    EXPECT_EQ(node->queue_refs, 0u);
    EXPECT_EQ(node->details, nullptr);
    node->id = EventId(static_cast<std::uint64_t>(i) + 1);
    nodes.push_back(node);
  }
  std::set<EventNode*> distinct(nodes.begin(), nodes.end());
  EXPECT_EQ(distinct.size(), nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    EXPECT_EQ(nodes[i]->id, EventId(i + 1));  // No node overlaps another.
    pool.Delete(nodes[i]);
  }
}

TEST(SchedulerEventNodePoolTest, FreedSlotsAreReusedBeforeNewMemoryIsTaken) {
  EventNodePool pool;
  std::vector<EventNode*> nodes(3000);
  for (EventNode*& node : nodes) node = pool.New();
  for (EventNode* node : nodes) pool.Delete(node);
  const std::size_t heap = mallinfo2().uordblks;
  for (EventNode*& node : nodes) node = pool.New();  // As many again: no new slab.
  EXPECT_EQ(mallinfo2().uordblks, heap);
  for (EventNode* node : nodes) pool.Delete(node);
}

TEST(SchedulerEventNodePoolTest, AfterRandomFreesNewNodesComeInAddressOrder) {
  EventNodePool pool;
  std::vector<EventNode*> nodes;
  for (int i = 0; i < 20000; ++i) nodes.push_back(pool.New());
  std::mt19937_64 rng(5);
  std::shuffle(nodes.begin(), nodes.end(), rng);
  for (EventNode* node : nodes) pool.Delete(node);  // Freed in random order, like due order.

  // Within one slab (the pool's slabs are made in address order here), a burst of new
  // nodes ascends: count the descents, which only slab boundaries may cause.
  std::vector<EventNode*> burst;
  for (int i = 0; i < 20000; ++i) burst.push_back(pool.New());
  int descents = 0;
  for (std::size_t i = 1; i < burst.size(); ++i) {
    if (std::less<EventNode*>()(burst[i], burst[i - 1])) ++descents;
  }
  EXPECT_LT(descents, 20);  // One per slab at most; a free list would descend ~10000 times.
  for (EventNode* node : burst) pool.Delete(node);
}

TEST(SchedulerEventNodePoolTest, RandomNewAndDeleteNeverHandOutALiveSlot) {
  EventNodePool pool;
  std::set<EventNode*> live;
  std::vector<EventNode*> order;
  std::mt19937_64 rng(9);
  for (int step = 0; step < 100000; ++step) {
    if (rng() % 5 < 3 || order.empty()) {
      EventNode* node = pool.New();
      ASSERT_TRUE(live.insert(node).second) << "step " << step;
      order.push_back(node);
    } else {
      const std::size_t i = rng() % order.size();
      pool.Delete(order[i]);
      live.erase(order[i]);
      order[i] = order.back();
      order.pop_back();
    }
  }
  for (EventNode* node : order) pool.Delete(node);
}

}  // namespace
}  // namespace magent::internal
