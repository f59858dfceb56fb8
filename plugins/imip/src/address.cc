#include "magent/imip/address.h"

#include <algorithm>

#include "ascii_case.h"

namespace magent::imip {
namespace {

using internal::AsciiLower;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string CanonicalAddress(std::string_view uri) {
  while (!uri.empty() && IsBlank(uri.front())) uri.remove_prefix(1);
  while (!uri.empty() && IsBlank(uri.back())) uri.remove_suffix(1);
  if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>') {
    uri = uri.substr(1, uri.size() - 2);
  }
  std::string lower = AsciiLower(uri);
  constexpr std::string_view kMailto = "mailto:";
  if (lower.starts_with(kMailto)) {
    lower.erase(0, kMailto.size());
  } else if (lower.find(':') != std::string::npos) {
    return {};  // Another scheme: not a mail address.
  }
  const auto at = lower.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == lower.size()) return {};
  if (std::any_of(lower.begin(), lower.end(),
                  [](unsigned char c) { return c < 0x21 || c == 0x7f || c == '<' || c == '>'; })) {
    return {};
  }
  return lower;
}

}  // namespace magent::imip
