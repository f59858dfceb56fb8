// A Boost.Signals2 signal that costs one relaxed atomic load when nobody ever connected.
//
// Thread safety: as boost::signals2::signal.
#ifndef MAGENT_SRC_CORE_SIGNAL_H_
#define MAGENT_SRC_CORE_SIGNAL_H_

#include <atomic>
#include <boost/signals2/signal.hpp>
#include <utility>

namespace magent::internal {

template <typename Signature>
class CheapSignal {
 public:
  template <typename Slot>
  boost::signals2::connection Connect(Slot&& slot) {
    used_.store(true, std::memory_order_relaxed);
    return signal_.connect(std::forward<Slot>(slot));
  }
  // False until the first Connect(); callers skip building arguments then.
  bool used() const { return used_.load(std::memory_order_relaxed); }
  template <typename... Args>
  void operator()(Args&&... args) {
    if (used()) signal_(std::forward<Args>(args)...);
  }

 private:
  std::atomic<bool> used_{false};
  boost::signals2::signal<Signature> signal_;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_SIGNAL_H_
