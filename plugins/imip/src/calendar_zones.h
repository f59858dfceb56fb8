// The time zones of a calendar's own VTIMEZONEs, as its times are read in.
//
// libical works a VTIMEZONE's changes out from its first onset on, anew for every
// calendar it reads, with its recurrence iterator (with ICU some 10 us a yearly step):
// Outlook's rules start in 1601, about 850 steps (some 7 ms a message) before the first
// time can be converted, Thunderbird's in 1970. Each zone here is built from a copy:
// - an open-ended yearly rule of the shape every client writes (FREQ=YEARLY, INTERVAL=1,
//   one BYMONTH, one BYDAY with an ordinal, e.g. BYDAY=-1SU;BYMONTH=10) becomes its onsets
//   as RDATEs from first_year() through last_year(), worked out with std::chrono's
//   calendar (no iterator at all);
// - any other open-ended yearly rule starts in first_year() instead (StartRulesIn).
// Offsets are the original's from January of first_year() + 1 through last_year(). Past
// last_year() libical keeps the last spelled-out onset's offset (a summer time then may be
// an hour off): keeping the rule for those years would cost the iterator again (~70 us a
// zone). last_year() is past every time the plugin converts with these zones: the
// calendar's own times, the series window (the later of its latest time and
// `window_from`, plus `window_length`: ItipOptions::expand_from and expand_for), and a
// counter-proposal within that window lasting as long as the event (at most the
// calendar's span of years), with two years to spare. A counter-proposal a caller of
// BuildReplyCalendar makes past last_year() is written in the reply's own copy of the
// VTIMEZONE as it came instead (libical's whole expansion, for that rare reply only).
// Rules stay rules (the slow way, bounded) over more than 200 years, or when the
// calendar's zones together would be spelled out over more than 10,000 zone-years.
// The calendar itself, and so the VTIMEZONEs a reply copies from it, stay as they came.
#ifndef MAGENT_IMIP_CALENDAR_ZONES_H_
#define MAGENT_IMIP_CALENDAR_ZONES_H_

#include <libical/ical.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/status.h"

namespace magent::imip::internal {

class CalendarZones {
 public:
  CalendarZones(icalcomponent* vcalendar, std::optional<UtcTime> window_from,
                CalendarDuration window_length);
  ~CalendarZones();
  CalendarZones(const CalendarZones&) = delete;
  CalendarZones& operator=(const CalendarZones&) = delete;

  // The zone of the calendar's VTIMEZONE with this TZID; null when the calendar has none.
  // libical works out its changes on first use.
  icaltimezone* Find(std::string_view tzid) const;

  // The year the copies' open-ended rules start in; 0 when the calendar has no time to go
  // by (its zones are then copied unchanged).
  int first_year() const { return first_year_; }
  // The last year the copies' rules are spelled out through (see above); 0 when the
  // calendar has no time to go by.
  int last_year() const { return last_year_; }

 private:
  struct ZoneFree {
    void operator()(icaltimezone* zone) const { icaltimezone_free(zone, 1); }
  };

  int first_year_;
  int last_year_;
  std::vector<std::pair<std::string, std::unique_ptr<icaltimezone, ZoneFree>>> zones_;
};

// InvalidArgument for the first VTIMEZONE of `vcalendar` with a rule that may change its
// offset more than kMostZoneOnsetsPerYear times a year (at most weekly; a real zone changes
// once or twice a year, RFC 5545's own example writes a rule that could match five days
// of a month). libical expands a zone's rules onset by onset from their first year up
// to the time it converts, so FREQ=SECONDLY from 1601 never finished.
inline constexpr std::uint64_t kMostZoneOnsetsPerYear = 53;
Status CheckZoneRules(icalcomponent* vcalendar);

// Replaces the open-ended yearly rule of each STANDARD and DAYLIGHT of `vtimezone` that has
// the simple shape above by its onsets from `first_year` (DTSTART moves to that year's
// onset, if DTSTART is earlier) through `last_year`, as RDATEs at DTSTART's time of day.
// Every onset from `first_year` through `last_year` is the original's. Exposed for tests.
void SpellOutRules(icalcomponent* vtimezone, int first_year, int last_year);

// Moves the first onset of each open-ended yearly rule of `vtimezone` (a STANDARD or
// DAYLIGHT with an RRULE of FREQ=YEARLY, INTERVAL=1, no COUNT or UNTIL, and no RDATE)
// that starts before `year` to the same day and time of `year`. Every onset from January
// of `year` + 1 on is the original's. Exposed for tests.
void StartRulesIn(icalcomponent* vtimezone, int year);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_CALENDAR_ZONES_H_
