// Reading an incoming mail message: who sent it, to whom, and the calendars it carries.
//
// An iMIP message (RFC 6047) carries its iCalendar object as a `text/calendar` part; real
// clients also send `application/ics` parts and attachments named `*.ics`, and Gmail sends
// the same calendar twice (inline and as `invite.ics`). ReadMail finds every such part,
// undoes base64 / quoted-printable, converts the part's charset to UTF-8, and keeps each
// distinct calendar once.
#ifndef MAGENT_IMIP_MAIL_H_
#define MAGENT_IMIP_MAIL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "magent/status.h"

namespace magent::imip {

struct CalendarPart {
  std::string content_type;  // Lower case, e.g. "text/calendar", "application/ics".
  std::string method;        // The Content-Type's `method` parameter, upper case; may be empty.
  std::string filename;      // May be empty.
  std::string text;          // The calendar, decoded, in UTF-8.
};

struct MailMessage {
  std::string message_id;  // Without angle brackets; may be empty.
  std::string subject;     // Decoded (RFC 2047), UTF-8.
  // Addresses in CanonicalAddress form (address.h), in header order, groups flattened.
  // `from` and `sender` hold the mailboxes of every From and Sender field.
  std::vector<std::string> from;
  std::vector<std::string> sender;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string from_name;  // The display name of the first From mailbox; may be empty.
  // How many From and Sender fields the header has, and how many mailboxes they name as
  // written (group members included; those with no usable address, which `from` and
  // `sender` leave out, too). RFC 5322 §3.6 allows one field of each, and a From with
  // several mailboxes needs a Sender to say which one sent the message (§3.6.2); a message
  // that breaks this does not say who sent it. A MailMessage built by hand may leave them
  // 0: its lists are then read as one field each, every mailbox listed.
  std::size_t from_fields = 0;
  std::size_t sender_fields = 0;
  std::size_t from_mailboxes = 0;
  std::size_t sender_mailboxes = 0;
  // The bodies of the Authentication-Results fields (RFC 8601) above the first Received
  // field, topmost first: the ones written on the hop that delivered the message. Every
  // field the sender wrote is below the receiving MTA's own Received line; a message
  // without one has none.
  std::vector<std::string> authentication_results;
  // Distinct calendars in message order. Parts with the same calendar text (ignoring line
  // ending style and trailing blanks) are kept once, the first one's headers winning.
  std::vector<CalendarPart> calendars;
};

// Hostile sizes are refused before any parsing work.
struct MailLimits {
  std::size_t max_message_bytes = 64u << 20;  // Default: 64 MiB.
  std::size_t max_calendar_parts = 32;        // Default: 32 distinct calendars.
  std::size_t max_calendar_bytes = 8u << 20;  // Default: 8 MiB per decoded calendar.
  // One field of the message's header, with its continuation lines. GMime grows its
  // header buffer a little at a time, which costs a long field's length squared where
  // realloc cannot move pages (ASan's allocator, musl): a 10 MB field took minutes.
  std::size_t max_header_field_bytes = 1u << 20;  // Default: 1 MiB.
};

// InvalidArgument when the input is not a mail message (no header block) or breaks a
// limit; the message says which. A message without calendar parts is not an error:
// `calendars` is empty.
Result<MailMessage> ReadMail(std::string_view raw, const MailLimits& limits = {});

}  // namespace magent::imip

#endif  // MAGENT_IMIP_MAIL_H_
