// Finding the zone a TZID names when the calendar has no VTIMEZONE for it.
#ifndef MAGENT_IMIP_TIME_ZONES_H_
#define MAGENT_IMIP_TIME_ZONES_H_

#include <libical/ical.h>

#include <string>
#include <string_view>

namespace magent::imip::internal {

struct ZoneLookup {
  icaltimezone* zone = nullptr;  // libical's built-in zone (system tzdata); null: unknown.
  std::string how;               // Empty for an IANA name; else how the name was read.
};

// An IANA name as such; libical's prefixed form ("/freeassociation.sourceforge.net/...");
// a Windows name through CLDR's table as ICU ships it; a Mozilla-style prefixed name
// ("/mozilla.org/20050126_1/Europe/Berlin") by its trailing IANA part.
ZoneLookup FindBuiltinZone(std::string_view tzid);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_TIME_ZONES_H_
