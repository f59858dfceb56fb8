#include "mail_address.h"

#include <algorithm>

namespace magent::imip::internal {
namespace {

bool Alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext.
bool Atext(char c) {
  return Alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// Dot-separated runs of `allowed` characters, none empty.
template <typename Allowed>
bool DotSeparated(std::string_view text, Allowed allowed) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [&](char c) { return c == '.' || allowed(c); });
}

}  // namespace

bool IsDotAtomText(std::string_view text) { return DotSeparated(text, Atext); }

bool IsMailAddress(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos) return false;
  return IsDotAtomText(address.substr(0, at)) &&
         DotSeparated(address.substr(at + 1), [](char c) { return Alnum(c) || c == '-'; });
}

}  // namespace magent::imip::internal
