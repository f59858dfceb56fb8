// The domain an address or a DKIM identity speaks for, as the authentication checks
// compare it.
#ifndef MAGENT_IMIP_ADDRESS_DOMAIN_H_
#define MAGENT_IMIP_ADDRESS_DOMAIN_H_

#include <string>
#include <string_view>

#include "ascii_case.h"

namespace magent::imip::internal {

// The domain of `identity`, lower case: "example.com" of "alice@example.com",
// "@example.com" (a DKIM header.i) or "example.com" (a header.d).
inline std::string DomainOf(std::string_view identity) {
  const auto at = identity.rfind('@');
  return AsciiLower(at == std::string_view::npos ? identity : identity.substr(at + 1));
}

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_ADDRESS_DOMAIN_H_
