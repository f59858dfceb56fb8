#include "magent/imip/safe_text.h"

#include <gtest/gtest.h>

#include <string>

namespace magent::imip {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(RepairUtf8Test, ValidTextComesBackUnchanged) {
  for (const std::string& text :
       {std::string(), std::string("plain ASCII\r\n\ttab"), std::string("caf\u00e9 \u20ac"),
        std::string("\U0001F600 and \U0010FFFF"), std::string("\xC2\x80\xDF\xBF"),
        std::string("\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"), std::string("\xF0\x90\x80\x80")}) {
    EXPECT_EQ(RepairUtf8(text), text);
  }
}

TEST(RepairUtf8Test, StrayAndImpossibleBytesBecomeOneReplacementEach) {
  EXPECT_EQ(RepairUtf8("a\x80z"), "a" + kFffd + "z");
  EXPECT_EQ(RepairUtf8("\xBF\xBF"), kFffd + kFffd);
  EXPECT_EQ(RepairUtf8("\xFE\xFF\xF5"), kFffd + kFffd + kFffd);
  EXPECT_EQ(RepairUtf8("caf\xE9!"), "caf" + kFffd + "!");  // Latin-1 read as UTF-8.
}

TEST(RepairUtf8Test, OverlongFormsAreReplaced) {
  EXPECT_EQ(RepairUtf8("\xC0\xAF"), kFffd + kFffd);  // '/' in two bytes.
  EXPECT_EQ(RepairUtf8("\xC1\xBF"), kFffd + kFffd);
  EXPECT_EQ(RepairUtf8("\xE0\x80\xAF"), kFffd + kFffd + kFffd);
  EXPECT_EQ(RepairUtf8("\xF0\x80\x80\xAF"), kFffd + kFffd + kFffd + kFffd);
}

TEST(RepairUtf8Test, SurrogatesAndCodePointsAboveTheLastAreReplaced) {
  EXPECT_EQ(RepairUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // U+D800.
  EXPECT_EQ(RepairUtf8("\xED\xBF\xBF"), kFffd + kFffd + kFffd);              // U+DFFF.
  EXPECT_EQ(RepairUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // U+110000.
}

TEST(RepairUtf8Test, ATruncatedSequenceIsOneReplacement) {
  EXPECT_EQ(RepairUtf8("end \xE2\x82"), "end " + kFffd);
  EXPECT_EQ(RepairUtf8("end \xF0\x9F\x98"), "end " + kFffd);
  EXPECT_EQ(RepairUtf8("\xE2\x82x"), kFffd + "x");
  EXPECT_EQ(RepairUtf8("\xC3"), kFffd);
}

// Unicode 15, table 3-8: the substitution of maximal subparts.
TEST(RepairUtf8Test, ReplacesMaximalSubpartsAsUnicodeRecommends) {
  EXPECT_EQ(RepairUtf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
}

TEST(RepairUtf8Test, NulBecomesAReplacementSoNothingIsCutShort) {
  EXPECT_EQ(RepairUtf8(std::string("a\0b", 3)), "a" + kFffd + "b");
}

TEST(OneLineTest, LineBreaksAndControlsBecomeOneSpace) {
  EXPECT_EQ(OneLine("Team sync\r\nBcc: victim@example.com"), "Team sync Bcc: victim@example.com");
  EXPECT_EQ(OneLine("a\tb\x1B[31mc\x7F"
                    "d"),
            "a b [31mc d");
  EXPECT_EQ(OneLine("a\u0085b\u2028c\u2029d\u009Be"), "a b c d e");
  EXPECT_EQ(OneLine("\r\n  kept spaces  \n"), "  kept spaces  ");
  EXPECT_EQ(OneLine("caf\u00e9"), "caf\u00e9");
}

TEST(OneLineTest, RepairsTheEncodingToo) {
  EXPECT_EQ(OneLine("a\xFF\nb"), "a" + kFffd + " b");
  EXPECT_EQ(OneLine(std::string("a\0b", 3)), "a" + kFffd + "b");
}

}  // namespace
}  // namespace magent::imip
