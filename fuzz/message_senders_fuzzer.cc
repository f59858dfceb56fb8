// Who a message counts as being from: ParseAuthenticationResults on one field body, and
// ReadMail then SendersOf (plugins/imip/src/message_senders.cc) on a message, with and
// without a trusted authserv-id. A field is read or refused, never a crash, a leak or
// undefined behaviour; where the site trusts an MTA, a message with no field of it
// counts nobody as its sender.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ascii_case.h"
#include "authentication_results.h"
#include "magent/imip/mail.h"
#include "message_senders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace magent::imip;
  FuzzedDataProvider in(data, size);
  const bool trust = in.ConsumeBool();
  const std::string field = in.ConsumeRandomLengthString(4096);
  const std::string message = in.ConsumeRemainingBytesAsString();

  if (auto parsed = internal::ParseAuthenticationResults(field); parsed.ok()) {
    if (parsed->authserv_id.empty() ||
        internal::AsciiLower(parsed->authserv_id) != parsed->authserv_id) {
      abort();
    }
    for (const internal::AuthResult& r : parsed->results) {
      if (r.method.empty() || r.result.empty()) abort();
    }
  }

  auto mail = ReadMail(message);
  if (!mail.ok()) return 0;
  const std::vector<std::string> trusted =
      trust ? std::vector<std::string>{"mx.example.com"} : std::vector<std::string>{};
  const internal::MessageSenders senders =
      internal::SendersOf(*mail, {"envelope@example.net"}, trusted);
  for (auto it = senders.counted.begin(); it != senders.counted.end(); ++it) {
    if (it->empty() || std::find(it + 1, senders.counted.end(), *it) != senders.counted.end()) {
      abort();  // Addresses are distinct and usable.
    }
  }
  // Nothing the MTA vouched for: nobody, the envelope included, is the sender.
  if (trust && mail->authentication_results.empty() && !senders.counted.empty()) abort();
  return 0;
}
