// Text that came in a message, made safe to pass on: into a reply, a header or a log line.
//
// Every text a message carries is the sender's to choose: bytes that are not UTF-8, NULs,
// line breaks that would start a new header, terminal escapes. The reader repairs the
// encoding once, where a text comes in (ReadMail, ParseItip); whatever writes a text onto
// a single line (a header, a log line) makes it one line.
//
// Thread-safe: pure functions.
#ifndef MAGENT_IMIP_SAFE_TEXT_H_
#define MAGENT_IMIP_SAFE_TEXT_H_

#include <string>
#include <string_view>

namespace magent::imip {

// `text` as valid UTF-8: each maximal ill-formed subsequence (Unicode 15, 3.9 "U+FFFD
// Substitution of Maximal Subparts": a stray continuation byte, a truncated sequence, an
// overlong form, a surrogate, a code point above U+10FFFF, a byte C0, C1 or F5..FF)
// becomes one U+FFFD. NUL becomes U+FFFD too: it is valid UTF-8, but libical and GMime
// read C strings, so a NUL would silently cut the text short there. Valid text comes back
// unchanged.
std::string RepairUtf8(std::string_view text);

// `text` repaired as RepairUtf8 does and put on one line: each run of control characters
// (C0 including tab, CR and LF; DEL; C1) and Unicode line and paragraph separators (U+2028,
// U+2029) becomes one space, none at either end. For headers and log lines, where a line
// break would start a new header or a forged log entry, and an escape would drive a terminal.
std::string OneLine(std::string_view text);

}  // namespace magent::imip

#endif  // MAGENT_IMIP_SAFE_TEXT_H_
