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

}  // namespace magent::internal

namespace magent::internal {

std::string FormatWeight(double weight) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", weight);
  return buf;
}

}  // namespace magent::internal
