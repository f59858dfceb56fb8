// A runtime on a ManualClock with no threads of its own: the test drives it, so every
// scenario is deterministic and nothing sleeps.
#ifndef MAGENT_TESTS_TESTING_MANUAL_RUNTIME_H_
#define MAGENT_TESTS_TESTING_MANUAL_RUNTIME_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "magent/magent.h"

namespace magent::testing {

// 2026-11-22 09:00:00 UTC: tests start at a fixed, readable time.
inline TimePoint TestEpoch() {
  using namespace std::chrono;
  return sys_days{year{2026} / 11 / 22} + hours(9);
}

class ManualRuntimeTest : public ::testing::Test {
 protected:
  explicit ManualRuntimeTest(RuntimeOptions options = {}) {
    clock_ = std::make_shared<ManualClock>(TestEpoch());
    options.clock = clock_;
    options.threads = 0;
    auto runtime = Runtime::Create(std::move(options));
    EXPECT_TRUE(runtime.ok()) << runtime.status().ToString();
    runtime_ = std::move(runtime).value();
    // Slots run on whichever thread caused the transition, several at once when tests
    // schedule from threads of their own.
    transitions_ = runtime_->scheduler().OnTransition([this](const Transition& t) {
      std::lock_guard lock(seen_mu_);
      seen_.push_back(t);
    });
  }

  Runtime& rt() { return *runtime_; }
  ManualClock& clock() { return *clock_; }
  TimePoint now() const { return clock_->Now(); }

  // Runs everything that is ready now.
  void Run() { runtime_->RunUntilIdle(); }
  // Moves the clock and runs what that made due.
  void Advance(Duration d) {
    clock_->Advance(d);
    Run();
  }

  std::shared_ptr<Agent> MakeAgent(AgentSource& source, AgentOptions options = {}) {
    auto agent = source.CreateAgent(std::move(options));
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    Run();
    return agent.ok() ? *agent : nullptr;
  }

  // The archived record of `id`; fails the test if it is not there.
  EventRecord Archived(EventId id) {
    auto record = runtime_->unmasked_archive().Get(id);
    EXPECT_TRUE(record.ok()) << "event " << id.value() << ": " << record.status().ToString();
    return record.ok() ? *record : EventRecord{};
  }

  // Every transition seen so far, in order.
  std::vector<Transition> transitions() const {
    std::lock_guard lock(seen_mu_);
    return seen_;
  }

 private:
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Runtime> runtime_;
  mutable std::mutex seen_mu_;
  std::vector<Transition> seen_;  // Guarded by seen_mu_.
  boost::signals2::scoped_connection transitions_;
};

// A spec of `kind` doing `work`, due at `due` (epoch: now).
inline EventSpec Spec(std::string kind, Work work, TimePoint due = {}) {
  EventSpec spec;
  spec.kind = std::move(kind);
  spec.work = std::move(work);
  spec.due = due;
  return spec;
}

// Work that succeeds at once with `text`.
inline Work Succeed(std::string text = "done") {
  return PlainWork([text](EventContext&) -> Result<Text> { return Text(text); });
}

}  // namespace magent::testing

#endif  // MAGENT_TESTS_TESTING_MANUAL_RUNTIME_H_
