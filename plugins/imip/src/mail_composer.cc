// ComposeMail writes the MIME text itself: the message is always the same shape, and
// building it through GMime's object model cost a third of a resource's whole decision.
// GMime folds the long header lines.
#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <random>

#include "gmime_ptr.h"
#include "magent/imip/reply.h"
#include "magent/imip/safe_text.h"
#include "mail_address.h"

namespace magent::imip {
namespace {

bool Ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

// Whether `text` (one line) cannot go into a header as it is: it is not ASCII, it would
// be read as encoded words, or it has a word too long to fold onto a line.
bool NeedsEncoding(std::string_view text) {
  std::size_t word = 0;
  for (char c : text) {
    word = c == ' ' ? 0 : word + 1;
    if (static_cast<unsigned char>(c) >= 0x80 || word > 70) return true;
  }
  return text.find("=?") != std::string_view::npos;
}

// `text` (UTF-8, one line) as Q encoded words (RFC 2047 4.2) of at most 75 characters,
// never cutting a character in two; the space between two words is not part of the text.
// Q, and not GMime's encoder: GMime 3.2 writes B words that end in padding mid-text, and
// its own reader, which joins adjacent words before decoding, loses the text after them.
std::string EncodedWords(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  constexpr std::size_t kMaxPayload = 75 - std::string_view(
                                               "=?UTF-8?Q?"
                                               "?=")
                                               .size();
  std::string out;
  std::string word;
  const auto flush = [&] {
    out += (out.empty() ? "=?UTF-8?Q?" : " =?UTF-8?Q?") + word + "?=";
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = 1;  // The bytes of one character.
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
    std::string encoded;
    for (const char c : text.substr(i, n)) {
      const auto byte = static_cast<unsigned char>(c);
      if (std::isalnum(byte) != 0 || std::string_view("!*+-/").find(c) != std::string_view::npos) {
        encoded.push_back(c);
      } else if (c == ' ') {
        encoded.push_back('_');
      } else {
        encoded += {'=', kHex[byte >> 4], kHex[byte & 15]};
      }
    }
    if (word.size() + encoded.size() > kMaxPayload) flush();
    word += encoded;
    i += n;
  }
  if (!word.empty()) flush();
  return out;
}

// Header text from anywhere (a SUMMARY, a CN) as one line of ASCII: control characters
// go (a line break would start a header of the sender's choosing), and what cannot go as
// it is goes as encoded words.
std::string Unstructured(std::string_view raw) {
  std::string text = OneLine(raw);
  return NeedsEncoding(text) ? EncodedWords(text) : text;
}

// A display name as RFC 5322 wants it: a quoted string, or encoded words.
std::string Phrase(std::string_view name) {
  const std::string text = OneLine(name);
  if (NeedsEncoding(text)) return EncodedWords(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string Mailbox(const std::string& name, const std::string& address) {
  return name.empty() ? OneLine(address) : Phrase(name) + " <" + OneLine(address) + ">";
}

// Whether `id` (without angle brackets) is an RFC 5322 msg-id: dot-atom-text "@"
// dot-atom-text or a [domain literal]. The message answered chose it; anything else is
// not written back.
bool IsMessageId(std::string_view id) {
  const auto at = id.rfind('@');
  if (id.size() > 900 || at == std::string_view::npos) return false;
  const std::string_view right = id.substr(at + 1);
  const bool literal = right.size() >= 2 && right.front() == '[' && right.back() == ']' &&
                       std::all_of(right.begin() + 1, right.end() - 1, [](unsigned char c) {
                         return c >= 0x21 && c <= 0x7E && c != '[' && c != ']' && c != '\\';
                       });
  return internal::IsDotAtomText(id.substr(0, at)) && (literal || internal::IsDotAtomText(right));
}

// A header field, folded to lines of at most 78 characters where it has spaces.
std::string Field(const std::string& name, const std::string& value) {
  if (name.size() + 2 + value.size() <= 78) return name + ": " + value + "\r\n";
  internal::EnsureGMime();
  char* folded =
      g_mime_utils_unstructured_header_fold(nullptr, nullptr, (name + ": " + value).c_str());
  std::string out(folded != nullptr ? folded : "");
  g_free(folded);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  std::string crlf;
  for (char c : out) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return crlf + "\r\n";
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
// Lines are copied whole, not byte by byte: byte-wise copying cost as much as the rest
// of composing a reply.
void AppendBody(std::string& out, const std::string& content_type, const std::string& text) {
  std::string crlf;
  crlf.reserve(text.size() + text.size() / 32 + 2);
  std::size_t longest = 0;
  bool ascii = true;
  for (std::size_t start = 0; start < text.size();) {
    // CRLF, a bare LF and a bare CR each end a line: a bare CR must not reach SMTP.
    // Two finds, each a memchr, rather than find_first_of, which tests byte by byte.
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::size_t next = end + 1;
    if (const std::size_t cr = std::string_view(text).substr(start, end - start).find('\r');
        cr != std::string_view::npos) {
      end = start + cr;
      next = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    }
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
  out += Field("From", Mailbox(mail.from_name, mail.from));
  std::string to;
  for (const std::string& address : mail.to) to += (to.empty() ? "" : ", ") + OneLine(address);
  out += Field("To", to);
  out += Field("Subject", Unstructured(mail.subject));
  out += "Message-ID: <" + Token() + "@" + OneLine(domain) + ">\r\n";
  if (IsMessageId(mail.in_reply_to)) {
    out += "In-Reply-To: <" + mail.in_reply_to + ">\r\n";
    out += "References: <" + mail.in_reply_to + ">\r\n";
  }
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
