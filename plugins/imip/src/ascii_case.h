// Case folding for the ASCII parts of mail and calendar data: addresses, MIME types,
// method and day names (RFC 5321 domains and RFC 5545 names compare without case).
#ifndef MAGENT_IMIP_ASCII_CASE_H_
#define MAGENT_IMIP_ASCII_CASE_H_

#include <string>
#include <string_view>

namespace magent::imip::internal {

// `s` with A-Z as a-z; other bytes (UTF-8 included) as they are.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_ASCII_CASE_H_
