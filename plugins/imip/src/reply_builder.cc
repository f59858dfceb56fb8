#include "reply_builder.h"

#include <libical/ical.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "copy_writer.h"
#include "ical_writing.h"
#include "magent/imip/address.h"
#include "magent/imip/reply.h"
#include "parsed_calendar.h"
#include "time_zones.h"

namespace magent::imip {
namespace {

using internal::AsString;
using internal::ComponentPtr;
using internal::IcalUtc;

constexpr const char* kConflict = "Event conflict. Date-time is busy.";

void RemoveAll(icalcomponent* c, icalproperty_kind kind) {
  while (icalproperty* p = icalcomponent_get_first_property(c, kind)) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
}

// Keeps only the attendee's ATTENDEE property and returns it; null if absent.
icalproperty* KeepAttendee(icalcomponent* c, const std::string& attendee) {
  icalproperty* kept = nullptr;
  std::vector<icalproperty*> others;
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
    const char* value = icalproperty_get_attendee(p);
    if (kept == nullptr && CanonicalAddress(value != nullptr ? value : "") == attendee) {
      kept = p;
    } else {
      others.push_back(p);
    }
  }
  for (icalproperty* p : others) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
  return kept;
}

void KeepOnly(icalcomponent* c, std::initializer_list<icalproperty_kind> kinds) {
  std::vector<icalproperty*> drop;
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
    if (std::find(kinds.begin(), kinds.end(), icalproperty_isa(p)) == kinds.end())
      drop.push_back(p);
  }
  for (icalproperty* p : drop) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
}

struct PropertyFree {
  void operator()(icalproperty* p) const { icalproperty_free(p); }
};
using PropertyPtr = std::unique_ptr<icalproperty, PropertyFree>;

// The replying attendee's own ATTENDEE property among `c`'s; null if absent.
icalproperty* FindAttendee(icalcomponent* c, const std::string& attendee) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
    const char* value = icalproperty_get_attendee(p);
    if (CanonicalAddress(value != nullptr ? value : "") == attendee) return p;
  }
  return nullptr;
}

// The attendee's answer on its ATTENDEE line: PARTSTAT (unless a REFRESH), no RSVP, and
// SENT-BY for whoever sends it, DELEGATED-TO for a delegate.
void SetAnswer(icalproperty* attendee, const ReplySpec& spec) {
  icalproperty_remove_parameter_by_kind(attendee, ICAL_PARTSTAT_PARAMETER);
  icalproperty_remove_parameter_by_kind(attendee, ICAL_RSVP_PARAMETER);
  if (!spec.refresh) {
    icalproperty_set_parameter_from_string(attendee, "PARTSTAT", spec.partstat.c_str());
  }
  icalproperty_remove_parameter_by_kind(attendee, ICAL_SENTBY_PARAMETER);
  if (!spec.sent_by.empty()) {
    icalproperty_add_parameter(attendee,
                               icalparameter_new_sentby(("mailto:" + spec.sent_by).c_str()));
  }
  icalproperty_remove_parameter_by_kind(attendee, ICAL_DELEGATEDTO_PARAMETER);
  if (!spec.delegated_to.empty()) {
    icalproperty_add_parameter(
        attendee, icalparameter_new_delegatedto(("mailto:" + spec.delegated_to).c_str()));
  }
}

// REQUEST-STATUS from "2.0;Success": null for an empty one. Built from its parts: parsed
// from text, libical swaps the description for its own. libical keeps the description's
// pointer, not a copy: `description` must outlive the property's serialization.
Result<PropertyPtr> RequestStatus(const std::string& text, std::string& description) {
  if (text.empty()) return PropertyPtr();
  int major = 0;
  int minor = 0;
  char dot = 0;
  char semicolon = 0;
  std::istringstream in(text);
  in >> major >> dot >> minor >> semicolon;
  icalreqstattype status{};
  status.code = icalenum_num_to_reqstat(static_cast<short>(major), static_cast<short>(minor));
  if (!in || dot != '.' || semicolon != ';' || status.code == ICAL_UNKNOWN_STATUS) {
    return Status::InvalidArgument("bad REQUEST-STATUS '" + text + "'");
  }
  description = text.substr(static_cast<std::size_t>(in.tellg()));
  status.desc = description.c_str();
  return PropertyPtr(icalproperty_new_requeststatus(status));
}

// The REQUEST-STATUS line for `text` ("" for none), or why `text` is none.
Result<std::string> RequestStatusLine(const std::string& text) {
  std::string description;
  auto status = RequestStatus(text, description);
  if (!status.ok()) return status.status();
  std::string line;
  if (*status) internal::AppendPropertyAsCopy(status->get(), line);
  return line;
}

// A REPLY to a whole event (the answer to nearly every request), written property by
// property exactly as EditedCopyReply writes its edited copy of the component, but
// copying only what the reply keeps (no alarms, no other attendees) and writing the
// request's own properties without copying them (copy_writer.h).
Result<std::string> WholeEventReply(const ItipMessage& request, std::size_t index,
                                    const ReplySpec& spec) {
  icalcomponent* object = request.parsed->components[index];
  icalproperty* own = FindAttendee(object, spec.attendee);
  if (own == nullptr) {
    return Status::InvalidArgument("'" + spec.attendee + "' is not an attendee of " +
                                   request.objects[index].uid);
  }
  auto status = RequestStatusLine(spec.request_status);
  if (!status.ok()) return status.status();
  const PropertyPtr answer(icalproperty_new_clone(own));
  SetAnswer(answer.get(), spec);
  const PropertyPtr dtstamp(icalproperty_new_dtstamp(IcalUtc(spec.now)));

  std::string out =
      "BEGIN:VCALENDAR\r\nPRODID:-//magent//imip//EN\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n";
  for (icalcomponent* tz =
           icalcomponent_get_first_component(request.parsed->vcalendar, ICAL_VTIMEZONE_COMPONENT);
       tz != nullptr;
       tz = icalcomponent_get_next_component(request.parsed->vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    internal::AppendComponentAsCopy(tz, out);
  }
  const std::string kind = icalcomponent_kind_to_string(icalcomponent_isa(object));
  out += "BEGIN:" + kind + "\r\n";
  // What the copy keeps, in its order; then what it adds at its end.
  for (icalproperty* p = icalcomponent_get_first_property(object, ICAL_ANY_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(object, ICAL_ANY_PROPERTY)) {
    const icalproperty_kind k = icalproperty_isa(p);
    if (k == ICAL_DTSTAMP_PROPERTY || k == ICAL_REQUESTSTATUS_PROPERTY ||
        k == ICAL_XLICERROR_PROPERTY) {
      continue;
    }
    if (k == ICAL_ATTENDEE_PROPERTY) {
      if (p == own) internal::AppendPropertyAsCopy(answer.get(), out);
      continue;
    }
    internal::AppendPropertyAsCopy(p, out);
  }
  internal::AppendPropertyAsCopy(dtstamp.get(), out);
  out += *status;
  for (icalcomponent* c = icalcomponent_get_first_component(object, ICAL_ANY_COMPONENT);
       c != nullptr; c = icalcomponent_get_next_component(object, ICAL_ANY_COMPONENT)) {
    if (icalcomponent_isa(c) != ICAL_VALARM_COMPONENT) internal::AppendComponentAsCopy(c, out);
  }
  out += "END:" + kind + "\r\nEND:VCALENDAR\r\n";
  return out;
}

// A zone times are written in, by its TZID; null for UTC.
struct WrittenZone {
  icaltimezone* zone = nullptr;
  std::string tzid;
};

// The zone `object`'s DTSTART is written in, when it names one that the calendar or the
// system knows; none for UTC, floating and DATE values. `period` past the years the
// calendar's zone copies cover (a caller's own counter-proposal) is written in `reply`'s
// copy of the VTIMEZONE as it came, which libical works out in full.
WrittenZone StartZone(const internal::ParsedCalendar& calendar, icalcomponent* reply,
                      icalcomponent* object, Period period) {
  icalproperty* start = icalcomponent_get_first_property(object, ICAL_DTSTART_PROPERTY);
  icalparameter* tzid =
      start != nullptr ? icalproperty_get_first_parameter(start, ICAL_TZID_PARAMETER) : nullptr;
  if (tzid == nullptr || icalproperty_get_dtstart(start).is_date) return {};
  const char* name = icalparameter_get_tzid(tzid);
  const std::chrono::year_month_day end(std::chrono::floor<std::chrono::days>(period.end));
  icaltimezone* zone = static_cast<int>(end.year()) <= calendar.zones->last_year()
                           ? calendar.zones->Find(name)
                           : icalcomponent_get_timezone(reply, name);
  if (zone == nullptr) zone = internal::FindBuiltinZone(name).zone;
  return zone != nullptr ? WrittenZone{zone, name} : WrittenZone{};
}

// DTSTART and DTEND of `period`, in `zone` when given (so a series' RRULE expands in the
// organizer's zone, a weekly 10:00 staying 10:00 across DST), else in UTC.
void SetTimes(icalcomponent* c, Period period, const WrittenZone& zone = {}) {
  RemoveAll(c, ICAL_DTSTART_PROPERTY);
  RemoveAll(c, ICAL_DTEND_PROPERTY);
  RemoveAll(c, ICAL_DURATION_PROPERTY);
  const auto time = [&](UtcTime t, icalproperty* (*make)(icaltimetype)) {
    icaltimetype value = IcalUtc(t);
    if (zone.zone != nullptr) value = icaltime_convert_to_zone(value, zone.zone);
    icalproperty* p = make(value);
    if (zone.zone != nullptr) icalproperty_set_parameter_from_string(p, "TZID", zone.tzid.c_str());
    icalcomponent_add_property(c, p);
  };
  time(period.start, icalproperty_new_dtstart);
  time(period.end, icalproperty_new_dtend);
}

Status CheckIndex(const ItipMessage& request, std::size_t index) {
  if (request.parsed == nullptr || index >= request.parsed->components.size()) {
    return Status::InvalidArgument("no such object in the request");
  }
  return Status::OK();
}

}  // namespace

Result<std::string> BuildReplyCalendar(const ItipMessage& request, std::size_t index,
                                       const ReplySpec& spec) {
  if (Status s = CheckIndex(request, index); !s.ok()) return s;
  if (!spec.counter && !spec.refresh && !spec.recurrence_id && spec.declined_occurrences.empty()) {
    return WholeEventReply(request, index, spec);
  }
  return internal::EditedCopyReply(request, index, spec);
}

Result<std::string> internal::EditedCopyReply(const ItipMessage& request, std::size_t index,
                                              const ReplySpec& spec) {
  if (Status s = CheckIndex(request, index); !s.ok()) return s;
  const bool counter = spec.counter.has_value();
  const icalproperty_method method = spec.refresh ? ICAL_METHOD_REFRESH
                                     : counter    ? ICAL_METHOD_COUNTER
                                                  : ICAL_METHOD_REPLY;
  ComponentPtr calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//magent//imip//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(method));
  for (icalcomponent* tz =
           icalcomponent_get_first_component(request.parsed->vcalendar, ICAL_VTIMEZONE_COMPONENT);
       tz != nullptr;
       tz = icalcomponent_get_next_component(request.parsed->vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    icalcomponent_add_component(calendar.get(), icalcomponent_new_clone(tz));
  }

  icalcomponent* object = icalcomponent_new_clone(request.parsed->components[index]);
  icalcomponent_add_component(calendar.get(), object);  // Owned by `calendar` from here.
  while (icalcomponent* alarm = icalcomponent_get_first_component(object, ICAL_VALARM_COMPONENT)) {
    icalcomponent_remove_component(object, alarm);
    icalcomponent_free(alarm);
  }
  icalproperty* attendee = counter ? nullptr : KeepAttendee(object, spec.attendee);
  if (counter) attendee = FindAttendee(object, spec.attendee);
  if (attendee == nullptr) {
    return Status::InvalidArgument("'" + spec.attendee + "' is not an attendee of " +
                                   request.objects[index].uid);
  }
  SetAnswer(attendee, spec);
  if (spec.recurrence_id) {
    RemoveAll(object, ICAL_RRULE_PROPERTY);
    RemoveAll(object, ICAL_RDATE_PROPERTY);
    RemoveAll(object, ICAL_EXDATE_PROPERTY);
    RemoveAll(object, ICAL_RECURRENCEID_PROPERTY);
    icalcomponent_add_property(object, icalproperty_new_recurrenceid(IcalUtc(*spec.recurrence_id)));
  }
  if (counter) {
    SetTimes(object, *spec.counter,
             StartZone(*request.parsed, calendar.get(), object, *spec.counter));
  }
  if (spec.refresh)
    KeepOnly(object, {ICAL_UID_PROPERTY, ICAL_ORGANIZER_PROPERTY, ICAL_ATTENDEE_PROPERTY,
                      ICAL_RECURRENCEID_PROPERTY});
  // libical's notes of what it could not read are the reader's repairs, not the answer.
  RemoveAll(object, ICAL_XLICERROR_PROPERTY);
  RemoveAll(object, ICAL_DTSTAMP_PROPERTY);
  icalcomponent_add_property(object, icalproperty_new_dtstamp(IcalUtc(spec.now)));
  RemoveAll(object, ICAL_REQUESTSTATUS_PROPERTY);
  std::string description;
  auto status = RequestStatus(spec.request_status, description);
  if (!status.ok()) return status.status();
  if (*status) icalcomponent_add_property(object, status->release());
  for (const Occurrence& declined : spec.declined_occurrences) {
    icalcomponent* instance = icalcomponent_new_clone(object);
    icalcomponent_add_component(calendar.get(), instance);
    RemoveAll(instance, ICAL_RRULE_PROPERTY);
    RemoveAll(instance, ICAL_RDATE_PROPERTY);
    RemoveAll(instance, ICAL_EXDATE_PROPERTY);
    RemoveAll(instance, ICAL_RECURRENCEID_PROPERTY);
    icalcomponent_add_property(instance,
                               icalproperty_new_recurrenceid(IcalUtc(declined.recurrence_id)));
    SetTimes(instance, declined.period);
    icalproperty* own = icalcomponent_get_first_property(instance, ICAL_ATTENDEE_PROPERTY);
    icalproperty_remove_parameter_by_kind(own, ICAL_PARTSTAT_PARAMETER);
    icalproperty_set_parameter_from_string(own, "PARTSTAT", "DECLINED");
    RemoveAll(instance, ICAL_REQUESTSTATUS_PROPERTY);
    icalreqstattype busy{};
    busy.code = icalenum_num_to_reqstat(4, 0);
    busy.desc = kConflict;
    icalcomponent_add_property(instance, icalproperty_new_requeststatus(busy));
  }
  return AsString(calendar.get());
}

Result<std::string> BuildFreeBusyReply(const ItipMessage& request, std::size_t index,
                                       const ReplySpec& spec, const std::vector<Period>& busy) {
  if (request.parsed == nullptr || index >= request.objects.size()) {
    return Status::InvalidArgument("no such object in the request");
  }
  const ItipObject& asked = request.objects[index];
  if (asked.kind != ComponentKind::kFreeBusy || !asked.start || !asked.end) {
    return Status::InvalidArgument("a free/busy request needs a VFREEBUSY with DTSTART and DTEND");
  }
  const Period range{asked.start->utc, asked.end->utc};
  auto [calendar, fb] =
      internal::NewFreeBusyCalendar(ICAL_METHOD_REPLY, asked.uid, spec.now, range);
  if (icalproperty* organizer = icalcomponent_get_first_property(request.parsed->components[index],
                                                                 ICAL_ORGANIZER_PROPERTY)) {
    icalcomponent_add_property(fb, icalproperty_new_clone(organizer));
  }
  icalproperty* attendee = icalproperty_new_attendee(("mailto:" + spec.attendee).c_str());
  if (!spec.sent_by.empty()) {
    icalproperty_add_parameter(attendee,
                               icalparameter_new_sentby(("mailto:" + spec.sent_by).c_str()));
  }
  icalcomponent_add_property(fb, attendee);
  internal::AddBusyLines(fb, busy, range);
  return AsString(calendar.get());
}

}  // namespace magent::imip
