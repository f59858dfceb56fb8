// WakeQueue: the scheduler's time-ordered queue of wake-ups, a radix heap.
//
// A radix heap is a monotone priority queue: keys pushed are never below the last key
// popped, which holds here because time only moves forward (a key in the past is clamped
// to "now"). Push is O(1); popping is amortized O(log C) for C the key range, with
// sequential memory access, which beats a binary heap of a million entries that misses
// the cache on every level. Equal keys pop in push order.
//
// Entries are never removed early: an entry is stale when its generation no longer
// matches the node's, and stale entries are skipped when popped or dropped by Compact().
//
// Thread safety: none; the scheduler guards it with RuntimeCore::mu.
#ifndef MAGENT_SRC_SCHEDULER_WAKE_QUEUE_H_
#define MAGENT_SRC_SCHEDULER_WAKE_QUEUE_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace magent::internal {

template <typename Node>
class WakeQueue {
 public:
  struct Entry {
    std::uint64_t key;
    Node* node;
    std::uint32_t gen;
  };

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void Push(std::uint64_t key, Node* node, std::uint32_t gen) {
    key = std::max(key, last_);
    std::size_t b = BucketOf(key);
    buckets_[b].push_back(Entry{key, node, gen});
    if (b > 0) occupied_ |= Bit(b);
    ++size_;
    if (b > 0 && rest_min_valid_) rest_min_ = std::min(rest_min_, key);
  }

  // Appends to `out` up to `max` entries whose key is <= `now`, earliest first. `now` must
  // not go backwards between calls.
  void PopDue(std::uint64_t now, std::size_t max, std::vector<Entry>& out) {
    while (out.size() < max) {
      auto& zero = buckets_[0];
      if (head_ < zero.size()) {
        if (last_ > now) return;
        std::size_t n = std::min(zero.size() - head_, max - out.size());
        out.insert(out.end(), zero.begin() + static_cast<std::ptrdiff_t>(head_),
                   zero.begin() + static_cast<std::ptrdiff_t>(head_ + n));
        head_ += n;
        size_ -= n;
        continue;
      }
      zero.clear();
      head_ = 0;
      // Trim, which runs after a spread, finds bucket 0 holding the new minimum: storage
      // a burst of one key left in it goes back here.
      if (zero.capacity() > Budget()) std::vector<Entry>().swap(zero);
      std::size_t b = FirstNonEmpty();
      if (b == 0) {  // Empty: whatever storage is held beyond the bound can go.
        Trim();
        return;
      }
      std::uint64_t m = RestMin();
      if (m > now) return;
      // Bucket b holds the minimum: move last_ up to it and spread b over lower buckets.
      // Entries keep their relative order, so equal keys stay in push order.
      last_ = m;
      moving_.swap(buckets_[b]);
      occupied_ &= ~Bit(b);
      for (const Entry& e : moving_) {
        const std::size_t to = BucketOf(e.key);
        buckets_[to].push_back(e);
        if (to > 0) occupied_ |= Bit(to);
      }
      moved_ += moving_.size();
      moving_.clear();
      if (buckets_[b].empty()) buckets_[b].swap(moving_);  // Keep both capacities.
      rest_min_valid_ = false;
      if (moved_ >= kTrimFrom) Trim();  // Buckets grew: check the bound now and then.
    }
  }

  // The earliest key, if any.
  std::optional<std::uint64_t> NextKey() {
    if (head_ < buckets_[0].size()) return last_;
    if (FirstNonEmpty() == 0) return std::nullopt;
    return RestMin();
  }

  // Entries the queue has storage for, in use or not.
  std::size_t held() const {
    std::size_t held = moving_.capacity();
    for (const auto& bucket : buckets_) held += bucket.capacity();
    return held;
  }

  // Removes every entry for which `stale(entry)` is true (calling it once per entry).
  template <typename Pred>
  void Compact(Pred stale) {
    auto& zero = buckets_[0];
    zero.erase(zero.begin(), zero.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    size_ = 0;
    occupied_ = 0;
    for (std::size_t b = 0; b < buckets_.size(); ++b) {
      std::erase_if(buckets_[b], stale);
      size_ += buckets_[b].size();
      if (b > 0 && !buckets_[b].empty()) occupied_ |= Bit(b);
    }
    rest_min_valid_ = false;
    Trim();
  }

 private:
  // Empty buckets keep their storage, so the next wave of entries is not copied through
  // growing vectors again, but only while the queue holds at most three times its entries
  // plus this many: otherwise each bucket would keep the largest load it ever had, a
  // different bucket whenever the keys' high bits change (as time goes on), and a
  // long-running queue would hold many times its largest size.
  static constexpr std::size_t kTrimFrom = 1 << 16;

  std::size_t Budget() const { return 3 * size_ + kTrimFrom; }

  // Frees the storage of empty buckets, largest first, while the queue holds more than
  // Budget() entries.
  void Trim() {
    moved_ = 0;
    std::size_t held = this->held();
    const std::size_t keep = Budget();
    while (held > keep) {
      std::vector<Entry>* largest = moving_.capacity() > 0 ? &moving_ : nullptr;
      for (auto& bucket : buckets_) {
        if (bucket.empty() && (!largest || bucket.capacity() > largest->capacity())) {
          largest = &bucket;
        }
      }
      if (!largest || largest->capacity() == 0) return;
      held -= largest->capacity();
      std::vector<Entry>().swap(*largest);
    }
  }

  std::size_t BucketOf(std::uint64_t key) const {
    return key == last_ ? 0 : static_cast<std::size_t>(std::bit_width(key ^ last_));
  }
  static std::uint64_t Bit(std::size_t b) { return std::uint64_t{1} << (b - 1); }
  // The lowest non-empty bucket above 0, or 0 when there is none: one instruction.
  std::size_t FirstNonEmpty() const {
    return occupied_ == 0 ? 0 : static_cast<std::size_t>(std::countr_zero(occupied_)) + 1;
  }
  // Minimum key outside bucket 0. REQUIRES: some bucket above 0 is non-empty.
  std::uint64_t RestMin() {
    if (!rest_min_valid_) {
      const auto& bucket = buckets_[FirstNonEmpty()];
      std::uint64_t min = std::numeric_limits<std::uint64_t>::max();  // Kept in a register.
      for (const Entry& e : bucket) min = std::min(min, e.key);
      rest_min_ = min;
      rest_min_valid_ = true;
    }
    return rest_min_;
  }

  std::array<std::vector<Entry>, 65> buckets_;
  std::vector<Entry> moving_;   // Scratch for redistribution, kept for its capacity.
  std::uint64_t occupied_ = 0;  // Bit b-1 set when bucket b (1..64) is non-empty.
  std::size_t head_ = 0;        // Entries of bucket 0 before head_ were popped.
  std::uint64_t last_ = 0;
  std::size_t size_ = 0;
  std::size_t moved_ = 0;  // Entries spread since the last Trim.
  std::uint64_t rest_min_ = std::numeric_limits<std::uint64_t>::max();
  bool rest_min_valid_ = true;  // True with rest_min_ = max while the queue is empty.
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_SCHEDULER_WAKE_QUEUE_H_
