#include "authentication_results.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "address_domain.h"
#include "ascii_case.h"

namespace magent::imip::internal {
namespace {

// A reader over one field body, after RFC 8601 §2.2's ABNF. Comments may nest
// (RFC 5322 CFWS); every loop advances, so hostile input costs linear time.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Take(char c) {
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }

  // Blanks, folding and (nested) comments. False for a comment that never ends.
  bool SkipCfws() {
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos_;
      } else if (c == '(') {
        if (!SkipComment()) return false;
      } else {
        break;
      }
    }
    return true;
  }

  // RFC 5321 Keyword (letters, digits, '-'; '_' as some verifiers write it), lower case.
  std::string Keyword() {
    const std::size_t start = pos_;
    while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                        text_[pos_] == '-' || text_[pos_] == '_')) {
      ++pos_;
    }
    return AsciiLower(text_.substr(start, pos_ - start));
  }

  // RFC 2045 value: a token or a quoted-string. Empty when there is none.
  std::string Value() {
    if (Peek() == '"') return Quoted();
    const std::size_t start = pos_;
    while (!AtEnd() && IsTokenChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  // A property's value: a value or [local-part] "@" domain. Empty when there is none.
  std::string PropertyValue() {
    std::string out = Peek() == '"' ? Quoted() : std::string();
    const std::size_t start = pos_;
    while (!AtEnd() && IsPropertyChar(text_[pos_])) ++pos_;
    return out + std::string(text_.substr(start, pos_ - start));
  }

  bool failed() const { return failed_; }
  std::size_t pos() const { return pos_; }

 private:
  static bool IsTokenChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && std::strchr("()<>@,;:\\\"/[]?=", c) == nullptr;
  }
  // Token characters, '@' and '/' (addresses, base64 of header.b), and UTF-8 (RFC 6532).
  static bool IsPropertyChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return IsTokenChar(c) || c == '@' || c == '/' || c == '=' || u >= 0x80;
  }

  bool SkipComment() {
    int depth = 0;
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '\\') {
        if (AtEnd()) return false;
        ++pos_;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return true;
      }
    }
    return false;
  }

  std::string Quoted() {
    std::string out;
    ++pos_;  // The opening quote.
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (AtEnd()) break;
        out.push_back(text_[pos_++]);
      } else {
        out.push_back(c);
      }
    }
    failed_ = true;  // No closing quote.
    return {};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

Status Malformed(const Reader& r, std::string_view what) {
  return Status::InvalidArgument("Authentication-Results: " + std::string(what) + " at byte " +
                                 std::to_string(r.pos()));
}

// "dkim=pass header.d=example.com", after the ';' before it.
Result<AuthResult> ReadResinfo(Reader& r) {
  AuthResult out;
  if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
  out.method = r.Keyword();
  if (out.method.empty()) return Malformed(r, "no method");
  if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
  if (r.Take('/')) {  // A method version: read, not kept.
    if (!r.SkipCfws() || r.Keyword().empty() || !r.SkipCfws()) {
      return Malformed(r, "a bad method version");
    }
  }
  if (!r.Take('=')) return Malformed(r, "no '=' after the method");
  if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
  out.result = r.Keyword();
  if (out.result.empty()) return Malformed(r, "no result");
  while (true) {
    if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
    if (r.AtEnd() || r.Peek() == ';') return out;
    const std::string ptype = r.Keyword();
    if (ptype.empty()) return Malformed(r, "an unexpected character");
    if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
    if (ptype == "reason") {
      if (!r.Take('=') || !r.SkipCfws() || r.Value().empty() || r.failed()) {
        return Malformed(r, "a bad reason");
      }
      continue;
    }
    if (!r.Take('.') || !r.SkipCfws()) return Malformed(r, "a property without its type");
    const std::string property = r.Keyword();
    if (property.empty() || !r.SkipCfws() || !r.Take('=') || !r.SkipCfws()) {
      return Malformed(r, "a bad property");
    }
    std::string value = r.PropertyValue();
    if (value.empty() || r.failed()) return Malformed(r, "a property without a value");
    out.properties.emplace_back(ptype + "." + property, std::move(value));
  }
}

bool Passes(const AuthResult& r, std::string_view method) {
  return r.method == method && r.result == "pass";
}

}  // namespace

const std::string* AuthResult::Property(std::string_view name) const {
  for (const auto& [key, value] : properties) {
    if (key == name) return &value;
  }
  return nullptr;
}

Result<AuthenticationResults> ParseAuthenticationResults(std::string_view body) {
  Reader r(body);
  AuthenticationResults out;
  if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
  out.authserv_id = AsciiLower(r.Value());
  if (out.authserv_id.empty() || r.failed()) return Malformed(r, "no authserv-id");
  if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
  if (std::isdigit(static_cast<unsigned char>(r.Peek()))) {
    // Version 1 is the only one there is; a later one may mean something else.
    if (r.Keyword() != "1") return Malformed(r, "an unknown version");
    if (!r.SkipCfws()) return Malformed(r, "an unterminated comment");
  }
  if (!r.Take(';')) return Malformed(r, "no ';' after the authserv-id");
  const Reader first_resinfo = r;
  if (r.SkipCfws() && r.Keyword() == "none" && r.SkipCfws() && r.AtEnd()) return out;
  r = first_resinfo;
  do {
    auto info = ReadResinfo(r);
    if (!info.ok()) return info.status();
    out.results.push_back(std::move(*info));
  } while (r.Take(';'));
  if (!r.AtEnd()) return Malformed(r, "an unexpected character");
  return out;
}

std::vector<AuthenticationResults> TrustedResults(const std::vector<std::string>& fields,
                                                  const std::vector<std::string>& trusted) {
  std::vector<AuthenticationResults> out;
  for (const std::string& field : fields) {
    auto parsed = ParseAuthenticationResults(field);
    if (!parsed.ok() ||
        std::find(trusted.begin(), trusted.end(), parsed->authserv_id) == trusted.end()) {
      break;
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

namespace {

// The results for `method` of the topmost field that reports on it. Several fields may
// carry the MTA's id (one per verifier); one verifier's verdict is one field, and a
// field below it on the same method is not the verifier's (it may be the sender's, if the
// MTA failed to remove it).
std::vector<const AuthResult*> VerdictOn(const std::vector<AuthenticationResults>& results,
                                         std::string_view method) {
  std::vector<const AuthResult*> out;
  for (const AuthenticationResults& field : results) {
    for (const AuthResult& r : field.results) {
      if (r.method == method) out.push_back(&r);
    }
    if (!out.empty()) break;
  }
  return out;
}

}  // namespace

bool DkimSignedBy(const std::vector<AuthenticationResults>& results, std::string_view domain) {
  for (const AuthResult* r : VerdictOn(results, "dkim")) {
    if (!Passes(*r, "dkim")) continue;
    for (const char* property : {"header.d", "header.i"}) {
      const std::string* identity = r->Property(property);
      if (identity != nullptr && DomainOf(*identity) == domain) return true;
    }
  }
  return false;
}

bool AuthenticatesAuthorDomain(const std::vector<AuthenticationResults>& results,
                               std::string_view domain) {
  // DMARC's verdict on the domain decides when it has one; "none" (no policy published)
  // and errors leave it to DKIM.
  for (const AuthResult* r : VerdictOn(results, "dmarc")) {
    const std::string* from = r->Property("header.from");
    if (from == nullptr || DomainOf(*from) != domain) continue;
    if (r->result == "pass") return true;
    if (r->result == "fail") return false;
  }
  return DkimSignedBy(results, domain);
}

}  // namespace magent::imip::internal
