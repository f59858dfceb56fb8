#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>

#include "ascii_case.h"
#include "gmime_ptr.h"
#include "magent/imip/address.h"
#include "magent/imip/mail.h"
#include "magent/imip/safe_text.h"

namespace magent::imip {
namespace internal {

void EnsureGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace internal

namespace {

using internal::AsciiLower;

using internal::GPtr;

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// A mail message starts with a header field ("Name:") or an mbox "From " line.
bool StartsWithHeader(std::string_view raw) {
  if (raw.starts_with("From ")) return true;
  const auto colon = raw.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  return std::all_of(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

bool HasMailHeader(GMimeObject* message) {
  for (const char* name : {"From", "To", "Date", "Message-ID"}) {
    if (g_mime_object_get_header(message, name) != nullptr) return true;
  }
  return false;
}

// Appends the usable addresses of `list` to `out` (groups flattened) and returns how many
// mailboxes it names, usable or not: a mailbox without an address still names someone.
std::size_t AddAddresses(InternetAddressList* list, std::vector<std::string>& out) {
  if (list == nullptr) return 0;
  std::size_t mailboxes = 0;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      mailboxes +=
          AddAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      ++mailboxes;
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
      std::string canonical = CanonicalAddress(addr != nullptr ? addr : "");
      if (!canonical.empty()) out.push_back(std::move(canonical));
    }
  }
  return mailboxes;
}

std::string FirstName(InternetAddressList* list) {
  if (list == nullptr || internet_address_list_length(list) == 0) return {};
  const char* name = internet_address_get_name(internet_address_list_get_address(list, 0));
  return name != nullptr ? name : "";
}

// The originator fields one by one, as they are: every From and Sender field (GMime's
// message accessors would merge them and hide how many there were) and the bodies of the
// Authentication-Results fields above the first Received field, in header order.
void ReadOriginatorFields(GMimeObject* message, MailMessage& out) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(message);
  const int n = g_mime_header_list_get_count(headers);
  std::vector<std::string> authentication_results;
  bool received = false;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(header);
    const char* value = g_mime_header_get_raw_value(header);
    if (name == nullptr || value == nullptr) continue;
    if (g_ascii_strcasecmp(name, "Received") == 0 && !received) {
      // What is above the receiving MTA's own Received line, only the MTA wrote.
      received = true;
      out.authentication_results = std::move(authentication_results);
      continue;
    }
    if (g_ascii_strcasecmp(name, "Authentication-Results") == 0) {
      if (!received) authentication_results.emplace_back(value);
      continue;
    }
    const bool from = g_ascii_strcasecmp(name, "From") == 0;
    if (!from && g_ascii_strcasecmp(name, "Sender") != 0) continue;
    GPtr<InternetAddressList> list(internet_address_list_parse(nullptr, value));
    if (from) {
      if (out.from_fields++ == 0) out.from_name = FirstName(list.get());
      out.from_mailboxes += AddAddresses(list.get(), out.from);
    } else {
      ++out.sender_fields;
      out.sender_mailboxes += AddAddresses(list.get(), out.sender);
    }
  }
}

bool IsCalendarPart(GMimeObject* part, GMimeContentType* type) {
  if (g_mime_content_type_is_type(type, "text", "calendar") ||
      g_mime_content_type_is_type(type, "application", "ics")) {
    return true;
  }
  const char* filename = g_mime_part_get_filename(GMIME_PART(part));
  return filename != nullptr && AsciiLower(filename).ends_with(".ics");
}

// The part's content with its transfer encoding undone and its charset turned into UTF-8.
// A charset iconv does not know leaves the bytes as they are (most calendars are UTF-8
// whatever they claim).
std::string DecodedText(GMimePart* part, GMimeContentType* type) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GPtr<GMimeStream> memory(g_mime_stream_mem_new());
  GPtr<GMimeStream> filtered(g_mime_stream_filter_new(memory.get()));
  const char* charset = g_mime_content_type_get_parameter(type, "charset");
  if (charset != nullptr && g_ascii_strcasecmp(charset, "utf-8") != 0 &&
      g_ascii_strcasecmp(charset, "us-ascii") != 0) {
    if (GMimeFilter* convert = g_mime_filter_charset_new(charset, "utf-8")) {
      g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), convert);
      g_object_unref(convert);
    }
  }
  g_mime_data_wrapper_write_to_stream(content, filtered.get());
  g_mime_stream_flush(filtered.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// The text two parts are compared by: LF line endings, no trailing blanks.
std::string Canonical(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\r') continue;
    if (c == '\n') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    }
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  return out;
}

struct Collector {
  const MailLimits* limits;
  std::vector<CalendarPart> parts;
  std::vector<std::string> canonical;  // Parallel to `parts`.
  Status status;
};

void CollectPart(GMimeObject* /*parent*/, GMimeObject* part, gpointer data) {
  auto& c = *static_cast<Collector*>(data);
  if (!c.status.ok() || !GMIME_IS_PART(part)) return;
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (type == nullptr || !IsCalendarPart(part, type)) return;
  std::string text = DecodedText(GMIME_PART(part), type);
  if (text.size() > c.limits->max_calendar_bytes) {
    c.status = Status::InvalidArgument("a calendar part of " + std::to_string(text.size()) +
                                       " bytes exceeds the limit of " +
                                       std::to_string(c.limits->max_calendar_bytes));
    return;
  }
  // The charset said UTF-8, or was converted to it; the bytes need not be.
  text = RepairUtf8(text);
  std::string canonical = Canonical(text);
  if (canonical.empty()) return;
  const auto same = std::find(c.canonical.begin(), c.canonical.end(), canonical);
  if (same != c.canonical.end()) {
    CalendarPart& kept = c.parts[static_cast<std::size_t>(same - c.canonical.begin())];
    const char* method = g_mime_content_type_get_parameter(type, "method");
    if (kept.method.empty() && method != nullptr) kept.method = Upper(method);
    return;
  }
  if (c.parts.size() == c.limits->max_calendar_parts) {
    c.status = Status::InvalidArgument("the message carries more than " +
                                       std::to_string(c.limits->max_calendar_parts) +
                                       " distinct calendars");
    return;
  }
  CalendarPart out;
  gchar* mime_type = g_mime_content_type_get_mime_type(type);
  out.content_type = AsciiLower(mime_type);
  g_free(mime_type);
  const char* method = g_mime_content_type_get_parameter(type, "method");
  if (method != nullptr) out.method = Upper(method);
  const char* filename = g_mime_part_get_filename(GMIME_PART(part));
  if (filename != nullptr) out.filename = filename;
  out.text = std::move(text);
  c.parts.push_back(std::move(out));
  c.canonical.push_back(std::move(canonical));
}

// The name of the first field of the header block `raw` starts with that is longer than
// `limit` bytes with its continuation lines; nothing when there is none.
std::optional<std::string> LongHeaderField(std::string_view raw, std::size_t limit) {
  std::size_t pos = raw.starts_with("From ") ? raw.find('\n') : 0;  // An mbox From line.
  std::size_t field_start = pos;
  while (pos != std::string_view::npos && pos < raw.size()) {
    if (raw[pos] == '\n') ++pos;
    const bool continuation = pos < raw.size() && (raw[pos] == ' ' || raw[pos] == '\t');
    if (!continuation) field_start = pos;
    const std::size_t eol = raw.find('\n', pos);
    const std::size_t end = eol == std::string_view::npos ? raw.size() : eol;
    if (end - field_start > limit) {
      const std::string_view field = raw.substr(field_start, end - field_start);
      return OneLine(field.substr(0, std::min<std::size_t>(field.find(':'), 64)));
    }
    const std::string_view line = raw.substr(pos, end - pos);
    if (line.empty() || line == "\r") break;  // The blank line that ends the header.
    pos = eol;
  }
  return std::nullopt;
}

}  // namespace

Result<MailMessage> ReadMail(std::string_view raw, const MailLimits& limits) {
  if (raw.size() > limits.max_message_bytes) {
    return Status::InvalidArgument("the message of " + std::to_string(raw.size()) +
                                   " bytes exceeds the limit of " +
                                   std::to_string(limits.max_message_bytes));
  }
  // Some stores prepend blank lines; a header block may follow them.
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t' || raw.front() == '\r' ||
                          raw.front() == '\n')) {
    raw.remove_prefix(1);
  }
  if (!StartsWithHeader(raw)) {
    return Status::InvalidArgument("not a mail message: it does not start with a header");
  }
  if (auto field = LongHeaderField(raw, limits.max_header_field_bytes)) {
    return Status::InvalidArgument("the header field '" + *field + "' is longer than " +
                                   std::to_string(limits.max_header_field_bytes) + " bytes");
  }
  internal::EnsureGMime();
  // GMime reads from the buffer without copying it; it does not write to it.
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(),
                           raw.starts_with("From ") ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (message == nullptr)
    return Status::InvalidArgument("not a mail message: GMime cannot parse it");

  if (!HasMailHeader(GMIME_OBJECT(message.get()))) {
    return Status::InvalidArgument(
        "not a mail message: none of From, To, Date or Message-ID in its header");
  }
  MailMessage out;
  if (const char* id = g_mime_message_get_message_id(message.get())) out.message_id = id;
  if (const char* subject = g_mime_message_get_subject(message.get())) out.subject = subject;
  ReadOriginatorFields(GMIME_OBJECT(message.get()), out);
  AddAddresses(g_mime_message_get_to(message.get()), out.to);
  AddAddresses(g_mime_message_get_cc(message.get()), out.cc);

  Collector collector{.limits = &limits};
  if (GMimeObject* body = g_mime_message_get_mime_part(message.get())) {
    if (GMIME_IS_MULTIPART(body)) {
      g_mime_multipart_foreach(GMIME_MULTIPART(body), CollectPart, &collector);
    } else {
      CollectPart(nullptr, body, &collector);
    }
  }
  if (!collector.status.ok()) return collector.status;
  out.calendars = std::move(collector.parts);
  return out;
}

}  // namespace magent::imip
