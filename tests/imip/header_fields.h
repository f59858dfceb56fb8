// The top-level header of a raw message as the tests check it: field names in order, and
// each field's value unfolded. Written here rather than through GMime so the check does
// not share the composer's library.
#ifndef MAGENT_TESTS_IMIP_HEADER_FIELDS_H_
#define MAGENT_TESTS_IMIP_HEADER_FIELDS_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace magent::imip::testing {

// (name, value) for each field up to the first empty line; CRLF or LF line endings; a
// leading mbox "From " line is skipped.
inline std::vector<std::pair<std::string, std::string>> HeaderFields(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (raw.starts_with("From ")) raw.remove_prefix(std::min(raw.size(), raw.find('\n') + 1));
  while (!raw.empty()) {
    const std::size_t end = std::min(raw.find('\n'), raw.size());
    std::string_view line = raw.substr(0, end);
    raw.remove_prefix(std::min(raw.size(), end + 1));
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) break;
    if ((line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back().second += std::string(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    const std::string_view value =
        colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    fields.emplace_back(std::string(name), std::string(value));
  }
  return fields;
}

inline std::vector<std::string> HeaderNames(std::string_view raw) {
  std::vector<std::string> names;
  for (auto& [name, value] : HeaderFields(raw)) names.push_back(name);
  return names;
}

}  // namespace magent::imip::testing

#endif  // MAGENT_TESTS_IMIP_HEADER_FIELDS_H_
