// Records for the archive tests: one with every field set to a value that differs from
// its default, and a field-by-field comparison (EventRecord has no operator==).
#ifndef MAGENT_TESTS_ARCHIVE_RECORD_FIXTURE_H_
#define MAGENT_TESTS_ARCHIVE_RECORD_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "magent/event.h"
#include "testing/manual_runtime.h"

namespace magent::testing {

// Every field of EventRecord as of record version 1, none left at its default. The frozen
// test data tests/archive/testdata/record_v1.hex is this record: keep it as it is.
inline EventRecord FullRecordV1() {
  using namespace std::chrono_literals;
  const TimePoint t = TestEpoch();
  EventRecord r;
  r.id = EventId(4242);
  r.kind = "buy";
  r.agent = AgentId(7);
  r.agent_source = SourceId(3);
  r.parent = EventId(4241);
  r.sources = {{SourceId(3), 1.0}, {SourceId(9), 0.5}};
  r.activants = {{"card:visa-1", "card", "Laurent's Visa card"}};
  r.passivants = {{"book:isbn-0596007736", "book", "Java in a Nutshell"},
                  {"address:home", "address", "Home"}};
  r.goal = Text("goal.buy", "Buy '{0}' under {1}", {"Java in a Nutshell", "$8"});
  r.payload = std::string("binary\0payload", 14);
  r.state = EventState::kPast;
  r.outcome = Outcome::kTimedOut;
  r.result = Text("result.timeout", "Ran out of time after {0}", {"2h"});
  r.frozen = true;
  r.orphaned = true;
  r.allowable = 1h;
  r.actual = 2h + 1ms;
  r.frozen_for = 10min;
  r.extensions = {{t + 1h, 30min, 30min}, {t + 90min, 1h, Duration::zero()}};
  r.created = t - 1min;
  r.due = t;
  r.started = t + 1s;
  r.finished = t + 2h + 1s + 1ms;
  return r;
}

// Version 2 added whether each activant and passivant is private.
inline EventRecord FullRecordV2() {
  EventRecord r = FullRecordV1();
  r.activants[0].is_private = true;
  r.passivants[1].is_private = true;  // The home address.
  return r;
}

// Version 3 added the history: what its source changed.
inline EventRecord FullRecordV3() {
  using namespace std::chrono_literals;
  const TimePoint t = TestEpoch();
  EventRecord r = FullRecordV2();
  r.history = {
      {t - 30s, SourceId(3), ChangedField::kDue, Text("magent.time", "{0}", {"a"}),
       Text("magent.time", "{0}", {"b"})},
      {t + 2h, SourceId(3), ChangedField::kMoreTime, Text("magent.duration", "{0}", {"1h30m"}),
       Text("magent.duration", "{0}", {"2h30m"})}};
  return r;
}

inline void ExpectSameRecord(const EventRecord& a, const EventRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.agent, b.agent);
  EXPECT_EQ(a.agent_source, b.agent_source);
  EXPECT_EQ(a.parent, b.parent);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.activants, b.activants);
  EXPECT_EQ(a.passivants, b.passivants);
  EXPECT_EQ(a.goal, b.goal);
  EXPECT_EQ(a.payload, b.payload);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.frozen, b.frozen);
  EXPECT_EQ(a.orphaned, b.orphaned);
  EXPECT_EQ(a.allowable, b.allowable);
  EXPECT_EQ(a.actual, b.actual);
  EXPECT_EQ(a.frozen_for, b.frozen_for);
  EXPECT_EQ(a.extensions, b.extensions);
  EXPECT_EQ(a.history, b.history);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.due, b.due);
  EXPECT_EQ(a.started, b.started);
  EXPECT_EQ(a.finished, b.finished);
}

// A Past record with the fields queries look at.
// The ids of `records`, in order: what paging and query tests compare.
inline std::vector<std::uint64_t> Ids(const std::vector<EventRecord>& records) {
  std::vector<std::uint64_t> ids;
  for (const EventRecord& r : records) ids.push_back(r.id.value());
  return ids;
}

inline EventRecord PastRecord(std::uint64_t id, TimePoint finished, std::string kind = "find") {
  EventRecord r;
  r.id = EventId(id);
  r.kind = std::move(kind);
  r.agent = AgentId(1);
  r.agent_source = SourceId(1);
  r.state = EventState::kPast;
  r.outcome = Outcome::kSucceeded;
  r.goal = Text("Event " + std::to_string(id));
  r.result = Text("Done");
  r.finished = finished;
  return r;
}

}  // namespace magent::testing

#endif  // MAGENT_TESTS_ARCHIVE_RECORD_FIXTURE_H_
