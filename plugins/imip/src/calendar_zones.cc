#include "calendar_zones.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace magent::imip::internal {
namespace {

// The earliest year of the DATE and DATE-TIME values in `c` and its components, VTIMEZONEs
// left out; INT_MAX when there is none.
int EarliestYear(icalcomponent* c) {
  int earliest = INT_MAX;
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
    const icalvalue* v = icalproperty_get_value(p);
    if (v == nullptr) continue;
    icaltimetype t = icaltime_null_time();
    switch (icalvalue_isa(v)) {
      case ICAL_DATE_VALUE:
      case ICAL_DATETIME_VALUE:
        t = icalvalue_get_datetime(v);
        break;
      case ICAL_DATETIMEPERIOD_VALUE: {
        const icaldatetimeperiodtype dp = icalvalue_get_datetimeperiod(v);
        t = icaltime_is_null_time(dp.time) ? dp.period.start : dp.time;
        break;
      }
      case ICAL_PERIOD_VALUE:
        t = icalvalue_get_period(v).start;
        break;
      default:
        continue;
    }
    if (!icaltime_is_null_time(t) && t.year > 0) earliest = std::min(earliest, t.year);
  }
  for (icalcomponent* child = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
       child != nullptr; child = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
    if (icalcomponent_isa(child) == ICAL_VTIMEZONE_COMPONENT) continue;
    earliest = std::min(earliest, EarliestYear(child));
  }
  return earliest;
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

}  // namespace

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

CalendarZones::CalendarZones(icalcomponent* vcalendar) {
  const int earliest = EarliestYear(vcalendar);
  first_year_ = earliest == INT_MAX ? 0 : earliest - 2;
  for (icalcomponent* tz = icalcomponent_get_first_component(vcalendar, ICAL_VTIMEZONE_COMPONENT);
       tz != nullptr; tz = icalcomponent_get_next_component(vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    icalproperty* id = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
    const char* name = id != nullptr ? icalproperty_get_tzid(id) : nullptr;
    if (name == nullptr) continue;
    icalcomponent* copy = icalcomponent_new_clone(tz);
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
