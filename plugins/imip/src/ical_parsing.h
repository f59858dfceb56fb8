// Reading a calendar's text into libical's components, in time linear in its length.
//
// libical's own icalparser_parse_string hands its parser a line 80 bytes at a time and
// looks for the line's end afresh each time (strchr to the end of the line), so one long
// content line costs its length squared: a 7 MB DESCRIPTION took minutes. The parser is
// fed here by a line source that finds each line end once.
#ifndef MAGENT_IMIP_ICAL_PARSING_H_
#define MAGENT_IMIP_ICAL_PARSING_H_

#include <libical/ical.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace magent::imip::internal {

// The ends of a text's physical lines as libical's line reader finds them: the next LF,
// or, when no LF follows, the next CR (a text of CR-only lines). Every reader of a
// calendar's raw text splits it this way, so each sees the lines libical parses. Once no
// LF is left it looks for CRs only: CR-only lines cost the text's length once, not its
// length times its lines.
class LineEnds {
 public:
  explicit LineEnds(std::string_view text) : text_(text) {}

  // The index of the LF or CR ending the line at `pos`; npos when neither follows.
  // REQUIRES: `pos` no smaller than in the call before.
  std::size_t After(std::size_t pos);
  // Whether that line ends in a CR that libical reads as LF.
  bool cr_only() const { return no_lf_left_; }

 private:
  std::string_view text_;
  bool no_lf_left_ = false;
};

// The lines of a text as icalparser_string_line_generator gives them: up to the first NUL,
// each line up to and including its LF (or, when no LF follows, its CR, given as LF), in
// pieces of at most `size` - 1 bytes.
class LineSource {
 public:
  explicit LineSource(std::string_view text);

  // The next piece into `out` (NUL-terminated); null at the end. The signature of
  // libical's line generators.
  static char* Next(char* out, std::size_t size, void* source);

 private:
  char* Piece(char* out, std::size_t size);

  std::string_view text_;
  LineEnds ends_;
  std::size_t pos_ = 0;
  std::size_t line_end_ = 0;  // One past the current line's LF or CR.
  bool cr_end_ = false;       // The current line ends in a CR read as LF.
};

// Where the value of an unfolded content line starts: after the first ':' outside a
// quoted parameter value; npos when there is none.
std::size_t ValueStart(std::string_view line);

// `text` with every RDATE, EXDATE and FREEBUSY content line of more than
// kMostValuesPerLine values given as several lines of the same property and parameters,
// each of at most that many (RFC 5545 reads them alike); none when there is no such line.
// libical reads the first 500 values of a line and drops the rest without a word
// (icalparser.c's MAXIMUM_ALLOWED_MULTIPLE_VALUES): a series' later RDATEs and EXDATEs
// were lost.
inline constexpr std::size_t kMostValuesPerLine = 500;
std::optional<std::string> SplitLongValueLists(std::string_view text);

// The component libical parses from `text` (the root; null when it finds none), as
// icalparser_parse_string would give it, long value lists split as above. The caller
// owns it.
icalcomponent* ParseCalendarText(std::string_view text);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_ICAL_PARSING_H_
