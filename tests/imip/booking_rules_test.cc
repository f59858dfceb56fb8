// Exchange's booking rules as preferences of the resource, through its decisions.
#include <gtest/gtest.h>

#include <chrono>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

std::string Invitation(const std::string& uid, const std::string& start, const std::string& end,
                       const std::string& extra = "") {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid +
         "\r\nDTSTAMP:20261201T070000Z\r\n"
         "DTSTART:" +
         start + "\r\nDTEND:" + end + "\r\nSUMMARY:" + uid + "\r\n" + extra +
         "ORGANIZER:mailto:alice@example.com\r\nATTENDEE:mailto:room1@example.com\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

class BookingRulesTest : public testing::ResourceFixture {};

TEST_F(BookingRulesTest, TheBookingWindowRefusesWhatIsTooFarAhead) {
  Prefer("booking_window_days", "30");
  EXPECT_EQ(Decide(Invitation("near", "20261220T100000Z", "20261220T110000Z")).verdict,
            Verdict::kAccepted);
  const Decision far = Decide(Invitation("far", "20270120T100000Z", "20270120T110000Z"));
  EXPECT_EQ(far.verdict, Verdict::kDeclined);
  EXPECT_EQ(far.why.English(),
            "Declined: 2027-01-20 10:00\u201311:00 is beyond the booking window of 30 days.");
}

TEST_F(BookingRulesTest, ASeriesPastTheHorizonIsRefusedOrCutAsConfigured) {
  Prefer("booking_window_days", "30");
  const std::string rule = "RRULE:FREQ=WEEKLY;COUNT=10\r\n";
  EXPECT_EQ(Decide(Invitation("weekly", "20261202T100000Z", "20261202T110000Z", rule)).verdict,
            Verdict::kDeclined);  // Enforced by default.
  Prefer("enforce_scheduling_horizon", "no");
  const Decision cut = Decide(Invitation("weekly-2", "20261202T100000Z", "20261202T110000Z", rule));
  EXPECT_EQ(cut.verdict, Verdict::kAccepted);
  EXPECT_NE(cut.why.English().find("5 occurrences"), std::string::npos) << cut.why.English();
  // Within the horizon the occurrences are held.
  EXPECT_EQ(Decide(Invitation("x", "20261223T100000Z", "20261223T110000Z")).verdict,
            Verdict::kDeclined);
}

TEST_F(BookingRulesTest, DurationsMustFitTheBounds) {
  Prefer("min_duration", "PT30M");
  Prefer("max_duration", "120");  // Minutes.
  EXPECT_EQ(Decide(Invitation("short", "20261202T100000Z", "20261202T101500Z")).why.English(),
            "Declined: shorter than the minimum of 30 minutes.");
  EXPECT_EQ(Decide(Invitation("long", "20261202T100000Z", "20261202T130000Z")).why.English(),
            "Declined: longer than the maximum of 120 minutes.");
  EXPECT_EQ(Decide(Invitation("ok", "20261202T100000Z", "20261202T120000Z")).verdict,
            Verdict::kAccepted);
}

// libical's icaldurationtype_as_int computes in int: P10000W came out as about 55 years.
TEST_F(BookingRulesTest, ALongDurationIsReadWholeAndAnEndlessOneIsAConfigurationErrorIssue15) {
  Prefer("min_duration", "P10000W");
  EXPECT_EQ(Decide(Invitation("short", "20261202T100000Z", "20261202T110000Z")).why.English(),
            "Declined: shorter than the minimum of 100800000 minutes.");
  Prefer("min_duration", "P600000W");  // More than 10,000 years.
  auto handled = TryHandle(Invitation("a", "20261202T100000Z", "20261202T110000Z"));
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handled.status().message().find("min_duration"), std::string::npos)
      << handled.status().message();
}

TEST_F(BookingRulesTest, RecurringMeetingsCanBeRefused) {
  Prefer("allow_recurring", "no");
  EXPECT_EQ(Decide(Invitation("weekly", "20261202T100000Z", "20261202T110000Z",
                              "RRULE:FREQ=WEEKLY;COUNT=3\r\n"))
                .why.English(),
            "Declined: recurring meetings are not allowed.");
  EXPECT_EQ(Decide(Invitation("once", "20261202T100000Z", "20261202T110000Z")).verdict,
            Verdict::kAccepted);
}

TEST_F(BookingRulesTest, WorkingHoursAreTheResourcesLocalHours) {
  Prefer("TZID", "Europe/Berlin");
  Prefer("working_hours", "Mon-Fri 08:00-18:00");
  // Wednesday 09:00-10:00 Berlin = 08:00-09:00 UTC.
  EXPECT_EQ(Decide(Invitation("in", "20261202T080000Z", "20261202T090000Z")).verdict,
            Verdict::kAccepted);
  // 17:30-18:30 Berlin runs past 18:00.
  EXPECT_EQ(Decide(Invitation("late", "20261202T163000Z", "20261202T173000Z")).why.English(),
            "Declined: 2026-12-02 17:30\u201318:30 is outside working hours.");
  // Saturday.
  EXPECT_EQ(Decide(Invitation("weekend", "20261205T090000Z", "20261205T100000Z")).verdict,
            Verdict::kDeclined);
}

TEST_F(BookingRulesTest, ASeriesMayKeepAFewConflictsDeclinedOneByOne) {
  Prefer("conflict_percentage_allowed", "25");
  Prefer("max_conflict_instances", "1");
  EXPECT_EQ(Decide(Invitation("board", "20261216T100000Z", "20261216T110000Z")).verdict,
            Verdict::kAccepted);
  HandledMessage h = Handle(Invitation("weekly", "20261202T100000Z", "20261202T110000Z",
                                       "RRULE:FREQ=WEEKLY;COUNT=4\r\n"));
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].verdict, Verdict::kAccepted);
  EXPECT_EQ(
      h.decisions[0].why.English(),
      "Accepted: room1@example.com is free for 3 occurrences from 2026-12-02 10:00\u201311:00; "
      "declined the conflicting occurrence(s) 2026-12-16 10:00\u201311:00.");
  // One reply: the series accepted, the conflicting occurrence declined by RECURRENCE-ID.
  ASSERT_EQ(h.replies.size(), 1u);
  auto reply = ParseItip(h.replies[0].calendar);
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  ASSERT_EQ(reply->objects.size(), 2u);
  EXPECT_EQ(reply->objects[0].attendees.at(0).partstat, "ACCEPTED");
  EXPECT_EQ(reply->objects[1].attendees.at(0).partstat, "DECLINED");
  EXPECT_EQ(reply->objects[1].recurrence_id->utc, sys_days{year{2026} / 12 / 16} + hours(10));
  // The declined occurrence is not held; the others are.
  EXPECT_EQ(Decide(Invitation("a", "20261209T100000Z", "20261209T110000Z")).verdict,
            Verdict::kDeclined);

  // Two conflicts are more than max_conflict_instances allows: the whole series goes.
  EXPECT_EQ(Decide(Invitation("b", "20261230T100000Z", "20261230T110000Z")).verdict,
            Verdict::kAccepted);
  EXPECT_EQ(Decide(Invitation("daily", "20261216T100000Z", "20261216T110000Z",
                              "RRULE:FREQ=WEEKLY;COUNT=4;INTERVAL=2\r\n"))
                .verdict,
            Verdict::kDeclined);
}

// A rule the resource cannot read is the site's to mend: nothing is decided (the message
// is kept for a retry), and the error names the setting and its file.
TEST_F(BookingRulesTest, AnUnreadableRuleIsAConfigurationErrorIssue15) {
  Prefer("booking_window_days", "thirty");
  auto handled = TryHandle(Invitation("a", "20261202T100000Z", "20261202T110000Z"));
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  const std::string file =
      (dir_.root() / "prefs" / "mailto:room1@example.com" / "booking_window_days").string();
  EXPECT_EQ(handled.status().message(),
            "the preference booking_window_days in '" + file + "' ('thirty') cannot be read");
  Prefer("booking_window_days", "30");
  Prefer("working_hours", "Mon-Fri 8-18");
  EXPECT_EQ(TryHandle(Invitation("b", "20261202T100000Z", "20261202T110000Z")).status().code(),
            StatusCode::kFailedPrecondition);
  // Mended, the retried message is decided.
  Prefer("working_hours", "Mon-Fri 08:00-18:00");
  EXPECT_EQ(Decide(Invitation("a", "20261202T100000Z", "20261202T110000Z")).verdict,
            Verdict::kAccepted);
}

// A series with more occurrences in the window than are read was accepted whole while
// only the first 10,000 held the room, so later requests for its times were accepted too
// (issue 15).
TEST_F(BookingRulesTest, Issue15ASeriesPastTheOccurrenceLimitIsDeclinedNotHalfHeld) {
  const Decision bomb = Decide(Invitation("bomb", "20261202T100000Z", "20261202T100100Z",
                                          "RRULE:FREQ=MINUTELY;COUNT=10000000\r\n"));
  EXPECT_EQ(bomb.verdict, Verdict::kDeclined);
  EXPECT_EQ(bomb.why.English(),
            "Declined: the series has more occurrences than the 1000 a booking may hold "
            "(max_occurrences).");
  EXPECT_EQ(Decide(Invitation("endless", "20261202T100000Z", "20261202T100001Z",
                              "RRULE:FREQ=SECONDLY\r\n"))
                .verdict,
            Verdict::kDeclined);
  // Nothing of either is held: its times are free for the next request, and no request
  // was promised them.
  EXPECT_EQ(Decide(Invitation("sync", "20261202T100000Z", "20261202T110000Z")).verdict,
            Verdict::kAccepted);
  EXPECT_EQ(Decide(Invitation("later", "20261220T100000Z", "20261220T110000Z")).verdict,
            Verdict::kAccepted);
  // Going on past the window is normal: a weekly meeting without end holds the window.
  EXPECT_EQ(
      Decide(Invitation("weekly", "20261203T100000Z", "20261203T110000Z", "RRULE:FREQ=WEEKLY\r\n"))
          .verdict,
      Verdict::kAccepted);
  EXPECT_EQ(Decide(Invitation("clash", "20270304T100000Z", "20270304T110000Z")).verdict,
            Verdict::kDeclined);
}

TEST_F(BookingRulesTest, Issue15MaxOccurrencesIsAPreference) {
  Prefer("max_occurrences", "3");
  EXPECT_EQ(Decide(Invitation("three", "20261202T100000Z", "20261202T110000Z",
                              "RRULE:FREQ=DAILY;COUNT=3\r\n"))
                .verdict,
            Verdict::kAccepted);
  EXPECT_EQ(Decide(Invitation("four", "20261212T100000Z", "20261212T110000Z",
                              "RRULE:FREQ=DAILY;COUNT=4\r\n"))
                .why.English(),
            "Declined: the series has more occurrences than the 3 a booking may hold "
            "(max_occurrences).");
  // One that cannot be read is the site's to mend: nothing is decided.
  Prefer("max_occurrences", "lots");
  const Status lots = TryHandle(Invitation("any", "20261222T100000Z", "20261222T110000Z")).status();
  EXPECT_EQ(lots.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(lots.message().find("max_occurrences"), std::string::npos) << lots.message();
}

TEST_F(BookingRulesTest, Issue15MaxOccurrencesHasASystemDefault) {
  ResourceOptions options;
  options.config = SystemConfig::Parse("MAX_OCCURRENCES_DEFAULT = 2\n").value();
  ResourceScheduler scheduler(*store_, options);
  const MailMessage mail{
      .from = {"alice@example.com"},
      .calendars = {{.text = Invitation("three", "20261202T100000Z", "20261202T110000Z",
                                        "RRULE:FREQ=DAILY;COUNT=3\r\n")}}};
  auto handled =
      scheduler.Handle(mail, mail.calendars[0], {"room1@example.com"}, {}, testing::kNow);
  ASSERT_TRUE(handled.ok()) << handled.status().message();
  ASSERT_EQ(handled->decisions.size(), 1u);
  EXPECT_EQ(handled->decisions[0].verdict, Verdict::kDeclined);
}

}  // namespace
}  // namespace magent::imip
