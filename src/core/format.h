// Formatting of durations and times for the sentences magent writes (results, reports).
#ifndef MAGENT_SRC_CORE_FORMAT_H_
#define MAGENT_SRC_CORE_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

#include "magent/clock.h"

namespace magent::internal {

// "250ms", "42s", "10m", "1h30m", "2d3h"; "unlimited" for Duration::max().
std::string FormatDuration(Duration d);
// A weight as people write it: "0.5", "1", "0.25".
std::string FormatWeight(double weight);
// ISO 8601 in UTC, to the second: "2026-11-22T10:00:00Z".
std::string FormatTime(TimePoint t);
// Reads what FormatTime writes, or a date alone ("2026-11-22", midnight UTC); nullopt for
// anything else.
std::optional<TimePoint> ParseTime(std::string_view s);

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_FORMAT_H_
