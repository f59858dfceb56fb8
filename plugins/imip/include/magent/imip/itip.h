// Reading an iTIP message (RFC 5546) from an iCalendar object (RFC 5545), tolerant of
// what real clients send.
//
// ParseItip turns a calendar into the scheduling objects a calendar agent acts on, with
// every time in UTC (UtcTime: any year 0001-9999). It repairs, and lists in `repairs`, what real
// clients get wrong:
// - no METHOD property: the Content-Type's `method=` is used (and the reverse: a part with
//   no `method=` takes METHOD from the body, which always wins when both are present);
// - METHOD in lower case; a missing PRODID or VERSION;
// - a TZID that names no VTIMEZONE of the calendar: an IANA name is used as such, a Windows
//   name ("W. Europe Standard Time") through CLDR's Windows→IANA table (ICU);
// - folded lines and CRLF or bare LF line endings (libical reads both).
// Instance-only REQUESTs (a RECURRENCE-ID without the master) and REPLYs without ORGANIZER
// (Outlook) are valid input, not errors: the fields are simply absent.
#ifndef MAGENT_IMIP_ITIP_H_
#define MAGENT_IMIP_ITIP_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/clock.h"
#include "magent/status.h"

namespace magent::imip {
namespace internal {
struct ParsedCalendar;
}

// A calendar time: whole seconds since 1970-01-01T00:00:00Z, UTC. It holds every year
// iCalendar can write (0001 to 9999; Apple Calendar writes birthdays as 1604, Windows zones
// start in 1601), which the runtime's nanosecond TimePoint (about 1677 to 2262) does not.
// Every calendar time of the plugin is one; TimePoint is only for what is due on the
// runtime (an offer that expires).
using UtcTime = std::chrono::sys_seconds;
// A length of calendar time, in seconds.
using CalendarDuration = std::chrono::seconds;

// The runtime clock's time as a calendar time (the seconds are truncated towards the past).
inline UtcTime ToUtcTime(TimePoint t) { return std::chrono::floor<std::chrono::seconds>(t); }

// A calendar time as the runtime's TimePoint, for scheduling an event when it is due.
// Times outside TimePoint's range (about 1677 to 2262) are clamped to its ends: what is
// due before 1677 is due at once, what is due after 2262 never comes.
inline TimePoint ToTimePoint(UtcTime t) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  constexpr seconds kMin = duration_cast<seconds>(TimePoint::min().time_since_epoch()) + seconds(1);
  constexpr seconds kMax = duration_cast<seconds>(TimePoint::max().time_since_epoch()) - seconds(1);
  if (t.time_since_epoch() <= kMin) return TimePoint::min();
  if (t.time_since_epoch() >= kMax) return TimePoint::max();
  return TimePoint(t.time_since_epoch());
}

enum class Method {
  kPublish,
  kRequest,
  kReply,
  kAdd,
  kCancel,
  kRefresh,
  kCounter,
  kDeclineCounter
};
std::string_view MethodName(Method method);  // "REQUEST", "DECLINECOUNTER", ...

enum class ComponentKind { kEvent, kTodo, kJournal, kFreeBusy };

struct CalendarUser {
  std::string address;  // CanonicalAddress form; empty for a non-mail URI.
  std::string uri;      // As written, e.g. "mailto:Room1@example.com".
  std::string cn;
  std::string sent_by;  // CanonicalAddress form of SENT-BY; may be empty.
};

struct Attendee : CalendarUser {
  std::string partstat = "NEEDS-ACTION";  // Upper case.
  std::string role = "REQ-PARTICIPANT";
  std::string cutype = "INDIVIDUAL";
  bool rsvp = false;
};

// A DATE or DATE-TIME value, resolved to UTC.
struct CalendarTime {
  UtcTime utc{};
  bool all_day = false;   // A DATE value: midnight in the resolved zone.
  bool floating = false;  // No zone given: resolved in ItipOptions::default_tzid.
  std::string tzid;       // The zone it was resolved in ("UTC" for Z values).
  std::string text;       // The value as written, e.g. "20261201T100000".
};

struct Period {
  UtcTime start{};
  UtcTime end{};
};

// One occurrence of an object: its period, and the start it has in the series (what a
// RECURRENCE-ID names), both in UTC.
struct Occurrence {
  Period period;
  UtcTime recurrence_id{};
};

struct ItipObject {
  ComponentKind kind = ComponentKind::kEvent;
  std::string uid;
  std::optional<CalendarTime> recurrence_id;  // Set for one instance of a series.
  int sequence = 0;
  std::optional<UtcTime> dtstamp;
  std::optional<CalendarUser> organizer;
  std::vector<Attendee> attendees;
  std::string summary;
  std::string status;  // Upper case, e.g. "CONFIRMED", "CANCELLED"; may be empty.
  std::string transp;  // "OPAQUE" (default when absent) or "TRANSPARENT".
  std::optional<CalendarTime> start;
  // DTEND, or DTSTART + DURATION, or the RFC 5545 default (one day for a DATE start, no
  // time for a DATE-TIME start); absent only without DTSTART.
  std::optional<CalendarTime> end;
  std::vector<std::string> rrules;  // As written, e.g. "FREQ=WEEKLY;COUNT=10".
  std::vector<CalendarTime> rdates;
  std::vector<CalendarTime> exdates;
  std::vector<Period> freebusy;  // VFREEBUSY: the FREEBUSY periods (busy of any type).
  // The periods it occupies, in time order: one for a single event or instance; for a
  // series, every occurrence (RRULE and RDATE, less EXDATE) in the window of
  // ItipOptions::expand_from and expand_for. Empty without DTSTART.
  std::vector<Occurrence> occurrences;
  bool occurrences_truncated = false;  // A series went on past the window or the limit.
  // A series had more occurrences within the window than ItipOptions::max_occurrences (or
  // the calendar's series asked libical for more than ItipOptions::max_recurrence_steps,
  // or an RRULE goes on past 2582, where libical's recurrence stops): `occurrences` holds
  // only some of those it asks for,
  // so booking them would promise what is not held. Going on past the window is normal
  // (a weekly meeting without end) and does not set it.
  bool occurrences_limited = false;

  bool recurring() const { return !rrules.empty() || !rdates.empty(); }
  const Attendee* FindAttendee(std::string_view address) const;  // Canonical form.
};

struct ItipMessage {
  Method method = Method::kPublish;
  std::vector<ItipObject> objects;   // The scheduling components, in calendar order.
  std::vector<std::string> repairs;  // What was wrong with the input and how it was read.
  // The parsed calendar itself, for building replies (internal).
  std::shared_ptr<const internal::ParsedCalendar> parsed;
};

struct ItipOptions {
  // The Content-Type's `method=` parameter (CalendarPart::method); may be empty.
  std::string content_type_method;
  // The zone floating times and dates are read in (the calendar user's TZID). Default: UTC.
  std::string default_tzid = "UTC";
  std::size_t max_components = 1000;  // Default: 1000 scheduling components.
  // Series are expanded over a window: occurrences that end after `expand_from` (default:
  // DTSTART; never before it) and start within `expand_for` of it.
  std::optional<UtcTime> expand_from;
  CalendarDuration expand_for = std::chrono::days(366);  // Default: a year.
  // Per object, within the window; more set `occurrences_limited`. Default: 10000.
  std::size_t max_occurrences = 10000;
  // For the whole calendar: the occurrences libical may work out, before the window and
  // in it, over every series. libical takes about 2 us for each (a series of every second
  // stepped over for two years cost 2 s), so without a bound one message of a thousand
  // such series ran for half an hour. The series it runs out in, and every later one,
  // are `occurrences_limited`. Default: 250000.
  std::size_t max_recurrence_steps = 250'000;
};

// InvalidArgument for a calendar that cannot be read (not iCalendar, no VCALENDAR, a
// component without UID, a TZID no table knows, too many components, a time out of range:
// a field out of range such as month 80, a year outside 0001-9999, or a time property
// libical cannot read; the message names the property); FailedPrecondition
// for a valid calendar that is no iTIP message (no METHOD anywhere, or an unknown one), so
// callers can answer "nothing to do".
Result<ItipMessage> ParseItip(std::string_view calendar, const ItipOptions& options = {});

}  // namespace magent::imip

#endif  // MAGENT_IMIP_ITIP_H_
