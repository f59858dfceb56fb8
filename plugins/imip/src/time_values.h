// Range checks for the time values of a calendar, made before libical computes with them.
//
// libical reads DATE and DATE-TIME values digit by digit and calls a month of 0 or 80, a
// 32nd day or a 25th hour valid; its date arithmetic then reads past its month table. A
// value it cannot read at all (a 9-digit year) it drops, leaving an X-LIC-ERROR in its
// place, so an event would lose its DTSTART. Both are malformed input.
#ifndef MAGENT_IMIP_TIME_VALUES_H_
#define MAGENT_IMIP_TIME_VALUES_H_

#include <libical/ical.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "magent/status.h"

namespace magent::imip::internal {

// Why `t` is no date or time of the years 0001 to 9999 ("month 80", "year 0"); empty when
// it is one. A null time is none.
std::optional<std::string> OutOfRange(const icaltimetype& t);

// `duration` in seconds, negative when it is, computed in 64 bits (libical's
// icaldurationtype_as_int computes in int: P10000W overflows); none when it is longer
// than 10,000 years.
std::optional<std::int64_t> DurationSeconds(const icaldurationtype& duration);

// `start` + `duration`, as libical adds them (days and weeks in `start`'s own calendar),
// without the int overflows of libical's own addition. InvalidArgument when the end
// is past 9999 (or the duration longer than 10,000 years).
Result<icaltimetype> AddDuration(icaltimetype start, icaldurationtype duration);

// InvalidArgument naming the property and the field for the first time value of
// `calendar` or its components (DATE, DATE-TIME, PERIOD, an RRULE's UNTIL) out of range,
// or for a time property of a scheduling component (DTSTART, DTEND, DUE, DURATION, DTSTAMP,
// RECURRENCE-ID, RDATE, EXDATE, RRULE, FREEBUSY) that libical could not read at all.
Status CheckTimeValues(icalcomponent* calendar);

// InvalidArgument naming the property for the first DTSTART, DTEND, DUE, DTSTAMP,
// RECURRENCE-ID, RDATE or EXDATE content line of `text` (unfolded; a raw calendar) whose
// value is not of a DATE's or DATE-TIME's shape: 8 digits, optionally 'T', 6 digits and
// 'Z' (RFC 5545 3.3.4, 3.3.5), a PERIOD's start and end likewise; or for the first
// TZOFFSETFROM or TZOFFSETTO that is no UTC offset of hours 0-23, minutes and seconds
// 0-59 (3.3.14: libical reads +9999 as 100 hours 39 minutes). libical reads the
// digits it finds where it expects them (2030122T100000Z as 2 December 2030, floating),
// so by the time the values reach CheckTimeValues the text they came from is gone.
Status CheckTimeShapes(std::string_view text);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_TIME_VALUES_H_
