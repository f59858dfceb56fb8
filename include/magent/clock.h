// Clocks and timers: the only way magent reads or waits for time.
//
// Time is injected. A Runtime takes a Clock; SystemClock is wall time driven by Asio
// timers, ManualClock only moves when a test (or a simulation) advances it, so the
// scheduler's behaviour is reproducible and no test sleeps.
//
// Thread safety: Clock::Now() and ManualClock's methods are thread-safe. A Timer is used by
// one owner at a time (the scheduler calls it under its own lock).
#ifndef MAGENT_CLOCK_H_
#define MAGENT_CLOCK_H_

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace magent {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

// A one-shot wake-up. Arm() replaces any earlier arming; the callback runs on the executor
// given when the timer was made, never inside Arm() or Cancel().
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void Arm(TimePoint when, std::function<void()> fire) = 0;
  virtual void Cancel() = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual TimePoint Now() const = 0;
  // Returns a timer whose callbacks are posted to `executor`.
  virtual std::unique_ptr<Timer> MakeTimer(boost::asio::any_io_executor executor) = 0;
};

// Wall-clock time; timers are boost::asio::system_timer.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  std::unique_ptr<Timer> MakeTimer(boost::asio::any_io_executor executor) override;
};

// Time that moves only when told to. Advancing past a timer's deadline posts its callback
// to the timer's executor; run the executor's context (Runtime::RunUntilIdle) to see the
// consequences.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{}) : now_(start) {}
  ~ManualClock() override;

  TimePoint Now() const override;
  std::unique_ptr<Timer> MakeTimer(boost::asio::any_io_executor executor) override;

  // Moves time forward by `d` (negative durations are ignored: time never goes back).
  void Advance(Duration d);
  // Sets the time to `t` if it is later than now.
  void AdvanceTo(TimePoint t);

 private:
  class ManualTimer;
  friend class ManualTimer;
  void FireDue();

  mutable std::mutex mu_;
  TimePoint now_;                     // Guarded by mu_.
  std::vector<ManualTimer*> timers_;  // Guarded by mu_.
};

}  // namespace magent

#endif  // MAGENT_CLOCK_H_
