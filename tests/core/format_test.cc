// ParseTime reads what FormatTime writes (and a bare date), and nothing else.
#include "core/format.h"

#include <gtest/gtest.h>

#include "testing/manual_runtime.h"

namespace magent::internal {
namespace {

using namespace std::chrono;

TEST(FormatTest, ParseTimeReadsWhatFormatTimeWrites) {
  const TimePoint t = testing::TestEpoch() + 95min + 7s;
  EXPECT_EQ(FormatTime(t), "2026-11-22T10:35:07Z");
  EXPECT_EQ(ParseTime(FormatTime(t)), t);
}

TEST(FormatTest, ParseTimeTakesADateAsMidnightUtc) {
  EXPECT_EQ(ParseTime("2026-11-22"), testing::TestEpoch() - 9h);
}

TEST(FormatTest, ParseTimeRefusesAnythingElse) {
  for (const char* bad :
       {"", "yesterday", "2026-11-22T10:35:07", "2026-11-22 10:35:07Z", "2026-02-30",
        "2026-11-22T24:00:00Z", "2026-11-22T10:35:07Zjunk", "2026-1-22"}) {
    EXPECT_EQ(ParseTime(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace magent::internal
