// Times as a calendar user reads them: in the user's own zone.
#ifndef MAGENT_IMIP_LOCAL_TIME_H_
#define MAGENT_IMIP_LOCAL_TIME_H_

#include <string>
#include <string_view>

#include "magent/imip/itip.h"

namespace magent::imip::internal {

// "2026-12-02 10:00" in `tzid` (UTC when the zone is unknown).
std::string LocalTime(UtcTime t, std::string_view tzid);
// "2026-12-02 10:00–11:00", or with both dates when it spans days.
std::string LocalPeriod(Period p, std::string_view tzid);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_LOCAL_TIME_H_
