// The range checks and duration arithmetic that stand before libical's int arithmetic.
#include "time_values.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <cstdint>
#include <optional>

namespace magent::imip {
namespace {

using internal::DurationSeconds;
using internal::OutOfRange;

icaltimetype Date(int year, int month, int day) {
  icaltimetype t = icaltime_null_time();
  t.year = year;
  t.month = month;
  t.day = day;
  t.is_date = 1;
  return t;
}

// std::chrono::day keeps one byte: day 257 read as day 1.
TEST(TimeValuesTest, ADayPastAByteIsNoDayIssue15) {
  EXPECT_EQ(OutOfRange(Date(2030, 1, 257)), "day 257");
  EXPECT_EQ(OutOfRange(Date(2030, 1, 32)), "day 32");
  EXPECT_EQ(OutOfRange(Date(2030, 2, 30)), "day 30");
  EXPECT_EQ(OutOfRange(Date(2030, 1, 0)), "day 0");
  EXPECT_EQ(OutOfRange(Date(2030, 1, 31)), std::nullopt);
}

// icaldurationtype_as_int computes in int: P10000W came out as about 55 years.
TEST(TimeValuesTest, ADurationInSecondsDoesNotOverflowIssue15) {
  EXPECT_EQ(DurationSeconds(icaldurationtype_from_string("P10000W")),
            std::int64_t{10000} * 7 * 86400);
  EXPECT_EQ(DurationSeconds(icaldurationtype_from_string("-P1DT1H1M1S")), -(86400 + 3661));
  EXPECT_EQ(DurationSeconds(icaldurationtype_from_string("P3660000D")),
            std::int64_t{3660000} * 86400);  // 10,000 years of 366 days.
  EXPECT_EQ(DurationSeconds(icaldurationtype_from_string("P3660001D")), std::nullopt);
  EXPECT_EQ(DurationSeconds(icaldurationtype_from_string("P600000W")), std::nullopt);
}

}  // namespace
}  // namespace magent::imip
