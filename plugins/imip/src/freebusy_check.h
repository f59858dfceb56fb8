// Whether a period fits a calendar user's free/busy, given how many events it may hold at
// once.
#ifndef MAGENT_IMIP_FREEBUSY_CHECK_H_
#define MAGENT_IMIP_FREEBUSY_CHECK_H_

#include <optional>
#include <string_view>
#include <vector>

#include "magent/imip/store.h"

namespace magent::imip::internal {

// The busy period that first makes `wanted` exceed `capacity` events at once, or none.
// Periods of `own_uid` are the event's own (an earlier version of it) and do not count.
std::optional<BusyPeriod> FirstConflict(const std::vector<BusyPeriod>& busy, Period wanted,
                                        int capacity, std::string_view own_uid);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_FREEBUSY_CHECK_H_
