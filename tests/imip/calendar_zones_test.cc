#include "calendar_zones.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "interop_corpus.h"
#include "magent/imip/itip.h"
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

// Exchange's for the United States: the second and the first Sunday of their months.
const std::string kOutlookUs =
    Zone("Z", Observance("STANDARD", "16010101T020000", "-0400", "-0500",
                         "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11\r\n") +
                  Observance("DAYLIGHT", "16010101T020000", "-0500", "-0400",
                             "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3;WKST=MO\r\n"));
// Rules that begin within the calendar's years (a change of rules in 2027): the
// 2027 DAYLIGHT onset is the rule's DTSTART itself.
const std::string kRulesStartInRange =
    Zone("Z", Observance("STANDARD", "19701025T030000", "+0200", "+0100",
                         "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10;UNTIL=20261025T010000Z\r\n") +
                  Observance("DAYLIGHT", "19700329T020000", "+0100", "+0200",
                             "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3;UNTIL=20260329T010000Z\r\n") +
                  Observance("DAYLIGHT", "20270404T020000", "+0100", "+0200",
                             "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\r\n") +
                  Observance("STANDARD", "20271107T030000", "+0200", "+0100",
                             "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"));
// Onsets on the fifth Sunday (not every year has one) and the second to last.
const std::string kFifthAndSecondToLast =
    Zone("Z", Observance("STANDARD", "19701018T030000", "+0200", "+0100",
                         "RRULE:FREQ=YEARLY;BYDAY=-2SU;BYMONTH=10\r\n") +
                  Observance("DAYLIGHT", "19700329T020000", "+0100", "+0200",
                             "RRULE:FREQ=YEARLY;BYDAY=5SU;BYMONTH=3\r\n"));
// The second Sunday of March written as a weekday within days of the month: no simple
// shape, so its rule stays.
const std::string kSecondSundayByMonthDay =
    Zone("Z", Observance("STANDARD", "19701101T020000", "-0400", "-0500",
                         "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n") +
                  Observance("DAYLIGHT", "19700308T020000", "-0500", "-0400",
                             "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=SU;"
                             "BYMONTHDAY=8,9,10,11,12,13,14\r\n"));

constexpr auto kYear = std::chrono::days(366);

icaltimetype Local(int year, int month, int day, int hour, int minute) {
  icaltimetype t = icaltime_null_time();
  t.year = year;
  t.month = month;
  t.day = day;
  t.hour = hour;
  t.minute = minute;
  return t;
}

// Every half hour from January of `first` through December of `last`, both ways: wall time
// to UTC and UTC to wall time.
void ExpectSameOffsets(icaltimezone* original, icaltimezone* copy, int first, int last,
                       const std::string& what) {
  int differences = 0;
  icaltimezone* utc = icaltimezone_get_utc_timezone();
  const time_t from = icaltime_as_timet_with_zone(Local(first, 1, 1, 0, 0), utc);
  const time_t to = icaltime_as_timet_with_zone(Local(last + 1, 1, 1, 0, 0), utc);
  for (time_t t = from; t < to && differences < 5; t += 1800) {
    const icaltimetype wall = icaltime_from_timet_with_zone(t, 0, utc);
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

// From January of `first` (default: two years after where the copy's rules start) through
// the copy's last year.
void ExpectSameAsCalendarsOwn(const std::string& text, const std::string& tzid,
                              const std::string& what, int first = 0) {
  ComponentPtr calendar = Parse(text);
  ASSERT_NE(calendar, nullptr) << what;
  CalendarZones zones(calendar.get(), std::nullopt, kYear);
  icaltimezone* copy = zones.Find(tzid);
  ASSERT_NE(copy, nullptr) << what;
  // A calendar of its own, so that the copy's expansion and the original's are apart.
  ComponentPtr reference = Parse(text);
  icaltimezone* original = icalcomponent_get_timezone(reference.get(), tzid.c_str());
  ASSERT_NE(original, nullptr) << what;
  ExpectSameOffsets(original, copy, first != 0 ? first : zones.first_year() + 2, zones.last_year(),
                    what);
}

// The RRULE and RDATE values of the copy's observances, in order.
std::vector<std::string> Rules(icalcomponent* vtimezone) {
  std::vector<std::string> out;
  for (icalcomponent* o = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT); o;
       o = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    for (icalproperty* p = icalcomponent_get_first_property(o, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(o, ICAL_ANY_PROPERTY)) {
      const icalproperty_kind kind = icalproperty_isa(p);
      if (kind != ICAL_RRULE_PROPERTY && kind != ICAL_RDATE_PROPERTY) continue;
      out.push_back(std::string(icalproperty_kind_to_string(kind)) + ":" +
                    icalproperty_get_value_as_string(p));
    }
  }
  return out;
}

TEST(CalendarZonesTest, RulesStartTwoYearsBeforeTheCalendarsEarliestTime) {
  ComponentPtr calendar = Parse(Calendar(kOutlookEurope, "20270315T100000"));
  CalendarZones zones(calendar.get(), std::nullopt, kYear);
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

// The DTSTART of a STANDARD observance starting at `dtstart` with `rule`, after
// StartRulesIn(`year`).
std::string StartAfterMoving(const std::string& dtstart, const std::string& rule, int year) {
  ComponentPtr zone = Parse(Zone("Z", Observance("STANDARD", dtstart, "+0200", "+0100", rule)));
  internal::StartRulesIn(zone.get(), year);
  return icaltime_as_ical_string(
      icalcomponent_get_dtstart(icalcomponent_get_first_component(zone.get(), ICAL_ANY_COMPONENT)));
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
    EXPECT_EQ(StartAfterMoving("19701025T030000", rule, 2024), "19701025T030000") << rule;
  }
  const std::string yearly = "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n";
  EXPECT_EQ(StartAfterMoving("19720229T030000", yearly, 2023), "19720229T030000");  // No such day.
  EXPECT_EQ(StartAfterMoving("20301025T030000", yearly, 2024), "20301025T030000");  // Later.
  EXPECT_EQ(StartAfterMoving("19701025T030000", yearly, 2024), "20241025T030000");
}

TEST(CalendarZonesTest, SimpleRulesBecomeTheirOnsetsThroughTheLastYear) {
  ComponentPtr calendar = Parse(Calendar(kOutlookEurope, "20270315T100000"));
  CalendarZones zones(calendar.get(), std::nullopt, kYear);
  // 2027, a window of a year from it (366 days: two years, counted whole), two to spare.
  EXPECT_EQ(zones.last_year(), 2031);
  icaltimezone* zone = zones.Find("Z");
  ASSERT_NE(zone, nullptr);
  icalcomponent* copy = icaltimezone_get_component(zone);
  const std::vector<std::string> onsets = {
      "RDATE:20261025T030000", "RDATE:20271031T030000", "RDATE:20281029T030000",
      "RDATE:20291028T030000", "RDATE:20301027T030000", "RDATE:20311026T030000",
      "RDATE:20260329T020000", "RDATE:20270328T020000", "RDATE:20280326T020000",
      "RDATE:20290325T020000", "RDATE:20300331T020000", "RDATE:20310330T020000",
  };
  EXPECT_EQ(Rules(copy), onsets);
  std::vector<std::string> starts;
  for (icalcomponent* o = icalcomponent_get_first_component(copy, ICAL_ANY_COMPONENT); o;
       o = icalcomponent_get_next_component(copy, ICAL_ANY_COMPONENT)) {
    starts.push_back(icaltime_as_ical_string(icalcomponent_get_dtstart(o)));
  }
  EXPECT_EQ(starts, (std::vector<std::string>{"20251026T030000", "20250330T020000"}));
}

TEST(CalendarZonesTest, OnsetsFollowARuleThatStartsWithinTheYears) {
  ComponentPtr zone = Parse(Zone("Z", Observance("STANDARD", "20271107T030000", "+0200", "+0100",
                                                 "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n")));
  internal::SpellOutRules(zone.get(), 2024, 2030);
  icalcomponent* o = icalcomponent_get_first_component(zone.get(), ICAL_ANY_COMPONENT);
  EXPECT_EQ(std::string(icaltime_as_ical_string(icalcomponent_get_dtstart(o))), "20271107T030000");
  EXPECT_EQ(Rules(zone.get()),
            (std::vector<std::string>{"RDATE:20281105T030000", "RDATE:20291104T030000",
                                      "RDATE:20301103T030000"}));
}

TEST(CalendarZonesTest, RulesOfOtherShapesStayRules) {
  const std::string kept[] = {
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=SU;BYSETPOS=-1\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU,-1SA\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=25\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;BYHOUR=3\r\n",
      "RRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=10;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;COUNT=80;BYMONTH=10;BYDAY=-1SU\r\n",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n",
  };
  for (const std::string& rule : kept) {
    ComponentPtr zone =
        Parse(Zone("Z", Observance("STANDARD", "19701025T030000", "+0200", "+0100", rule)));
    const std::vector<std::string> before = Rules(zone.get());
    internal::SpellOutRules(zone.get(), 2024, 2030);
    EXPECT_EQ(Rules(zone.get()), before) << rule;
    EXPECT_EQ(before.front().rfind("RRULE:", 0), 0u) << rule;
  }
}

// Spelling out centuries would cost more than the rule: a calendar whose times lie that
// far apart keeps its rules.
TEST(CalendarZonesTest, RulesStayOverCenturies) {
  std::string text = Calendar(kOutlookEurope, "20270315T100000");
  const std::string created = "CREATED:18000101T000000Z\r\n";
  text.insert(text.find("END:VEVENT"), created);
  ComponentPtr calendar = Parse(text);
  CalendarZones zones(calendar.get(), std::nullopt, kYear);
  EXPECT_EQ(zones.first_year(), 1798);
  icaltimezone* zone = zones.Find("Z");
  ASSERT_NE(zone, nullptr);
  const std::vector<std::string> rules = Rules(icaltimezone_get_component(zone));
  ASSERT_EQ(rules.size(), 2u);
  for (const std::string& rule : rules) EXPECT_EQ(rule.rfind("RRULE:", 0), 0u) << rule;
}

// A calendar of many zones (as a hostile one could carry) is not grown by millions of
// RDATEs: past 10,000 zone-years its rules stay rules.
TEST(CalendarZonesTest, RulesStayForACalendarOfManyZones) {
  const auto zone = [](int i) {
    std::string z = kOutlookEurope;
    z.replace(z.find("TZID:Z"), 6, "TZID:Z" + std::to_string(i));
    return z;
  };
  std::string few;
  std::string many;
  for (int i = 0; i < 10; ++i) few += zone(i);
  for (int i = 0; i < 2000; ++i) many += zone(i);  // 2,000 zones x 7 years.
  for (const auto& [zones_text, spelled_out] : {std::pair{few, true}, std::pair{many, false}}) {
    ComponentPtr calendar = Parse(Calendar(zones_text, "20270315T100000"));
    CalendarZones zones(calendar.get(), std::nullopt, kYear);
    icaltimezone* z = zones.Find("Z5");
    ASSERT_NE(z, nullptr);
    const std::vector<std::string> rules = Rules(icaltimezone_get_component(z));
    ASSERT_FALSE(rules.empty());
    EXPECT_EQ(rules.front().rfind("RRULE:", 0) != 0, spelled_out) << rules.front();
  }
}

// A series read over a window far past the calendar's own times: every occurrence is at
// 10:00 in the organizer's zone, summer or winter, to the window's end.
TEST(CalendarZonesTest, SpelledOutThroughTheSeriesWindow) {
  const std::string text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n" +
      kOutlookEurope +
      "BEGIN:VEVENT\r\nUID:w@example.com\r\nDTSTAMP:20270101T000000Z\r\n"
      "DTSTART;TZID=Z:20270101T100000\r\nDTEND;TZID=Z:20270101T110000\r\n"
      "RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  ItipOptions options;
  options.expand_from = std::chrono::sys_days(std::chrono::year(2040) / 6 / 1);
  options.expand_for = std::chrono::days(731);
  options.max_occurrences = 1000;
  auto message = ParseItip(text, options);
  ASSERT_TRUE(message.ok()) << message.status().message();
  const std::vector<Occurrence>& occurrences = message->objects.at(0).occurrences;
  ASSERT_GT(occurrences.size(), 100u);
  EXPECT_GE(message->parsed->zones->last_year(), 2042);
  ComponentPtr reference = Parse(text);
  icaltimezone* original = icalcomponent_get_timezone(reference.get(), "Z");
  for (const Occurrence& o : occurrences) {
    const icaltimetype local = icaltime_from_timet_with_zone(
        std::chrono::system_clock::to_time_t(o.period.start), 0, original);
    EXPECT_EQ(local.hour, 10) << icaltime_as_ical_string(local);
  }
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
      {kOutlookUs, "20260308T013000", "Exchange, United States"},
      {kRulesStartInRange, "20260101T000000", "rules that begin in 2027"},
      {kFifthAndSecondToLast, "20260101T000000", "fifth and second to last Sundays"},
      {kSecondSundayByMonthDay, "20260101T000000", "a rule of another shape"},
  };
  for (const Case& c : cases) {
    ExpectSameAsCalendarsOwn(Calendar(c.zone, c.start), "Z", c.what, 2026);
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
        ExpectSameAsCalendarsOwn(text, tzid, path.filename().string() + " " + tzid);
      }
    }
  }
  EXPECT_GT(zones, 10);
}

}  // namespace
}  // namespace magent::imip
