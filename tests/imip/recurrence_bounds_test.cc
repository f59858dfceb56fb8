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

// A limiting BY part that never matches yields nothing while libical works out every hour
// up to its end, so a rule pays for its candidates, not for what it yields (issue 15).
TEST(RecurrenceBoundsTest, Issue15CountsTheCandidatesOfASpanWhateverTheyYield) {
  // A day holds at most two daily periods (the first may start before the span).
  EXPECT_EQ(MostCandidates(Rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"), 1), 3u);
  EXPECT_EQ(MostCandidates(Rule("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"), 365), 366u * 24 + 2);
  EXPECT_EQ(MostCandidates(Rule("FREQ=HOURLY;INTERVAL=2;BYMONTH=2"), 365), 366u * 12 + 2);
  EXPECT_EQ(MostCandidates(Rule("FREQ=WEEKLY;BYDAY=MO,WE"), 365), (53u + 2) * 2);
  // Past libical's years, nothing more is counted; no overflow either way.
  EXPECT_EQ(MostCandidates(Rule("FREQ=SECONDLY;BYMONTH=2"), UINT64_MAX),
            MostCandidates(Rule("FREQ=SECONDLY;BYMONTH=2"), 10'000ULL * 366));
}

}  // namespace
}  // namespace magent::imip::internal
