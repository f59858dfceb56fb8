#include "ical_writing.h"

#include <algorithm>
#include <cstdlib>

namespace magent::imip::internal {

icaltimetype IcalUtc(UtcTime t) {
  return icaltime_from_timet_with_zone(t.time_since_epoch().count(), 0,
                                       icaltimezone_get_utc_timezone());
}

std::string AsString(icalcomponent* c) {
  char* text = icalcomponent_as_ical_string_r(c);
  std::string out(text != nullptr ? text : "");
  free(text);
  return out;
}

std::string AsString(icalproperty* p) {
  char* text = icalproperty_as_ical_string_r(p);
  std::string out(text != nullptr ? text : "");
  free(text);
  return out;
}

std::pair<ComponentPtr, icalcomponent*> NewFreeBusyCalendar(icalproperty_method method,
                                                            std::string_view uid, UtcTime now,
                                                            Period range) {
  ComponentPtr calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//magent//imip//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(method));
  icalcomponent* freebusy = icalcomponent_new(ICAL_VFREEBUSY_COMPONENT);
  icalcomponent_add_component(calendar.get(), freebusy);
  if (!uid.empty()) {
    icalcomponent_add_property(freebusy, icalproperty_new_uid(std::string(uid).c_str()));
  }
  icalcomponent_add_property(freebusy, icalproperty_new_dtstamp(IcalUtc(now)));
  icalcomponent_add_property(freebusy, icalproperty_new_dtstart(IcalUtc(range.start)));
  icalcomponent_add_property(freebusy, icalproperty_new_dtend(IcalUtc(range.end)));
  return {std::move(calendar), freebusy};
}

void AddBusyLines(icalcomponent* freebusy, const std::vector<Period>& busy, Period range) {
  for (const Period& p : busy) {
    const UtcTime start = std::max(p.start, range.start);
    const UtcTime end = std::min(p.end, range.end);
    if (start >= end) continue;
    icalperiodtype period = icalperiodtype_null_period();
    period.start = IcalUtc(start);
    period.end = IcalUtc(end);
    icalproperty* line = icalproperty_new_freebusy(period);
    icalproperty_add_parameter(line, icalparameter_new_fbtype(ICAL_FBTYPE_BUSY));
    icalcomponent_add_property(freebusy, line);
  }
}

}  // namespace magent::imip::internal
