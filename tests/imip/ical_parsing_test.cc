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

}  // namespace
}  // namespace magent::imip::internal
