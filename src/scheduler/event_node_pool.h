// EventNodePool: memory for EventNodes, carved from slabs and recycled through a free list.
//
// A scheduler allocates and frees a node per event, in an order (due order) unrelated to the
// order of allocation. Through malloc, each free coalesces with random neighbours, which
// costs cache misses; here a free is one store into the node, which is hot anyway. Memory is
// kept at its high-water mark until the pool is destroyed.
//
// Thread safety: none; the scheduler guards it with RuntimeCore::mu.
#ifndef MAGENT_SRC_SCHEDULER_EVENT_NODE_POOL_H_
#define MAGENT_SRC_SCHEDULER_EVENT_NODE_POOL_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "scheduler/event_node.h"

namespace magent::internal {

class EventNodePool {
 public:
  EventNodePool() = default;
  EventNodePool(const EventNodePool&) = delete;
  EventNodePool& operator=(const EventNodePool&) = delete;
  // REQUIRES: every node was deleted.
  ~EventNodePool() = default;

  EventNode* New() {
    if (!free_) Refill();
    Slot* slot = free_;
    free_ = slot->next;
    return ::new (static_cast<void*>(slot->bytes)) EventNode;
  }

  void Delete(EventNode* node) {
    node->~EventNode();
    auto* slot = reinterpret_cast<Slot*>(node);
    slot->next = free_;
    free_ = slot;
  }

 private:
  union Slot {
    Slot* next;
    alignas(EventNode) std::byte bytes[sizeof(EventNode)];
  };
  static_assert(offsetof(Slot, bytes) == 0);

  // Slabs double from 64 nodes up to 4096, so small runtimes stay small.
  void Refill() {
    const std::size_t n = slab_size_;
    slab_size_ = std::min<std::size_t>(slab_size_ * 2, 4096);
    auto slab = std::make_unique<Slot[]>(n);
    for (std::size_t i = 0; i < n; ++i) {
      slab[i].next = free_;
      free_ = &slab[i];
    }
    slabs_.push_back(std::move(slab));
  }

  std::vector<std::unique_ptr<Slot[]>> slabs_;
  Slot* free_ = nullptr;
  std::size_t slab_size_ = 64;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_EVENT_NODE_POOL_H_
