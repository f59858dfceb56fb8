#include "recurrence_bounds.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace magent::imip::internal {
namespace {

template <std::size_t N>
std::uint64_t Size(const short (&by)[N]) {
  std::size_t n = 0;
  while (n < N && by[n] != ICAL_RECURRENCE_ARRAY_MAX) ++n;
  return n;
}

// A part's factor: its size when present, else 1.
std::uint64_t Factor(std::uint64_t size) { return std::max<std::uint64_t>(size, 1); }

// The periods of `freq` in a (leap) year.
std::uint64_t PeriodsPerYear(icalrecurrencetype_frequency freq) {
  switch (freq) {
    case ICAL_SECONDLY_RECURRENCE:
      return 366ULL * 86400;
    case ICAL_MINUTELY_RECURRENCE:
      return 366ULL * 1440;
    case ICAL_HOURLY_RECURRENCE:
      return 366ULL * 24;
    case ICAL_DAILY_RECURRENCE:
      return 366;
    case ICAL_WEEKLY_RECURRENCE:
      return 53;
    case ICAL_MONTHLY_RECURRENCE:
      return 12;
    default:
      return 1;
  }
}

}  // namespace

std::uint64_t MostPerPeriod(const icalrecurrencetype& r) {
  const std::uint64_t seconds = Factor(Size(r.by_second));
  const std::uint64_t minutes = Factor(Size(r.by_minute));
  const std::uint64_t hours = Factor(Size(r.by_hour));
  const std::uint64_t weekdays = Size(r.by_day);
  switch (r.freq) {
    case ICAL_MINUTELY_RECURRENCE:
      return seconds;
    case ICAL_HOURLY_RECURRENCE:
      return seconds * minutes;
    case ICAL_DAILY_RECURRENCE:
      return seconds * minutes * hours;
    case ICAL_WEEKLY_RECURRENCE:
      return seconds * minutes * hours * std::min<std::uint64_t>(Factor(weekdays), 7);
    case ICAL_MONTHLY_RECURRENCE: {
      // BYDAY expands (up to five of a weekday a month) unless BYMONTHDAY is there.
      const std::uint64_t month_days = Size(r.by_month_day);
      const std::uint64_t days = month_days != 0 ? month_days : Factor(weekdays * 5);
      return seconds * minutes * hours * std::min<std::uint64_t>(days, 31);
    }
    case ICAL_YEARLY_RECURRENCE: {
      // Up to 53 of a weekday a year, five within a month or a week's seven.
      const bool narrowed = Size(r.by_month) != 0 || Size(r.by_week_no) != 0;
      const std::uint64_t days = Factor(Size(r.by_month)) * Factor(Size(r.by_week_no)) *
                                 Factor(Size(r.by_year_day)) * Factor(Size(r.by_month_day)) *
                                 Factor(weekdays * (narrowed ? 5 : 53));
      return seconds * minutes * hours * std::min<std::uint64_t>(days, 366);
    }
    default:
      return 1;
  }
}

bool HasByParts(const icalrecurrencetype& r) {
  return Size(r.by_second) + Size(r.by_minute) + Size(r.by_hour) + Size(r.by_day) +
             Size(r.by_month_day) + Size(r.by_year_day) + Size(r.by_week_no) + Size(r.by_month) +
             Size(r.by_set_pos) !=
         0;
}

std::uint64_t MostPerYear(const icalrecurrencetype& r) {
  const std::uint64_t interval = static_cast<std::uint64_t>(std::max<short>(r.interval, 1));
  return (PeriodsPerYear(r.freq) + interval - 1) / interval * MostPerPeriod(r);
}

std::uint64_t MostCandidates(const icalrecurrencetype& r, std::uint64_t days) {
  const std::uint64_t interval = static_cast<std::uint64_t>(std::max<short>(r.interval, 1));
  // Days beyond libical's years (some 3.7 million) change nothing: it stops there.
  days = std::min<std::uint64_t>(days, 10'000ULL * 366);
  // A period that starts inside the span counts whole, and the first may start before it.
  const std::uint64_t periods = days * PeriodsPerYear(r.freq) / 365 / interval + 2;
  const std::uint64_t each = MostPerPeriod(r);
  return periods > UINT64_MAX / each ? UINT64_MAX : periods * each;
}

}  // namespace magent::imip::internal
