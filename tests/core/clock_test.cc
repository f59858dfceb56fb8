#include "magent/clock.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "testing/manual_runtime.h"

namespace magent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class ManualClockTest : public ::testing::Test {
 protected:
  // Runs every handler the clock posted; returns how many ran.
  std::size_t Poll() {
    io_.restart();
    return io_.poll();
  }

  boost::asio::io_context io_;
  ManualClock clock_{testing::TestEpoch()};
};

TEST_F(ManualClockTest, StartsWhereToldAndOnlyMovesWhenAdvanced) {
  EXPECT_EQ(clock_.Now(), testing::TestEpoch());
  EXPECT_EQ(clock_.Now(), testing::TestEpoch());
  clock_.Advance(minutes(5));
  EXPECT_EQ(clock_.Now(), testing::TestEpoch() + minutes(5));
}

TEST_F(ManualClockTest, DefaultStartIsTheEpoch) {
  ManualClock clock;
  EXPECT_EQ(clock.Now(), TimePoint{});
}

TEST_F(ManualClockTest, NeverGoesBack) {
  const TimePoint start = clock_.Now();
  clock_.Advance(-minutes(5));
  EXPECT_EQ(clock_.Now(), start);
  clock_.Advance(Duration::zero());
  EXPECT_EQ(clock_.Now(), start);
  clock_.AdvanceTo(start - hours(1));
  EXPECT_EQ(clock_.Now(), start);
  clock_.AdvanceTo(start + hours(1));
  EXPECT_EQ(clock_.Now(), start + hours(1));
  clock_.AdvanceTo(start + minutes(30));
  EXPECT_EQ(clock_.Now(), start + hours(1));
}

TEST_F(ManualClockTest, AdvanceFiresDueTimerOnItsExecutorNotInline) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  int fired = 0;
  timer->Arm(clock_.Now() + seconds(10), [&] { ++fired; });

  clock_.Advance(seconds(9));
  EXPECT_EQ(Poll(), 0u);
  EXPECT_EQ(fired, 0);

  clock_.Advance(seconds(1));
  EXPECT_EQ(fired, 0) << "fired inline inside Advance()";
  EXPECT_EQ(Poll(), 1u);
  EXPECT_EQ(fired, 1);

  // One-shot: more time does not fire it again.
  clock_.Advance(hours(1));
  EXPECT_EQ(Poll(), 0u);
  EXPECT_EQ(fired, 1);
}

TEST_F(ManualClockTest, AdvanceToFiresDueTimers) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  bool fired = false;
  const TimePoint when = clock_.Now() + minutes(3);
  timer->Arm(when, [&] { fired = true; });
  clock_.AdvanceTo(when - seconds(1));
  Poll();
  EXPECT_FALSE(fired);
  clock_.AdvanceTo(when);
  Poll();
  EXPECT_TRUE(fired);
}

TEST_F(ManualClockTest, ArmingInThePastFiresOnTheExecutorNotInsideArm) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  bool fired = false;
  timer->Arm(clock_.Now() - seconds(1), [&] { fired = true; });
  EXPECT_FALSE(fired);
  EXPECT_EQ(Poll(), 1u);
  EXPECT_TRUE(fired);
}

TEST_F(ManualClockTest, ArmingAtNowFiresWithoutAdvancing) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  bool fired = false;
  timer->Arm(clock_.Now(), [&] { fired = true; });
  Poll();
  EXPECT_TRUE(fired);
}

TEST_F(ManualClockTest, RearmReplacesTheEarlierDeadlineAndCallback) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  int first = 0, second = 0;
  timer->Arm(clock_.Now() + seconds(5), [&] { ++first; });
  timer->Arm(clock_.Now() + seconds(20), [&] { ++second; });

  clock_.Advance(seconds(10));
  Poll();
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0);

  clock_.Advance(seconds(10));
  Poll();
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST_F(ManualClockTest, RearmEarlierFiresAtTheNewDeadline) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  int fired = 0;
  timer->Arm(clock_.Now() + hours(1), [&] { fired += 10; });
  timer->Arm(clock_.Now() + seconds(1), [&] { fired += 1; });
  clock_.Advance(seconds(1));
  Poll();
  EXPECT_EQ(fired, 1);
  clock_.Advance(hours(2));
  Poll();
  EXPECT_EQ(fired, 1);
}

TEST_F(ManualClockTest, CancelledTimerDoesNotFire) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  bool fired = false;
  timer->Arm(clock_.Now() + seconds(5), [&] { fired = true; });
  timer->Cancel();
  clock_.Advance(hours(1));
  EXPECT_EQ(Poll(), 0u);
  EXPECT_FALSE(fired);
}

TEST_F(ManualClockTest, CancelledTimerCanBeArmedAgain) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  int fired = 0;
  timer->Arm(clock_.Now() + seconds(5), [&] { fired += 100; });
  timer->Cancel();
  timer->Arm(clock_.Now() + seconds(7), [&] { fired += 1; });
  clock_.Advance(seconds(7));
  Poll();
  EXPECT_EQ(fired, 1);
}

TEST_F(ManualClockTest, DestroyedTimerDoesNotRunAnAlreadyPostedFire) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  bool fired = false;
  timer->Arm(clock_.Now() + seconds(1), [&] { fired = true; });
  clock_.Advance(seconds(1));  // Posted, not yet run.
  timer.reset();
  Poll();
  EXPECT_FALSE(fired);
}

TEST_F(ManualClockTest, OneAdvanceFiresEveryDueTimerAndNoOther) {
  std::vector<std::unique_ptr<Timer>> timers;
  std::vector<int> fired(4, 0);
  for (int i = 0; i < 4; ++i) {
    timers.push_back(clock_.MakeTimer(io_.get_executor()));
    timers.back()->Arm(clock_.Now() + seconds(10 * (i + 1)), [&fired, i] { ++fired[i]; });
  }
  clock_.Advance(seconds(25));
  Poll();
  EXPECT_EQ(fired, (std::vector<int>{1, 1, 0, 0}));
  clock_.Advance(seconds(100));
  Poll();
  EXPECT_EQ(fired, (std::vector<int>{1, 1, 1, 1}));
}

TEST_F(ManualClockTest, TimerCallbackMayRearmItsOwnTimer) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  int fired = 0;
  std::function<void()> tick = [&] {
    ++fired;
    timer->Arm(clock_.Now() + seconds(1), tick);
  };
  timer->Arm(clock_.Now() + seconds(1), tick);
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(seconds(1));
    Poll();
  }
  EXPECT_EQ(fired, 3);
  timer->Cancel();
}

TEST_F(ManualClockTest, AdvanceFromAnotherThreadPostsToTheTimersExecutor) {
  auto timer = clock_.MakeTimer(io_.get_executor());
  std::thread::id fired_on;
  timer->Arm(clock_.Now() + seconds(1), [&] { fired_on = std::this_thread::get_id(); });
  std::thread advancer([&] { clock_.Advance(seconds(1)); });
  advancer.join();
  Poll();
  EXPECT_EQ(fired_on, std::this_thread::get_id());
}

TEST(SystemClockTest, NowFollowsTheSystemClock) {
  SystemClock clock;
  const TimePoint before = std::chrono::system_clock::now();
  const TimePoint now = clock.Now();
  const TimePoint after = std::chrono::system_clock::now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

TEST(SystemClockTest, TimerDueInThePastFiresThroughTheIoContext) {
  boost::asio::io_context io;
  SystemClock clock;
  auto timer = clock.MakeTimer(io.get_executor());
  bool fired = false;
  timer->Arm(clock.Now() - seconds(1), [&] { fired = true; });
  EXPECT_FALSE(fired);
  io.run();
  EXPECT_TRUE(fired);
}

TEST(SystemClockTest, TimerDueNowFires) {
  boost::asio::io_context io;
  SystemClock clock;
  auto timer = clock.MakeTimer(io.get_executor());
  bool fired = false;
  timer->Arm(clock.Now(), [&] { fired = true; });
  io.run();
  EXPECT_TRUE(fired);
}

TEST(SystemClockTest, RearmReplacesTheEarlierArming) {
  boost::asio::io_context io;
  SystemClock clock;
  auto timer = clock.MakeTimer(io.get_executor());
  int first = 0, second = 0;
  timer->Arm(clock.Now() + hours(1), [&] { ++first; });
  timer->Arm(clock.Now() - seconds(1), [&] { ++second; });
  io.run();  // Returns: nothing waits for the hour any more.
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(SystemClockTest, CancelledTimerDoesNotFire) {
  boost::asio::io_context io;
  SystemClock clock;
  auto timer = clock.MakeTimer(io.get_executor());
  bool fired = false;
  timer->Arm(clock.Now() + hours(1), [&] { fired = true; });
  timer->Cancel();
  io.run();  // Returns at once: the wait ended as aborted.
  EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace magent
