// How outgoing iMIP mail leaves: by SMTP (-L), LMTP (-l), or written out in mbox form for
// inspection (-d).
#ifndef MAGENT_IMIP_TRANSPORT_H_
#define MAGENT_IMIP_TRANSPORT_H_

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "magent/clock.h"
#include "magent/status.h"

namespace magent::imip {

struct Envelope {
  std::string from;             // MAIL FROM.
  std::vector<std::string> to;  // RCPT TO, one per recipient.
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Sends one RFC 5322 message. Unavailable when the server cannot be reached or answers
  // with a temporary (4xx) error; FailedPrecondition for a permanent (5xx) refusal;
  // InvalidArgument, with nothing sent, when an envelope address holds a control
  // character, a space or an angle bracket (it would end the SMTP command it is in).
  virtual Status Send(const Envelope& envelope, const std::string& message) = 0;
};

// Writes each message to `out` as an mbox entry: a "From <sender> <date>" line, the
// message with LF line endings and ">From " quoting (mboxrd), and a blank line.
std::unique_ptr<MailTransport> MboxTransport(std::ostream& out, TimePoint now);

struct SmtpOptions {
  std::string host = "localhost";
  std::string port = "25";
  std::string helo_name = "localhost";  // Our name in EHLO/LHLO.
  std::chrono::seconds timeout{30};     // Per read or write.
};
// SMTP over TCP (RFC 5321).
std::unique_ptr<MailTransport> SmtpTransport(SmtpOptions options);
// LMTP over a Unix socket (RFC 2033): a status per recipient after the data.
std::unique_ptr<MailTransport> LmtpTransport(std::string socket_path, SmtpOptions options = {});

}  // namespace magent::imip

#endif  // MAGENT_IMIP_TRANSPORT_H_
