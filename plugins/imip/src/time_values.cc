#include "time_values.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

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

}  // namespace

std::optional<std::string> OutOfRange(const icaltimetype& t) {
  if (icaltime_is_null_time(t)) return std::nullopt;
  if (t.year < 1 || t.year > 9999) return "year " + std::to_string(t.year);
  if (t.month < 1 || t.month > 12) return "month " + std::to_string(t.month);
  const std::chrono::year_month_day date{std::chrono::year(t.year),
                                         std::chrono::month(static_cast<unsigned>(t.month)),
                                         std::chrono::day(static_cast<unsigned>(t.day))};
  if (t.day < 1 || !date.ok()) return "day " + std::to_string(t.day);
  if (t.is_date) return std::nullopt;
  if (t.hour < 0 || t.hour > 23) return "hour " + std::to_string(t.hour);
  if (t.minute < 0 || t.minute > 59) return "minute " + std::to_string(t.minute);
  // 60: a leap second (RFC 5545 3.3.5).
  if (t.second < 0 || t.second > 60) return "second " + std::to_string(t.second);
  return std::nullopt;
}

Result<icaltimetype> AddDuration(icaltimetype start, icaldurationtype duration) {
  // libical adds each field as an int: bring them into range first.
  std::int64_t seconds = std::int64_t{duration.hours} * 3600 + std::int64_t{duration.minutes} * 60 +
                         std::int64_t{duration.seconds};
  const std::int64_t days =
      std::int64_t{duration.weeks} * 7 + std::int64_t{duration.days} + seconds / 86400;
  if (days > kMaxDays) return Status::InvalidArgument("a duration of more than 10,000 years");
  seconds %= 86400;
  icaldurationtype bounded = icaldurationtype_null_duration();
  bounded.is_neg = duration.is_neg;
  bounded.days = static_cast<unsigned int>(days);
  bounded.seconds = static_cast<unsigned int>(seconds);
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
        return Status::InvalidArgument(std::string(*name) +
                                       " cannot be read: " + icalproperty_get_xlicerror(p));
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
