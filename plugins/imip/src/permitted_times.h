// The `permitted_times` preference: the local times at which events may start and end,
// imip-agent's format, one or more lines of
//   MINUTES                     e.g. 0,15,30,45
//   HOURS:MINUTES               e.g. 10,12,14,16:0,20,40
//   HOURS:MINUTES:SECONDS       e.g. 12::0,30
// each a comma-separated list; an empty list allows every value.
#ifndef MAGENT_IMIP_PERMITTED_TIMES_H_
#define MAGENT_IMIP_PERMITTED_TIMES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/status.h"

namespace magent::imip::internal {

class PermittedTimes {
 public:
  // InvalidArgument naming the line for a value out of range or not a number.
  static Result<PermittedTimes> Parse(const std::vector<std::string>& lines);

  bool empty() const { return lines_.empty(); }
  // The first permitted time at or after `t` (whole seconds) in `tzid`, within two days.
  std::optional<UtcTime> Next(UtcTime t, std::string_view tzid) const;

 private:
  struct Line {
    std::vector<bool> hours, minutes, seconds;  // Empty: every value.
  };
  bool Allows(int hour, int minute, int second) const;  // -1: any minute or second.

  std::vector<Line> lines_;
};

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_PERMITTED_TIMES_H_
