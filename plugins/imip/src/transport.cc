#include "magent/imip/transport.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <ctime>
#include <functional>

#include "magent/imip/safe_text.h"
#include "mail_address.h"

namespace magent::imip {
namespace {

namespace asio = boost::asio;

// An address goes into "MAIL FROM:<...>", "RCPT TO:<...>" and the mbox "From " line as it
// is: anything but one bare mail address (a comma, a quote, a space, a control character,
// an angle bracket) could name a second recipient or end that command and start one of
// someone else's choosing. Only the sender may be empty: the null reverse-path.
Status CheckEnvelope(const Envelope& envelope) {
  const auto check = [](const std::string& address) {
    return internal::IsMailAddress(address)
               ? Status::OK()
               : Status::InvalidArgument("refused to send to or from '" + OneLine(address) +
                                         "': it is not one mail address");
  };
  if (!envelope.from.empty()) {
    if (Status s = check(envelope.from); !s.ok()) return s;
  }
  for (const std::string& to : envelope.to) {
    if (Status s = check(to); !s.ok()) return s;
  }
  return Status::OK();
}

class Mbox final : public MailTransport {
 public:
  Mbox(std::ostream& out, TimePoint now) : out_(out), now_(now) {}

  Status Send(const Envelope& envelope, const std::string& message) override {
    if (Status s = CheckEnvelope(envelope); !s.ok()) return s;
    const std::time_t t = std::chrono::system_clock::to_time_t(now_);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char date[32];
    std::strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &utc);
    out_ << "From " << (envelope.from.empty() ? "MAILER-DAEMON" : envelope.from) << ' ' << date
         << '\n';
    std::size_t start = 0;
    while (start < message.size()) {
      std::size_t end = message.find('\n', start);
      if (end == std::string::npos) end = message.size();
      std::string_view line(message.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      // mboxrd: a line that reads ">*From " gets one more '>'.
      const auto first = line.find_first_not_of('>');
      if (first != std::string_view::npos && line.substr(first).starts_with("From ")) out_ << '>';
      out_ << line << '\n';
      start = end + 1;
    }
    out_ << '\n';
    out_.flush();
    return out_ ? Status::OK() : Status::Unavailable("cannot write the outgoing message");
  }

 private:
  std::ostream& out_;
  TimePoint now_;
};

// One SMTP or LMTP conversation per message. Blocking, with a timeout on every read and
// write (SO_RCVTIMEO/SO_SNDTIMEO), so a stuck server cannot hang a pipe process.
template <typename Protocol>
class SmtpClient final : public MailTransport {
 public:
  using Endpoint = typename Protocol::endpoint;
  SmtpClient(std::function<Result<Endpoint>(asio::io_context&)> resolve, SmtpOptions options,
             bool lmtp)
      : resolve_(std::move(resolve)), options_(std::move(options)), lmtp_(lmtp) {}

  Status Send(const Envelope& envelope, const std::string& message) override {
    if (Status s = CheckEnvelope(envelope); !s.ok()) return s;
    asio::io_context io;
    auto endpoint = resolve_(io);
    if (!endpoint.ok()) return endpoint.status();
    typename Protocol::socket socket(io);
    boost::system::error_code ec;
    socket.connect(*endpoint, ec);
    if (ec) return Status::Unavailable(Name() + " server unreachable: " + ec.message());
    timeval tv{.tv_sec = static_cast<time_t>(options_.timeout.count()), .tv_usec = 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    asio::streambuf in;

    if (Status s = Expect(socket, in, 220); !s.ok()) return s;
    if (Status s = Command(socket, in, (lmtp_ ? "LHLO " : "EHLO ") + options_.helo_name, 250);
        !s.ok()) {
      return s;
    }
    if (Status s = Command(socket, in, "MAIL FROM:<" + envelope.from + ">", 250); !s.ok()) return s;
    for (const std::string& to : envelope.to) {
      if (Status s = Command(socket, in, "RCPT TO:<" + to + ">", 250); !s.ok()) return s;
    }
    if (Status s = Command(socket, in, "DATA", 354); !s.ok()) return s;
    if (Status s = Write(socket, DotStuffed(message) + ".\r\n"); !s.ok()) return s;
    // LMTP answers once per recipient; SMTP once.
    for (std::size_t i = 0; i < (lmtp_ ? envelope.to.size() : 1); ++i) {
      if (Status s = Expect(socket, in, 250); !s.ok()) return s;
    }
    // The message is accepted; how QUIT goes changes nothing.
    static_cast<void>(Command(socket, in, "QUIT", 221));
    return Status::OK();
  }

 private:
  std::string Name() const { return lmtp_ ? "LMTP" : "SMTP"; }

  static std::string DotStuffed(const std::string& message) {
    std::string out;
    out.reserve(message.size() + 64);
    bool line_start = true;
    for (std::size_t i = 0; i < message.size(); ++i) {
      const char c = message[i];
      if (c == '\n' && (i == 0 || message[i - 1] != '\r')) {
        out += "\r\n";  // Bare LF: SMTP wants CRLF.
        line_start = true;
        continue;
      }
      if (line_start && c == '.') out.push_back('.');
      out.push_back(c);
      line_start = c == '\n';
    }
    if (!out.ends_with("\r\n")) out += "\r\n";
    return out;
  }

  Status Write(typename Protocol::socket& socket, const std::string& text) {
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(text), ec);
    if (ec) return Status::Unavailable(Name() + " write failed: " + ec.message());
    return Status::OK();
  }

  Status Command(typename Protocol::socket& socket, asio::streambuf& in, const std::string& line,
                 int expected) {
    if (Status s = Write(socket, line + "\r\n"); !s.ok()) return s;
    return Expect(socket, in, expected);
  }

  // Reads one (possibly multi-line) reply; 4xx is temporary, 5xx permanent.
  Status Expect(typename Protocol::socket& socket, asio::streambuf& in, int expected) {
    std::string last;
    for (;;) {
      boost::system::error_code ec;
      asio::read_until(socket, in, "\r\n", ec);
      if (ec) return Status::Unavailable(Name() + " read failed: " + ec.message());
      std::istream lines(&in);
      std::getline(lines, last);
      if (!last.empty() && last.back() == '\r') last.pop_back();
      if (last.size() < 3) return Status::Unavailable(Name() + " sent a bad reply: " + last);
      if (last.size() == 3 || last[3] != '-') break;
    }
    const int code = std::atoi(last.substr(0, 3).c_str());
    if (code == expected) return Status::OK();
    if (code >= 500) return Status::FailedPrecondition(Name() + " refused: " + last);
    return Status::Unavailable(Name() + " answered: " + last);
  }

  std::function<Result<Endpoint>(asio::io_context&)> resolve_;
  SmtpOptions options_;
  bool lmtp_;
};

}  // namespace

std::unique_ptr<MailTransport> MboxTransport(std::ostream& out, TimePoint now) {
  return std::make_unique<Mbox>(out, now);
}

std::unique_ptr<MailTransport> SmtpTransport(SmtpOptions options) {
  auto resolve = [host = options.host,
                  port = options.port](asio::io_context& io) -> Result<asio::ip::tcp::endpoint> {
    asio::ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    auto results = resolver.resolve(host, port, ec);
    if (ec || results.empty()) {
      return Status::Unavailable("cannot resolve SMTP server " + host + ":" + port + ": " +
                                 ec.message());
    }
    return results.begin()->endpoint();
  };
  return std::make_unique<SmtpClient<asio::ip::tcp>>(std::move(resolve), std::move(options), false);
}

std::unique_ptr<MailTransport> LmtpTransport(std::string socket_path, SmtpOptions options) {
  auto resolve = [path = std::move(socket_path)](
                     asio::io_context&) -> Result<asio::local::stream_protocol::endpoint> {
    return asio::local::stream_protocol::endpoint(path);
  };
  return std::make_unique<SmtpClient<asio::local::stream_protocol>>(std::move(resolve),
                                                                    std::move(options), true);
}

}  // namespace magent::imip
