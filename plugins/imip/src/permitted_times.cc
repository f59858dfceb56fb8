#include "permitted_times.h"

#include <libical/ical.h>

#include <charconv>
#include <sstream>

#include "time_zones.h"

namespace magent::imip::internal {
namespace {

// "0,15,30" → a mask of `size` values; "" → empty (every value).
std::optional<std::vector<bool>> Values(std::string_view list, int size) {
  std::vector<bool> mask;
  if (list.empty()) return mask;
  mask.assign(static_cast<std::size_t>(size), false);
  std::string items(list);
  std::istringstream in(items);
  for (std::string item; std::getline(in, item, ',');) {
    int value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (ec != std::errc() || end != item.data() + item.size() || value < 0 || value >= size) {
      return std::nullopt;
    }
    mask[static_cast<std::size_t>(value)] = true;
  }
  return mask;
}

bool In(const std::vector<bool>& mask, int value) {
  return mask.empty() || mask[static_cast<std::size_t>(value)];
}

}  // namespace

Result<PermittedTimes> PermittedTimes::Parse(const std::vector<std::string>& lines) {
  PermittedTimes out;
  for (const std::string& text : lines) {
    std::vector<std::string_view> fields;
    std::string_view rest(text);
    for (auto colon = rest.find(':'); colon != std::string_view::npos; colon = rest.find(':')) {
      fields.push_back(rest.substr(0, colon));
      rest.remove_prefix(colon + 1);
    }
    fields.push_back(rest);
    if (fields.size() > 3)
      return Status::InvalidArgument("permitted_times '" + text + "': too many fields");
    // MINUTES, HOURS:MINUTES or HOURS:MINUTES:SECONDS.
    const std::string_view hours = fields.size() >= 2 ? fields[0] : "";
    const std::string_view minutes = fields.size() >= 2 ? fields[1] : fields[0];
    const std::string_view seconds = fields.size() == 3 ? fields[2] : "";
    auto h = Values(hours, 24);
    auto m = Values(minutes, 60);
    auto s = Values(seconds, 60);
    if (!h || !m || !s)
      return Status::InvalidArgument("permitted_times '" + text + "' cannot be read");
    // Seconds not given: on the minute.
    if (fields.size() < 3) s = Values("0", 60);
    out.lines_.push_back({std::move(*h), std::move(*m), std::move(*s)});
  }
  return out;
}

// A negative minute or second matches any.
bool PermittedTimes::Allows(int hour, int minute, int second) const {
  for (const Line& line : lines_) {
    if (In(line.hours, hour) && (minute < 0 || In(line.minutes, minute)) &&
        (second < 0 || In(line.seconds, second))) {
      return true;
    }
  }
  return false;
}

std::optional<UtcTime> PermittedTimes::Next(UtcTime t, std::string_view tzid) const {
  icaltimezone* zone = FindBuiltinZone(tzid).zone;
  if (zone == nullptr) zone = icaltimezone_get_utc_timezone();
  std::time_t at = t.time_since_epoch().count();
  const std::time_t limit = at + 2 * 24 * 3600;
  while (at <= limit) {
    const icaltimetype local = icaltime_from_timet_with_zone(at, 0, zone);
    // Skip whole hours and minutes no line allows; step by seconds only inside a minute
    // some line allows.
    if (!Allows(local.hour, -1, -1)) {
      at += (59 - local.minute) * 60 + (60 - local.second);
    } else if (!Allows(local.hour, local.minute, -1)) {
      at += 60 - local.second;
    } else if (Allows(local.hour, local.minute, local.second)) {
      return UtcTime(std::chrono::seconds(at));
    } else {
      at += 1;
    }
  }
  return std::nullopt;
}

}  // namespace magent::imip::internal
