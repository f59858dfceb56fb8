#include "ical_parsing.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <string>
#include <vector>

namespace magent::imip::internal {
namespace {

// libical's own string reader's state (icalparser.c's struct slg_data).
struct LibicalSource {
  const char* pos;
  const char* str;
};

std::vector<std::string> Pieces(char* (*next)(char*, std::size_t, void*), void* source,
                                std::size_t size) {
  std::vector<std::string> out;
  std::vector<char> buffer(size);
  while (const char* piece = next(buffer.data(), size, source)) out.emplace_back(piece);
  return out;
}

// The pieces are libical's own: line ends, pieces of long lines, NULs and all.
TEST(IcalParsingTest, LineSourceGivesThePiecesLibicalsStringReaderGives) {
  const std::vector<std::string> texts = {
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
      "A:1\nB:2\n folded\nC:3",
      std::string("A:1\r\nB:") + std::string(1000, 'x') + "\r\nC:" + std::string(79, 'y') + "\n",
      std::string("A:1\r\nB:2\0C:3\r\n", 15),
      "",
  };
  for (const std::string& text : texts) {
    for (std::size_t size : {2u, 3u, 80u, 4096u}) {
      LineSource ours(text);
      LibicalSource theirs{nullptr, text.c_str()};
      EXPECT_EQ(Pieces(&LineSource::Next, &ours, size),
                Pieces(&icalparser_string_line_generator, &theirs, size))
          << text << " in pieces of " << size;
    }
  }
}

// Lines ended by CR alone (once no LF follows) end in LF, as libical's; a line longer
// than a piece keeps its bytes (libical's turns the last byte of every piece into LF).
TEST(IcalParsingTest, LineSourceEndsCrOnlyLinesInLf) {
  for (const std::string text : {"A:1\rB:2\rC:3\r", "A:1\r\nB:2\rC:3\rD:4"}) {
    LineSource ours(text);
    LibicalSource theirs{nullptr, text.c_str()};
    EXPECT_EQ(Pieces(&LineSource::Next, &ours, 80),
              Pieces(&icalparser_string_line_generator, &theirs, 80))
        << text;
  }
  LineSource cut("AB:12\rC:3");
  EXPECT_EQ(Pieces(&LineSource::Next, &cut, 3),
            (std::vector<std::string>{"AB", ":1", "2\n", "C:", "3"}));
}

TEST(IcalParsingTest, ParsesAsLibicalsStringParserDoes) {
  const std::string text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:folded\r\n  summary\r\n"
      "DTSTART:bad\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  icalcomponent* ours = ParseCalendarText(text);
  icalcomponent* theirs = icalparser_parse_string(text.c_str());
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(theirs, nullptr);
  EXPECT_STREQ(icalcomponent_as_ical_string(ours), icalcomponent_as_ical_string(theirs));
  icalcomponent_free(ours);
  icalcomponent_free(theirs);
  EXPECT_EQ(ParseCalendarText(""), nullptr);
}

// libical reads 500 values of a line and drops the rest: longer lists are given to it as
// several lines, each value read.
TEST(IcalParsingTest, ReadsEveryValueOfALongList) {
  std::string exdates = "EXDATE;TZID=\"A:B\":20300101T100000";
  for (int i = 1; i < 1201; ++i) {
    exdates += (i % 50 == 0 ? ",\r\n " : ",") + std::string("2030") + (i % 2 ? "0" : "1") + "1" +
               std::to_string(10 + i % 19) + "T100000";
  }
  const std::string text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n" + exdates +
                           "\r\nSUMMARY:after\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  icalcomponent* root = ParseCalendarText(text);
  ASSERT_NE(root, nullptr);
  icalcomponent* event = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
  EXPECT_EQ(icalcomponent_count_properties(event, ICAL_EXDATE_PROPERTY), 1201);
  EXPECT_EQ(icalcomponent_count_properties(event, ICAL_XLICERROR_PROPERTY), 0);
  for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY);
       p != nullptr; p = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY)) {
    EXPECT_STREQ(icalproperty_get_parameter_as_string(p, "TZID"), "A:B");
  }
  EXPECT_STREQ(icalcomponent_get_summary(event), "after");
  icalcomponent_free(root);
  EXPECT_FALSE(SplitLongValueLists("EXDATE:20300101T100000,20300102T100000\r\n"));
}

}  // namespace
}  // namespace magent::imip::internal
