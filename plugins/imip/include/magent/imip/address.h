// Calendar user addresses as iMIP compares them.
#ifndef MAGENT_IMIP_ADDRESS_H_
#define MAGENT_IMIP_ADDRESS_H_

#include <string>
#include <string_view>

namespace magent::imip {

// The bare mail address of a calendar user address or a mail header address: without a
// `mailto:` scheme (any case), angle brackets or surrounding blanks, in lower case. Mail
// systems treat local parts case-insensitively in practice, and clients disagree on case
// (`MAILTO:Karim@...` in Exchange), so comparisons use this form. Empty if `uri` has no
// address (e.g. a `urn:` or `http:` URI).
std::string CanonicalAddress(std::string_view uri);

}  // namespace magent::imip

#endif  // MAGENT_IMIP_ADDRESS_H_
