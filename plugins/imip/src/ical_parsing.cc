#include "ical_parsing.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

namespace magent::imip::internal {

LineSource::LineSource(std::string_view text)
    : text_(text.substr(0, text.find('\0'))), ends_(text_) {}

char* LineSource::Next(char* out, std::size_t size, void* source) {
  return static_cast<LineSource*>(source)->Piece(out, size);
}

char* LineSource::Piece(char* out, std::size_t size) {
  if (pos_ == text_.size() || size < 2) return nullptr;
  if (pos_ >= line_end_) {
    // Each line's end is looked for once, from where the last one ended.
    const std::size_t end = ends_.After(pos_);
    cr_end_ = end != std::string_view::npos && ends_.cr_only();
    line_end_ = end == std::string_view::npos ? text_.size() : end + 1;
  }
  const std::size_t length = std::min(line_end_ - pos_, size - 1);
  std::memcpy(out, text_.data() + pos_, length);
  pos_ += length;
  if (cr_end_ && pos_ == line_end_) out[length - 1] = '\n';
  out[length] = '\0';
  return out;
}

namespace {

bool IsListProperty(std::string_view line) {
  const std::string_view name = line.substr(0, line.find_first_of(";:"));
  for (std::string_view listed : {"RDATE", "EXDATE", "FREEBUSY"}) {
    if (name.size() == listed.size() &&
        std::equal(name.begin(), name.end(), listed.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        })) {
      return true;
    }
  }
  return false;
}

// `line` (unfolded) as lines of at most kMostValuesPerLine values each, CRLF-ended.
void AppendSplit(std::string_view line, std::string& out) {
  const std::size_t value = ValueStart(line);
  const std::string_view head = line.substr(0, value);
  std::string_view values = line.substr(value);
  while (!values.empty()) {
    std::size_t end = std::string_view::npos;
    for (std::size_t n = 0, from = 0; n < kMostValuesPerLine; ++n, from = end + 1) {
      end = values.find(',', from);
      if (end == std::string_view::npos) break;
    }
    out.append(head).append(values.substr(0, end)).append("\r\n");
    values = end == std::string_view::npos ? std::string_view() : values.substr(end + 1);
  }
}

}  // namespace

std::size_t LineEnds::After(std::size_t pos) {
  if (!no_lf_left_) {
    const std::size_t lf = text_.find('\n', pos);
    if (lf != std::string_view::npos) return lf;
    no_lf_left_ = true;
  }
  return text_.find('\r', pos);
}

std::size_t ValueStart(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) return i + 1;
  }
  return std::string_view::npos;
}

std::optional<std::string> SplitLongValueLists(std::string_view text) {
  std::optional<std::string> out;
  std::size_t copied = 0;  // text before this is in `out` already.
  LineEnds ends(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    // One content line: its physical lines, from `pos` to `next`.
    const std::size_t start = pos;
    std::size_t next = pos;
    std::string unfolded;
    const bool listed = IsListProperty(text.substr(pos, 16));
    do {
      std::size_t eol = ends.After(next);
      eol = eol == std::string_view::npos ? text.size() : eol + 1;
      if (listed) {
        std::string_view physical = text.substr(next, eol - next);
        while (!physical.empty() && (physical.back() == '\n' || physical.back() == '\r')) {
          physical.remove_suffix(1);
        }
        if (next != start) physical.remove_prefix(1);
        unfolded.append(physical);
      }
      next = eol;
    } while (next < text.size() && (text[next] == ' ' || text[next] == '\t'));
    pos = next;
    if (!listed || ValueStart(unfolded) == std::string_view::npos ||
        static_cast<std::size_t>(std::count(unfolded.begin(), unfolded.end(), ',')) <
            kMostValuesPerLine) {
      continue;
    }
    if (!out) out.emplace();
    out->append(text.substr(copied, start - copied));
    AppendSplit(unfolded, *out);
    copied = next;
  }
  if (out) out->append(text.substr(copied));
  return out;
}

icalcomponent* ParseCalendarText(std::string_view text) {
  const std::optional<std::string> split = SplitLongValueLists(text);
  if (split) text = *split;
  LineSource source(text);
  std::unique_ptr<icalparser, void (*)(icalparser*)> parser(icalparser_new(), icalparser_free);
  if (parser == nullptr) return nullptr;
  icalparser_set_gen_data(parser.get(), &source);
  // As icalparser_parse_string: malformed data is left as X-LIC-ERROR, not fatal.
  const icalerrorstate was = icalerror_get_error_state(ICAL_MALFORMEDDATA_ERROR);
  icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, ICAL_ERROR_NONFATAL);
  icalcomponent* root = icalparser_parse(parser.get(), &LineSource::Next);
  icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, was);
  return root;
}

}  // namespace magent::imip::internal
