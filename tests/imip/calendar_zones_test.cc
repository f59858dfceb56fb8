#include "calendar_zones.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <string>
#include <vector>

#include "interop_corpus.h"
#include "magent/imip/mail.h"
#include "parsed_calendar.h"

namespace magent::imip {
namespace {

using internal::CalendarZones;
using internal::ComponentPtr;

ComponentPtr Parse(const std::string& text) {
  return ComponentPtr(icalparser_parse_string(text.c_str()));
}

std::string Calendar(const std::string& zones, const std::string& start) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n" + zones +
         "BEGIN:VEVENT\r\nUID:z@example.com\r\nDTSTAMP:" + start + "Z\r\nDTSTART;TZID=Z:" + start +
         "\r\nDTEND;TZID=Z:" + start + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

std::string Observance(const std::string& kind, const std::string& dtstart, const std::string& from,
                       const std::string& to, const std::string& rule) {
  return "BEGIN:" + kind + "\r\nDTSTART:" + dtstart + "\r\nTZOFFSETFROM:" + from +
         "\r\nTZOFFSETTO:" + to + "\r\n" + rule + "END:" + kind + "\r\n";
}

std::string Zone(const std::string& tzid, const std::string& observances) {
  return "BEGIN:VTIMEZONE\r\nTZID:" + tzid + "\r\n" + observances + "END:VTIMEZONE\r\n";
}

// Exchange's: both onsets in 1601, rules for the northern hemisphere.
const std::string kOutlookEurope =
    Zone("Z", Observance("STANDARD", "16010101T030000", "+0200", "+0100",
                         "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n") +
                  Observance("DAYLIGHT", "16010101T020000", "+0100", "+0200",
                             "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"));
// The southern hemisphere: summer time over the new year.
const std::string kOutlookSydney =
    Zone("Z", Observance("STANDARD", "16010101T030000", "+1100", "+1000",
                         "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4\r\n") +
                  Observance("DAYLIGHT", "16010101T020000", "+1000", "+1100",
                             "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10\r\n"));
// Apple's: an old rule that ended, and the rule since, onsets on their own days.
const std::string kAppleNewYork =
    Zone("Z", Observance("DAYLIGHT", "19870405T020000", "-0500", "-0400",
                         "RRULE:FREQ=YEARLY;UNTIL=20060402T070000Z;BYMONTH=4;BYDAY=1SU\r\n") +
                  Observance("DAYLIGHT", "20070311T020000", "-0500", "-0400",
                             "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n") +
                  Observance("STANDARD", "19671029T020000", "-0400", "-0500",
                             "RRULE:FREQ=YEARLY;UNTIL=20061029T060000Z;BYMONTH=10;BYDAY=-1SU\r\n") +
                  Observance("STANDARD", "20071104T020000", "-0400", "-0500",
                             "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"));
// First onsets late in their years, so a moved one falls after that year's real onsets.
const std::string kLateFirstOnsets =
    Zone("Z", Observance("STANDARD", "19701231T030000", "+0200", "+0100",
                         "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n") +
                  Observance("DAYLIGHT", "19701230T020000", "+0100", "+0200",
                             "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"));

icaltimetype Local(int year, int month, int day, int hour, int minute) {
  icaltimetype t = icaltime_null_time();
  t.year = year;
  t.month = month;
  t.day = day;
  t.hour = hour;
  t.minute = minute;
  return t;
}

// Every half hour of `years` years from January of `first`, both ways: wall time to UTC
// and UTC to wall time.
void ExpectSameOffsets(icaltimezone* original, icaltimezone* copy, int first, int years,
                       const std::string& what) {
  int differences = 0;
  const icaltimetype begin = Local(first, 1, 1, 0, 0);
  const time_t from = icaltime_as_timet_with_zone(begin, icaltimezone_get_utc_timezone());
  for (time_t t = from; t < from + years * 366 * 86400L && differences < 5; t += 1800) {
    const icaltimetype wall = icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
    const time_t a = icaltime_as_timet_with_zone(wall, original);
    const time_t b = icaltime_as_timet_with_zone(wall, copy);
    const icaltimetype la = icaltime_from_timet_with_zone(t, 0, original);
    const icaltimetype lb = icaltime_from_timet_with_zone(t, 0, copy);
    if (a != b || icaltime_compare(la, lb) != 0) {
      ++differences;
      ADD_FAILURE() << what << ": " << icaltime_as_ical_string(wall) << " differs";
    }
  }
}

// From January of `first` (default: two years after where the copy's rules start).
void ExpectSameAsCalendarsOwn(const std::string& text, const std::string& tzid, int years,
                              const std::string& what, int first = 0) {
  ComponentPtr calendar = Parse(text);
  ASSERT_NE(calendar, nullptr) << what;
  CalendarZones zones(calendar.get());
  icaltimezone* copy = zones.Find(tzid);
  ASSERT_NE(copy, nullptr) << what;
  // A calendar of its own, so that the copy's expansion and the original's are apart.
  ComponentPtr reference = Parse(text);
  icaltimezone* original = icalcomponent_get_timezone(reference.get(), tzid.c_str());
  ASSERT_NE(original, nullptr) << what;
  ExpectSameOffsets(original, copy, first != 0 ? first : zones.first_year() + 2, years, what);
}

TEST(CalendarZonesTest, RulesStartTwoYearsBeforeTheCalendarsEarliestTime) {
  ComponentPtr calendar = Parse(Calendar(kOutlookEurope, "20270315T100000"));
  CalendarZones zones(calendar.get());
  EXPECT_EQ(zones.first_year(), 2025);
  icaltimezone* zone = zones.Find("Z");
  ASSERT_NE(zone, nullptr);
  icalcomponent* copy = icaltimezone_get_component(zone);
  for (icalcomponent* o = icalcomponent_get_first_component(copy, ICAL_ANY_COMPONENT); o;
       o = icalcomponent_get_next_component(copy, ICAL_ANY_COMPONENT)) {
    EXPECT_EQ(icalcomponent_get_dtstart(o).year, 2025);
  }
  // The calendar itself, which replies copy their VTIMEZONEs from, is left as it came.
  icalcomponent* own = icalcomponent_get_first_component(calendar.get(), ICAL_VTIMEZONE_COMPONENT);
  EXPECT_EQ(
      icalcomponent_get_dtstart(icalcomponent_get_first_component(own, ICAL_ANY_COMPONENT)).year,
      1601);
  EXPECT_EQ(zones.Find("Other"), nullptr);
}

TEST(CalendarZonesTest, OnlyOpenEndedYearlyRulesMove) {
  const std::string unmoved[] = {
      "RRULE:FREQ=YEARLY;UNTIL=20061029T060000Z;BYMONTH=10;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;COUNT=40;BYMONTH=10;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=10;BYDAY=-1SU\r\n",
      "RRULE:FREQ=MONTHLY;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nRDATE:19900101T030000\r\n",
      "",  // One onset, no rule.
  };
  for (const std::string& rule : unmoved) {
    ComponentPtr zone =
        Parse(Zone("Z", Observance("STANDARD", "19701025T030000", "+0200", "+0100", rule)));
    internal::StartRulesIn(zone.get(), 2024);
    icalcomponent* o = icalcomponent_get_first_component(zone.get(), ICAL_ANY_COMPONENT);
    EXPECT_EQ(icalcomponent_get_dtstart(o).year, 1970) << rule;
  }
  ComponentPtr leap = Parse(Zone("Z", Observance("STANDARD", "19720229T030000", "+0200", "+0100",
                                                 "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n")));
  internal::StartRulesIn(leap.get(), 2023);
  EXPECT_EQ(
      icalcomponent_get_dtstart(icalcomponent_get_first_component(leap.get(), ICAL_ANY_COMPONENT))
          .year,
      1972);
  ComponentPtr later = Parse(Zone("Z", Observance("STANDARD", "20301025T030000", "+0200", "+0100",
                                                  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n")));
  internal::StartRulesIn(later.get(), 2024);
  EXPECT_EQ(
      icalcomponent_get_dtstart(icalcomponent_get_first_component(later.get(), ICAL_ANY_COMPONENT))
          .year,
      2030);
  ComponentPtr moved = Parse(Zone("Z", Observance("STANDARD", "19701025T030000", "+0200", "+0100",
                                                  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n")));
  internal::StartRulesIn(moved.get(), 2024);
  const icaltimetype start =
      icalcomponent_get_dtstart(icalcomponent_get_first_component(moved.get(), ICAL_ANY_COMPONENT));
  EXPECT_EQ(std::string(icaltime_as_ical_string(start)), "20241025T030000");
}

TEST(CalendarZonesTest, OffsetsAreTheCalendarsOwnFromTheEarliestTimeOn) {
  struct Case {
    std::string zone;
    std::string start;
    std::string what;
  };
  const Case cases[] = {
      {kOutlookEurope, "20260329T013000", "Exchange, Europe"},
      {kOutlookSydney, "20260103T100000", "Exchange, Sydney"},
      {kAppleNewYork, "20261101T013000", "Apple, New York"},
      {kLateFirstOnsets, "20260101T000000", "first onsets late in the year"},
  };
  for (const Case& c : cases) {
    ExpectSameAsCalendarsOwn(Calendar(c.zone, c.start), "Z", 4, c.what, 2026);
  }
}

// Every VTIMEZONE the real clients of the corpus sent, over the years from its calendar's
// earliest time on.
TEST(CalendarZonesTest, OffsetsOfEveryCorpusZoneAreItsOwn) {
  const std::filesystem::path dir = InteropDir();
  if (dir.empty()) GTEST_SKIP() << "MAGENT_INTEROP_DIR is not set: the corpus is not read";
  int zones = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& path = entry.path();
    std::vector<std::string> calendars;
    if (path.extension() == ".ics") {
      calendars.push_back(Slurp(path));
    } else if (path.extension() == ".eml") {
      auto mail = ReadMail(Slurp(path));
      if (!mail.ok()) continue;
      for (const CalendarPart& c : mail->calendars) calendars.push_back(c.text);
    }
    for (const std::string& text : calendars) {
      ComponentPtr calendar = Parse(text);
      if (calendar == nullptr) continue;
      icalcomponent* vcalendar = calendar.get();
      if (icalcomponent_isa(vcalendar) != ICAL_VCALENDAR_COMPONENT) {
        vcalendar = icalcomponent_get_first_component(vcalendar, ICAL_VCALENDAR_COMPONENT);
      }
      if (vcalendar == nullptr) continue;
      for (icalcomponent* tz =
               icalcomponent_get_first_component(vcalendar, ICAL_VTIMEZONE_COMPONENT);
           tz != nullptr;
           tz = icalcomponent_get_next_component(vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
        icalproperty* id = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
        const char* tzid = id != nullptr ? icalproperty_get_tzid(id) : nullptr;
        if (tzid == nullptr) continue;
        ++zones;
        ExpectSameAsCalendarsOwn(text, tzid, 3, path.filename().string() + " " + tzid);
      }
    }
  }
  EXPECT_GT(zones, 10);
}

}  // namespace
}  // namespace magent::imip
