// ParseItip: iTIP objects out of what real clients send, with every time in UTC.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "magent/imip/itip.h"
#include "parsed_calendar.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

UtcTime Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

std::string Calendar(std::string_view method_line, std::string_view body) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//magent tests//EN\r\nVERSION:2.0\r\n" +
         std::string(method_line) + std::string(body) + "END:VCALENDAR\r\n";
}

constexpr std::string_view kEvent =
    "BEGIN:VEVENT\r\n"
    "UID:sync-1@example.com\r\n"
    "SEQUENCE:2\r\n"
    "DTSTAMP:20261201T080000Z\r\n"
    "DTSTART:20261202T100000Z\r\n"
    "DTEND:20261202T110000Z\r\n"
    "SUMMARY:Team sync\r\n"
    "ORGANIZER;CN=Alice Smith;SENT-BY=\"mailto:Assistant@example.com\":mailto:Alice@example.com\r\n"
    "ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Room 1:\r\n"
    " MAILTO:Room1@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
    "END:VEVENT\r\n";

TEST(ItipReaderTest, ReadsARequestWithItsPeopleAndTimes) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n", kEvent));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->method, Method::kRequest);
  EXPECT_TRUE(msg->repairs.empty());
  ASSERT_EQ(msg->objects.size(), 1u);
  const ItipObject& o = msg->objects[0];
  EXPECT_EQ(o.kind, ComponentKind::kEvent);
  EXPECT_EQ(o.uid, "sync-1@example.com");
  EXPECT_EQ(o.sequence, 2);
  EXPECT_EQ(o.dtstamp, Utc(2026, 12, 1, 8));
  EXPECT_EQ(o.summary, "Team sync");
  EXPECT_EQ(o.transp, "OPAQUE");
  ASSERT_TRUE(o.start && o.end);
  EXPECT_EQ(o.start->utc, Utc(2026, 12, 2, 10));
  EXPECT_EQ(o.end->utc, Utc(2026, 12, 2, 11));
  ASSERT_TRUE(o.organizer);
  EXPECT_EQ(o.organizer->address, "alice@example.com");
  EXPECT_EQ(o.organizer->cn, "Alice Smith");
  EXPECT_EQ(o.organizer->sent_by, "assistant@example.com");
  const Attendee* room = o.FindAttendee("room1@example.com");  // Folded, upper-case MAILTO.
  ASSERT_NE(room, nullptr);
  EXPECT_EQ(room->cn, "Room 1");
  EXPECT_EQ(room->cutype, "ROOM");
  EXPECT_EQ(room->role, "NON-PARTICIPANT");
  EXPECT_EQ(room->partstat, "NEEDS-ACTION");
  EXPECT_TRUE(room->rsvp);
  EXPECT_EQ(o.FindAttendee("alice@example.com")->partstat, "ACCEPTED");
  EXPECT_FALSE(o.recurring());
}

TEST(ItipReaderTest, ReadsBareLfLineEndings) {
  std::string text = Calendar("METHOD:REQUEST\r\n", kEvent);
  std::erase(text, '\r');
  auto msg = ParseItip(text);
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  ASSERT_NE(msg->objects[0].FindAttendee("room1@example.com"), nullptr);
}

TEST(ItipReaderTest, ReadsALowerCaseMethodAndSaysSo) {
  auto msg = ParseItip(Calendar("METHOD:request\r\n", kEvent));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->method, Method::kRequest);
  ASSERT_EQ(msg->repairs.size(), 1u);
  EXPECT_NE(msg->repairs[0].find("request"), std::string::npos);
}

TEST(ItipReaderTest, TakesTheMethodFromTheContentTypeWhenTheBodyHasNone) {
  auto msg = ParseItip(Calendar("", kEvent), {.content_type_method = "CANCEL"});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->method, Method::kCancel);
  EXPECT_FALSE(msg->repairs.empty());
}

TEST(ItipReaderTest, TheBodysMethodWinsOverTheContentType) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n", kEvent), {.content_type_method = "PUBLISH"});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->method, Method::kRequest);
  EXPECT_FALSE(msg->repairs.empty());
}

TEST(ItipReaderTest, ACalendarWithoutAnyMethodIsNoItipMessage) {
  EXPECT_EQ(ParseItip(Calendar("", kEvent)).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ParseItip(Calendar("METHOD:X-FOO\r\n", kEvent)).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(ItipReaderTest, NotesAMissingProdidAndVersion) {
  auto msg = ParseItip("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n" + std::string(kEvent) +
                       "END:VCALENDAR\r\n");
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->repairs, (std::vector<std::string>{"no PRODID", "no VERSION"}));
}

TEST(ItipReaderTest, UsesTheCalendarsOwnTimeZoneDefinition) {
  // A zone whose name no table knows, defined in the calendar: UTC+5:30 without DST.
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VTIMEZONE\r\nTZID:Office time\r\n"
                                "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
                                "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\n"
                                "END:VTIMEZONE\r\n"
                                "BEGIN:VEVENT\r\nUID:tz-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;TZID=Office time:20261202T100000\r\n"
                                "DTEND;TZID=Office time:20261202T113000\r\n"
                                "END:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].start->utc, Utc(2026, 12, 2, 4, 30));
  EXPECT_EQ(msg->objects[0].end->utc, Utc(2026, 12, 2, 6));
  EXPECT_EQ(msg->objects[0].start->tzid, "Office time");
}

TEST(ItipReaderTest, ReadsAWindowsZoneNameWithoutVtimezoneAcrossDst) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:win-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;TZID=W. Europe Standard Time:20260701T100000\r\n"
                                "DTEND;TZID=W. Europe Standard Time:20261201T100000\r\n"
                                "END:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].start->utc, Utc(2026, 7, 1, 8));  // CEST, UTC+2.
  EXPECT_EQ(msg->objects[0].end->utc, Utc(2026, 12, 1, 9));   // CET, UTC+1.
  ASSERT_EQ(msg->repairs.size(), 1u);                         // Noted once, though used twice.
  EXPECT_NE(msg->repairs[0].find("Europe/Berlin"), std::string::npos);
}

TEST(ItipReaderTest, ReadsAnIanaNameAndAPrefixedOneWithoutVtimezone) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:iana-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;TZID=America/New_York:20260701T100000\r\n"
                                "DTEND;TZID=/mozilla.org/20050126_1/America/New_York:"
                                "20260701T110000\r\n"
                                "END:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].start->utc, Utc(2026, 7, 1, 14));  // EDT, UTC-4.
  EXPECT_EQ(msg->objects[0].end->utc, Utc(2026, 7, 1, 15));
}

TEST(ItipReaderTest, RefusesAZoneNoOneKnows) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:tz-2\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;TZID=Nowhere Standard Time:20260701T100000\r\n"
                                "END:VEVENT\r\n"));
  EXPECT_EQ(msg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(msg.status().message().find("Nowhere Standard Time"), std::string::npos);
}

TEST(ItipReaderTest, AnAllDayEventLastsADayInTheUsersZone) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:day-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;VALUE=DATE:20261224\r\nEND:VEVENT\r\n"),
                       {.default_tzid = "Europe/Berlin"});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& o = msg->objects[0];
  EXPECT_TRUE(o.start->all_day);
  EXPECT_TRUE(o.start->floating);
  EXPECT_EQ(o.start->utc, Utc(2026, 12, 23, 23));
  EXPECT_EQ(o.end->utc, Utc(2026, 12, 24, 23));
}

TEST(ItipReaderTest, ADurationOfADayAcrossTheDstChangeIsTwentyThreeHours) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:dst-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;TZID=Europe/Berlin:20260328T120000\r\n"
                                "DURATION:P1D\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].start->utc, Utc(2026, 3, 28, 11));
  EXPECT_EQ(msg->objects[0].end->utc, Utc(2026, 3, 29, 10));
}

TEST(ItipReaderTest, ReadsAFloatingTimeInTheDefaultZone) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:float-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART:20260701T100000\r\nDTEND:20260701T110000\r\n"
                                "END:VEVENT\r\n"),
                       {.default_tzid = "America/New_York"});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_TRUE(msg->objects[0].start->floating);
  EXPECT_EQ(msg->objects[0].start->utc, Utc(2026, 7, 1, 14));
}

TEST(ItipReaderTest, ReadsAnInstanceOnlyRequestAndARecurringSeries) {
  auto msg = ParseItip(
      Calendar("METHOD:REQUEST\r\n",
               "BEGIN:VEVENT\r\nUID:series-1\r\nDTSTAMP:20261201T080000Z\r\n"
               "RECURRENCE-ID;TZID=Europe/Berlin:20261207T100000\r\n"
               "DTSTART;TZID=Europe/Berlin:20261207T110000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:series-2\r\nDTSTAMP:20261201T080000Z\r\n"
               "DTSTART:20261207T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"
               "EXDATE:20261214T090000Z\r\nRDATE:20261209T090000Z\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  ASSERT_EQ(msg->objects.size(), 2u);
  const ItipObject& instance = msg->objects[0];
  ASSERT_TRUE(instance.recurrence_id);
  EXPECT_EQ(instance.recurrence_id->utc, Utc(2026, 12, 7, 9));
  EXPECT_FALSE(instance.recurring());
  const ItipObject& series = msg->objects[1];
  EXPECT_TRUE(series.recurring());
  EXPECT_EQ(series.rrules, std::vector<std::string>{"FREQ=WEEKLY;COUNT=4"});
  ASSERT_EQ(series.exdates.size(), 1u);
  EXPECT_EQ(series.exdates[0].utc, Utc(2026, 12, 14, 9));
  ASSERT_EQ(series.rdates.size(), 1u);
  EXPECT_EQ(series.rdates[0].utc, Utc(2026, 12, 9, 9));
  EXPECT_EQ(series.end->utc, Utc(2026, 12, 7, 10));
}

TEST(ItipReaderTest, ExpandsASeriesInItsOwnZoneAcrossDst) {
  // Weekly at 10:00 Berlin time from 2026-03-16: 09:00Z in winter, 08:00Z from 2026-03-29.
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART;TZID=Europe/Berlin:20260316T100000\r\n"
                                "DTEND;TZID=Europe/Berlin:20260316T110000\r\n"
                                "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
                                "EXDATE;TZID=Europe/Berlin:20260330T100000\r\n"
                                "RDATE;TZID=Europe/Berlin:20260401T150000\r\n"
                                "END:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const auto& occurrences = msg->objects[0].occurrences;
  ASSERT_EQ(occurrences.size(), 4u);
  EXPECT_EQ(occurrences[0].period.start, Utc(2026, 3, 16, 9));
  EXPECT_EQ(occurrences[1].period.start, Utc(2026, 3, 23, 9));
  EXPECT_EQ(occurrences[2].period.start, Utc(2026, 4, 1, 13));  // The RDATE; 30 March is out.
  EXPECT_EQ(occurrences[3].period.start, Utc(2026, 4, 6, 8));
  EXPECT_EQ(occurrences[3].period.end, Utc(2026, 4, 6, 9));
  EXPECT_EQ(occurrences[3].recurrence_id, Utc(2026, 4, 6, 8));
  EXPECT_FALSE(msg->objects[0].occurrences_truncated);
}

TEST(ItipReaderTest, AnEndlessSeriesIsExpandedToTheWindowOnly) {
  const std::string daily = Calendar("METHOD:REQUEST\r\n",
                                     "BEGIN:VEVENT\r\nUID:daily-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                     "DTSTART:20261201T090000Z\r\nDURATION:PT30M\r\n"
                                     "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
  auto msg = ParseItip(daily, {.expand_for = days(10)});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].occurrences.size(), 10u);
  EXPECT_TRUE(msg->objects[0].occurrences_truncated);
  // A window further on: what ended before it is stepped over.
  auto later = ParseItip(daily, {.expand_from = Utc(2027, 6, 1, 9, 15), .expand_for = days(3)});
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->objects[0].occurrences.size(), 4u);  // 1 June (still on), 2, 3 and 4 June.
  EXPECT_EQ(later->objects[0].occurrences[0].period.start, Utc(2027, 6, 1, 9));
  auto capped = ParseItip(daily, {.max_occurrences = 3});
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->objects[0].occurrences.size(), 3u);
  EXPECT_TRUE(capped->objects[0].occurrences_truncated);
}

// Past the window is normal; past the limit inside it the series is not all read (issue 15).
TEST(ItipReaderTest, Issue15TellsALimitInsideTheWindowFromAnEndPastIt) {
  const std::string daily = Calendar("METHOD:REQUEST\r\n",
                                     "BEGIN:VEVENT\r\nUID:daily-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                     "DTSTART:20261201T090000Z\r\nDURATION:PT30M\r\n"
                                     "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
  auto windowed = ParseItip(daily, {.expand_for = days(10)});
  ASSERT_TRUE(windowed.ok());
  EXPECT_TRUE(windowed->objects[0].occurrences_truncated);
  EXPECT_FALSE(windowed->objects[0].occurrences_limited);
  auto capped = ParseItip(daily, {.expand_for = days(10), .max_occurrences = 3});
  ASSERT_TRUE(capped.ok());
  EXPECT_TRUE(capped->objects[0].occurrences_limited);
  auto exact = ParseItip(daily, {.expand_for = days(3), .max_occurrences = 3});
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->objects[0].occurrences.size(), 3u);
  EXPECT_FALSE(exact->objects[0].occurrences_limited);
}

TEST(ItipReaderTest, AnInstanceOccupiesItsOwnPeriodUnderItsRecurrenceId) {
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                "BEGIN:VEVENT\r\nUID:series-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "RECURRENCE-ID:20261207T090000Z\r\n"
                                "DTSTART:20261207T130000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  ASSERT_EQ(msg->objects[0].occurrences.size(), 1u);
  EXPECT_EQ(msg->objects[0].occurrences[0].period.start, Utc(2026, 12, 7, 13));
  EXPECT_EQ(msg->objects[0].occurrences[0].recurrence_id, Utc(2026, 12, 7, 9));
}

TEST(ItipReaderTest, AReplyWithoutOrganizerIsValid) {
  auto msg =
      ParseItip(Calendar("METHOD:REPLY\r\n",
                         "BEGIN:VEVENT\r\nUID:sync-1@example.com\r\nDTSTAMP:20261201T080000Z\r\n"
                         "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com\r\n"
                         "END:VEVENT\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->method, Method::kReply);
  EXPECT_FALSE(msg->objects[0].organizer);
  EXPECT_EQ(msg->objects[0].FindAttendee("bob@example.com")->partstat, "DECLINED");
}

TEST(ItipReaderTest, ReadsFreeBusyPeriods) {
  auto msg = ParseItip(Calendar("METHOD:REPLY\r\n",
                                "BEGIN:VFREEBUSY\r\nUID:fb-1\r\nDTSTAMP:20261201T080000Z\r\n"
                                "DTSTART:20261202T000000Z\r\nDTEND:20261203T000000Z\r\n"
                                "FREEBUSY:20261202T100000Z/20261202T110000Z\r\n"
                                "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261202T140000Z/PT30M\r\n"
                                "END:VFREEBUSY\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& fb = msg->objects[0];
  EXPECT_EQ(fb.kind, ComponentKind::kFreeBusy);
  ASSERT_EQ(fb.freebusy.size(), 2u);
  EXPECT_EQ(fb.freebusy[0].start, Utc(2026, 12, 2, 10));
  EXPECT_EQ(fb.freebusy[1].end, Utc(2026, 12, 2, 14, 30));
}

TEST(ItipReaderTest, RefusesWhatCannotBeRead) {
  EXPECT_EQ(ParseItip("hello").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseItip("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n").status().code(),
            StatusCode::kInvalidArgument);
  auto no_uid = ParseItip(
      Calendar("METHOD:REQUEST\r\n", "BEGIN:VEVENT\r\nDTSTART:20261202T100000Z\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(no_uid.status().code(), StatusCode::kInvalidArgument);
  auto backwards = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                      "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261202T100000Z\r\n"
                                      "DTEND:20261202T090000Z\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(backwards.status().code(), StatusCode::kInvalidArgument);
}

TEST(ItipReaderTest, RefusesTooManyComponents) {
  std::string body;
  for (int i = 0; i < 3; ++i) {
    body += "BEGIN:VEVENT\r\nUID:" + std::to_string(i) + "\r\nEND:VEVENT\r\n";
  }
  EXPECT_EQ(ParseItip(Calendar("METHOD:REQUEST\r\n", body), {.max_components = 2}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseItip(Calendar("METHOD:REQUEST\r\n", body), {.max_components = 3}).ok());
}

TEST(ItipReaderTest, InvalidUtf8InATextBecomesReplacementCharactersIssue15) {
  std::string event(kEvent);
  event.replace(event.find("Team sync"), 9, "Caf\xE9 \xED\xA0\x80 \xF0\x9F");
  auto read = ParseItip(Calendar("METHOD:REQUEST\r\n", event));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->objects.at(0).summary, "Caf\uFFFD \uFFFD\uFFFD\uFFFD \uFFFD");
}

TEST(ItipReaderTest, ANulInATextCutsNothingShortIssue15) {
  std::string event(kEvent);
  event.replace(event.find("Team sync"), 9, std::string("Team\0sync", 9));
  auto read = ParseItip(Calendar("METHOD:REQUEST\r\n", event));
  ASSERT_TRUE(read.ok()) << read.status().message();
  const ItipObject& o = read->objects.at(0);
  EXPECT_EQ(o.summary, "Team\uFFFDsync");
  ASSERT_TRUE(o.organizer.has_value());  // Read past the NUL.
  EXPECT_EQ(o.organizer->address, "alice@example.com");
  EXPECT_EQ(o.attendees.size(), 2u);
}

// Calendar times hold every year iCalendar writes (issue 15): a nanosecond clock read 1601
// as 2185 and 2500 as 1915.
UtcTime Day(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

std::string Event(std::string_view lines) {
  return Calendar("METHOD:REQUEST\r\n",
                  "BEGIN:VEVENT\r\nUID:far\r\n" + std::string(lines) + "END:VEVENT\r\n");
}

TEST(ItipReaderTest, Issue15ReadsAYearlessBirthdayOf1604AndADtstampOf2500) {
  auto msg = ParseItip(Event("DTSTAMP:25000101T000000Z\r\nDTSTART;VALUE=DATE:16040101\r\n"
                             "RRULE:FREQ=YEARLY\r\n"),
                       {.expand_from = Day(2026, 12, 1)});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& o = msg->objects[0];
  EXPECT_EQ(o.dtstamp, Day(2500, 1, 1));
  EXPECT_EQ(o.start->utc, Day(1604, 1, 1));
  EXPECT_EQ(o.end->utc, Day(1604, 1, 2));
  ASSERT_EQ(o.occurrences.size(), 1u);  // 1 January 2027 in the year from 1 December 2026.
  EXPECT_EQ(o.occurrences[0].period.start, Day(2027, 1, 1));
}

TEST(ItipReaderTest, Issue15ReadsEndsIn2999And9999) {
  auto msg = ParseItip(Event("DTSTART:16010101T000000Z\r\nDTEND:29991231T120000Z\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].start->utc, Day(1601, 1, 1));
  EXPECT_EQ(msg->objects[0].end->utc, Day(2999, 12, 31) + hours(12));
  auto todo = ParseItip(Calendar("METHOD:REQUEST\r\n",
                                 "BEGIN:VTODO\r\nUID:t\r\nDTSTART:20261201T000000Z\r\n"
                                 "DUE:99991231T235959Z\r\nEND:VTODO\r\n"));
  ASSERT_TRUE(todo.ok()) << todo.status().message();
  EXPECT_EQ(todo->objects[0].end->utc, Day(9999, 12, 31) + seconds(86399));
}

TEST(ItipReaderTest, Issue15ADurationEndsIn9999ButNotPastIt) {
  auto msg = ParseItip(Event("DTSTART:99991230T100000Z\r\nDURATION:P1DT2H\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].end->utc, Day(9999, 12, 31) + hours(12));
  auto past = ParseItip(Event("DTSTART:99991230T100000Z\r\nDURATION:P2D\r\n"));
  EXPECT_EQ(past.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(past.status().message().find("year 10000"), std::string::npos)
      << past.status().message();
  // Weeks libical would multiply past an int.
  auto huge = ParseItip(Event("DTSTART:20261201T100000Z\r\nDURATION:P2147483647W\r\n"));
  EXPECT_EQ(huge.status().code(), StatusCode::kInvalidArgument);
}

TEST(ItipReaderTest, Issue15ReadsARecurrenceIdOf1601) {
  auto msg =
      ParseItip(Event("RECURRENCE-ID:16010108T090000Z\r\nDTSTART:16010108T100000Z\r\n"
                      "DTEND:16010108T110000Z\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& o = msg->objects[0];
  EXPECT_EQ(o.recurrence_id->utc, Day(1601, 1, 8) + hours(9));
  ASSERT_EQ(o.occurrences.size(), 1u);
  EXPECT_EQ(o.occurrences[0].recurrence_id, Day(1601, 1, 8) + hours(9));
  EXPECT_EQ(o.occurrences[0].period.start, Day(1601, 1, 8) + hours(10));
}

TEST(ItipReaderTest, Issue15ExpandsASeriesIn2500WithRdateExdateAndUntil) {
  auto msg =
      ParseItip(Event("DTSTART:25000101T100000Z\r\nDURATION:PT1H\r\n"
                      "RRULE:FREQ=DAILY;UNTIL=25000105T100000Z\r\n"
                      "EXDATE:25000102T100000Z\r\nRDATE:25000110T100000Z\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& o = msg->objects[0];
  ASSERT_EQ(o.rdates.size(), 1u);
  EXPECT_EQ(o.rdates[0].utc, Day(2500, 1, 10) + hours(10));
  ASSERT_EQ(o.exdates.size(), 1u);
  EXPECT_EQ(o.exdates[0].utc, Day(2500, 1, 2) + hours(10));
  std::vector<UtcTime> starts;
  for (const Occurrence& x : o.occurrences) starts.push_back(x.period.start);
  EXPECT_EQ(starts, (std::vector<UtcTime>{Day(2500, 1, 1) + hours(10), Day(2500, 1, 3) + hours(10),
                                          Day(2500, 1, 4) + hours(10), Day(2500, 1, 5) + hours(10),
                                          Day(2500, 1, 10) + hours(10)}));
}

TEST(ItipReaderTest, Issue15ReadsFreeBusyPeriodsOf1601And9999) {
  auto msg = ParseItip(Calendar("METHOD:REPLY\r\n",
                                "BEGIN:VFREEBUSY\r\nUID:fb\r\n"
                                "FREEBUSY:16010101T000000Z/16010101T010000Z\r\n"
                                "FREEBUSY:99991231T220000Z/PT1H\r\nEND:VFREEBUSY\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& fb = msg->objects[0];
  ASSERT_EQ(fb.freebusy.size(), 2u);
  EXPECT_EQ(fb.freebusy[0].end, Day(1601, 1, 1) + hours(1));
  EXPECT_EQ(fb.freebusy[1].start, Day(9999, 12, 31) + hours(22));
  EXPECT_EQ(fb.freebusy[1].end, Day(9999, 12, 31) + hours(23));
}

// libical calls a month of 80 valid and reads past its month table with it; it drops a
// value it cannot read (a 9-digit year), and the event lost its DTSTART (issue 15).
TEST(ItipReaderTest, Issue15RefusesTimesOutOfRangeNamingTheProperty) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"DTSTART:20268001T100000Z\r\n", "DTSTART"},
      {"DTSTART:20260001T100000Z\r\n", "DTSTART"},
      {"DTSTART;VALUE=DATE:20260230\r\n", "DTSTART"},
      {"DTSTART:00000101T100000Z\r\n", "DTSTART"},
      {"DTSTART:20260101T250000Z\r\n", "DTSTART"},
      {"DTSTART:20260101T106000Z\r\n", "DTSTART"},
      {"DTSTART:20260101T100061Z\r\n", "DTSTART"},
      {"DTSTART:1234567890101T100000Z\r\n", "DTSTART"},
      {"DTSTART:20261201T100000Z\r\nDTEND:20261232T100000Z\r\n", "DTEND"},
      {"DTSTAMP:20261301T100000Z\r\n", "DTSTAMP"},
      {"RECURRENCE-ID:20260101T990000Z\r\nDTSTART:20261201T100000Z\r\n", "RECURRENCE-ID"},
      {"DTSTART:20261201T100000Z\r\nRRULE:FREQ=DAILY;UNTIL=20268001T000000Z\r\n", "RRULE"},
      {"DTSTART:20261201T100000Z\r\nRRULE:FREQ=DAILY\r\nRDATE:20261201T100000Z,20260001T1000"
       "00Z\r\n",
       "RDATE"},
      {"DTSTART:20261201T100000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:20261200T100000Z\r\n", "EXDATE"},
      {"DTSTART:20261201T100000Z\r\nDURATION:Pxx\r\n", "DURATION"},
  };
  for (const auto& [lines, property] : cases) {
    auto msg = ParseItip(Event(lines));
    EXPECT_EQ(msg.status().code(), StatusCode::kInvalidArgument) << lines;
    EXPECT_NE(msg.status().message().find(property), std::string::npos)
        << lines << ": " << msg.status().message();
  }
  auto fb = ParseItip(Calendar("METHOD:REPLY\r\n",
                               "BEGIN:VFREEBUSY\r\nUID:fb\r\nFREEBUSY:20268001T100000Z/PT1H\r\n"
                               "END:VFREEBUSY\r\n"));
  EXPECT_EQ(fb.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(fb.status().message().find("FREEBUSY"), std::string::npos) << fb.status().message();
}

// RFC 5545 3.8.5.3: DTSTART is the first occurrence; an UNTIL before it left the series
// holding nothing (issue 15).
TEST(ItipReaderTest, Issue15ASeriesWithUntilBeforeDtstartHoldsItsDtstart) {
  auto msg =
      ParseItip(Event("DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\n"
                      "RRULE:FREQ=DAILY;UNTIL=20261101T100000Z\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  const ItipObject& o = msg->objects[0];
  ASSERT_EQ(o.occurrences.size(), 1u);
  EXPECT_EQ(o.occurrences[0].period.start, Utc(2026, 12, 2, 10));
  EXPECT_EQ(o.occurrences[0].period.end, Utc(2026, 12, 2, 11));
  EXPECT_EQ(o.occurrences[0].recurrence_id, Utc(2026, 12, 2, 10));
}

// The runtime's TimePoint holds about 1677 to 2262: what is due outside it is clamped, not
// wrapped round (issue 15).
TEST(ItipReaderTest, Issue15CalendarTimesBecomeRuntimeTimesClamped) {
  EXPECT_EQ(ToTimePoint(Utc(2026, 12, 1, 8)), TimePoint(Utc(2026, 12, 1, 8)));
  EXPECT_EQ(ToTimePoint(Day(2500, 1, 1)), TimePoint::max());
  EXPECT_EQ(ToTimePoint(Day(9999, 12, 31)), TimePoint::max());
  EXPECT_EQ(ToTimePoint(Day(1601, 1, 1)), TimePoint::min());
  EXPECT_EQ(ToUtcTime(TimePoint(Utc(2026, 12, 1, 8)) + milliseconds(999)), Utc(2026, 12, 1, 8));
  EXPECT_EQ(ToUtcTime(TimePoint::max()), Day(2262, 4, 11) + seconds(85636));
}

// libical follows no RRULE past 2582: a series there is read as far as it goes, its
// DTSTART at least, and said to be limited when it goes on in the window; a series that
// ends before then is whole.
TEST(ItipReaderTest, Issue15ASeriesPast2582IsReadAsFarAsLibicalGoes) {
  auto late =
      ParseItip(Event("DTSTART:29990101T100000Z\r\nDURATION:PT1H\r\n"
                      "RRULE:FREQ=YEARLY\r\n"));
  ASSERT_TRUE(late.ok()) << late.status().message();
  ASSERT_EQ(late->objects[0].occurrences.size(), 1u);
  EXPECT_EQ(late->objects[0].occurrences[0].period.start, Day(2999, 1, 1) + hours(10));
  EXPECT_TRUE(late->objects[0].occurrences_limited);
  auto across =
      ParseItip(Event("DTSTART:25821230T100000Z\r\nDURATION:PT1H\r\n"
                      "RRULE:FREQ=DAILY\r\n"));
  ASSERT_TRUE(across.ok()) << across.status().message();
  EXPECT_EQ(across->objects[0].occurrences.size(), 2u);  // 30 and 31 December 2582.
  EXPECT_TRUE(across->objects[0].occurrences_limited);
  auto counted =
      ParseItip(Event("DTSTART:25821230T100000Z\r\nDURATION:PT1H\r\n"
                      "RRULE:FREQ=DAILY;COUNT=2\r\n"));
  ASSERT_TRUE(counted.ok()) << counted.status().message();
  EXPECT_EQ(counted->objects[0].occurrences.size(), 2u);
  EXPECT_FALSE(counted->objects[0].occurrences_limited);
}

// libical reads the digits it finds where it expects them: 2030122T100000Z was 2 December
// 2030, floating. A time value's shape is checked on the text, before libical (issue 15).
TEST(ItipReaderTest, Issue15RefusesTimesOfTheWrongShapeNamingTheProperty) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"DTSTART:2030122T100000Z\r\nDURATION:PT1H\r\n", "DTSTART"},
      {"DTSTART:20301202T10000Z\r\nDURATION:PT1H\r\n", "DTSTART"},
      {"DTSTART;VALUE=DATE:2030122\r\n", "DTSTART"},
      {"DTSTART:20301202T100000Z\r\nDTEND:20301202T110000ZZ\r\n", "DTEND"},
      {"dtstamp:20261201T08000Z\r\nDTSTART:20301202T100000Z\r\nDURATION:PT1H\r\n", "DTSTAMP"},
      {"DTSTART:20301202T100000Z\r\nRRULE:FREQ=DAILY\r\n"
       "EXDATE:20301203T100000Z,\r\n 2030124T100000Z\r\n",
       "EXDATE"},
      {"DTSTART:20301202T100000Z\r\nRDATE;VALUE=PERIOD:20301203T100000Z/2030123T1100Z\r\n",
       "RDATE"},
  };
  for (const auto& [lines, property] : refused) {
    auto msg = ParseItip(Event(lines));
    EXPECT_EQ(msg.status().code(), StatusCode::kInvalidArgument) << lines;
    EXPECT_NE(msg.status().message().find(property), std::string::npos)
        << lines << ": " << msg.status().message();
  }
  // Folded values, quoted parameters with a colon, periods with a duration: read.
  auto msg = ParseItip(
      Event("DTSTART;TZID=\"Europe/Berlin\";X-NOTE=\"a:b\":20301202T1\r\n 00000\r\n"
            "DURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"
            "RDATE;VALUE=PERIOD:20301210T100000Z/PT1H,20301211T100000Z/20301211T110000Z\r\n"
            "EXDATE;VALUE=DATE-TIME:20301203T090000Z\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].start->utc, Utc(2030, 12, 2, 9));
}

// A calendar of CR-only lines is read by libical line by line; its times are checked on
// the same lines (they were taken for one line, unchecked).
TEST(ItipReaderTest, Issue15TheShapeOfTimesIsCheckedInCrOnlyLinesToo) {
  const auto cr_only = [](std::string text) {
    for (std::size_t at; (at = text.find("\r\n")) != std::string::npos;) text.erase(at + 1, 1);
    return text;
  };
  auto refused = ParseItip(cr_only(Event("DTSTART:2030122T100000Z\r\nDURATION:PT1H\r\n")));
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("DTSTART"), std::string::npos)
      << refused.status().message();
  auto read = ParseItip(cr_only(Event("DTSTART:20301202T100000Z\r\nDURATION:PT1H\r\n")));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->objects[0].start->utc, Utc(2030, 12, 2, 10));
}

// A one-line DESCRIPTION of 2 MB is read whole (libical's own string reader took its
// length squared).
TEST(ItipReaderTest, Issue15ReadsALongContentLineWhole) {
  const std::string description(2'000'000, 'd');
  auto msg =
      ParseItip(Event("DTSTART:20301202T100000Z\r\nDURATION:PT1H\r\nDESCRIPTION:" + description +
                      "\r\nSUMMARY:after it\r\n"));
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->objects[0].summary, "after it");
  const char* read = icalcomponent_get_description(msg->parsed->components[0]);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(std::string(read), description);
}

// A rule whose one period makes more occurrences than a booking may hold (every hour of
// every day of a year), or whose BY parts leave libical stepping through more than a
// million candidates a year, is not iterated: the series is limited, DTSTART is read
// (issue 15: libical took 9.6 s to the first occurrence of every second of a year).
TEST(ItipReaderTest, Issue15ARuleTooCostlyToIterateIsLimitedUnread) {
  auto hourly = ParseItip(
      Event("DTSTART:20261202T100000Z\r\nDURATION:PT1M\r\n"
            "RRULE:FREQ=YEARLY;COUNT=5;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,2,3,4,5,"
            "6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31;BYHOUR=0,"
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23\r\n"),
      {.max_occurrences = 1000});
  ASSERT_TRUE(hourly.ok()) << hourly.status().message();
  EXPECT_TRUE(hourly->objects[0].occurrences_limited);
  ASSERT_EQ(hourly->objects[0].occurrences.size(), 1u);
  EXPECT_EQ(hourly->objects[0].occurrences[0].period.start, Utc(2026, 12, 2, 10));
  // Two a minute, in November only: before that, libical steps through every minute.
  auto november = ParseItip(Event("DTSTART:20261202T100000Z\r\nDURATION:PT1S\r\n"
                                  "RRULE:FREQ=MINUTELY;BYMONTH=11;BYSECOND=0,30\r\n"),
                            {.expand_for = days(30)});
  ASSERT_TRUE(november.ok()) << november.status().message();
  EXPECT_TRUE(november->objects[0].occurrences_limited);
  EXPECT_EQ(november->objects[0].occurrences.size(), 1u);
  // The same rule with fewer candidates is followed as ever.
  auto weekly = ParseItip(Event("DTSTART:20261202T100000Z\r\nDURATION:PT1H\r\n"
                                "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=10,14\r\n"),
                          {.expand_for = days(7)});
  ASSERT_TRUE(weekly.ok()) << weekly.status().message();
  EXPECT_FALSE(weekly->objects[0].occurrences_limited);
  EXPECT_EQ(weekly->objects[0].occurrences.size(), 6u);
}

// libical expands a zone's rule onset by onset up to the time converted: FREQ=SECONDLY
// from 1601 never finished. A zone rule changing more than weekly is malformed; RFC 5545's
// own example of a rule matching one of seven days a year is read (issue 15).
TEST(ItipReaderTest, Issue15RefusesAZoneRuleChangingMoreThanWeekly) {
  const auto zoned = [](std::string_view rule) {
    return Calendar("METHOD:REQUEST\r\n",
                    "BEGIN:VTIMEZONE\r\nTZID:Hostile\r\n"
                    "BEGIN:DAYLIGHT\r\nDTSTART:20301201T000000\r\n" +
                        std::string(rule) +
                        "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
                        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
                        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
                        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
                        "END:VTIMEZONE\r\n"
                        "BEGIN:VEVENT\r\nUID:tz-1\r\nDTSTAMP:20261201T080000Z\r\n"
                        "DTSTART;TZID=Hostile:20301202T100000\r\nDURATION:PT1H\r\n"
                        "END:VEVENT\r\n");
  };
  auto secondly = ParseItip(zoned("RRULE:FREQ=SECONDLY\r\n"));
  EXPECT_EQ(secondly.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(secondly.status().message().find("'Hostile'"), std::string::npos)
      << secondly.status().message();
  auto daily = ParseItip(zoned("RRULE:FREQ=DAILY;COUNT=2\r\n"));
  EXPECT_EQ(daily.status().code(), StatusCode::kInvalidArgument);
  auto rfc = ParseItip(zoned("RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=SU;BYMONTHDAY=1,2,3,4,5,6,7\r\n"));
  EXPECT_TRUE(rfc.ok()) << rfc.status().message();
}

// libical reads TZOFFSETTO:+9999 as 100 hours 39 minutes (issue 15).
TEST(ItipReaderTest, Issue15RefusesAZoneOffsetOutOfRange) {
  const auto zoned = [](std::string_view offset) {
    return Calendar("METHOD:REQUEST\r\n",
                    "BEGIN:VTIMEZONE\r\nTZID:Odd\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
                    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:" +
                        std::string(offset) +
                        "\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
                        "BEGIN:VEVENT\r\nUID:tz-1\r\nDTSTAMP:20261201T080000Z\r\n"
                        "DTSTART;TZID=Odd:20301202T100000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n");
  };
  for (std::string_view offset : {"+9999", "-2400", "+0060", "+010060", "+01", "0100"}) {
    auto msg = ParseItip(zoned(offset));
    EXPECT_EQ(msg.status().code(), StatusCode::kInvalidArgument) << offset;
    EXPECT_NE(msg.status().message().find("TZOFFSETTO"), std::string::npos) << offset;
  }
  for (std::string_view offset : {"+0530", "-2359", "+013045"}) {
    EXPECT_TRUE(ParseItip(zoned(offset)).ok()) << offset;
  }
}

// RDATEs count against max_occurrences as an RRULE's occurrences do (issue 15).
TEST(ItipReaderTest, Issue15RdatesPastTheLimitLimitTheSeries) {
  const std::string rdates = Event(
      "DTSTART:20301202T100000Z\r\nDURATION:PT1H\r\n"
      "RDATE:20301203T100000Z,20301204T100000Z,20301205T100000Z,20301206T100000Z\r\n");
  auto capped = ParseItip(rdates, {.max_occurrences = 3});
  ASSERT_TRUE(capped.ok()) << capped.status().message();
  EXPECT_TRUE(capped->objects[0].occurrences_limited);
  EXPECT_EQ(capped->objects[0].occurrences.size(), 3u);
  auto whole = ParseItip(rdates, {.max_occurrences = 5});
  ASSERT_TRUE(whole.ok());
  EXPECT_FALSE(whole->objects[0].occurrences_limited);
  EXPECT_EQ(whole->objects[0].occurrences.size(), 5u);
}

// Found by fuzz/itip_reader_fuzzer: libical has no name for a VTIMEZONE sub-component it
// does not know, and the refusal of its too-frequent rule read the name through a null
// pointer (SIGSEGV, issue 15).
TEST(ItipReaderTest, Issue15RefusesAFrequentRuleInAnUnknownZonePartWithoutCrashing) {
  const std::string zone =
      "BEGIN:VTIMEZONE\r\n"
      "TZID:Europe/Office\r\n"
      "BEGIN:DAYLIT\r\n"
      "DTSTART:19700329T020000\r\n"
      "RRULE:FREQ=HOURLY;BYMONTH=3\r\n"
      "TZOFFSETFROM:+0100\r\n"
      "TZOFFSETTO:+0200\r\n"
      "END:DAYLIT\r\n"
      "END:VTIMEZONE\r\n";
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n", zone + std::string(kEvent)));
  ASSERT_FALSE(msg.ok());
  EXPECT_NE(msg.status().message().find("'Europe/Office' has a sub-component rule"),
            std::string::npos)
      << msg.status().message();
}

// libical steps over a series' occurrences before the window one by one (about 2 us
// each): a budget for each series let a message of many series run for minutes, so the
// calendar has one budget, and the series that runs it out is limited (issue 15).
TEST(ItipReaderTest, Issue15SeriesShareOneRecurrenceBudgetPerCalendar) {
  std::string series;
  for (int i = 0; i < 3; ++i) {
    series += "BEGIN:VEVENT\r\nUID:hourly-" + std::to_string(i) +
              "@example.com\r\nDTSTAMP:20261201T080000Z\r\n"
              "DTSTART:20261130T000000Z\r\nDURATION:PT30M\r\nRRULE:FREQ=HOURLY\r\n"
              "ORGANIZER:mailto:alice@example.com\r\nEND:VEVENT\r\n";
  }
  ItipOptions options;
  options.expand_from = Utc(2026, 12, 1, 16);  // 40 hourly occurrences are stepped over.
  options.expand_for = hours(5);
  options.max_recurrence_steps = 100;  // Each series takes 40 + 5 + 1 (the first after).
  auto msg = ParseItip(Calendar("METHOD:REQUEST\r\n", series), options);
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  ASSERT_EQ(msg->objects.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(msg->objects[i].occurrences_limited) << i;
    ASSERT_EQ(msg->objects[i].occurrences.size(), 5u) << i;
    EXPECT_EQ(msg->objects[i].occurrences.front().period.start, Utc(2026, 12, 1, 16)) << i;
  }
  EXPECT_TRUE(msg->objects[2].occurrences_limited);
}

// libical worked out every hour of a rule whose BY parts never match up to 2582 (10 s
// for one series, and a message holds a thousand); the iteration now ends with the
// window, and the rule pays before it runs for every candidate up to there (issue 15).
TEST(ItipReaderTest, Issue15ARuleThatNeverMatchesPaysForEveryCandidateOfTheWindow) {
  const std::string never =
      Calendar("METHOD:REQUEST\r\n",
               "BEGIN:VEVENT\r\nUID:never@example.com\r\nDTSTAMP:20261201T080000Z\r\n"
               "DTSTART:20261201T100000Z\r\nDURATION:PT1H\r\n"
               "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\r\n"
               "ORGANIZER:mailto:alice@example.com\r\nEND:VEVENT\r\n");
  ItipOptions options;
  options.expand_for = days(30);       // Some 31 x 24 candidate hours.
  options.max_recurrence_steps = 700;  // Too few for them.
  auto poor = ParseItip(never, options);
  ASSERT_TRUE(poor.ok()) << poor.status().message();
  EXPECT_TRUE(poor->objects[0].occurrences_limited);
  options.max_recurrence_steps = 800;
  auto paid = ParseItip(never, options);
  ASSERT_TRUE(paid.ok()) << paid.status().message();
  EXPECT_FALSE(paid->objects[0].occurrences_limited);
  ASSERT_EQ(paid->objects[0].occurrences.size(), 1u);   // DTSTART alone.
  EXPECT_TRUE(paid->objects[0].occurrences_truncated);  // It goes on past the window.
}

// The window's end ends a COUNT early too; the series still says whether it went on.
TEST(ItipReaderTest, Issue15ACountThatEndsInsideTheWindowIsNotTruncated) {
  auto series = [](std::string_view rule) {
    return Calendar("METHOD:REQUEST\r\n",
                    "BEGIN:VEVENT\r\nUID:weekly@example.com\r\nDTSTAMP:20261201T080000Z\r\n"
                    "DTSTART:20261201T100000Z\r\nDURATION:PT1H\r\nRRULE:" +
                        std::string(rule) +
                        "\r\nORGANIZER:mailto:alice@example.com\r\nEND:VEVENT\r\n");
  };
  ItipOptions options;
  options.expand_for = days(35);
  auto within = ParseItip(series("FREQ=WEEKLY;COUNT=3"), options);
  ASSERT_TRUE(within.ok()) << within.status().message();
  EXPECT_EQ(within->objects[0].occurrences.size(), 3u);
  EXPECT_FALSE(within->objects[0].occurrences_truncated);
  auto past = ParseItip(series("FREQ=WEEKLY;BYDAY=TU;COUNT=100"), options);
  ASSERT_TRUE(past.ok()) << past.status().message();
  EXPECT_EQ(past->objects[0].occurrences.size(), 5u);
  EXPECT_TRUE(past->objects[0].occurrences_truncated);
  EXPECT_FALSE(past->objects[0].occurrences_limited);
}

}  // namespace
}  // namespace magent::imip
