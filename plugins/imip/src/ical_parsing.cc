#include "ical_parsing.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace magent::imip::internal {

LineSource::LineSource(std::string_view text) : text_(text.substr(0, text.find('\0'))) {}

char* LineSource::Next(char* out, std::size_t size, void* source) {
  return static_cast<LineSource*>(source)->Piece(out, size);
}

char* LineSource::Piece(char* out, std::size_t size) {
  if (pos_ == text_.size() || size < 2) return nullptr;
  if (pos_ >= line_end_) {
    // Each line's end is looked for once, from where the last one ended.
    std::size_t end = text_.find('\n', pos_);
    cr_end_ = false;
    if (end == std::string_view::npos) {
      end = text_.find('\r', pos_);
      cr_end_ = end != std::string_view::npos;
    }
    line_end_ = end == std::string_view::npos ? text_.size() : end + 1;
  }
  const std::size_t length = std::min(line_end_ - pos_, size - 1);
  std::memcpy(out, text_.data() + pos_, length);
  pos_ += length;
  if (cr_end_ && pos_ == line_end_) out[length - 1] = '\n';
  out[length] = '\0';
  return out;
}

icalcomponent* ParseCalendarText(std::string_view text) {
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
