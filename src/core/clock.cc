#include "magent/clock.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/system_timer.hpp>

namespace magent {
namespace {

class AsioTimer final : public Timer {
 public:
  explicit AsioTimer(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {}
  void Arm(TimePoint when, std::function<void()> fire) override {
    timer_.expires_at(when);
    timer_.async_wait([fire = std::move(fire)](const boost::system::error_code& ec) {
      if (!ec) fire();
    });
  }
  void Cancel() override { timer_.cancel(); }

 private:
  boost::asio::system_timer timer_;
};

}  // namespace

std::unique_ptr<Timer> SystemClock::MakeTimer(boost::asio::any_io_executor executor) {
  return std::make_unique<AsioTimer>(std::move(executor));
}

// A timer of a ManualClock. Arming records the deadline; the clock fires it when advanced.
// A fire posted before a re-arm still runs: owners treat a wake-up as "look again", never
// as "the deadline you last set has passed".
class ManualClock::ManualTimer final : public Timer {
 public:
  ManualTimer(ManualClock* clock, boost::asio::any_io_executor executor)
      : clock_(clock), executor_(std::move(executor)) {
    std::lock_guard lock(clock_->mu_);
    clock_->timers_.push_back(this);
  }
  ~ManualTimer() override {
    std::lock_guard lock(clock_->mu_);
    std::erase(clock_->timers_, this);
    alive_->store(false);
  }

  void Arm(TimePoint when, std::function<void()> fire) override {
    {
      std::lock_guard lock(clock_->mu_);
      armed_ = true;
      when_ = when;
      fire_ = std::move(fire);
    }
    clock_->FireDue();  // Already due: fires now (posted, never inline).
  }
  void Cancel() override {
    std::lock_guard lock(clock_->mu_);
    armed_ = false;
    fire_ = nullptr;
  }

 private:
  friend class ManualClock;
  ManualClock* clock_;
  boost::asio::any_io_executor executor_;
  // Guarded by clock_->mu_:
  bool armed_ = false;
  TimePoint when_{};
  std::function<void()> fire_;
  // Lets a posted fire see that its timer was destroyed meanwhile.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

ManualClock::~ManualClock() = default;

TimePoint ManualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

std::unique_ptr<Timer> ManualClock::MakeTimer(boost::asio::any_io_executor executor) {
  return std::make_unique<ManualTimer>(this, std::move(executor));
}

void ManualClock::Advance(Duration d) {
  if (d <= Duration::zero()) return;
  {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  FireDue();
}

void ManualClock::AdvanceTo(TimePoint t) {
  {
    std::lock_guard lock(mu_);
    if (t <= now_) return;
    now_ = t;
  }
  FireDue();
}

void ManualClock::FireDue() {
  std::lock_guard lock(mu_);
  for (ManualTimer* timer : timers_) {
    if (!timer->armed_ || timer->when_ > now_) continue;
    timer->armed_ = false;
    boost::asio::post(timer->executor_, [alive = timer->alive_, fire = std::move(timer->fire_)]() {
      if (alive->load()) fire();
    });
    timer->fire_ = nullptr;
  }
}

}  // namespace magent
