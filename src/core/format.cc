#include "core/format.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace magent::internal {

std::string FormatDuration(Duration d) {
  using namespace std::chrono;
  if (d == Duration::max()) return "unlimited";
  std::string sign;
  if (d < Duration::zero()) {
    sign = "-";
    d = -d;
  }
  auto ms = duration_cast<milliseconds>(d).count();
  if (ms < 1000) return sign + std::to_string(ms) + "ms";
  auto s = ms / 1000;
  const long long days = s / 86400, hours = s / 3600 % 24, minutes = s / 60 % 60, seconds = s % 60;
  std::string out = sign;
  auto part = [&out](long long v, const char* unit) {
    if (v) out += std::to_string(v) + unit;
  };
  part(days, "d");
  part(hours, "h");
  part(minutes, "m");
  if (days == 0) part(seconds, "s");
  return out;
}

std::string FormatTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<TimePoint> ParseTime(std::string_view s) {
  using namespace std::chrono;
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char tail = 0;
  const std::string text(s);
  const bool date_only =
      text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &mo, &d, &tail) == 3;
  const bool full = text.size() == 20 &&
                    std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi,
                                &sec, &tail) == 7 &&
                    tail == 'Z';
  if (!date_only && !full) return std::nullopt;
  const year_month_day day{year{y}, month{mo}, std::chrono::day{d}};
  if (!day.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return sys_days{day} + hours(h) + minutes(mi) + seconds(sec);
}

}  // namespace magent::internal

namespace magent::internal {

std::string FormatWeight(double weight) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", weight);
  return buf;
}

}  // namespace magent::internal
