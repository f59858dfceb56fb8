// Authentication-Results header fields (RFC 8601): reading them, picking the ones the
// site's own MTA wrote, and what those say about the author's domain.
//
// Anyone can write an Authentication-Results field into a message. Only fields whose
// authserv-id names the site's MTA, above the receiving MTA's own Received field (ReadMail
// keeps only those), are the MTA's word: everything the sender wrote is below that line.
// Among them, a field below one of another id is not read either. Pure functions;
// thread-safe.
#ifndef MAGENT_IMIP_AUTHENTICATION_RESULTS_H_
#define MAGENT_IMIP_AUTHENTICATION_RESULTS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "magent/status.h"

namespace magent::imip::internal {

// One resinfo: `dkim=pass header.d=example.com`.
struct AuthResult {
  std::string method;  // Lower case, without a version: "dkim", "dmarc", "spf", ...
  std::string result;  // Lower case: "pass", "fail", "none", ...
  // "ptype.property" in lower case and its value as written (unquoted, comments dropped):
  // {"header.d", "example.com"}.
  std::vector<std::pair<std::string, std::string>> properties;

  // The first value of `name` ("header.d"); nullptr when absent.
  const std::string* Property(std::string_view name) const;
};

struct AuthenticationResults {
  std::string authserv_id;          // Lower case.
  std::vector<AuthResult> results;  // Empty for "none".
};

// One field's body (after "Authentication-Results:"), folded or not. InvalidArgument,
// saying what is wrong, when it does not follow RFC 8601's grammar.
Result<AuthenticationResults> ParseAuthenticationResults(std::string_view body);

// The fields the site's MTA wrote: from the top of `fields` (the bodies in header order,
// topmost first), each field whose authserv-id is one of `trusted` (lower case), up to the
// first that is not or cannot be read. Nothing when `trusted` is empty.
std::vector<AuthenticationResults> TrustedResults(const std::vector<std::string>& fields,
                                                  const std::vector<std::string>& trusted);

// On each method, only the topmost field of `results` that reports on it counts: one
// verifier writes one field, and a field below it is not that verifier's.

// Whether `results` authenticate `domain` (lower case) as the message's author domain:
// DMARC's verdict on it when there is one (dmarc=pass or dmarc=fail with header.from
// `domain`), else dkim=pass with header.d (or the domain of header.i) equal to `domain`.
// DKIM alignment is strict: relaxed alignment needs the public suffix list, which the
// DMARC verifier has and reports as dmarc=pass.
bool AuthenticatesAuthorDomain(const std::vector<AuthenticationResults>& results,
                               std::string_view domain);

// Whether `results` hold dkim=pass with header.d (or header.i's domain) equal to `domain`:
// a signature of the domain over the header (the Sender's, which DMARC does not cover).
bool DkimSignedBy(const std::vector<AuthenticationResults>& results, std::string_view domain);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_AUTHENTICATION_RESULTS_H_
