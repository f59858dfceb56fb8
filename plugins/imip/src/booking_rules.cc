#include "booking_rules.h"

#include <libical/ical.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "ascii_case.h"
#include "config_file.h"
#include "local_time.h"
#include "time_values.h"
#include "time_zones.h"

namespace magent::imip::internal {
namespace {

// What max_occurrences may be: each occurrence is read, checked and stored.
constexpr int kMostOccurrences = 100'000;

constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// The site's to mend: the message waits for it (a ConfigurationError), it is not declined.
Status Bad(const Preferences& prefs, std::string_view setting, const std::string& value) {
  return ConfigurationError("the preference " + std::string(setting) + " in " +
                            prefs.Origin(setting) + " ('" + value + "') cannot be read");
}

std::optional<int> Integer(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::optional<bool> YesNo(const std::string& text) {
  if (text == "yes" || text == "true") return true;
  if (text == "no" || text == "false") return false;
  return std::nullopt;
}

// Minutes ("90") or an RFC 5545 duration ("PT1H30M") of at most 10,000 years.
std::optional<CalendarDuration> Length(const std::string& text) {
  if (auto minutes = Integer(text)) return std::chrono::minutes(*minutes);
  const icaldurationtype d = icaldurationtype_from_string(text.c_str());
  if (icaldurationtype_is_bad_duration(d) || d.is_neg) return std::nullopt;
  const auto seconds = DurationSeconds(d);
  if (!seconds) return std::nullopt;
  return std::chrono::seconds(*seconds);
}

std::optional<int> DayIndex(std::string_view name) {
  const std::string lower = AsciiLower(name.substr(0, 3));
  for (std::size_t i = 0; i < kDays.size(); ++i) {
    if (kDays[i] == lower && name.size() >= 3) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> Clock(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  auto h = Integer(hhmm.substr(0, 2));
  auto m = Integer(hhmm.substr(3, 2));
  if (!h || !m || *h > 24 || *m > 59 || (*h == 24 && *m != 0)) return std::nullopt;
  return *h * 60 + *m;
}

// "Mon-Fri 08:00-18:00" or "Sat,Sun 10:00-14:00".
std::optional<WorkingHours> Span(const std::string& line) {
  std::istringstream words(line);
  std::string days, hours, extra;
  words >> days >> hours >> extra;
  if (days.empty() || hours.empty() || !extra.empty()) return std::nullopt;
  WorkingHours span;
  std::istringstream parts(days);
  for (std::string part; std::getline(parts, part, ',');) {
    const auto dash = part.find('-');
    auto first = DayIndex(part.substr(0, dash));
    auto last = dash == std::string::npos ? first : DayIndex(part.substr(dash + 1));
    if (!first || !last) return std::nullopt;
    for (int d = *first;; d = (d + 1) % 7) {
      span.days[static_cast<std::size_t>(d)] = true;
      if (d == *last) break;
    }
  }
  const auto dash = hours.find('-');
  if (dash == std::string::npos) return std::nullopt;
  auto from = Clock(hours.substr(0, dash));
  auto to = Clock(hours.substr(dash + 1));
  if (!from || !to || *from >= *to) return std::nullopt;
  span.from_minute = *from;
  span.to_minute = *to;
  return span;
}

struct Local {
  int weekday;
  int minute;
  int year, month, day;
};

Local ToLocal(UtcTime t, std::string_view tzid) {
  icaltimezone* zone = FindBuiltinZone(tzid).zone;
  if (zone == nullptr) zone = icaltimezone_get_utc_timezone();
  const icaltimetype l = icaltime_from_timet_with_zone(t.time_since_epoch().count(), 0, zone);
  return {icaltime_day_of_week(l) - 1, l.hour * 60 + l.minute, l.year, l.month, l.day};
}

bool InWorkingHours(const std::vector<WorkingHours>& spans, Period p, std::string_view tzid) {
  const Local start = ToLocal(p.start, tzid);
  Local end = ToLocal(p.end, tzid);
  // An end at midnight closes the day it started on.
  if (end.minute == 0 && p.end > p.start &&
      ToLocal(p.end - std::chrono::minutes(1), tzid).day == start.day) {
    end = {start.weekday, 24 * 60, start.year, start.month, start.day};
  }
  if (start.year != end.year || start.month != end.month || start.day != end.day) return false;
  for (const WorkingHours& span : spans) {
    if (span.days[static_cast<std::size_t>(start.weekday)] && start.minute >= span.from_minute &&
        end.minute <= span.to_minute) {
      return true;
    }
  }
  return false;
}

std::string Minutes(CalendarDuration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(d).count()) + " minutes";
}

}  // namespace

Result<BookingRules> ReadBookingRules(const Preferences& prefs) {
  BookingRules rules;
  if (std::string v = prefs.Get("booking_window_days"); !v.empty()) {
    rules.window_days = Integer(v);
    if (!rules.window_days) return Bad(prefs, "booking_window_days", v);
  }
  if (std::string v = prefs.Get("enforce_scheduling_horizon"); !v.empty()) {
    auto b = YesNo(v);
    if (!b) return Bad(prefs, "enforce_scheduling_horizon", v);
    rules.enforce_horizon = *b;
  }
  if (std::string v = prefs.Get("min_duration"); !v.empty()) {
    rules.min_duration = Length(v);
    if (!rules.min_duration) return Bad(prefs, "min_duration", v);
  }
  if (std::string v = prefs.Get("max_duration"); !v.empty()) {
    rules.max_duration = Length(v);
    if (!rules.max_duration) return Bad(prefs, "max_duration", v);
  }
  if (std::string v = prefs.Get("max_occurrences", "MAX_OCCURRENCES_DEFAULT"); !v.empty()) {
    auto n = Integer(v);
    if (!n || *n < 1 || *n > kMostOccurrences) return Bad(prefs, "max_occurrences", v);
    rules.max_occurrences = static_cast<std::size_t>(*n);
  }
  if (std::string v = prefs.Get("allow_recurring"); !v.empty()) {
    auto b = YesNo(v);
    if (!b) return Bad(prefs, "allow_recurring", v);
    rules.allow_recurring = *b;
  }
  if (std::string v = prefs.Get("conflict_percentage_allowed"); !v.empty()) {
    auto n = Integer(v);
    if (!n || *n > 100) return Bad(prefs, "conflict_percentage_allowed", v);
    rules.conflict_percentage = *n;
  }
  if (std::string v = prefs.Get("max_conflict_instances"); !v.empty()) {
    auto n = Integer(v);
    if (!n) return Bad(prefs, "max_conflict_instances", v);
    rules.max_conflicts = *n;
  }
  for (const std::string& line : prefs.Lines("working_hours")) {
    auto span = Span(line);
    if (!span) return Bad(prefs, "working_hours", line);
    rules.working_hours.push_back(*span);
  }
  return rules;
}

RuleCheck ApplyBookingRules(const BookingRules& rules, const ItipObject& o,
                            std::vector<Occurrence> upcoming, UtcTime now, std::string_view tzid) {
  if (o.recurring() && !rules.allow_recurring) {
    return {Text("imip.no_recurring", "Declined: recurring meetings are not allowed.", {}), {}};
  }
  if (o.occurrences_limited) {
    return {Text("imip.too_many_occurrences",
                 "Declined: the series has more occurrences than the {0} a booking may hold "
                 "(max_occurrences).",
                 {std::to_string(rules.max_occurrences)}),
            {}};
  }
  if (o.start && o.end) {
    const CalendarDuration length = o.end->utc - o.start->utc;
    if (rules.min_duration && length < *rules.min_duration) {
      return {Text("imip.too_short", "Declined: shorter than the minimum of {0}.",
                   {Minutes(*rules.min_duration)}),
              {}};
    }
    if (rules.max_duration && length > *rules.max_duration) {
      return {Text("imip.too_long", "Declined: longer than the maximum of {0}.",
                   {Minutes(*rules.max_duration)}),
              {}};
    }
  }
  if (rules.window_days) {
    const UtcTime horizon = now + std::chrono::days(*rules.window_days);
    const auto beyond = std::find_if(upcoming.begin(), upcoming.end(),
                                     [&](const Occurrence& x) { return x.period.end > horizon; });
    if (beyond != upcoming.end()) {
      if (!o.recurring() || rules.enforce_horizon) {
        return {
            Text("imip.beyond_window", "Declined: {0} is beyond the booking window of {1} days.",
                 {LocalPeriod(beyond->period, tzid), std::to_string(*rules.window_days)}),
            {}};
      }
      upcoming.erase(beyond, upcoming.end());  // The series is booked up to the horizon.
    }
  }
  if (!rules.working_hours.empty()) {
    for (const Occurrence& x : upcoming) {
      if (!InWorkingHours(rules.working_hours, x.period, tzid)) {
        return {Text("imip.outside_hours", "Declined: {0} is outside working hours.",
                     {LocalPeriod(x.period, tzid)}),
                {}};
      }
    }
  }
  return {std::nullopt, std::move(upcoming)};
}

}  // namespace magent::imip::internal
