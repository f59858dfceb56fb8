#include "calendar_zones.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "recurrence_bounds.h"

namespace magent::imip::internal {
namespace {

// The years of the DATE and DATE-TIME values in `c` and its components, VTIMEZONEs left
// out; `first` INT_MAX when there is none.
struct YearSpan {
  int first = INT_MAX;
  int last = INT_MIN;
};

YearSpan Years(icalcomponent* c) {
  YearSpan span;
  const auto note = [&](icaltimetype t) {
    if (icaltime_is_null_time(t) || t.year <= 0) return;
    span.first = std::min(span.first, t.year);
    span.last = std::max(span.last, t.year);
  };
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
    const icalvalue* v = icalproperty_get_value(p);
    if (v == nullptr) continue;
    switch (icalvalue_isa(v)) {
      case ICAL_DATE_VALUE:
      case ICAL_DATETIME_VALUE:
        note(icalvalue_get_datetime(v));
        break;
      case ICAL_DATETIMEPERIOD_VALUE: {
        const icaldatetimeperiodtype dp = icalvalue_get_datetimeperiod(v);
        note(dp.time);
        note(dp.period.start);
        note(dp.period.end);
        break;
      }
      case ICAL_PERIOD_VALUE:
        note(icalvalue_get_period(v).start);
        note(icalvalue_get_period(v).end);
        break;
      default:
        break;
    }
  }
  for (icalcomponent* child = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
       child != nullptr; child = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
    if (icalcomponent_isa(child) == ICAL_VTIMEZONE_COMPONENT) continue;
    const YearSpan inner = Years(child);
    span.first = std::min(span.first, inner.first);
    span.last = std::max(span.last, inner.last);
  }
  return span;
}

// An RRULE whose onsets in a year do not depend on which year DTSTART is in.
bool OpenEndedYearly(icalcomponent* observance) {
  if (icalcomponent_get_first_property(observance, ICAL_RDATE_PROPERTY) != nullptr) return false;
  icalproperty* rule = icalcomponent_get_first_property(observance, ICAL_RRULE_PROPERTY);
  if (rule == nullptr) return false;
  for (; rule != nullptr; rule = icalcomponent_get_next_property(observance, ICAL_RRULE_PROPERTY)) {
    const icalrecurrencetype r = icalproperty_get_rrule(rule);
    if (r.freq != ICAL_YEARLY_RECURRENCE || r.interval != 1 || r.count != 0 ||
        !icaltime_is_null_time(r.until)) {
      return false;
    }
  }
  return true;
}

// "The `ordinal`th `weekday` of `month`", counted from the month's end when negative: the
// one shape Exchange and Thunderbird give every rule (e.g. BYDAY=-1SU;BYMONTH=10).
struct YearlyOnset {
  std::chrono::month month;
  std::chrono::weekday weekday;
  int ordinal;
};

bool Unset(const short* by) { return by[0] == ICAL_RECURRENCE_ARRAY_MAX; }
bool OneValue(const short* by) { return !Unset(by) && by[1] == ICAL_RECURRENCE_ARRAY_MAX; }

// The onset of an observance whose one rule is open-ended, FREQ=YEARLY, INTERVAL=1, one
// BYMONTH and one BYDAY with an ordinal, and nothing else but WKST.
std::optional<YearlyOnset> SimpleYearlyOnset(icalcomponent* observance) {
  if (!OpenEndedYearly(observance)) return std::nullopt;
  icalproperty* rule = icalcomponent_get_first_property(observance, ICAL_RRULE_PROPERTY);
  if (icalcomponent_get_next_property(observance, ICAL_RRULE_PROPERTY) != nullptr) {
    return std::nullopt;
  }
  const icalrecurrencetype r = icalproperty_get_rrule(rule);
  if (r.rscale != nullptr || !Unset(r.by_second) || !Unset(r.by_minute) || !Unset(r.by_hour) ||
      !Unset(r.by_month_day) || !Unset(r.by_year_day) || !Unset(r.by_week_no) ||
      !Unset(r.by_set_pos) || !OneValue(r.by_day) || !OneValue(r.by_month)) {
    return std::nullopt;
  }
  const int ordinal = icalrecurrencetype_day_position(r.by_day[0]);
  const int weekday = icalrecurrencetype_day_day_of_week(r.by_day[0]);
  const int month = r.by_month[0];  // A leap month of another calendar is out of range.
  if (ordinal == 0 || ordinal < -5 || ordinal > 5 || weekday < ICAL_SUNDAY_WEEKDAY ||
      weekday > ICAL_SATURDAY_WEEKDAY || month < 1 || month > 12) {
    return std::nullopt;
  }
  return YearlyOnset{std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::weekday(static_cast<unsigned>(weekday - ICAL_SUNDAY_WEEKDAY)),
                     ordinal};
}

// The day of `onset` in `year`; none when the month has no such weekday (a fifth Sunday).
std::optional<std::chrono::year_month_day> OnsetIn(int year, const YearlyOnset& onset) {
  using namespace std::chrono;
  const year_month month = std::chrono::year(year) / onset.month;
  if (onset.ordinal > 0) {
    const year_month_weekday day = month / onset.weekday[static_cast<unsigned>(onset.ordinal)];
    if (!day.ok()) return std::nullopt;
    return year_month_day(sys_days(day));
  }
  const year_month_day day(sys_days(month / onset.weekday[last]) - weeks(-onset.ordinal - 1));
  if (day.month() != onset.month) return std::nullopt;
  return day;
}

// The zone's changes are spelled out over at most this many years: past it, rules stay.
constexpr int kMaxSpelledOutYears = 200;
// And over at most this many years of all the calendar's zones together (a calendar of
// thousands of VTIMEZONEs would otherwise grow to millions of RDATEs): past it, rules stay.
constexpr long kMaxSpelledOutZoneYears = 10'000;
// Beyond the last time the plugin converts (see CalendarZones::last_year()).
constexpr int kMarginYears = 2;

int YearOf(UtcTime t) {
  return static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t)).year());
}

}  // namespace

Status CheckZoneRules(icalcomponent* vcalendar) {
  for (icalcomponent* tz = icalcomponent_get_first_component(vcalendar, ICAL_VTIMEZONE_COMPONENT);
       tz != nullptr; tz = icalcomponent_get_next_component(vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    for (icalcomponent* o = icalcomponent_get_first_component(tz, ICAL_ANY_COMPONENT); o != nullptr;
         o = icalcomponent_get_next_component(tz, ICAL_ANY_COMPONENT)) {
      for (icalproperty* p = icalcomponent_get_first_property(o, ICAL_RRULE_PROPERTY); p != nullptr;
           p = icalcomponent_get_next_property(o, ICAL_RRULE_PROPERTY)) {
        const std::uint64_t most = MostPerYear(icalproperty_get_rrule(p));
        if (most <= kMostZoneOnsetsPerYear) continue;
        icalproperty* id = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
        const char* name = id != nullptr ? icalproperty_get_tzid(id) : nullptr;
        // libical has no name for a sub-component it does not know (BEGIN:DAYLIT).
        const char* part = icalcomponent_kind_to_string(icalcomponent_isa(o));
        return Status::InvalidArgument(
            std::string("the VTIMEZONE '") + (name != nullptr ? name : "") + "' has a " +
            (part != nullptr ? part : "sub-component") + " rule changing its offset up to " +
            std::to_string(most) + " times a year; no time zone changes more than weekly");
      }
    }
  }
  return Status::OK();
}

void SpellOutRules(icalcomponent* vtimezone, int first_year, int last_year) {
  for (icalcomponent* o = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT);
       o != nullptr; o = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    const icalcomponent_kind kind = icalcomponent_isa(o);
    if (kind != ICAL_XSTANDARD_COMPONENT && kind != ICAL_XDAYLIGHT_COMPONENT) continue;
    icalproperty* start = icalcomponent_get_first_property(o, ICAL_DTSTART_PROPERTY);
    const std::optional<YearlyOnset> onset = start != nullptr ? SimpleYearlyOnset(o) : std::nullopt;
    if (!onset) continue;
    const icaltimetype dtstart = icalproperty_get_dtstart(start);
    if (dtstart.is_date || dtstart.year > last_year) continue;
    // The rule's onsets after DTSTART (itself the first onset), at DTSTART's time of day.
    std::vector<icaltimetype> onsets;
    for (int year = std::max(first_year, dtstart.year); year <= last_year; ++year) {
      const auto day = OnsetIn(year, *onset);
      if (!day) continue;
      icaltimetype t = dtstart;
      t.year = year;
      t.month = static_cast<int>(static_cast<unsigned>(day->month()));
      t.day = static_cast<int>(static_cast<unsigned>(day->day()));
      if (icaltime_compare(t, dtstart) > 0) onsets.push_back(t);
    }
    if (dtstart.year < first_year) {
      if (onsets.empty()) continue;
      icalproperty_set_dtstart(start, onsets.front());
      onsets.erase(onsets.begin());
    }
    icalproperty* rule = icalcomponent_get_first_property(o, ICAL_RRULE_PROPERTY);
    icalcomponent_remove_property(o, rule);
    icalproperty_free(rule);
    for (const icaltimetype& t : onsets) {
      icaldatetimeperiodtype rdate;
      rdate.time = t;
      rdate.period = icalperiodtype_null_period();
      icalcomponent_add_property(o, icalproperty_new_rdate(rdate));
    }
  }
}

void StartRulesIn(icalcomponent* vtimezone, int year) {
  for (icalcomponent* o = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT);
       o != nullptr; o = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    const icalcomponent_kind kind = icalcomponent_isa(o);
    if (kind != ICAL_XSTANDARD_COMPONENT && kind != ICAL_XDAYLIGHT_COMPONENT) continue;
    icalproperty* start = icalcomponent_get_first_property(o, ICAL_DTSTART_PROPERTY);
    if (start == nullptr || !OpenEndedYearly(o)) continue;
    icaltimetype t = icalproperty_get_dtstart(start);
    // 29 February has no same day in most years.
    if (t.year >= year || t.is_date || (t.month == 2 && t.day == 29)) continue;
    t.year = year;
    icalproperty_set_dtstart(start, t);
  }
}

CalendarZones::CalendarZones(icalcomponent* vcalendar, std::optional<UtcTime> window_from,
                             CalendarDuration window_length) {
  const YearSpan years = Years(vcalendar);
  if (years.first == INT_MAX) {
    first_year_ = 0;
    last_year_ = 0;
  } else {
    first_year_ = years.first - 2;
    // A series is expanded from no later than the later of its DTSTART and `window_from`,
    // for `window_length`; a counter-proposal starts within that window and lasts as long
    // as the event, at most the calendar's span of years.
    const int from = window_from ? std::max(years.last, YearOf(*window_from)) : years.last;
    const auto window_days = std::chrono::floor<std::chrono::days>(window_length).count();
    const int window_years = window_days <= 0 ? 0
                                              : static_cast<int>(std::min<decltype(window_days)>(
                                                    window_days / 365 + 1, kMaxSpelledOutYears));
    last_year_ = from + (years.last - years.first) + window_years + kMarginYears;
  }
  long zone_count = 0;
  for (icalcomponent* tz = icalcomponent_get_first_component(vcalendar, ICAL_VTIMEZONE_COMPONENT);
       tz != nullptr; tz = icalcomponent_get_next_component(vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    ++zone_count;
  }
  const int span = last_year_ - first_year_ + 1;
  const bool spell_out = first_year_ > 0 && span - 1 <= kMaxSpelledOutYears &&
                         zone_count * span <= kMaxSpelledOutZoneYears;
  for (icalcomponent* tz = icalcomponent_get_first_component(vcalendar, ICAL_VTIMEZONE_COMPONENT);
       tz != nullptr; tz = icalcomponent_get_next_component(vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    icalproperty* id = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
    const char* name = id != nullptr ? icalproperty_get_tzid(id) : nullptr;
    if (name == nullptr) continue;
    icalcomponent* copy = icalcomponent_new_clone(tz);
    if (spell_out) SpellOutRules(copy, first_year_, last_year_);
    if (first_year_ > 0) StartRulesIn(copy, first_year_);
    std::unique_ptr<icaltimezone, ZoneFree> zone(icaltimezone_new());
    if (!icaltimezone_set_component(zone.get(), copy)) {
      icalcomponent_free(copy);
      continue;
    }
    zones_.emplace_back(name, std::move(zone));
  }
}

CalendarZones::~CalendarZones() = default;

icaltimezone* CalendarZones::Find(std::string_view tzid) const {
  for (const auto& [name, zone] : zones_) {
    if (name == tzid) return zone.get();
  }
  return nullptr;
}

}  // namespace magent::imip::internal
