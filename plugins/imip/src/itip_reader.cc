#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>

#include "ical_parsing.h"
#include "magent/imip/address.h"
#include "magent/imip/itip.h"
#include "magent/imip/safe_text.h"
#include "parsed_calendar.h"
#include "recurrence_bounds.h"
#include "time_values.h"
#include "time_zones.h"

namespace magent::imip {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, 8> kMethods{{
    {Method::kPublish, "PUBLISH"},
    {Method::kRequest, "REQUEST"},
    {Method::kReply, "REPLY"},
    {Method::kAdd, "ADD"},
    {Method::kCancel, "CANCEL"},
    {Method::kRefresh, "REFRESH"},
    {Method::kCounter, "COUNTER"},
    {Method::kDeclineCounter, "DECLINECOUNTER"},
}};

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string Text(const char* s) { return s != nullptr ? s : ""; }

// libical drops a METHOD value it does not recognise, and it recognises upper case only;
// clients send "METHOD:request". Upper-cases the value of every unfolded METHOD line.
void UpperCaseMethodLines(std::string& text, std::vector<std::string>& repairs) {
  std::size_t line = 0;
  while (line < text.size()) {
    std::size_t eol = text.find('\n', line);
    if (eol == std::string::npos) eol = text.size();
    constexpr std::string_view kMethod = "METHOD:";
    if (eol - line > kMethod.size() &&
        Upper(std::string_view(text).substr(line, kMethod.size())) == kMethod) {
      const std::size_t value = line + kMethod.size();
      std::size_t end = eol;
      if (end > value && text[end - 1] == '\r') --end;
      const std::string upper = Upper(std::string_view(text).substr(value, end - value));
      if (text.compare(value, end - value, upper) != 0) {
        repairs.push_back("METHOD '" + text.substr(value, end - value) + "' read as " + upper);
        text.replace(value, end - value, upper);
      }
    }
    line = eol + 1;
  }
}

class Reader {
 public:
  Reader(const internal::CalendarZones& zones, const ItipOptions& options,
         std::vector<std::string>& repairs)
      : zones_(zones), options_(options), repairs_(repairs) {}

  Status Init() {
    auto zone = FindZone(options_.default_tzid);
    if (!zone.ok())
      return Status::InvalidArgument("the default time zone: " + zone.status().message());
    default_zone_ = *zone;
    return Status::OK();
  }

  Result<ItipObject> Read(icalcomponent* c, ComponentKind kind) {
    ItipObject o;
    o.kind = kind;
    o.uid = Text(icalcomponent_get_uid(c));
    if (o.uid.empty() && kind != ComponentKind::kFreeBusy) {
      return Status::InvalidArgument(
          std::string("a ") + icalcomponent_kind_to_string(icalcomponent_isa(c)) + " has no UID");
    }
    o.sequence = std::max(0, icalcomponent_get_sequence(c));
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_DTSTAMP_PROPERTY)) {
      auto t = Resolve(p, icalproperty_get_dtstamp(p));
      if (!t.ok()) return t.status();
      o.dtstamp = t->utc;
    }
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ORGANIZER_PROPERTY)) {
      o.organizer = User(p, icalproperty_get_organizer(p));
    }
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      Attendee a;
      static_cast<CalendarUser&>(a) = User(p, icalproperty_get_attendee(p));
      if (auto s = Param(p, "PARTSTAT"); !s.empty()) a.partstat = Upper(s);
      if (auto s = Param(p, "ROLE"); !s.empty()) a.role = Upper(s);
      if (auto s = Param(p, "CUTYPE"); !s.empty()) a.cutype = Upper(s);
      a.rsvp = Upper(Param(p, "RSVP")) == "TRUE";
      o.attendees.push_back(std::move(a));
    }
    o.summary = Text(icalcomponent_get_summary(c));
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY)) {
      o.status = Upper(Text(icalproperty_get_value_as_string(p)));
    }
    o.transp = "OPAQUE";
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_TRANSP_PROPERTY)) {
      o.transp = Upper(Text(icalproperty_get_value_as_string(p)));
    }
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
      auto t = Resolve(p, icalproperty_get_recurrenceid(p));
      if (!t.ok()) return t.status();
      o.recurrence_id = std::move(*t);
    }
    if (Status s = ReadPeriod(c, o); !s.ok()) return s;
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_RRULE_PROPERTY)) {
      o.rrules.push_back(Text(icalproperty_get_value_as_string(p)));
    }
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
      const icaldatetimeperiodtype v = icalproperty_get_rdate(p);
      auto t = Resolve(p, icaltime_is_null_time(v.time) ? v.period.start : v.time);
      if (!t.ok()) return t.status();
      o.rdates.push_back(std::move(*t));
    }
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
      auto t = Resolve(p, icalproperty_get_exdate(p));
      if (!t.ok()) return t.status();
      o.exdates.push_back(std::move(*t));
    }
    if (Status s = Expand(c, o); !s.ok()) return s;
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_FREEBUSY_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(c, ICAL_FREEBUSY_PROPERTY)) {
      const icalperiodtype v = icalproperty_get_freebusy(p);
      icaltimetype end = v.end;
      if (icaltime_is_null_time(end)) {
        auto added = internal::AddDuration(v.start, v.duration);
        if (!added.ok()) return Status::InvalidArgument("FREEBUSY: " + added.status().message());
        end = *added;
      }
      o.freebusy.push_back({Utc(v.start, icaltimezone_get_utc_timezone()),
                            Utc(end, icaltimezone_get_utc_timezone())});
    }
    return o;
  }

 private:
  static UtcTime Utc(icaltimetype t, icaltimezone* zone) {
    return UtcTime(std::chrono::seconds(icaltime_as_timet_with_zone(t, zone)));
  }

  // `t` as an UNTIL for a rule whose DTSTART is `start`, read in `zone`: a date-time
  // in UTC, or for a DATE start the date `t` falls on there, a day on to hold it whole.
  static icaltimetype UntilOf(UtcTime t, icaltimetype start, icaltimezone* zone) {
    icaltimetype u = icaltime_from_timet_with_zone(t.time_since_epoch().count(), 0,
                                                   icaltimezone_get_utc_timezone());
    if (!start.is_date) return u;
    u = icaltime_convert_to_zone(u, zone);
    u.is_date = 1;
    u.hour = u.minute = u.second = 0;
    icaltime_adjust(&u, 1, 0, 0, 0);
    return u;
  }

  static std::string Param(icalproperty* p, const char* name) {
    return Text(icalproperty_get_parameter_as_string(p, name));
  }

  static CalendarUser User(icalproperty* p, const char* value) {
    CalendarUser u;
    u.uri = Text(value);
    u.address = CanonicalAddress(u.uri);
    u.cn = Param(p, "CN");
    u.sent_by = CanonicalAddress(Param(p, "SENT-BY"));
    return u;
  }

  // The calendar's own VTIMEZONE first (it says what the sender meant), then the tables.
  Result<icaltimezone*> FindZone(const std::string& tzid) {
    if (icaltimezone* zone = zones_.Find(tzid)) return zone;
    internal::ZoneLookup found = internal::FindBuiltinZone(tzid);
    if (found.zone == nullptr) {
      return Status::InvalidArgument(
          "unknown time zone '" + tzid +
          "': the calendar has no VTIMEZONE for it and no table knows it");
    }
    if (!found.how.empty() &&
        std::find(repairs_.begin(), repairs_.end(), found.how) == repairs_.end()) {
      repairs_.push_back(found.how);
    }
    return found.zone;
  }

  // The zone a time property is read in: its TZID's, UTC for a Z value, else the default.
  Result<icaltimezone*> ZoneOf(icalproperty* p, icaltimetype t) {
    if (icaltime_is_utc(t)) return icaltimezone_get_utc_timezone();
    const std::string tzid = Param(p, "TZID");
    if (tzid.empty()) return default_zone_;
    return FindZone(tzid);
  }

  // Occurrences are computed in the start's own zone (a weekly 10:00 stays 10:00 across
  // DST), then resolved to UTC; each lasts as long as the first.
  Status Expand(icalcomponent* c, ItipObject& o) {
    if (!o.start) return Status::OK();
    const CalendarDuration length = o.end->utc - o.start->utc;
    if (!o.recurring()) {
      o.occurrences.push_back({{o.start->utc, o.start->utc + length},
                               o.recurrence_id ? o.recurrence_id->utc : o.start->utc});
      return Status::OK();
    }
    icalproperty* start = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
    icaltimetype local = icalproperty_get_dtstart(start);
    auto zone = ZoneOf(start, local);
    if (!zone.ok()) return zone.status();
    icaltime_set_timezone(&local, *zone);
    // The window starts at `expand_from` (or DTSTART, if later) and lasts `expand_for`.
    const UtcTime from = std::max(options_.expand_from.value_or(o.start->utc), o.start->utc);
    const UtcTime until = from + options_.expand_for;
    // Occurrences before the window are stepped over, and every step counts against the
    // calendar's budget: a daily series from decades ago is still read, a hostile
    // calendar does not spin. A rule with BY parts paid for its steps before it ran.
    std::vector<UtcTime> starts;
    bool paid = false;
    auto add = [&](UtcTime t) {
      if (!paid && recurrence_steps_left_ == 0) {
        o.occurrences_truncated = o.occurrences_limited = true;
        return false;
      }
      if (!paid) --recurrence_steps_left_;
      if (t + length <= from) return true;
      if (t >= until) {
        o.occurrences_truncated = true;
        return false;
      }
      if (starts.size() == options_.max_occurrences) {
        o.occurrences_truncated = o.occurrences_limited = true;
        return false;
      }
      starts.push_back(t);
      return true;
    };
    // libical's recurrence iterator stops after 2582 (its MAX_TIME_T_YEAR) and makes none
    // for a later DTSTART: a rule going on past that, inside the window, is not all read.
    constexpr int kLastIteratedYear = 2582;
    const UtcTime iterated_until =
        std::chrono::sys_days{std::chrono::year{kLastIteratedYear + 1} / std::chrono::January / 1};
    // libical works out every candidate of a rule, yielded or not, up to its UNTIL or
    // 2582: a limiting BY part that never matches (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30)
    // kept it stepping hour by hour for 10 s. So it iterates only up to the window's end
    // (an UNTIL of ours, which also ends a COUNT early), and a rule with BY parts pays
    // before it runs for every candidate it may work out up to there.
    const icaltimetype window_end = UntilOf(until, local, *zone);
    const auto days_iterated = static_cast<std::uint64_t>(
        std::chrono::floor<std::chrono::days>(until - std::min(until, o.start->utc)).count() + 1);
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_RRULE_PROPERTY)) {
      icalrecurrencetype rule = icalproperty_get_rrule(p);
      if (TooCostly(rule)) {
        o.occurrences_truncated = o.occurrences_limited = true;
        continue;
      }
      const bool endless = rule.count == 0 && (icaltime_is_null_time(rule.until) ||
                                               rule.until.year > kLastIteratedYear);
      const bool cut_by_libical = endless && until > iterated_until;
      const bool goes_past_window =
          icaltime_is_null_time(rule.until) || icaltime_compare(rule.until, window_end) > 0;
      if (goes_past_window) rule.until = window_end;
      paid = internal::HasByParts(rule);
      if (paid) {
        const std::uint64_t candidates = internal::MostCandidates(rule, days_iterated);
        if (candidates > recurrence_steps_left_) {
          o.occurrences_truncated = o.occurrences_limited = true;
          continue;
        }
        recurrence_steps_left_ -= candidates;
      }
      std::unique_ptr<icalrecur_iterator, void (*)(icalrecur_iterator*)> it(
          icalrecur_iterator_new(rule, local), icalrecur_iterator_free);
      if (it == nullptr && local.year > kLastIteratedYear) {
        if (cut_by_libical) o.occurrences_truncated = o.occurrences_limited = true;
        continue;
      }
      if (it == nullptr) {
        return Status::InvalidArgument(
            "'" + o.summary + "' (UID " + o.uid +
            ") has an RRULE libical cannot follow: " + Text(icalproperty_get_value_as_string(p)));
      }
      bool stopped = false;
      int yielded = 0;
      for (icaltimetype next = icalrecur_iterator_next(it.get()); !icaltime_is_null_time(next);
           next = icalrecur_iterator_next(it.get())) {
        ++yielded;
        if (!add(Utc(next, *zone))) {
          stopped = true;
          break;
        }
      }
      // Our UNTIL ended it, not the rule's own end.
      if (!stopped && goes_past_window && (rule.count == 0 || yielded < rule.count)) {
        o.occurrences_truncated = true;
      }
      if (!stopped && cut_by_libical) o.occurrences_truncated = o.occurrences_limited = true;
    }
    // DTSTART is always the first occurrence (RFC 5545 3.8.5.3), even when an RRULE's
    // UNTIL is before it; RDATEs add to it.
    if (o.start->utc + length > from) starts.push_back(o.start->utc);
    for (const CalendarTime& rdate : o.rdates) {
      if (rdate.utc < until && rdate.utc + length > from) starts.push_back(rdate.utc);
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (UtcTime t : starts) {
      const bool excluded = std::any_of(o.exdates.begin(), o.exdates.end(),
                                        [&](const CalendarTime& ex) { return ex.utc == t; });
      if (!excluded) o.occurrences.push_back({{t, t + length}, t});
    }
    // RDATEs count against the limit as an RRULE's occurrences do.
    if (o.occurrences.size() > options_.max_occurrences) {
      o.occurrences.resize(options_.max_occurrences);
      o.occurrences_truncated = o.occurrences_limited = true;
    }
    return Status::OK();
  }

  // libical works a whole period of a rule out before it yields its first occurrence
  // (some 0.3 us a candidate: every second of a year took 9.6 s), and steps candidate by
  // candidate through what a limiting BY part leaves out (FREQ=SECONDLY;BYMONTH=11 steps
  // through up to a year of seconds). Such a rule is not iterated: it makes more than a
  // booking may hold in one period, or more than kMostPerYear in a year with a BY part.
  bool TooCostly(const icalrecurrencetype& rule) const {
    constexpr std::uint64_t kMostPerYear = 1'000'000;
    return internal::MostPerPeriod(rule) > options_.max_occurrences ||
           (internal::HasByParts(rule) && internal::MostPerYear(rule) > kMostPerYear);
  }

  Result<CalendarTime> Resolve(icalproperty* p, icaltimetype t) {
    const std::string name = icalproperty_kind_to_string(icalproperty_isa(p));
    if (icaltime_is_null_time(t)) return Status::InvalidArgument("an invalid " + name + " value");
    if (auto why = internal::OutOfRange(t)) {
      return Status::InvalidArgument(name + " has a time out of range (" + *why +
                                     "): only dates of the years 0001 to 9999 are read");
    }
    auto zone = ZoneOf(p, t);
    if (!zone.ok()) return zone.status();
    CalendarTime out;
    out.text = Text(icaltime_as_ical_string(t));
    out.all_day = t.is_date != 0;
    const std::string tzid = Param(p, "TZID");
    out.floating = !icaltime_is_utc(t) && tzid.empty();
    out.tzid = icaltime_is_utc(t) ? "UTC" : out.floating ? options_.default_tzid : tzid;
    out.utc = Utc(t, *zone);
    return out;
  }

  Status ReadPeriod(icalcomponent* c, ItipObject& o) {
    icalproperty* start = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
    if (start == nullptr) return Status::OK();
    const icaltimetype start_time = icalproperty_get_dtstart(start);
    auto resolved = Resolve(start, start_time);
    if (!resolved.ok()) return resolved.status();
    o.start = std::move(*resolved);
    icalproperty* end = icalcomponent_get_first_property(
        c, o.kind == ComponentKind::kTodo ? ICAL_DUE_PROPERTY : ICAL_DTEND_PROPERTY);
    if (end != nullptr) {
      auto e = Resolve(end, o.kind == ComponentKind::kTodo ? icalproperty_get_due(end)
                                                           : icalproperty_get_dtend(end));
      if (!e.ok()) return e.status();
      if (e->utc < o.start->utc) {
        return Status::InvalidArgument("'" + o.summary + "' (UID " + o.uid +
                                       ") ends before it starts");
      }
      o.end = std::move(*e);
      return Status::OK();
    }
    // DURATION counts nominal days in the start's own zone (RFC 5545 3.3.6), so it is
    // added to the local time, then resolved.
    icaldurationtype duration = icaldurationtype_null_duration();
    if (icalproperty* d = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
      duration = icalproperty_get_duration(d);
      if (duration.is_neg) {
        return Status::InvalidArgument("'" + o.summary + "' (UID " + o.uid +
                                       ") has a negative duration");
      }
    } else if (start_time.is_date) {
      duration.days = 1;  // A day-long event by default.
    }
    auto added = internal::AddDuration(start_time, duration);
    if (!added.ok()) {
      return Status::InvalidArgument("'" + o.summary + "' (UID " + o.uid +
                                     "): DTSTART + DURATION: " + added.status().message());
    }
    auto e = Resolve(start, *added);
    if (!e.ok()) return e.status();
    o.end = std::move(*e);
    return Status::OK();
  }

  const internal::CalendarZones& zones_;
  const ItipOptions& options_;
  std::vector<std::string>& repairs_;
  icaltimezone* default_zone_ = nullptr;
  std::size_t recurrence_steps_left_ = options_.max_recurrence_steps;
};

std::optional<ComponentKind> KindOf(icalcomponent* c) {
  switch (icalcomponent_isa(c)) {
    case ICAL_VEVENT_COMPONENT:
      return ComponentKind::kEvent;
    case ICAL_VTODO_COMPONENT:
      return ComponentKind::kTodo;
    case ICAL_VJOURNAL_COMPONENT:
      return ComponentKind::kJournal;
    case ICAL_VFREEBUSY_COMPONENT:
      return ComponentKind::kFreeBusy;
    default:
      return std::nullopt;
  }
}

// The properties libical could not read, as X-LIC-ERROR properties it left in their place.
void NoteParseErrors(icalcomponent* c, std::vector<std::string>& repairs) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
    repairs.push_back(std::string("ignored: ") + Text(icalproperty_get_xlicerror(p)));
  }
  for (icalcomponent* child = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
       child != nullptr; child = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
    NoteParseErrors(child, repairs);
  }
}

}  // namespace

std::string_view MethodName(Method method) {
  for (const auto& [m, name] : kMethods) {
    if (m == method) return name;
  }
  return "?";
}

const Attendee* ItipObject::FindAttendee(std::string_view address) const {
  for (const Attendee& a : attendees) {
    if (!a.address.empty() && a.address == address) return &a;
  }
  return nullptr;
}

Result<ItipMessage> ParseItip(std::string_view calendar, const ItipOptions& options) {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });

  ItipMessage out;
  // Every text the calendar carries may reach a reply declared UTF-8: repaired here, once.
  std::string text = RepairUtf8(calendar);
  UpperCaseMethodLines(text, out.repairs);
  if (Status s = internal::CheckTimeShapes(text); !s.ok()) return s;
  auto parsed = std::make_shared<internal::ParsedCalendar>();
  parsed->root.reset(internal::ParseCalendarText(text));
  icalerror_clear_errno();
  if (parsed->root == nullptr) return Status::InvalidArgument("not an iCalendar object");
  icalcomponent* vcalendar = parsed->root.get();
  if (icalcomponent_isa(vcalendar) != ICAL_VCALENDAR_COMPONENT) {
    vcalendar = icalcomponent_get_first_component(vcalendar, ICAL_VCALENDAR_COMPONENT);
    if (vcalendar == nullptr) return Status::InvalidArgument("no VCALENDAR in the calendar part");
  }
  parsed->vcalendar = vcalendar;
  // Before the zones are built or any time is converted: libical trusts every field.
  if (Status s = internal::CheckTimeValues(vcalendar); !s.ok()) return s;
  if (Status s = internal::CheckZoneRules(vcalendar); !s.ok()) return s;
  parsed->zones =
      std::make_unique<internal::CalendarZones>(vcalendar, options.expand_from, options.expand_for);
  NoteParseErrors(vcalendar, out.repairs);
  if (icalcomponent_get_first_property(vcalendar, ICAL_PRODID_PROPERTY) == nullptr) {
    out.repairs.push_back("no PRODID");
  }
  if (icalcomponent_get_first_property(vcalendar, ICAL_VERSION_PROPERTY) == nullptr) {
    out.repairs.push_back("no VERSION");
  }

  std::string method;
  if (icalproperty* p = icalcomponent_get_first_property(vcalendar, ICAL_METHOD_PROPERTY)) {
    method = Upper(Text(icalproperty_get_value_as_string(p)));
  }
  const std::string header_method = Upper(options.content_type_method);
  if (method.empty() && !header_method.empty()) {
    method = header_method;
    out.repairs.push_back("no METHOD in the calendar: " + method + " from the Content-Type");
  } else if (!header_method.empty() && header_method != method) {
    out.repairs.push_back("the Content-Type says " + header_method + ", the calendar " + method +
                          ": the calendar's METHOD is used");
  }
  if (method.empty()) return Status::FailedPrecondition("no METHOD: not an iTIP message");
  const auto known = std::find_if(kMethods.begin(), kMethods.end(),
                                  [&](const auto& m) { return m.second == method; });
  if (known == kMethods.end()) {
    return Status::FailedPrecondition("unknown METHOD '" + method + "': not an iTIP message");
  }
  out.method = known->first;

  Reader reader(*parsed->zones, options, out.repairs);
  if (Status s = reader.Init(); !s.ok()) return s;
  for (icalcomponent* c = icalcomponent_get_first_component(vcalendar, ICAL_ANY_COMPONENT);
       c != nullptr; c = icalcomponent_get_next_component(vcalendar, ICAL_ANY_COMPONENT)) {
    const std::optional<ComponentKind> kind = KindOf(c);
    if (!kind) continue;  // VTIMEZONE, X- components.
    if (out.objects.size() == options.max_components) {
      return Status::InvalidArgument("more than " + std::to_string(options.max_components) +
                                     " scheduling components");
    }
    auto object = reader.Read(c, *kind);
    if (!object.ok()) return object.status();
    out.objects.push_back(std::move(*object));
    parsed->components.push_back(c);
  }
  out.parsed = std::move(parsed);
  return out;
}

}  // namespace magent::imip
