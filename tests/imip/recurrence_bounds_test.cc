#include "recurrence_bounds.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

namespace magent::imip::internal {
namespace {

icalrecurrencetype Rule(const char* text) { return icalrecurrencetype_from_string(text); }

TEST(RecurrenceBoundsTest, CountsWhatAPeriodAndAYearCanMake) {
  EXPECT_EQ(MostPerPeriod(Rule("FREQ=DAILY")), 1u);
  EXPECT_EQ(MostPerYear(Rule("FREQ=DAILY")), 366u);
  EXPECT_EQ(MostPerYear(Rule("FREQ=DAILY;INTERVAL=7")), 53u);
  EXPECT_EQ(MostPerYear(Rule("FREQ=SECONDLY")), 366u * 86400);
  EXPECT_EQ(MostPerPeriod(Rule("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=10,14")), 6u);
  // BYMONTH limits a WEEKLY rule; BYMONTHDAY makes BYDAY limit a MONTHLY one.
  EXPECT_EQ(MostPerPeriod(Rule("FREQ=WEEKLY;BYMONTH=1,2,3")), 1u);
  EXPECT_EQ(MostPerPeriod(Rule("FREQ=MONTHLY;BYDAY=MO")), 5u);
  EXPECT_EQ(MostPerPeriod(Rule("FREQ=MONTHLY;BYDAY=MO;BYMONTHDAY=1,2")), 2u);
  // RFC 5545's zone example: one of seven days of April.
  EXPECT_EQ(MostPerYear(Rule("FREQ=YEARLY;BYMONTH=4;BYDAY=SU;BYMONTHDAY=1,2,3,4,5,6,7")), 35u);
  EXPECT_EQ(MostPerYear(Rule("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")), 5u);
  // Every second of a year, at most.
  EXPECT_EQ(MostPerPeriod(Rule(
                "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,"
                "11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31;BYHOUR=0,1,2,3,"
                "4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,1,2,3,4,5,6,"
                "7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,"
                "34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59;"
                "BYSECOND=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,"
                "26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,"
                "52,53,54,55,56,57,58,59")),
            366u * 86400);
  EXPECT_FALSE(HasByParts(Rule("FREQ=SECONDLY;COUNT=3")));
  EXPECT_TRUE(HasByParts(Rule("FREQ=SECONDLY;BYMONTH=11")));
}

}  // namespace
}  // namespace magent::imip::internal
