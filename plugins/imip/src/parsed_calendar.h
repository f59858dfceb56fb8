// The libical tree an ItipMessage was read from, kept so replies can be built from the
// request's own components (its VTIMEZONEs, properties the model does not carry).
#ifndef MAGENT_IMIP_PARSED_CALENDAR_H_
#define MAGENT_IMIP_PARSED_CALENDAR_H_

#include <libical/ical.h>

#include <memory>
#include <vector>

#include "calendar_zones.h"

namespace magent::imip::internal {

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

struct ParsedCalendar {
  ComponentPtr root;
  icalcomponent* vcalendar = nullptr;  // Within `root`.
  // Parallel to ItipMessage::objects.
  std::vector<icalcomponent*> components;
  // The zones of the calendar's VTIMEZONEs, times are read and written in.
  std::unique_ptr<CalendarZones> zones;
};

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_PARSED_CALENDAR_H_
