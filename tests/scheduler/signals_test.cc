// The scheduler's signals: OnTransition reports every state change, OnPast every final
// record. Slots run outside magent's locks, so they may call back into magent.
#include <map>
#include <string>
#include <vector>

#include "scheduler/scheduler_testing.h"

namespace magent {
namespace {

using testing::CountingWork;
using testing::ExpectNeverRan;
using testing::ExpectPast;
using testing::NeverRanPath;
using testing::RanPath;
using testing::Spec;
using testing::Step;
using namespace std::chrono_literals;

// A transition copied out of the signal (Transition::kind is only valid during the call).
struct Seen {
  EventId id;
  AgentId agent;
  EventId parent;
  std::string kind;
  EventState from;
  EventState to;
  Outcome outcome;
  TimePoint at;
  friend bool operator==(const Seen&, const Seen&) = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "{event " << s.id.value() << " " << s.kind << " " << EventStateName(s.from) << "->"
            << EventStateName(s.to) << " " << OutcomeName(s.outcome) << "}";
}

Seen Copy(const Transition& t) {
  return Seen{t.id, t.agent, t.parent, std::string(t.kind), t.from, t.to, t.outcome, t.at};
}

// Checks that `seen` gives each event's transitions in lifecycle order.
void ExpectEachEventInOrder(const std::vector<Seen>& seen) {
  std::map<EventId, EventState> at;  // Where each event is, as far as the slot knows.
  std::map<EventId, bool> scheduled;
  for (const Seen& s : seen) {
    if (s.from == EventState::kFuture && s.to == EventState::kFuture) {
      EXPECT_FALSE(scheduled[s.id]) << s;
      scheduled[s.id] = true;
      at[s.id] = EventState::kFuture;
      continue;
    }
    EXPECT_TRUE(scheduled[s.id]) << "seen before it was scheduled: " << s;
    EXPECT_EQ(at[s.id], s.from) << s;
    at[s.id] = s.to;
  }
}

class SchedulerSignalsTest : public testing::SchedulerTest {};

TEST_F(SchedulerSignalsTest, OnTransitionReportsEveryTransitionInOrder) {
  auto agent = NewAgent();
  const TimePoint t0 = now();
  std::vector<Seen> seen;
  boost::signals2::scoped_connection c =
      rt().scheduler().OnTransition([&seen](const Transition& t) { seen.push_back(Copy(t)); });
  int calls = 0;
  EventId a = MustSchedule(*agent, Spec("a", CountingWork(&calls), t0 + 1min));
  EventId b = MustSchedule(*agent, Spec("b", CountingWork(&calls), t0 + 1min));
  EventId f = MustSchedule(*agent, Spec("f", PlainWork([](EventContext&) -> Result<Text> {
                                          return Status::Unavailable("closed");
                                        }),
                                        t0 + 1min));
  Advance(30s);
  ASSERT_TRUE(agent->Kill(b).ok());
  Advance(30s);
  const AgentId ag = agent->id();
  const std::vector<Seen> expected = {
      {a, ag, {}, "a", EventState::kFuture, EventState::kFuture, Outcome::kNone, t0},
      {b, ag, {}, "b", EventState::kFuture, EventState::kFuture, Outcome::kNone, t0},
      {f, ag, {}, "f", EventState::kFuture, EventState::kFuture, Outcome::kNone, t0},
      {b, ag, {}, "b", EventState::kFuture, EventState::kPast, Outcome::kKilled, t0 + 30s},
      {a, ag, {}, "a", EventState::kFuture, EventState::kCurrent, Outcome::kNone, t0 + 1min},
      {f, ag, {}, "f", EventState::kFuture, EventState::kCurrent, Outcome::kNone, t0 + 1min},
      {a, ag, {}, "a", EventState::kCurrent, EventState::kPast, Outcome::kSucceeded, t0 + 1min},
      {f, ag, {}, "f", EventState::kCurrent, EventState::kPast, Outcome::kFailed, t0 + 1min},
  };
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(transitions().size(), expected.size());  // The fixture's slot saw the same.
}

TEST_F(SchedulerSignalsTest, OnPastDeliversTheFinalRecordOfEveryEvent) {
  auto agent = NewAgent();
  std::vector<EventRecord> past;
  boost::signals2::scoped_connection c =
      rt().scheduler().OnPastUnmasked([&past](const EventRecord& r) { past.push_back(r); });
  int calls = 0;
  std::vector<EventId> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(MustSchedule(*agent, Spec("e", CountingWork(&calls, "done " + std::to_string(i)),
                                            now() + std::chrono::minutes(i))));
  }
  ASSERT_TRUE(agent->Cancel(ids[3]).ok());
  AdvanceInSteps(5min, 1min);
  ASSERT_EQ(past.size(), 5u);
  EXPECT_EQ(rt().scheduler().Counts().past, 5u);
  for (const EventRecord& r : past) {
    EventRecord archived = Archived(r.id);
    EXPECT_EQ(r.outcome, archived.outcome);
    EXPECT_EQ(r.result, archived.result);
    EXPECT_EQ(r.finished, archived.finished);
    ExpectPast(r, r.id == ids[3] ? Outcome::kCancelled : Outcome::kSucceeded);
  }
  EXPECT_EQ(past[0].id, ids[3]);  // Cancelled first, then in due order.
  EXPECT_EQ(past[1].result.English(), "done 0");
}

TEST_F(SchedulerSignalsTest, OnPastRunsBeforeTheArchiveHasTheRecord) {
  auto agent = NewAgent();
  std::vector<StatusCode> lookups;
  boost::signals2::scoped_connection c = rt().scheduler().OnPastUnmasked([&](const EventRecord& r) {
    lookups.push_back(rt().unmasked_archive().Get(r.id).status().code());
  });
  EventId id = MustSchedule(*agent, Spec("e", testing::Succeed()));
  Run();
  EXPECT_EQ(lookups, (std::vector<StatusCode>{StatusCode::kNotFound}));
  ExpectPast(Archived(id), Outcome::kSucceeded);
}

TEST_F(SchedulerSignalsTest, SlotsMayCallBackIntoMagentWithoutDeadlock) {
  auto agent = NewAgent();
  int first_calls = 0, second_calls = 0, victim_calls = 0;
  EventId second;
  EventId victim;
  std::vector<SchedulerCounts> counts;
  // On the first event's end, schedule the second, from the slot.
  boost::signals2::scoped_connection on_past =
      rt().scheduler().OnPastUnmasked([&](const EventRecord& r) {
        if (r.kind != "first") return;
        auto id = agent->Schedule(Spec("second", CountingWork(&second_calls)));
        EXPECT_TRUE(id.ok());
        if (id.ok()) second = *id;
      });
  // On every transition, look at the scheduler; kill the victim as it starts.
  boost::signals2::scoped_connection on_transition =
      rt().scheduler().OnTransition([&](const Transition& t) {
        counts.push_back(rt().scheduler().Counts());
        if (t.to != EventState::kPast) {
          EXPECT_TRUE(rt().scheduler().SnapshotUnmasked(t.id).ok()) << "event " << t.id.value();
        }
        if (t.id == victim && t.to == EventState::kCurrent) {
          EXPECT_TRUE(agent->Kill(t.id, Text("Killed from a slot.")).ok());
        }
      });
  MustSchedule(*agent, Spec("first", CountingWork(&first_calls)));
  victim = MustSchedule(*agent, Spec("victim", CountingWork(&victim_calls), now() + 1min));
  Run();
  EXPECT_EQ(first_calls, 1);
  ASSERT_TRUE(second);
  EXPECT_EQ(second_calls, 1);
  ExpectPast(Archived(second), Outcome::kSucceeded);
  Advance(1min);
  EXPECT_EQ(victim_calls, 0);  // Killed between its start and its run.
  EventRecord r = Archived(victim);
  ExpectPast(r, Outcome::kKilled);
  EXPECT_EQ(r.result.English(), "Killed from a slot.");
  EXPECT_EQ(PathOf(victim), RanPath(Outcome::kKilled));
  EXPECT_FALSE(counts.empty());
}

TEST_F(SchedulerSignalsTest, EverySlotSeesAnEventsTransitionsInOrderWhenASlotCausesMore) {
  auto agent = NewAgent();
  int calls = 0;
  // The first slot withdraws every "doomed" event as soon as it is scheduled; the second
  // only records. Both must see scheduled before cancelled.
  std::vector<Seen> first_seen, second_seen;
  boost::signals2::scoped_connection canceller =
      rt().scheduler().OnTransition([&](const Transition& t) {
        first_seen.push_back(Copy(t));
        if (t.kind == "doomed" && t.to == EventState::kFuture) {
          EXPECT_TRUE(agent->Cancel(t.id).ok());
        }
      });
  boost::signals2::scoped_connection recorder =
      rt().scheduler().OnTransition([&](const Transition& t) { second_seen.push_back(Copy(t)); });
  EventId doomed = MustSchedule(*agent, Spec("doomed", CountingWork(&calls), now() + 1min));
  EventId kept = MustSchedule(*agent, Spec("kept", CountingWork(&calls), now() + 1min));
  Advance(1min);
  EXPECT_EQ(calls, 1);
  ExpectNeverRan(Archived(doomed), Outcome::kCancelled);
  ExpectPast(Archived(kept), Outcome::kSucceeded);
  ExpectEachEventInOrder(first_seen);
  ExpectEachEventInOrder(second_seen);
  EXPECT_EQ(PathOf(doomed), NeverRanPath(Outcome::kCancelled));
  EXPECT_EQ(first_seen.size(), second_seen.size());
}

TEST_F(SchedulerSignalsTest, DisconnectedSlotHearsNothingMore) {
  auto agent = NewAgent();
  int heard = 0;
  boost::signals2::connection c =
      rt().scheduler().OnTransition([&heard](const Transition&) { ++heard; });
  MustSchedule(*agent, Spec("a", testing::Succeed()));
  Run();
  EXPECT_EQ(heard, 3);
  c.disconnect();
  MustSchedule(*agent, Spec("b", testing::Succeed()));
  Run();
  EXPECT_EQ(heard, 3);
  EXPECT_EQ(rt().scheduler().Counts().past, 2u);
}

TEST_F(SchedulerSignalsTest, TransitionsNameTheParentOfSpawn) {
  auto agent = NewAgent();
  EventId child;
  EventId parent =
      MustSchedule(*agent, Spec("parent", PlainWork([&child](EventContext& ctx) -> Result<Text> {
                                  auto c = ctx.Spawn(Spec("child", testing::Succeed()));
                                  if (!c.ok()) return c.status();
                                  child = *c;
                                  return Text("spawned");
                                })));
  Run();
  ASSERT_TRUE(child);
  int child_transitions = 0;
  for (const Transition& t : transitions()) {
    if (t.id != child) continue;
    ++child_transitions;
    EXPECT_EQ(t.parent, parent);
  }
  EXPECT_EQ(child_transitions, 3);
}

}  // namespace
}  // namespace magent
