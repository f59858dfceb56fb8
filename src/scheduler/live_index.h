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
// them). An erase sets the id's bit in a bitmap of ended ids instead, which is
// 1/64 of the slots' size (128 KiB for a million ids) and stays in cache.
//
// Thread safety: none; the scheduler guards it with RuntimeCore::mu.
#ifndef MAGENT_SRC_SCHEDULER_LIVE_INDEX_H_
#define MAGENT_SRC_SCHEDULER_LIVE_INDEX_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "magent/ids.h"

namespace magent::internal {

template <typename Node>
class LiveIndex {
 public:
  std::size_t size() const { return size_; }

  // REQUIRES: `id` is greater than every id inserted before.
  void Insert(EventId id, Node* node) {
    const std::uint64_t page = id.value() >> kPageBits;
    if (slots_.empty() || base_page_ + slots_.size() <= page) AddPagesUpTo(page);
    const std::size_t k = slots_.size() - 1;
    (*slots_[k])[id.value() & kPageMask] = node;  // Its ended bit is clear: ids are not reused.
    ++live_[k];
    ++size_;
  }

  Node* Find(EventId id) const {
    const std::uint64_t page = id.value() >> kPageBits;
    if (page < base_page_ + front_ || page - base_page_ >= slots_.size()) return nullptr;
    const auto k = static_cast<std::size_t>(page - base_page_);
    const Slots* slots = slots_[k].get();
    const std::uint64_t slot = id.value() & kPageMask;
    return slots && !Ended(k, slot) ? (*slots)[slot] : nullptr;
  }

  // REQUIRES: `id` is in the index.
  void Erase(EventId id) {
    const auto k = static_cast<std::size_t>((id.value() >> kPageBits) - base_page_);
    const std::uint64_t slot = id.value() & kPageMask;
    ended_[k * kWordsPerPage + slot / 64] |= std::uint64_t{1} << (slot % 64);
    --size_;
    // The last page still takes new ids; it is freed when the next page starts.
    if (--live_[k] == 0 && k + 1 < slots_.size()) {
      slots_[k].reset();
      TrimFront();
    }
  }

  // Calls `fn(node)` for every live node, in id order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (std::size_t k = front_; k < slots_.size(); ++k) {
      if (!slots_[k] || live_[k] == 0) continue;
      const Slots& slots = *slots_[k];
      for (std::uint64_t slot = 0; slot < slots.size(); ++slot) {
        if (slots[slot] && !Ended(k, slot)) fn(slots[slot]);
      }
    }
  }

  void Clear() {
    slots_.clear();
    ended_.clear();
    live_.clear();
    front_ = 0;
    size_ = 0;
  }

 private:
  static constexpr unsigned kPageBits = 12;
  static constexpr std::uint64_t kPageMask = (std::uint64_t{1} << kPageBits) - 1;
  static constexpr std::size_t kWordsPerPage = (std::size_t{1} << kPageBits) / 64;

  using Slots = std::array<Node*, std::size_t{1} << kPageBits>;  // Stale once ended.

  bool Ended(std::size_t k, std::uint64_t slot) const {
    return (ended_[k * kWordsPerPage + slot / 64] >> (slot % 64)) & 1;
  }

  void AddPagesUpTo(std::uint64_t page) {
    if (slots_.empty()) base_page_ = page;
    while (base_page_ + slots_.size() <= page) {
      // The page being left behind may already have no live event: nothing else frees it.
      if (!slots_.empty() && slots_.back() && live_.back() == 0) slots_.back().reset();
      slots_.push_back(std::make_unique<Slots>());
      ended_.resize(ended_.size() + kWordsPerPage, 0);
      live_.push_back(0);
    }
    TrimFront();
  }

  // Drops freed pages at the front; their entries leave the arrays once they are half of
  // them, so dropping costs O(1) amortized and the arrays stay contiguous.
  void TrimFront() {
    while (slots_.size() - front_ > 1 && !slots_[front_]) ++front_;
    if (front_ < 64 || front_ * 2 < slots_.size()) return;
    const auto front = static_cast<std::ptrdiff_t>(front_);
    slots_.erase(slots_.begin(), slots_.begin() + front);
    ended_.erase(ended_.begin(), ended_.begin() + front * std::ptrdiff_t{kWordsPerPage});
    live_.erase(live_.begin(), live_.begin() + front);
    base_page_ += front_;
    front_ = 0;
  }

  // Page base_page_ + k has its slots in slots_[k] (null once freed), its ended bits in
  // ended_[k * kWordsPerPage, (k + 1) * kWordsPerPage) and its live count in live_[k].
  // Pages below base_page_ + front_ are gone. One array each, rather than a struct per
  // page, so the bits and counts an erase writes share a few pages of memory.
  std::vector<std::unique_ptr<Slots>> slots_;
  std::vector<std::uint64_t> ended_;
  std::vector<std::uint32_t> live_;
  std::uint64_t base_page_ = 0;
  std::size_t front_ = 0;
  std::size_t size_ = 0;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_LIVE_INDEX_H_
