#include "local_time.h"

#include <libical/ical.h>

#include <cstdio>

#include "time_zones.h"

namespace magent::imip::internal {
namespace {

icaltimetype Local(UtcTime t, std::string_view tzid) {
  icaltimezone* zone = FindBuiltinZone(tzid).zone;
  if (zone == nullptr) zone = icaltimezone_get_utc_timezone();
  return icaltime_from_timet_with_zone(t.time_since_epoch().count(), 0, zone);
}

std::string Format(const icaltimetype& t, bool with_date) {
  char out[32];
  if (with_date) {
    std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute);
  } else {
    std::snprintf(out, sizeof out, "%02d:%02d", t.hour, t.minute);
  }
  return out;
}

}  // namespace

std::string LocalTime(UtcTime t, std::string_view tzid) { return Format(Local(t, tzid), true); }

std::string LocalPeriod(Period p, std::string_view tzid) {
  const icaltimetype start = Local(p.start, tzid);
  const icaltimetype end = Local(p.end, tzid);
  const bool same_day = start.year == end.year && start.month == end.month && start.day == end.day;
  return Format(start, true) + "\u2013" + Format(end, !same_day);
}

}  // namespace magent::imip::internal
