// Helpers shared by the scheduler tests: a fixture with one source, spec builders, work
// that counts its calls, and views of the transitions the fixture recorded.
#ifndef MAGENT_TESTS_SCHEDULER_SCHEDULER_TESTING_H_
#define MAGENT_TESTS_SCHEDULER_SCHEDULER_TESTING_H_

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "magent/magent.h"
#include "testing/manual_runtime.h"

namespace magent {

// Readable failures for records' extension lists.
inline void PrintTo(const Extension& e, std::ostream* os) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  *os << "{at " << duration_cast<milliseconds>(e.at.time_since_epoch()).count() % 86400000
      << "ms of the day, asked " << duration_cast<milliseconds>(e.requested).count()
      << "ms, granted " << duration_cast<milliseconds>(e.granted).count() << "ms}";
}

}  // namespace magent

namespace magent::testing {

using namespace std::chrono_literals;

using Awaitable = boost::asio::awaitable<Result<Text>>;

// One step of an event's life: from -> to (and how it ended, for -> Past).
struct Step {
  EventState from;
  EventState to;
  Outcome outcome = Outcome::kNone;
  friend bool operator==(const Step&, const Step&) = default;
};

inline std::ostream& operator<<(std::ostream& os, const Step& s) {
  os << EventStateName(s.from) << "->" << EventStateName(s.to);
  if (s.outcome != Outcome::kNone) os << "(" << OutcomeName(s.outcome) << ")";
  return os;
}

// The path every event takes: scheduled, started, ended.
inline std::vector<Step> RanPath(Outcome outcome) {
  return {{EventState::kFuture, EventState::kFuture},
          {EventState::kFuture, EventState::kCurrent},
          {EventState::kCurrent, EventState::kPast, outcome}};
}
// The path of an event that never ran.
inline std::vector<Step> NeverRanPath(Outcome outcome) {
  return {{EventState::kFuture, EventState::kFuture},
          {EventState::kFuture, EventState::kPast, outcome}};
}

// Plain work that counts its calls in `*calls` and succeeds with `text`.
inline Work CountingWork(int* calls, std::string text = "done") {
  return PlainWork([calls, text](EventContext&) -> Result<Text> {
    ++*calls;
    return Text(text);
  });
}

// Checks what holds for every Past record: Past, the outcome, a result that says
// something, and a finish time.
inline void ExpectPast(const EventRecord& r, Outcome outcome) {
  EXPECT_EQ(r.state, EventState::kPast) << "event " << r.id.value();
  EXPECT_EQ(r.outcome, outcome) << "event " << r.id.value() << ": " << OutcomeName(r.outcome)
                                << ", " << r.result.English();
  EXPECT_FALSE(r.result.empty()) << "event " << r.id.value();
  EXPECT_FALSE(r.result.English().empty()) << "event " << r.id.value();
  EXPECT_NE(r.finished, TimePoint{}) << "event " << r.id.value();
  EXPECT_FALSE(r.frozen) << "event " << r.id.value();
}

// A record that never ran: no start, no running time.
inline void ExpectNeverRan(const EventRecord& r, Outcome outcome) {
  ExpectPast(r, outcome);
  EXPECT_EQ(r.started, TimePoint{}) << "event " << r.id.value();
  EXPECT_EQ(r.actual, Duration::zero()) << "event " << r.id.value();
}

class SchedulerTest : public ManualRuntimeTest {
 protected:
  explicit SchedulerTest(RuntimeOptions options = {}) : ManualRuntimeTest(std::move(options)) {
    source_ = rt().CreateSource({.name = "Laurent"});
  }

  AgentSource& source() { return *source_; }
  std::shared_ptr<Agent> NewAgent(AgentOptions options = {}) {
    return MakeAgent(*source_, std::move(options));
  }

  // Schedules `spec`; fails the test (and returns id 0) if it is refused.
  EventId MustSchedule(Agent& agent, EventSpec spec) {
    auto id = agent.Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }

  // The transitions of `id` the fixture recorded, in order.
  std::vector<Step> PathOf(EventId id) const {
    std::vector<Step> out;
    for (const Transition& t : transitions()) {
      if (t.id == id) out.push_back({t.from, t.to, t.outcome});
    }
    return out;
  }
  // When `id` made its transition to `to`; epoch if it did not.
  TimePoint TimeOf(EventId id, EventState from, EventState to) const {
    for (const Transition& t : transitions()) {
      if (t.id == id && t.from == from && t.to == to) return t.at;
    }
    return TimePoint{};
  }
  // Ids in the order they started (Future -> Current).
  std::vector<EventId> StartOrder() const {
    std::vector<EventId> out;
    for (const Transition& t : transitions()) {
      if (t.from == EventState::kFuture && t.to == EventState::kCurrent) out.push_back(t.id);
    }
    return out;
  }

  // Moves the clock `total` forward `step` at a time, running what each step made due.
  void AdvanceInSteps(Duration total, Duration step) {
    for (Duration done = Duration::zero(); done < total; done += step) Advance(step);
  }

  EventRecord Live(EventId id) {
    auto record = rt().scheduler().SnapshotUnmasked(id);
    EXPECT_TRUE(record.ok()) << "event " << id.value() << ": " << record.status().ToString();
    return record.ok() ? *record : EventRecord{};
  }
  bool IsLive(EventId id) { return rt().scheduler().SnapshotUnmasked(id).ok(); }

 private:
  std::shared_ptr<AgentSource> source_;
};

}  // namespace magent::testing

#endif  // MAGENT_TESTS_SCHEDULER_SCHEDULER_TESTING_H_
