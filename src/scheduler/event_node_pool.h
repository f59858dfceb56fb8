// EventNodePool: memory for EventNodes, carved from slabs, with a bitmap of free slots.
//
// A scheduler allocates a node per event and frees it in due order, which is unrelated to
// the order of allocation. Through malloc, or through a free list, the next allocation
// then lands at a random address and costs a cache miss that nothing can overlap (a free
// list is a chain of dependent loads). Here free slots are bits, and allocation takes the
// next free slot in address order from a cursor: a burst of scheduling fills memory
// sequentially, which the hardware prefetches, and a free touches only its bitmap word.
// The bitmaps of all slabs are one array (128 KiB for a million slots): frees in due order
// set random bits, which stay in cache and in a few pages, where a bitmap per slab put
// each free on another page (perf put 15% of ending an event on that store before).
// Memory is kept at its high-water mark until the pool is destroyed.
//
// Thread safety: none; the scheduler guards it with RuntimeCore::mu.
#ifndef MAGENT_SRC_SCHEDULER_EVENT_NODE_POOL_H_
#define MAGENT_SRC_SCHEDULER_EVENT_NODE_POOL_H_

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
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
    if (free_ == 0) Refill();
    for (;;) {
      const Slab& slab = slabs_[cursor_slab_];
      for (; cursor_word_ < slab.words; ++cursor_word_) {
        std::uint64_t& word = free_bits_[slab.first_word + cursor_word_];
        if (word == 0) continue;
        const auto bit = static_cast<std::size_t>(std::countr_zero(word));
        word &= word - 1;
        --free_;
        auto* node = ::new (static_cast<void*>(&slab.slots[cursor_word_ * 64 + bit])) EventNode;
        node->pool_slab = static_cast<std::uint32_t>(cursor_slab_);
        return node;
      }
      // free_ > 0, so some slab has a free slot: go round.
      cursor_slab_ = (cursor_slab_ + 1) % slabs_.size();
      cursor_word_ = 0;
    }
  }

  void Delete(EventNode* node) {
    const Slab& slab = slabs_[node->pool_slab];
    node->~EventNode();
    const auto i = static_cast<std::size_t>(reinterpret_cast<Slot*>(node) - slab.slots);
    free_bits_[slab.first_word + i / 64] |= std::uint64_t{1} << (i % 64);
    ++free_;
  }

 private:
  struct alignas(EventNode) Slot {
    std::byte bytes[sizeof(EventNode)];
  };
  struct FreeMemory {
    void operator()(void* p) const { std::free(p); }
  };
  struct Slab {
    std::unique_ptr<void, FreeMemory> memory;
    Slot* slots = nullptr;
    std::size_t first_word = 0;  // Its bitmap: free_bits_[first_word, first_word + words).
    std::size_t words = 0;
  };

  // Slabs double from 16 KiB up to 2 MiB, so small runtimes stay small. Slabs of 2 MiB are
  // aligned to it and backed by huge pages where the kernel allows: due order is random
  // over all nodes, and with 4 KiB pages each node visit would also miss the TLB.
  void Refill() {
    const std::size_t bytes = slab_bytes_;
    slab_bytes_ = std::min(slab_bytes_ * 2, kHugePage);
    void* raw = std::aligned_alloc(bytes == kHugePage ? kHugePage : alignof(Slot), bytes);
    if (!raw) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (bytes == kHugePage) madvise(raw, bytes, MADV_HUGEPAGE);  // Advice only.
#endif
    Slab slab;
    slab.memory.reset(raw);
    slab.slots = static_cast<Slot*>(raw);  // Not zeroed: a slot is written before use.
    const std::size_t count = bytes / sizeof(Slot);
    slab.first_word = free_bits_.size();
    slab.words = (count + 63) / 64;
    free_bits_.resize(free_bits_.size() + slab.words, ~std::uint64_t{0});
    if (count % 64 != 0) free_bits_.back() = (std::uint64_t{1} << (count % 64)) - 1;
    free_ += count;
    cursor_slab_ = slabs_.size();
    cursor_word_ = 0;
    slabs_.push_back(std::move(slab));
  }

  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  std::vector<Slab> slabs_;               // In the order they were made.
  std::vector<std::uint64_t> free_bits_;  // Bit i of a slab's words set: slot i is free.
  std::size_t cursor_slab_ = 0;           // Where New looks first.
  std::size_t cursor_word_ = 0;
  std::size_t free_ = 0;
  std::size_t slab_bytes_ = std::size_t{16} << 10;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_EVENT_NODE_POOL_H_
