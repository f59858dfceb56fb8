// The replies imip_resource writes with -d (mboxrd on standard output), taken apart, and
// the invariants every reply must keep whatever the input: no header an input could have
// added, headers in ASCII (RFC 2047 for the rest), no bare CR, valid UTF-8, no NUL,
// no HTML, one calendar that the project's own reader can read.
#ifndef MAGENT_TESTS_HOSTILE_REPLY_CHECKS_H_
#define MAGENT_TESTS_HOSTILE_REPLY_CHECKS_H_

#include <string>
#include <vector>

namespace magent::hostile {

struct Reply {
  std::string raw;  // The message as sent, mboxrd quoting undone.
  std::vector<std::pair<std::string, std::string>> headers;  // Top level, unfolded.
  std::string to;                      // The To address (from the project's reader).
  std::string subject;                 // Decoded.
  std::string text;                    // Every text part, transfer encoding undone, joined.
  std::string calendar;                // The calendar part, unfolded, decoded.
  std::string method;                  // The calendar's METHOD.
  std::vector<std::string> partstats;  // PARTSTAT of each ATTENDEE line.
};

// Splits mboxrd text into its messages and reads each; every invariant a reply breaks is
// appended to *violations, naming the reply by its index.
std::vector<Reply> ReadReplies(const std::string& mbox, std::vector<std::string>* violations);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool ValidUtf8(const std::string& s);

}  // namespace magent::hostile

#endif  // MAGENT_TESTS_HOSTILE_REPLY_CHECKS_H_
