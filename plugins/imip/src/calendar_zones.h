// The time zones of a calendar's own VTIMEZONEs, as its times are read in.
//
// libical works a VTIMEZONE's changes out from its first onset on, anew for every
// calendar it reads: Outlook's rules start in 1601, about 850 yearly steps (some 7 ms a
// message) before the first time can be converted, Thunderbird's in 1970. Each zone here is
// built from a copy whose open-ended yearly rules start two years before the calendar's
// earliest time instead: the same offsets for every time the calendar holds or a reply to
// it needs, for a few steps. The calendar itself, and so the VTIMEZONEs a reply copies
// from it, stay as they came.
#ifndef MAGENT_IMIP_CALENDAR_ZONES_H_
#define MAGENT_IMIP_CALENDAR_ZONES_H_

#include <libical/ical.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace magent::imip::internal {

class CalendarZones {
 public:
  explicit CalendarZones(icalcomponent* vcalendar);
  ~CalendarZones();
  CalendarZones(const CalendarZones&) = delete;
  CalendarZones& operator=(const CalendarZones&) = delete;

  // The zone of the calendar's VTIMEZONE with this TZID; null when the calendar has none.
  // libical works out its changes on first use.
  icaltimezone* Find(std::string_view tzid) const;

  // The year the copies' open-ended rules start in; 0 when the calendar has no time to go
  // by (its zones are then copied unchanged).
  int first_year() const { return first_year_; }

 private:
  struct ZoneFree {
    void operator()(icaltimezone* zone) const { icaltimezone_free(zone, 1); }
  };

  int first_year_;
  std::vector<std::pair<std::string, std::unique_ptr<icaltimezone, ZoneFree>>> zones_;
};

// Moves the first onset of each open-ended yearly rule of `vtimezone` (a STANDARD or
// DAYLIGHT with an RRULE of FREQ=YEARLY, INTERVAL=1, no COUNT or UNTIL, and no RDATE)
// that starts before `year` to the same day and time of `year`. Every onset from January
// of `year` + 1 on is the original's. Exposed for tests.
void StartRulesIn(icalcomponent* vtimezone, int year);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_CALENDAR_ZONES_H_
