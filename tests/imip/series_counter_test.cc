// Counter-proposals for a series under schedule_corrected_in_freebusy and
// schedule_next_available_in_freebusy, as imip-agent makes them: the whole series moved
// onto the permitted times (one COUNTER, no RECURRENCE-ID), or declined when the moved
// series is busy; a COUNTER for one instance names it by RECURRENCE-ID (RFC 5546).
#include <gtest/gtest.h>

#include <string>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

std::string Calendar(const std::string& method, const std::string& uid, const std::string& start,
                     const std::string& end, const std::string& extra = "") {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + method +
         "\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261201T070000Z\r\n" + start + "\r\n" +
         end + "\r\nSUMMARY:" + uid + "\r\n" + extra +
         "ORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE;CUTYPE=ROOM:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

// Weekly on Wednesdays 10:15–11:15 UTC from 2 December, three times: off the hour.
std::string OffTheHourSeries(const std::string& method = "REQUEST",
                             const std::string& uid = "weekly") {
  return Calendar(method, uid, "DTSTART:20261202T101500Z", "DTEND:20261202T111500Z",
                  "RRULE:FREQ=WEEKLY;COUNT=3\r\n");
}

std::string Single(const std::string& uid, const std::string& start, const std::string& end) {
  return Calendar("REQUEST", uid, "DTSTART:" + start, "DTEND:" + end);
}

class SeriesCounterTest : public testing::ResourceFixture {
 protected:
  void SetUp() override {
    Prefer("scheduling_function", "schedule_corrected_in_freebusy");
    Prefer("permitted_times", "0");  // On the hour.
  }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

TEST_F(SeriesCounterTest, ASeriesOffThePermittedTimesIsCounterProposedWhole) {
  Prefer("freebusy_offers", "PT1H");
  HandledMessage h = Handle(OffTheHourSeries());
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].verdict, Verdict::kCountered) << h.decisions[0].why.English();
  EXPECT_TRUE(Has(h.decisions[0].why.English(), "the series from")) << h.decisions[0].why.English();
  ASSERT_EQ(h.replies.size(), 1u);
  EXPECT_EQ(h.replies[0].method, "COUNTER");
  const std::string& counter = h.replies[0].calendar;
  EXPECT_TRUE(Has(counter, "DTSTART:20261202T110000Z")) << counter;
  EXPECT_TRUE(Has(counter, "DTEND:20261202T120000Z")) << counter;
  EXPECT_TRUE(Has(counter, "RRULE:FREQ=WEEKLY;COUNT=3")) << counter;
  EXPECT_FALSE(Has(counter, "RECURRENCE-ID")) << counter;

  // Every moved occurrence is held as the offer, the third one too.
  EXPECT_EQ(Decide(Single("other", "20261216T110000Z", "20261216T120000Z")).verdict,
            Verdict::kDeclined);
  // Declining the counter-proposal gives them all back.
  EXPECT_EQ(Decide(OffTheHourSeries("DECLINECOUNTER")).verdict, Verdict::kReleased);
  EXPECT_EQ(Decide(Single("another", "20261216T110000Z", "20261216T120000Z")).verdict,
            Verdict::kAccepted);
}

TEST_F(SeriesCounterTest, ASeriesOnThePermittedTimesIsAcceptedAsItIs) {
  EXPECT_EQ(Decide(Calendar("REQUEST", "weekly", "DTSTART:20261202T100000Z",
                            "DTEND:20261202T110000Z", "RRULE:FREQ=WEEKLY;COUNT=3\r\n"))
                .verdict,
            Verdict::kAccepted);
}

TEST_F(SeriesCounterTest, AMovedSeriesThatWouldConflictIsDeclinedWithoutASearch) {
  ASSERT_EQ(Decide(Single("board", "20261209T110000Z", "20261209T120000Z")).verdict,
            Verdict::kAccepted);
  for (const std::string function :
       {"schedule_corrected_in_freebusy", "schedule_next_available_in_freebusy"}) {
    Prefer("scheduling_function", function);
    HandledMessage h = Handle(OffTheHourSeries("REQUEST", function));
    ASSERT_EQ(h.decisions.size(), 1u);
    EXPECT_EQ(h.decisions[0].verdict, Verdict::kDeclined) << function;
    EXPECT_TRUE(Has(h.decisions[0].why.English(), "moved onto the permitted times"))
        << h.decisions[0].why.English();
    EXPECT_TRUE(Has(h.decisions[0].why.English(), "'board'")) << h.decisions[0].why.English();
    ASSERT_EQ(h.replies.size(), 1u);
    EXPECT_EQ(h.replies[0].method, "REPLY");
  }
}

TEST_F(SeriesCounterTest, ASeriesCounterKeepsTheOrganizersZone) {
  Prefer("TZID", "Europe/Berlin");
  // 10:15 Berlin time, weekly across the end of March (DST starts 28 March 2027).
  HandledMessage h = Handle(
      Calendar("REQUEST", "weekly", "DTSTART;TZID=Europe/Berlin:20261202T101500",
               "DTEND;TZID=Europe/Berlin:20261202T111500", "RRULE:FREQ=WEEKLY;COUNT=20\r\n"));
  ASSERT_EQ(h.replies.size(), 1u);
  const std::string& counter = h.replies[0].calendar;
  EXPECT_TRUE(Has(counter, "DTSTART;TZID=Europe/Berlin:20261202T110000")) << counter;
  EXPECT_TRUE(Has(counter, "DTEND;TZID=Europe/Berlin:20261202T120000")) << counter;
}

TEST_F(SeriesCounterTest, ACounterForOneInstanceNamesItByRecurrenceId) {
  HandledMessage h =
      Handle(Calendar("REQUEST", "weekly", "DTSTART:20261209T101500Z", "DTEND:20261209T111500Z",
                      "RECURRENCE-ID:20261209T101500Z\r\nSEQUENCE:1\r\n"));
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].verdict, Verdict::kCountered);
  ASSERT_EQ(h.replies.size(), 1u);
  const std::string& counter = h.replies[0].calendar;
  EXPECT_TRUE(Has(counter, "RECURRENCE-ID:20261209T101500Z")) << counter;
  EXPECT_TRUE(Has(counter, "DTSTART:20261209T110000Z")) << counter;
}

}  // namespace
}  // namespace magent::imip
