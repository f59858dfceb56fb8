// Whether a text is one mail address, fit for a header and an envelope as it is.
#ifndef MAGENT_IMIP_MAIL_ADDRESS_H_
#define MAGENT_IMIP_MAIL_ADDRESS_H_

#include <string_view>

namespace magent::imip::internal {

// Whether `address` is one bare mail address, `local@domain`: a dot-atom local part
// (RFC 5322 atext and dots) and a domain of letters, digits, '-' and dots, each non-empty
// and without a leading, trailing or doubled dot. No blanks, controls, brackets, quotes,
// commas or second '@': nothing that could make it two addresses or another header.
bool IsMailAddress(std::string_view address);

// Whether `text` is RFC 5322 dot-atom-text: runs of atext joined by single dots, none
// empty (a local part, a msg-id's halves).
bool IsDotAtomText(std::string_view text);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_MAIL_ADDRESS_H_
