#include "time_values.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "ical_parsing.h"

namespace magent::imip::internal {
namespace {

// The time properties of scheduling components: libical dropping one of them changes
// what the object means, so a value it cannot read is an error, not a repair.
constexpr std::array<std::string_view, 10> kTimeProperties = {
    "DTSTART",       "DTEND", "DUE",    "DURATION", "DTSTAMP",
    "RECURRENCE-ID", "RDATE", "EXDATE", "RRULE",    "FREEBUSY"};

// The longest span a DURATION may add: from the first second of 0001 to the last of 9999.
constexpr std::int64_t kMaxDays = 10'000LL * 366;

std::string PropertyName(icalproperty* p) {
  const char* name = icalproperty_get_property_name(p);
  return name != nullptr ? name : "a property";
}

Status Outside(icalproperty* p, const std::string& why) {
  return Status::InvalidArgument(PropertyName(p) + " has a time out of range (" + why +
                                 "): only dates of the years 0001 to 9999 are read");
}

Status CheckTime(icalproperty* p, const icaltimetype& t) {
  if (auto why = OutOfRange(t)) return Outside(p, *why);
  return Status::OK();
}

Status CheckPeriod(icalproperty* p, const icalperiodtype& period) {
  if (Status s = CheckTime(p, period.start); !s.ok()) return s;
  if (!icaltime_is_null_time(period.end)) return CheckTime(p, period.end);
  auto end = AddDuration(period.start, period.duration);
  if (!end.ok()) return Outside(p, end.status().message());
  return Status::OK();
}

Status CheckValue(icalproperty* p) {
  icalvalue* v = icalproperty_get_value(p);
  if (v == nullptr) return Status::OK();
  switch (icalvalue_isa(v)) {
    case ICAL_DATE_VALUE:
    case ICAL_DATETIME_VALUE:
      return CheckTime(p, icalvalue_get_datetime(v));
    case ICAL_DATETIMEPERIOD_VALUE: {
      const icaldatetimeperiodtype dp = icalvalue_get_datetimeperiod(v);
      if (!icaltime_is_null_time(dp.time)) return CheckTime(p, dp.time);
      return CheckPeriod(p, dp.period);
    }
    case ICAL_PERIOD_VALUE:
      return CheckPeriod(p, icalvalue_get_period(v));
    case ICAL_RECUR_VALUE: {
      const icalrecurrencetype r = icalvalue_get_recur(v);
      if (icaltime_is_null_time(r.until)) return Status::OK();
      return CheckTime(p, r.until);
    }
    default:
      return Status::OK();
  }
}

bool IsScheduling(icalcomponent* c) {
  switch (icalcomponent_isa(c)) {
    case ICAL_VEVENT_COMPONENT:
    case ICAL_VTODO_COMPONENT:
    case ICAL_VJOURNAL_COMPONENT:
    case ICAL_VFREEBUSY_COMPONENT:
      return true;
    default:
      return false;
  }
}

// "Can't parse as DATE-TIME value in DTSTART property. Removing entire property: ...":
// the property libical dropped, if it is a time property.
std::optional<std::string_view> DroppedTimeProperty(icalproperty* error) {
  const char* text = icalproperty_get_xlicerror(error);
  if (text == nullptr) return std::nullopt;
  const std::string_view message(text);
  for (std::string_view name : kTimeProperties) {
    const std::string needle = " in " + std::string(name) + " property";
    if (message.find(needle) != std::string_view::npos) return name;
  }
  return std::nullopt;
}

// The properties whose every value is a DATE, a DATE-TIME or a PERIOD, then the UTC offsets.
constexpr std::array<std::string_view, 9> kShapedProperties = {
    "DTSTART", "DTEND",  "DUE",          "DTSTAMP",   "RECURRENCE-ID",
    "RDATE",   "EXDATE", "TZOFFSETFROM", "TZOFFSETTO"};

bool IsOffset(std::string_view property) { return property.starts_with("TZOFFSET"); }

bool Digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYYMMDD or YYYYMMDDTHHMMSS, with or without Z.
bool DateOrDateTimeShape(std::string_view v) {
  if (v.size() == 8) return Digits(v);
  if (v.size() == 16 && v.back() == 'Z') v.remove_suffix(1);
  return v.size() == 15 && Digits(v.substr(0, 8)) && v[8] == 'T' && Digits(v.substr(9));
}

// +HHMM or -HHMM, optionally SS, hours 0-23, minutes and seconds 0-59 (RFC 5545 3.3.14):
// libical reads +9999 as 100 hours 39 minutes.
bool OffsetShape(std::string_view v) {
  if ((v.size() != 5 && v.size() != 7) || (v[0] != '+' && v[0] != '-') || !Digits(v.substr(1))) {
    return false;
  }
  const auto two = [&](std::size_t at) { return (v[at] - '0') * 10 + (v[at + 1] - '0'); };
  return two(1) < 24 && two(3) < 60 && (v.size() == 5 || two(5) < 60);
}

// A PERIOD is start/end or start/duration (the duration is read by libical's own rules).
bool ValueShape(std::string_view v) {
  const std::size_t slash = v.find('/');
  if (slash == std::string_view::npos) return DateOrDateTimeShape(v);
  const std::string_view end = v.substr(slash + 1);
  const bool duration = !end.empty() && (end[0] == 'P' || end[0] == '+' || end[0] == '-');
  return DateOrDateTimeShape(v.substr(0, slash)) && (duration || DateOrDateTimeShape(end));
}

// The property `line` (one content line, unfolded) is, when it is one of kShapedProperties.
std::optional<std::string_view> ShapedProperty(std::string_view line) {
  const std::size_t name_end = line.find_first_of(";:");
  if (name_end == std::string_view::npos) return std::nullopt;
  const std::string_view name = line.substr(0, name_end);
  for (std::string_view shaped : kShapedProperties) {
    if (name.size() == shaped.size() &&
        std::equal(name.begin(), name.end(), shaped.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        })) {
      return shaped;
    }
  }
  return std::nullopt;
}

// The value of a content line: after the first ':' outside a quoted parameter value.
std::string_view ValueOf(std::string_view line) {
  const std::size_t start = ValueStart(line);
  return start == std::string_view::npos ? std::string_view() : line.substr(start);
}

Status CheckShape(std::string_view property, std::string_view line) {
  std::string_view values = ValueOf(line);
  if (IsOffset(property)) {
    if (OffsetShape(values)) return Status::OK();
    return Status::InvalidArgument(std::string(property) +
                                   " is no UTC offset (+HHMM or -HHMM, hours 0-23, "
                                   "minutes 0-59, optionally seconds)");
  }
  while (true) {
    const std::size_t comma = values.find(',');
    if (!ValueShape(values.substr(0, comma))) {
      return Status::InvalidArgument(
          std::string(property) +
          " has a value that is no date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS, with or "
          "without Z)");
    }
    if (comma == std::string_view::npos) return Status::OK();
    values.remove_prefix(comma + 1);
  }
}

}  // namespace

Status CheckTimeShapes(std::string_view text) {
  std::string line;  // The current content line of a shaped property, unfolded.
  std::optional<std::string_view> property;
  LineEnds ends(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = ends.After(pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view physical = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
    const bool continuation = !physical.empty() && (physical[0] == ' ' || physical[0] == '\t');
    if (continuation) {
      if (property) line.append(physical.substr(1));
      continue;
    }
    if (property) {
      if (Status s = CheckShape(*property, line); !s.ok()) return s;
    }
    property = ShapedProperty(physical);
    if (property) line.assign(physical);
  }
  if (property) return CheckShape(*property, line);
  return Status::OK();
}

std::optional<std::string> OutOfRange(const icaltimetype& t) {
  if (icaltime_is_null_time(t)) return std::nullopt;
  if (t.year < 1 || t.year > 9999) return "year " + std::to_string(t.year);
  if (t.month < 1 || t.month > 12) return "month " + std::to_string(t.month);
  // std::chrono::day keeps a byte: day 257 would be day 1.
  if (t.day < 1 || t.day > 31) return "day " + std::to_string(t.day);
  const std::chrono::year_month_day date{std::chrono::year(t.year),
                                         std::chrono::month(static_cast<unsigned>(t.month)),
                                         std::chrono::day(static_cast<unsigned>(t.day))};
  if (!date.ok()) return "day " + std::to_string(t.day);
  if (t.is_date) return std::nullopt;
  if (t.hour < 0 || t.hour > 23) return "hour " + std::to_string(t.hour);
  if (t.minute < 0 || t.minute > 59) return "minute " + std::to_string(t.minute);
  // 60: a leap second (RFC 5545 3.3.5).
  if (t.second < 0 || t.second > 60) return "second " + std::to_string(t.second);
  return std::nullopt;
}

std::optional<std::int64_t> DurationSeconds(const icaldurationtype& duration) {
  // Each field is an unsigned int: the sum stays far inside 64 bits.
  const std::int64_t days = std::int64_t{duration.weeks} * 7 + std::int64_t{duration.days};
  const std::int64_t seconds = days * 86400 + std::int64_t{duration.hours} * 3600 +
                               std::int64_t{duration.minutes} * 60 + std::int64_t{duration.seconds};
  if (seconds > kMaxDays * 86400) return std::nullopt;
  return duration.is_neg ? -seconds : seconds;
}

Result<icaltimetype> AddDuration(icaltimetype start, icaldurationtype duration) {
  // libical adds each field as an int: bring them into range first.
  const auto seconds = DurationSeconds(duration);
  if (!seconds) return Status::InvalidArgument("a duration of more than 10,000 years");
  const std::int64_t length = duration.is_neg ? -*seconds : *seconds;
  icaldurationtype bounded = icaldurationtype_null_duration();
  bounded.is_neg = duration.is_neg;
  bounded.days = static_cast<unsigned int>(length / 86400);
  bounded.seconds = static_cast<unsigned int>(length % 86400);
  const icaltimetype end = icaltime_add(start, bounded);
  if (auto why = OutOfRange(end)) return Status::InvalidArgument("it ends in " + *why);
  return end;
}

Status CheckTimeValues(icalcomponent* calendar) {
  for (icalproperty* p = icalcomponent_get_first_property(calendar, ICAL_ANY_PROPERTY);
       p != nullptr; p = icalcomponent_get_next_property(calendar, ICAL_ANY_PROPERTY)) {
    if (icalproperty_isa(p) == ICAL_XLICERROR_PROPERTY) {
      if (!IsScheduling(calendar)) continue;
      if (auto name = DroppedTimeProperty(p)) {
        // libical's message quotes the whole value: a 1 MB RRULE is not logged whole.
        constexpr std::size_t kMostQuoted = 200;
        std::string why = icalproperty_get_xlicerror(p);
        if (why.size() > kMostQuoted) why = why.substr(0, kMostQuoted) + "...";
        return Status::InvalidArgument(std::string(*name) + " cannot be read: " + why);
      }
      continue;
    }
    if (Status s = CheckValue(p); !s.ok()) return s;
  }
  for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_ANY_COMPONENT);
       c != nullptr; c = icalcomponent_get_next_component(calendar, ICAL_ANY_COMPONENT)) {
    if (Status s = CheckTimeValues(c); !s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace magent::imip::internal
