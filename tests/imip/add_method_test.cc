// add_method_response = add: an ADD's occurrences join the event the resource holds and
// are decided like the event's own (imip-agent's "apply them to events as received").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

// A VEVENT of UID `uid` from alice with room1 invited; `extra` lines go into it.
std::string Calendar(const std::string& method, const std::string& uid, const std::string& start,
                     const std::string& end, const std::string& extra = "") {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + method +
         "\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:" + start +
         "\r\nDTEND:" + end + "\r\nSUMMARY:" + uid + "\r\n" + extra +
         "ORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE;CUTYPE=ROOM:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

// Weekly on Wednesdays at 10:00 UTC from 2 December, three times.
std::string Series(const std::string& method = "REQUEST") {
  return Calendar(method, "weekly", "20261202T100000Z", "20261202T110000Z",
                  "SEQUENCE:0\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n");
}

// One more occurrence of the series, on Friday 4 December at 10:00.
std::string AddFriday(int sequence = 1) {
  return Calendar("ADD", "weekly", "20261204T100000Z", "20261204T110000Z",
                  "SEQUENCE:" + std::to_string(sequence) + "\r\n");
}

class AddMethodTest : public testing::ResourceFixture {
 protected:
  void SetUp() override { Prefer("add_method_response", "add"); }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

TEST_F(AddMethodTest, AnAddedOccurrenceIsBookedAndAnsweredByItsRecurrenceId) {
  ASSERT_EQ(Decide(Series()).verdict, Verdict::kAccepted);
  HandledMessage added = Handle(AddFriday());
  ASSERT_EQ(added.decisions.size(), 1u);
  EXPECT_EQ(added.decisions[0].verdict, Verdict::kAccepted) << added.decisions[0].why.English();
  ASSERT_EQ(added.replies.size(), 1u);
  EXPECT_EQ(added.replies[0].method, "REPLY");
  const std::string& reply = added.replies[0].calendar;
  EXPECT_TRUE(Has(reply, "RECURRENCE-ID:20261204T100000Z")) << reply;
  EXPECT_TRUE(Has(reply, "PARTSTAT=ACCEPTED")) << reply;

  // The Friday is now held.
  EXPECT_EQ(Decide(Calendar("REQUEST", "other", "20261204T103000Z", "20261204T113000Z")).verdict,
            Verdict::kDeclined);
}

TEST_F(AddMethodTest, AnAddedOccurrenceThatConflictsIsDeclinedAndNotHeld) {
  ASSERT_EQ(Decide(Calendar("REQUEST", "board", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
  ASSERT_EQ(Decide(Series()).verdict, Verdict::kAccepted);
  HandledMessage added = Handle(AddFriday());
  ASSERT_EQ(added.decisions.size(), 1u);
  EXPECT_EQ(added.decisions[0].verdict, Verdict::kDeclined);
  EXPECT_TRUE(Has(added.decisions[0].why.English(), "'board'")) << added.decisions[0].why.English();
  ASSERT_EQ(added.replies.size(), 1u);
  EXPECT_TRUE(Has(added.replies[0].calendar, "PARTSTAT=DECLINED"));

  // Once the board meeting is cancelled, the Friday is free: the declined occurrence held
  // nothing.
  ASSERT_EQ(Decide(Calendar("CANCEL", "board", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kReleased);
  EXPECT_EQ(Decide(Calendar("REQUEST", "later", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
}

TEST_F(AddMethodTest, AnAddedOccurrenceCanBeCancelledByItsRecurrenceId) {
  Decide(Series());
  ASSERT_EQ(Decide(AddFriday()).verdict, Verdict::kAccepted);
  EXPECT_EQ(Decide(Calendar("CANCEL", "weekly", "20261204T100000Z", "20261204T110000Z",
                            "SEQUENCE:2\r\nRECURRENCE-ID:20261204T100000Z\r\n"))
                .verdict,
            Verdict::kReleased);
  EXPECT_EQ(Decide(Calendar("REQUEST", "other", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
}

TEST_F(AddMethodTest, AnAddForAnUnknownEventAsksForTheWholeEvent) {
  HandledMessage added = Handle(AddFriday());
  ASSERT_EQ(added.decisions.size(), 1u);
  EXPECT_EQ(added.decisions[0].verdict, Verdict::kAnswered);
  ASSERT_EQ(added.replies.size(), 1u);
  EXPECT_EQ(added.replies[0].method, "REFRESH");
  // Nothing was booked.
  EXPECT_EQ(Decide(Calendar("REQUEST", "other", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
}

TEST_F(AddMethodTest, AnAddNotFromTheOrganizerOrStaleIsIgnored) {
  Decide(Series());
  Decide(Calendar("REQUEST", "weekly", "20261202T100000Z", "20261202T110000Z",
                  "SEQUENCE:3\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"));
  EXPECT_EQ(Decide(AddFriday(4), "mallory@example.org").verdict, Verdict::kIgnored);
  Decision stale = Decide(AddFriday(2));
  EXPECT_EQ(stale.verdict, Verdict::kIgnored);
  EXPECT_TRUE(Has(stale.why.English(), "older")) << stale.why.English();
  EXPECT_EQ(Decide(Calendar("REQUEST", "other", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
}

TEST_F(AddMethodTest, AnAddOfTheSameSequenceButAnOlderStampIsIgnoredIssue15) {
  Decide(Series());
  std::string older = AddFriday(0);
  const std::string stamp = "DTSTAMP:20261201T070000Z";
  older.replace(older.find(stamp), stamp.size(), "DTSTAMP:20261201T060000Z");
  Decision stale = Decide(older);
  EXPECT_EQ(stale.verdict, Verdict::kIgnored);
  EXPECT_TRUE(Has(stale.why.English(), "older")) << stale.why.English();
  EXPECT_EQ(Decide(AddFriday(0)).verdict, Verdict::kAccepted);
}

TEST_F(AddMethodTest, AnAddedOccurrenceOffThePermittedTimesIsDeclinedNotCountered) {
  Prefer("scheduling_function", "schedule_corrected_in_freebusy");
  Prefer("permitted_times", "0");
  ASSERT_EQ(Decide(Series()).verdict, Verdict::kAccepted);
  HandledMessage added =
      Handle(Calendar("ADD", "weekly", "20261204T101500Z", "20261204T111500Z", "SEQUENCE:1\r\n"));
  ASSERT_EQ(added.decisions.size(), 1u);
  EXPECT_EQ(added.decisions[0].verdict, Verdict::kDeclined);
  EXPECT_TRUE(Has(added.decisions[0].why.English(), "not a permitted time"))
      << added.decisions[0].why.English();
  ASSERT_EQ(added.replies.size(), 1u);
  EXPECT_EQ(added.replies[0].method, "REPLY");
}

TEST_F(AddMethodTest, AnAddedOccurrenceCountsInTheQuota) {
  const auto group = dir_.root() / "journal" / "rooms";
  std::filesystem::create_directories(group);
  std::ofstream(group / "limits") << "alice@example.com PT4H\n";
  Prefer("scheduling_function", "schedule_in_freebusy\ncheck_quota rooms");
  ASSERT_EQ(Decide(Series()).verdict, Verdict::kAccepted);     // Three hours.
  ASSERT_EQ(Decide(AddFriday()).verdict, Verdict::kAccepted);  // The fourth.
  // A fifth hour is over the quota: the added occurrence was counted.
  Decision over = Decide(Calendar("REQUEST", "more", "20261205T100000Z", "20261205T110000Z"));
  EXPECT_EQ(over.verdict, Verdict::kDeclined);
  EXPECT_TRUE(Has(over.why.English(), "quota")) << over.why.English();
}

TEST_F(AddMethodTest, ABusyAddedOccurrenceIsDeclinedNotDelegated) {
  const auto group = dir_.root() / "journal" / "rooms";
  std::filesystem::create_directories(group);
  std::ofstream(group / "limits") << "* *\n";
  std::ofstream(group / "delegates") << "room2@example.com\n";
  Prefer("scheduling_function", "schedule_for_delegate rooms");
  ASSERT_EQ(Decide(Calendar("REQUEST", "board", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
  ASSERT_EQ(Decide(Series()).verdict, Verdict::kAccepted);
  Decision added = Decide(AddFriday());
  EXPECT_EQ(added.verdict, Verdict::kDeclined);
  EXPECT_TRUE(Has(added.why.English(), "not delegated")) << added.why.English();
}

TEST_F(AddMethodTest, AnAddToADeclinedEventBooksNothing) {
  Decide(Calendar("REQUEST", "board", "20261202T100000Z", "20261202T110000Z"));
  ASSERT_EQ(Decide(Series()).verdict, Verdict::kDeclined);
  EXPECT_EQ(Decide(AddFriday()).verdict, Verdict::kIgnored);
  EXPECT_EQ(Decide(Calendar("REQUEST", "other", "20261204T100000Z", "20261204T110000Z")).verdict,
            Verdict::kAccepted);
}

}  // namespace
}  // namespace magent::imip
