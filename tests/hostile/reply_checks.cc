#include "hostile/reply_checks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "magent/imip/mail.h"

namespace magent::hostile {
namespace {

// Every header a reply may carry at its top level, each at most once. An input that gets a
// line of its own into the header block shows up as a name not listed here, or as a second
// From, To, Subject or Content-Type.
constexpr std::array<std::string_view, 10> kReplyHeaders = {
    "date",        "from",       "to",           "subject",      "message-id",
    "in-reply-to", "references", "mime-version", "content-type", "auto-submitted"};

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// The header block (up to the first empty line) and the body after it.
std::pair<std::string, std::string> SplitHead(const std::string& message) {
  std::size_t end = message.find("\r\n\r\n");
  std::size_t skip = 4;
  if (end == std::string::npos) {
    end = message.find("\n\n");
    skip = 2;
  }
  if (end == std::string::npos) return {message, ""};
  return {message.substr(0, end + skip / 2), message.substr(end + skip)};
}

std::vector<std::pair<std::string, std::string>> Headers(const std::string& head) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t at = 0;
  while (at < head.size()) {
    std::size_t nl = head.find('\n', at);
    if (nl == std::string::npos) nl = head.size();
    const std::string line = head.substr(at, nl - at);
    at = nl + 1;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      out.back().second += " " + Trim(line);
      continue;
    }
    const auto colon = line.find(':');
    out.emplace_back(Lower(Trim(line.substr(0, colon == std::string::npos ? line.size() : colon))),
                     colon == std::string::npos ? "" : Trim(line.substr(colon + 1)));
  }
  return out;
}

std::string Parameter(const std::string& value, const std::string& name) {
  const std::string lower = Lower(value);
  const auto at = lower.find(name + "=");
  if (at == std::string::npos) return "";
  std::string v = value.substr(at + name.size() + 1);
  if (!v.empty() && v[0] == '"') return v.substr(1, v.find('"', 1) - 1);
  return v.substr(0, v.find_first_of("; \t"));
}

std::string Base64Decode(const std::string& in) {
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (unsigned char c : in) {
    int d = -1;
    if (c >= 'A' && c <= 'Z') d = c - 'A';
    if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
    if (c >= '0' && c <= '9') d = c - '0' + 52;
    if (c == '+') d = 62;
    if (c == '/') d = 63;
    if (d < 0) continue;
    value = (value << 6) | unsigned(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((value >> bits) & 0xFF);
    }
  }
  return out;
}

std::string Unfold(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) {
      ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The parts of a multipart body, or the body itself, with transfer encoding undone.
void Parts(const std::string& head, const std::string& body, Reply* reply,
           std::vector<std::string>* problems) {
  const auto headers = Headers(head);
  std::string type, encoding;
  for (const auto& [name, value] : headers) {
    if (name == "content-type") type = value;
    if (name == "content-transfer-encoding") encoding = Lower(value);
  }
  const std::string lower_type = Lower(type);
  if (lower_type.find("text/html") != std::string::npos) problems->push_back("an HTML part");
  if (lower_type.starts_with("multipart/")) {
    const std::string boundary = "--" + Parameter(type, "boundary");
    std::size_t at = body.find(boundary);
    while (at != std::string::npos) {
      at += boundary.size();
      if (body.compare(at, 2, "--") == 0) break;
      const std::size_t next = body.find(boundary, at);
      if (next == std::string::npos) {
        problems->push_back("a part without its closing boundary");
        break;
      }
      const auto [h, b] = SplitHead(body.substr(at + 2, next - at - 2));
      Parts(h, b, reply, problems);
      at = next;
    }
    return;
  }
  const std::string decoded = encoding == "base64" ? Base64Decode(body) : body;
  if (lower_type.starts_with("text/calendar")) {
    if (!reply->calendar.empty()) problems->push_back("two calendar parts");
    reply->calendar = Unfold(decoded);
  } else {
    reply->text += decoded;
  }
}

void ReadCalendar(Reply* reply) {
  std::size_t at = 0;
  const std::string& cal = reply->calendar;
  while (at < cal.size()) {
    std::size_t nl = cal.find('\n', at);
    if (nl == std::string::npos) nl = cal.size();
    const std::string line = cal.substr(at, nl - at);
    at = nl + 1;
    if (line.starts_with("METHOD:")) reply->method = Trim(line.substr(7));
    if (line.starts_with("ATTENDEE")) {
      const auto p = line.find("PARTSTAT=");
      reply->partstats.push_back(p == std::string::npos
                                     ? ""
                                     : line.substr(p + 9, line.find_first_of(";:", p + 9) - p - 9));
    }
  }
}

Reply ReadReply(const std::string& raw, std::vector<std::string>* problems) {
  Reply reply;
  reply.raw = raw;
  if (raw.find('\0') != std::string::npos) problems->push_back("a NUL byte");
  if (!ValidUtf8(raw)) problems->push_back("invalid UTF-8");
  // The mbox form ends every line in LF, so a bare LF is not told from CRLF there; a CR
  // inside a line still shows.
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && (i + 1 == raw.size() || raw[i + 1] != '\n')) {
      problems->push_back("a bare CR");
      break;
    }
  }
  const auto [head, body] = SplitHead(raw);
  for (unsigned char c : head) {
    if (c >= 0x80 || (c < 0x20 && c != '\r' && c != '\n' && c != '\t')) {
      problems->push_back("a header byte that is not printable ASCII");
      break;
    }
  }
  reply.headers = Headers(head);
  for (const auto& [name, value] : reply.headers) {
    if (std::find(kReplyHeaders.begin(), kReplyHeaders.end(), name) == kReplyHeaders.end()) {
      problems->push_back("a header '" + name + "' no reply has");
    }
    const auto same = std::count_if(reply.headers.begin(), reply.headers.end(),
                                    [&](const auto& h) { return h.first == name; });
    if (same > 1) problems->push_back("header '" + name + "' " + std::to_string(same) + " times");
  }
  Parts(head, body, &reply, problems);
  if (reply.calendar.empty()) problems->push_back("no calendar part");
  ReadCalendar(&reply);
  auto mail = imip::ReadMail(raw);
  if (!mail.ok()) {
    problems->push_back("the project's reader refuses it: " + mail.status().message());
  } else {
    if (mail->to.size() != 1)
      problems->push_back(std::to_string(mail->to.size()) + " To addresses");
    if (!mail->to.empty()) reply.to = mail->to[0];
    reply.subject = mail->subject;
    if (mail->calendars.size() != 1) problems->push_back("not exactly one calendar for the reader");
  }
  return reply;
}

}  // namespace

bool ValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int n = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::vector<Reply> ReadReplies(const std::string& mbox, std::vector<std::string>* violations) {
  // mboxrd: each message after a "From " line; ">From " lines lost one '>' on the way in.
  std::vector<std::string> raws;
  std::size_t at = 0;
  while (at < mbox.size()) {
    std::size_t nl = mbox.find('\n', at);
    if (nl == std::string::npos) nl = mbox.size() - 1;
    std::string line = mbox.substr(at, nl + 1 - at);
    at = nl + 1;
    if (line.starts_with("From ")) {
      raws.emplace_back();
      continue;
    }
    if (raws.empty()) {
      violations->push_back("standard output does not start with an mbox 'From ' line");
      raws.emplace_back();
    }
    const auto first = line.find_first_not_of('>');
    if (first != 0 && first != std::string::npos && line.compare(first, 5, "From ") == 0) {
      line.erase(0, 1);
    }
    // The mbox form wrote each CRLF as LF: the message as sent had CRLF.
    if (line.ends_with('\n')) line.insert(line.size() - 1, "\r");
    raws.back() += line;
  }
  std::vector<Reply> replies;
  for (std::size_t i = 0; i < raws.size(); ++i) {
    // The mbox separator's own line end: the blank line mbox writers add between messages.
    std::string raw = raws[i];
    while (raw.ends_with("\r\n\r\n")) raw.resize(raw.size() - 2);
    if (raw.ends_with("\n\n")) raw.resize(raw.size() - 1);
    std::vector<std::string> problems;
    replies.push_back(ReadReply(raw, &problems));
    for (const std::string& p : problems) {
      violations->push_back("reply " + std::to_string(i + 1) + ": " + p);
    }
  }
  return replies;
}

}  // namespace magent::hostile
