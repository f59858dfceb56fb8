// Building what a calendar user sends back: the iTIP calendar (REPLY or COUNTER) and the
// iMIP mail that carries it.
#ifndef MAGENT_IMIP_REPLY_H_
#define MAGENT_IMIP_REPLY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "magent/clock.h"
#include "magent/imip/itip.h"
#include "magent/status.h"

namespace magent::imip {

struct ReplySpec {
  std::string attendee;  // The replying attendee (CanonicalAddress form).
  std::string partstat;  // "ACCEPTED", "DECLINED", "TENTATIVE".
  // The address that sends on the attendee's behalf (SENT-BY); empty for none.
  std::string sent_by;
  // REQUEST-STATUS (RFC 5546 3.6), e.g. "2.0;Success" or "4.0;Event conflict. Date-time is
  // busy."; empty for none.
  std::string request_status;
  // For PARTSTAT=DELEGATED: the delegate (CanonicalAddress form), as DELEGATED-TO on the
  // attendee (RFC 5545 3.2.5, RFC 5546 3.2.2.3); empty for none.
  std::string delegated_to;
  // Set for a COUNTER: the period proposed instead of the requested one, written in the
  // zone of the request's DTSTART (UTC when it has none), so a series' RRULE keeps it.
  std::optional<Period> counter;
  // A REFRESH (the attendee asks for the event again): only UID, ORGANIZER, the
  // attendee and RECURRENCE-ID are kept (RFC 5546 3.2.6).
  bool refresh = false;
  // Set to answer one occurrence of a series: the reply names it by RECURRENCE-ID.
  std::optional<UtcTime> recurrence_id;
  UtcTime now{};  // DTSTAMP.
  // For a series accepted whole but for some occurrences: one more component for each,
  // by RECURRENCE-ID, with PARTSTAT=DECLINED and REQUEST-STATUS 4.0 (as Exchange and
  // Apple Calendar Server answer).
  std::vector<Occurrence> declined_occurrences;
};

// The iCalendar text answering objects[index] of `request`: METHOD:REPLY with only the
// attendee's ATTENDEE line (PARTSTAT set, RSVP dropped, SENT-BY added), METHOD:COUNTER
// with the proposed DTSTART/DTEND, or METHOD:REFRESH. The request's UID, SEQUENCE, ORGANIZER, times
// and VTIMEZONEs are kept; alarms are not. InvalidArgument if the attendee is not invited (for a
// REPLY) or the index is out of range.
Result<std::string> BuildReplyCalendar(const ItipMessage& request, std::size_t index,
                                       const ReplySpec& spec);

// The VFREEBUSY REPLY answering objects[index] (a VFREEBUSY REQUEST) of `request`: the
// asked range, the attendee (with SENT-BY), and `busy` as FREEBUSY;FBTYPE=BUSY periods
// clipped to the range. InvalidArgument if the object is no VFREEBUSY with a range.
Result<std::string> BuildFreeBusyReply(const ItipMessage& request, std::size_t index,
                                       const ReplySpec& spec, const std::vector<Period>& busy);

struct OutgoingMail {
  std::string from;       // Address.
  std::string from_name;  // May be empty.
  std::vector<std::string> to;
  std::string subject;
  std::string text;         // The readable part (UTF-8).
  std::string calendar;     // The iCalendar part.
  std::string method;       // The calendar's METHOD, for the Content-Type.
  std::string in_reply_to;  // Message-ID answered; may be empty.
};

// An RFC 5322 message: multipart/alternative with text/plain and
// text/calendar; method=...; charset=utf-8 (RFC 6047), CRLF line endings.
std::string ComposeMail(const OutgoingMail& mail, TimePoint now);

}  // namespace magent::imip

#endif  // MAGENT_IMIP_REPLY_H_
