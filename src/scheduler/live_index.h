// LiveIndex: finds a live event's node by its id.
//
// The scheduler hands out event ids in sequence, so the index is a paged array indexed by
// id rather than a hash map: an insert appends, a lookup is a few loads, nothing rehashes
// as the number of pending events grows, and a page is freed once every event in it ended.
// A pending event costs one pointer and one bit (plus its page's share while the page
// lives).
//
// Events end in due order, unrelated to id order, so an erase would write a random slot of
// a million-entry array: a cache miss per event (BM_Lifecycle ran 30% faster without
// them). An erase sets the id's bit in its page's bitmap of ended ids instead, which is
// 1/64 of the slots' size (128 KiB for a million ids) and stays in cache.
//
// Thread safety: none; the scheduler guards it with RuntimeCore::mu.
#ifndef MAGENT_SRC_SCHEDULER_LIVE_INDEX_H_
#define MAGENT_SRC_SCHEDULER_LIVE_INDEX_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>

#include "magent/ids.h"

namespace magent::internal {

template <typename Node>
class LiveIndex {
 public:
  std::size_t size() const { return size_; }

  // REQUIRES: `id` is greater than every id inserted before.
  void Insert(EventId id, Node* node) {
    const std::uint64_t page = id.value() >> kPageBits;
    if (pages_.empty() || first_page_ + pages_.size() <= page) AddPagesUpTo(page);
    Page& p = *pages_.back();
    p.slots[id.value() & kPageMask] = node;  // Its ended bit is clear: ids are not reused.
    ++p.live;
    ++size_;
  }

  Node* Find(EventId id) const {
    const std::uint64_t page = id.value() >> kPageBits;
    if (page < first_page_ || page - first_page_ >= pages_.size()) return nullptr;
    const Page* p = pages_[page - first_page_].get();
    const std::uint64_t slot = id.value() & kPageMask;
    return p && !p->Ended(slot) ? p->slots[slot] : nullptr;
  }

  // REQUIRES: `id` is in the index.
  void Erase(EventId id) {
    const std::uint64_t index = (id.value() >> kPageBits) - first_page_;
    std::unique_ptr<Page>& p = pages_[index];
    const std::uint64_t slot = id.value() & kPageMask;
    p->ended[slot / 64] |= std::uint64_t{1} << (slot % 64);
    --size_;
    // The last page still takes new ids; it is freed when the next page starts.
    if (--p->live == 0 && index + 1 < pages_.size()) {
      p.reset();
      TrimFront();
    }
  }

  // Calls `fn(node)` for every live node, in id order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const auto& p : pages_) {
      if (!p || p->live == 0) continue;
      for (std::uint64_t slot = 0; slot < p->slots.size(); ++slot) {
        if (p->slots[slot] && !p->Ended(slot)) fn(p->slots[slot]);
      }
    }
  }

  void Clear() {
    pages_.clear();
    size_ = 0;
  }

 private:
  static constexpr unsigned kPageBits = 12;
  static constexpr std::uint64_t kPageMask = (std::uint64_t{1} << kPageBits) - 1;

  // The ended bits and the count live in the page, and go with it: an old event that
  // stays live keeps the front page, and the pages freed behind it must cost nothing more
  // than their null pointer. (One array of bits for all pages, tried for locality, kept
  // 512 bytes per freed page behind such an event, and was no faster.)
  struct Page {
    bool Ended(std::uint64_t slot) const { return (ended[slot / 64] >> (slot % 64)) & 1; }

    std::array<Node*, std::size_t{1} << kPageBits> slots{};  // Stale once ended.
    std::array<std::uint64_t, (std::size_t{1} << kPageBits) / 64> ended{};
    std::uint32_t live = 0;
  };

  void AddPagesUpTo(std::uint64_t page) {
    if (pages_.empty()) first_page_ = page;
    while (first_page_ + pages_.size() <= page) {
      // The page being left behind may already have no live event: nothing else frees it.
      if (!pages_.empty() && pages_.back() && pages_.back()->live == 0) pages_.back().reset();
      pages_.push_back(std::make_unique<Page>());
    }
    TrimFront();
  }

  void TrimFront() {
    while (pages_.size() > 1 && !pages_.front()) {
      pages_.pop_front();
      ++first_page_;
    }
  }

  std::deque<std::unique_ptr<Page>> pages_;  // pages_[i] holds ids of page first_page_ + i.
  std::uint64_t first_page_ = 0;
  std::size_t size_ = 0;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_LIVE_INDEX_H_
