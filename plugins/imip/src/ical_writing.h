// What magent's iCalendar writers share: the replies (reply_builder, copy_writer) and the
// published free/busy (freebusy_publisher).
#ifndef MAGENT_IMIP_ICAL_WRITING_H_
#define MAGENT_IMIP_ICAL_WRITING_H_

#include <libical/ical.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "magent/imip/itip.h"
#include "parsed_calendar.h"

namespace magent::imip::internal {

// `t` as a UTC DATE-TIME.
icaltimetype IcalUtc(UtcTime t);

// libical's text of `c` or `p`, content lines folded, CRLF included.
std::string AsString(icalcomponent* c);
std::string AsString(icalproperty* p);

// A VCALENDAR (PRODID, VERSION, METHOD `method`) holding one VFREEBUSY with UID (unless
// `uid` is empty), DTSTAMP `now` and DTSTART, DTEND of `range`: the calendar, and the
// VFREEBUSY within it.
std::pair<ComponentPtr, icalcomponent*> NewFreeBusyCalendar(icalproperty_method method,
                                                            std::string_view uid, UtcTime now,
                                                            Period range);

// A FREEBUSY;FBTYPE=BUSY line for each of `busy`, clipped to `range`; none for a period
// outside it.
void AddBusyLines(icalcomponent* freebusy, const std::vector<Period>& busy, Period range);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_ICAL_WRITING_H_
