// ComposeMail writes the MIME text itself: the message is always the same shape, and
// building it through GMime's object model cost a third of a resource's whole decision.
// GMime is still used to encode non-ASCII header text (RFC 2047).
#include <gmime/gmime.h>

#include <algorithm>
#include <ctime>
#include <random>

#include "gmime_ptr.h"
#include "magent/imip/reply.h"

namespace magent::imip {
namespace {

bool Ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

std::string Encoded(const std::string& text, bool phrase) {
  internal::EnsureGMime();
  char* encoded = phrase ? g_mime_utils_header_encode_phrase(nullptr, text.c_str(), "utf-8")
                         : g_mime_utils_header_encode_text(nullptr, text.c_str(), "utf-8");
  std::string out(encoded != nullptr ? encoded : "");
  g_free(encoded);
  return out;
}

// A display name as RFC 5322 wants it: an atom run, a quoted string, or encoded words.
std::string Phrase(const std::string& name) {
  if (!Ascii(name)) return Encoded(name, true);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    if (c != '\r' && c != '\n') quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string Mailbox(const std::string& name, const std::string& address) {
  return name.empty() ? address : Phrase(name) + " <" + address + ">";
}

std::string Token() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kChars[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string out;
  for (int i = 0; i < 24; ++i) out.push_back(kChars[random() % (sizeof kChars - 1)]);
  return out;
}

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4 + (data.size() / 57 + 1) * 2);
  std::size_t line = 0;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, data.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(data[i + k]) : 0u);
    }
    char quad[4];
    for (std::size_t k = 0; k < 4; ++k)
      quad[k] = k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
    out.append(quad, 4);
    if ((line += 4) == 76) {
      out += "\r\n";
      line = 0;
    }
  }
  if (line != 0) out += "\r\n";
  return out;
}

// CRLF line endings; ASCII text with short lines goes as is, anything else as base64.
// Copied a line at a time: a byte at a time was half of composing a reply.
void AppendBody(std::string& out, const std::string& content_type, const std::string& text) {
  std::string crlf;
  crlf.reserve(text.size() + text.size() / 32 + 2);
  std::size_t longest = 0;
  bool ascii = true;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    const std::size_t next = end + 1;
    if (end < text.size() && end > start && text[end - 1] == '\r') --end;
    const std::string_view line(text.data() + start, end - start);
    crlf.append(line);
    crlf += "\r\n";
    longest = std::max(longest, line.size());
    ascii = ascii && Ascii(line);
    start = next;
  }
  if (text.empty()) crlf = "\r\n";
  const bool plain = ascii && longest <= 998;
  out += "Content-Type: " + content_type + "\r\n";
  out += plain ? "Content-Transfer-Encoding: 7bit\r\n\r\n"
               : "Content-Transfer-Encoding: base64\r\n\r\n";
  out += plain ? crlf : Base64(crlf);
}

}  // namespace

std::string ComposeMail(const OutgoingMail& mail, TimePoint now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  const std::string domain = mail.from.substr(mail.from.find('@') + 1);
  const std::string boundary = "=-" + Token();

  std::string out;
  out.reserve(mail.calendar.size() + mail.text.size() + 1024);
  out += "Date: " + std::string(date) + "\r\n";
  out += "From: " + Mailbox(mail.from_name, mail.from) + "\r\n";
  std::string to;
  for (const std::string& address : mail.to) to += (to.empty() ? "" : ", ") + address;
  out += "To: " + to + "\r\n";
  out += "Subject: " + (Ascii(mail.subject) ? mail.subject : Encoded(mail.subject, false)) + "\r\n";
  out += "Message-ID: <" + Token() + "@" + domain + ">\r\n";
  if (!mail.in_reply_to.empty()) out += "In-Reply-To: <" + mail.in_reply_to + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  AppendBody(out, "text/plain; charset=utf-8", mail.text);
  out += "\r\n--" + boundary + "\r\n";
  // RFC 6047 2.4: the charset is given even when the text happens to be ASCII.
  AppendBody(out, "text/calendar; charset=utf-8; method=" + mail.method, mail.calendar);
  out += "\r\n--" + boundary + "--\r\n";
  return out;
}

}  // namespace magent::imip
