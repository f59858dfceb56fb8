#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>

#include "booking_rules.h"
#include "config_file.h"
#include "freebusy_check.h"
#include "freebusy_publisher.h"
#include "identity_policies.h"
#include "local_time.h"
#include "magent/imip/address.h"
#include "magent/imip/resource.h"
#include "magent/imip/safe_text.h"
#include "mail_address.h"
#include "message_senders.h"
#include "organiser_authority.h"
#include "permitted_times.h"
#include "quota_group.h"
#include "quota_policies.h"
#include "time_values.h"
#include "time_zones.h"

namespace magent::imip {
namespace {

using internal::LocalPeriod;

constexpr std::string_view kSuccess = "2.0;Success";
constexpr std::string_view kBusy = "4.0;Event conflict. Date-time is busy.";

// The summary quoted in a reply's sentence, on one line whatever line breaks it carries.
std::string Quoted(const std::string& summary) {
  return summary.empty() ? std::string("(untitled)") : "'" + OneLine(summary) + "'";
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return !item.empty() && std::find(list.begin(), list.end(), item) != list.end();
}

// One resource's work on one message: its preferences, its store session, what it
// decided and what it sends.
class ResourceTurn {
 public:
  ResourceTurn(std::string resource, const Preferences& prefs, StoreSession& store,
               const ResourceOptions& options, const MailMessage& mail,
               const CalendarPart& calendar, const ItipMessage& itip,
               const std::vector<std::string>& senders, const std::string& senders_not_counted,
               std::string system_address, internal::SentByList sent_by_list, UtcTime now,
               HandledMessage& out)
      : resource_(std::move(resource)),
        prefs_(prefs),
        store_(store),
        options_(options),
        mail_(mail),
        calendar_(calendar),
        itip_(itip),
        senders_(senders),
        senders_not_counted_(senders_not_counted),
        now_(now),
        out_(out),
        tzid_(prefs.Get("TZID", {}, "UTC")),
        // CN goes into the replies' headers and text: one line, whatever bytes a
        // preference file holds.
        cn_(OneLine(prefs.Get("CN"))),
        system_address_(std::move(system_address)),
        sent_by_list_(std::move(sent_by_list)) {}

  Status Handle(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    if (prefs_.Get("participating", "PARTICIPATING_DEFAULT", "participate") == "no") {
      return Note(index, Verdict::kIgnored,
                  Text("imip.not_participating", "Ignored: {0} does not take part in scheduling.",
                       {resource_}));
    }
    // Every answer goes to the ORGANIZER, into To and RCPT TO as it is: anything but one
    // mail address ("alice@x.example,bob@evil.example") would name others, so there is
    // no ORGANIZER to answer.
    if (o.organizer && !o.organizer->address.empty() &&
        !internal::IsMailAddress(o.organizer->address)) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.organizer_not_an_address",
                       "Ignored: no ORGANIZER to answer; '{0}' is not one mail address.",
                       {OneLine(o.organizer->address)}));
    }
    // Every answer goes to the ORGANIZER: the resource's own address, or the one its
    // replies come from, would answer itself, and the answer again (a mail loop).
    if (o.organizer && (o.organizer->address == resource_ ||
                        o.organizer->address == CanonicalAddress(system_address_))) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.organizer_is_self",
                       "Ignored: the organizer is {0}, the resource's own address; an answer "
                       "would come back to it.",
                       {o.organizer->address}));
    }
    switch (itip_.method) {
      case Method::kRequest:
        return o.kind == ComponentKind::kFreeBusy ? FreeBusy(index) : Request(index);
      case Method::kCancel:
        return Cancel(index);
      case Method::kDeclineCounter:
        return DeclineCounter(index);
      case Method::kAdd:
        return Add(index);
      case Method::kRefresh:
        return Refresh(index);
      case Method::kPublish:
      case Method::kReply:
      case Method::kCounter:
        return Note(index, Verdict::kIgnored,
                    Text("imip.not_for_attendee",
                         "Ignored: a {0} is for an organizer, and {1} organizes nothing.",
                         {std::string(MethodName(itip_.method)), resource_}));
    }
    return Status::OK();
  }

 private:
  Text Goal(const ItipObject& o) const {
    return Text("imip.goal", "{0} {1} (UID {2}) for {3}",
                {std::string(GoalVerb()), Quoted(o.summary), OneLine(o.uid), resource_});
  }
  std::string_view GoalVerb() const {
    switch (itip_.method) {
      case Method::kRequest:
        return "Decide on";
      case Method::kCancel:
        return "Cancel";
      case Method::kDeclineCounter:
        return "Withdraw the offer for";
      default:
        return "Answer";
    }
  }

  Status Note(std::size_t index, Verdict verdict, Text why) {
    const ItipObject& o = itip_.objects[index];
    out_.decisions.push_back(
        {.resource = resource_,
         .method = itip_.method,
         .uid = o.uid,
         .recurrence_id = o.recurrence_id ? std::optional(o.recurrence_id->utc) : std::nullopt,
         .summary = o.summary,
         .verdict = verdict,
         .goal = Goal(o),
         .why = std::move(why)});
    return Status::OK();
  }

  std::optional<UtcTime> Rid(const ItipObject& o) const {
    return o.recurrence_id ? std::optional(o.recurrence_id->utc) : std::nullopt;
  }

  // Why `o` is older than `kept`, which the resource already acted on; nothing if it is
  // not. The higher SEQUENCE is the newer message, and at the same SEQUENCE the later
  // DTSTAMP (RFC 5546 2.1.5): an older one, late or replayed, changes nothing.
  static std::optional<Text> Stale(const ItipObject& o, const StoredObject& kept) {
    const UtcTime stamp = o.dtstamp.value_or(UtcTime{});
    if (o.sequence > kept.sequence || (o.sequence == kept.sequence && stamp >= kept.dtstamp)) {
      return std::nullopt;
    }
    return Text("imip.stale", "Ignored: SEQUENCE {0} is older than the {1} already answered.",
                {std::to_string(o.sequence), std::to_string(kept.sequence)});
  }

  // Whether `o` speaks for its ORGANIZER (docs/imip/resource.md, "Who may change a
  // booking"): a sender is the organizer itself, or is the ORGANIZER's SENT-BY and the
  // organizer allowed that sender, by organiser_sent_by or by the SENT-BY kept on one of
  // `records` (which only the organizer's own messages set). Anyone can write an
  // ORGANIZER line, and a SENT-BY into it: neither counts on the sender's word.
  bool FromOrganizer(const ItipObject& o, const std::vector<StoredObject>& records = {}) const {
    if (prefs_.Get("sender_check", "SENDER_CHECK_DEFAULT", "organiser") == "none") return true;
    if (!o.organizer) return false;
    if (Contains(senders_, o.organizer->address)) return true;
    const std::string& sent_by = o.organizer->sent_by;
    if (!Contains(senders_, sent_by)) return false;
    return internal::SentByListed(sent_by_list_, o.organizer->address, sent_by) ||
           std::any_of(records.begin(), records.end(), [&](const StoredObject& r) {
             return r.organizer == o.organizer->address && r.sent_by == sent_by;
           });
  }

  // The SENT-BY to keep with a booking of `o`: what the organizer's own message names (a
  // message without one revokes it); from anyone else, what `records` keep.
  std::string SentByToKeep(const ItipObject& o, const std::vector<StoredObject>& records) const {
    if (Contains(senders_, o.organizer->address)) return o.organizer->sent_by;
    for (const StoredObject& r : records) {
      if (r.organizer == o.organizer->address && !r.sent_by.empty()) return r.sent_by;
    }
    return "";
  }

  // What the resource keeps of `o`'s event that a REQUEST for it would replace or revive:
  // for the whole event, its object and every instance's; for an instance, its own and the
  // whole event's; and the cancellations of those two. Their organizers are the
  // organizers of record.
  Result<std::vector<StoredObject>> Records(const ItipObject& o) {
    auto objects = store_.GetObjects(o.uid);
    if (!objects.ok()) return objects.status();
    std::vector<StoredObject> out;
    for (StoredObject& r : *objects) {
      if (!o.recurrence_id || !r.recurrence_id || r.recurrence_id == Rid(o)) {
        out.push_back(std::move(r));
      }
    }
    std::vector<std::optional<UtcTime>> rids = {Rid(o)};
    if (o.recurrence_id) rids.push_back(std::nullopt);
    for (const std::optional<UtcTime>& rid : rids) {
      auto cancelled = store_.GetCancellation(o.uid, rid);
      if (!cancelled.ok()) return cancelled.status();
      if (*cancelled) out.push_back(std::move(**cancelled));
    }
    return out;
  }

  Text SenderMismatch(const ItipObject& o) const {
    std::string from;
    for (const std::string& s : senders_) from += (from.empty() ? "" : ", ") + s;
    if (!senders_not_counted_.empty()) {
      return Text("imip.sender_not_counted",
                  "Ignored: sent by {0}, but the organizer is {1}; not counted as senders: {2}.",
                  {from.empty() ? "nobody" : from, o.organizer ? o.organizer->address : "nobody",
                   senders_not_counted_});
    }
    return Text("imip.sender_mismatch",
                "Ignored: sent by {0}, but the organizer is {1}; no reply goes to an address "
                "the sender may not own.",
                {from.empty() ? "nobody" : from, o.organizer ? o.organizer->address : "nobody"});
  }

  // Why `o` may not change `record`: another organizer keeps it; nothing if it may.
  std::optional<Text> NotOrganizerOfRecord(const ItipObject& o, const StoredObject& record) const {
    const std::string organizer = o.organizer ? o.organizer->address : "";
    if (!organizer.empty() && organizer == record.organizer) return std::nullopt;
    return Text("imip.not_organiser_of_record",
                "Ignored: the booking is organised by {0}, not {1}.",
                {record.organizer, organizer.empty() ? "nobody" : organizer});
  }

  Status Request(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    if (o.FindAttendee(resource_) == nullptr) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.not_invited", "Ignored: {0} is not an attendee.", {resource_}));
    }
    if (!o.organizer || o.organizer->address.empty()) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.no_organizer", "Ignored: no ORGANIZER to answer.", {}));
    }
    auto records = Records(o);
    if (!records.ok()) return records.status();
    if (!FromOrganizer(o, *records)) return Note(index, Verdict::kIgnored, SenderMismatch(o));
    // An update comes from the organizer of record (RFC 5546 3.2.2); another takes over
    // only as organiser_replacement allows.
    for (const StoredObject& r : *records) {
      if (r.organizer == o.organizer->address) continue;
      if (auto refusal = internal::TakeoverRefusal(
              prefs_.Get("organiser_replacement", "ORGANISER_REPLACEMENT_DEFAULT", "attendee"), r,
              o, senders_)) {
        return Note(index, Verdict::kIgnored, std::move(*refusal));
      }
    }
    const std::string sent_by = SentByToKeep(o, *records);

    auto stored = store_.GetObject(o.uid, Rid(o));
    if (!stored.ok()) return stored.status();
    if (*stored) {
      const StoredObject& s = **stored;
      if (auto stale = Stale(o, s)) return Note(index, Verdict::kIgnored, std::move(*stale));
      if (o.sequence == s.sequence && o.dtstamp.value_or(UtcTime{}) == s.dtstamp &&
          (s.partstat == "ACCEPTED" || s.partstat == "DECLINED")) {
        // The same request again (the MTA retried, or the organizer resent it): the same
        // answer again, decided once.
        const bool accepted = s.partstat == "ACCEPTED";
        Text why("imip.repeated", "Answered again: {0} as before.",
                 {accepted ? "accepted" : "declined"});
        if (Status st = Reply(index, s.partstat, accepted ? kSuccess : kBusy, why); !st.ok()) {
          return st;
        }
        return Note(index, accepted ? Verdict::kAccepted : Verdict::kDeclined, std::move(why));
      }
    } else if (auto cancelled = Cancelled(o); !cancelled.ok()) {
      return cancelled.status();
    } else if (*cancelled) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.cancelled_before",
                       "Ignored: the organizer cancelled it at SEQUENCE {0}; this request is "
                       "no newer.",
                       {std::to_string((*cancelled)->sequence)}));
    }

    Decided decided = Decide(o);
    if (!decided.status.ok()) return decided.status;
    if (!decided.counter.empty()) return Counter(index, decided.counter, sent_by);
    if (decided.delegate) return Delegate(index, *decided.delegate, sent_by);
    const bool accepted = !decided.refusal.has_value();
    const std::vector<Occurrence> booked =
        accepted ? Booked(o, decided) : std::vector<Occurrence>{};
    std::vector<BusyPeriod> held;
    for (const Occurrence& occurrence : booked) {
      // A series' periods carry their occurrence, so that one instance can be cancelled
      // or moved on its own.
      held.push_back({.period = occurrence.period,
                      .uid = o.uid,
                      .recurrence_id = o.recurrence_id ? Rid(o)
                                       : o.recurring() ? std::optional(occurrence.recurrence_id)
                                                       : std::nullopt,
                      .summary = o.summary});
    }
    // A declined update gives back what the earlier version held, in the quota journals
    // too.
    const std::string partstat = accepted ? "ACCEPTED" : "DECLINED";
    if (Status s = Record(o, held, partstat, sent_by); !s.ok()) return s;
    if (Status s = Journal(o, booked, decided.quota_groups); !s.ok()) return s;
    // The organizer answered any COUNTER with this newer request.
    if (Status s = store_.RemoveCounter(o.uid, Rid(o)); !s.ok()) return s;
    Text why = accepted ? Accepted(decided) : *decided.refusal;
    if (Status s = Reply(index, partstat, accepted ? kSuccess : kBusy, why, decided.declined);
        !s.ok()) {
      return s;
    }
    return Note(index, accepted ? Verdict::kAccepted : Verdict::kDeclined, std::move(why));
  }

  // The cancellation that `o` (a REQUEST the resource holds nothing of) is no newer than:
  // its own, or, for an instance, the whole event's. A newer request invites again, and
  // its own cancellation is dropped.
  Result<std::optional<StoredObject>> Cancelled(const ItipObject& o) {
    std::vector<std::optional<UtcTime>> rids = {Rid(o)};
    if (o.recurrence_id) rids.push_back(std::nullopt);
    for (const std::optional<UtcTime>& rid : rids) {
      auto cancelled = store_.GetCancellation(o.uid, rid);
      if (!cancelled.ok()) return cancelled.status();
      if (!*cancelled) continue;
      const StoredObject& c = **cancelled;
      const UtcTime stamp = o.dtstamp.value_or(UtcTime{});
      if (o.sequence < c.sequence || (o.sequence == c.sequence && stamp <= c.dtstamp)) {
        return cancelled;
      }
      if (rid == Rid(o)) {
        if (Status s = store_.RemoveCancellation(o.uid, rid); !s.ok()) return s;
      }
    }
    return std::optional<StoredObject>();
  }

  // What the resource now holds of `o` (replacing an earlier version) and its answer.
  Status Record(const ItipObject& o, const std::vector<BusyPeriod>& held, std::string partstat,
                std::string sent_by) {
    if (Status s = store_.SetBusy(o.uid, Rid(o), held); !s.ok()) return s;
    return store_.PutObject({.uid = o.uid,
                             .recurrence_id = Rid(o),
                             .sequence = o.sequence,
                             .dtstamp = o.dtstamp.value_or(UtcTime{}),
                             .summary = o.summary,
                             .organizer = o.organizer->address,
                             .sent_by = std::move(sent_by),
                             .partstat = std::move(partstat),
                             .calendar = calendar_.text});
  }

  // The quota groups' journals (docs/imip/resource.md, "Quotas"): what this resource now
  // holds of `o` for its organizer replaces what it held there; nothing held releases it.
  Status Journal(const ItipObject& o, const std::vector<Occurrence>& booked,
                 const std::vector<std::string>& groups) {
    if (Status s = store_.ReleaseQuotaEntries(o.uid, Rid(o)); !s.ok()) return s;
    if (booked.empty()) return Status::OK();
    std::vector<QuotaEntry> entries;
    for (const Occurrence& occurrence : booked) {
      entries.push_back({.resource = resource_,
                         .organizer = o.organizer->address,
                         .uid = o.uid,
                         .occurrence = occurrence.recurrence_id,
                         .period = occurrence.period,
                         .summary = o.summary});
    }
    for (const std::string& group : groups) {
      if (Status s = store_.SetQuotaEntries(group, o.uid, Rid(o), entries); !s.ok()) return s;
    }
    return Status::OK();
  }

  // schedule_for_delegate found this resource busy and `delegate` free: the resource holds
  // nothing and tells the organizer, who invites the delegate (docs: "Quotas").
  Status Delegate(std::size_t index, const std::string& delegate, const std::string& sent_by) {
    const ItipObject& o = itip_.objects[index];
    if (Status s = Record(o, {}, "DELEGATED", sent_by); !s.ok()) return s;
    if (Status s = Journal(o, {}, {}); !s.ok()) return s;
    // The organizer answered any COUNTER with this newer request.
    if (Status s = store_.RemoveCounter(o.uid, Rid(o)); !s.ok()) return s;
    Text why("imip.delegated", "Delegated: {0} is busy, and {1} of the same quota group is free.",
             {resource_, delegate});
    auto calendar = BuildReplyCalendar(itip_, index,
                                       {.attendee = resource_,
                                        .partstat = "DELEGATED",
                                        .sent_by = SentBy(),
                                        .request_status = std::string(kSuccess),
                                        .delegated_to = delegate,
                                        .now = now_});
    if (!calendar.ok()) return calendar.status();
    Send({o.organizer->address}, o.summary, "DELEGATED", *calendar, why);
    return Note(index, Verdict::kDelegated, std::move(why));
  }

  // Proposes `occurrences` instead (one period; for a series, each occurrence moved, the
  // first the series' new DTSTART/DTEND), holding them as an offer for freebusy_offers
  // (if set).
  Status Counter(std::size_t index, const std::vector<Occurrence>& occurrences,
                 const std::string& sent_by) {
    const ItipObject& o = itip_.objects[index];
    const Period period = occurrences.front().period;
    std::optional<BusyPeriod> offer;
    std::vector<BusyPeriod> held;
    if (std::string hold = prefs_.Get("freebusy_offers", "FREEBUSY_OFFER_DEFAULT"); !hold.empty()) {
      const icaldurationtype d = icaldurationtype_from_string(hold.c_str());
      const auto seconds = icaldurationtype_is_bad_duration(d) || d.is_neg
                               ? std::nullopt
                               : internal::DurationSeconds(d);
      if (!seconds) {
        return BadPreference("freebusy_offers",
                             Status::InvalidArgument("'" + OneLine(hold) +
                                                     "' is no duration of at most 10,000 years"));
      }
      for (const Occurrence& occurrence : occurrences) {
        held.push_back({.period = occurrence.period,
                        .uid = o.uid,
                        .recurrence_id = Rid(o),
                        .summary = o.summary,
                        .offer = true,
                        .expires = now_ + std::chrono::seconds(*seconds)});
      }
      offer = held.front();
    }
    if (Status s = Record(o, held, "TENTATIVE", sent_by); !s.ok()) return s;
    if (Status s = Journal(o, {}, {}); !s.ok()) return s;
    auto recorded = store_.GetObject(o.uid, Rid(o));
    if (!recorded.ok()) return recorded.status();
    if (Status s =
            store_.PutCounter({.object = **recorded,
                               .proposed = period,
                               .expires = offer ? std::optional(offer->expires) : std::nullopt});
        !s.ok()) {
      return s;
    }
    auto calendar = BuildReplyCalendar(itip_, index,
                                       {.attendee = resource_,
                                        .partstat = "TENTATIVE",
                                        .sent_by = SentBy(),
                                        .counter = period,
                                        .now = now_});
    if (!calendar.ok()) return calendar.status();
    const std::string held_until =
        offer ? ", held until " + internal::LocalTime(offer->expires, tzid_) : "";
    Text why = o.recurring() ? Text("imip.countered_series",
                                    "Counter-proposed: the series from {0} instead of {1}, every "
                                    "occurrence moved onto the permitted times{2}.",
                                    {LocalPeriod(period, tzid_), DescribeRequested(o), held_until})
                             : Text("imip.countered", "Counter-proposed: {0} instead of {1}{2}.",
                                    {LocalPeriod(period, tzid_), DescribeRequested(o), held_until});
    const std::string who = cn_.empty() ? resource_ : cn_;
    out_.replies.push_back({.from = system_address_,
                            .from_name = cn_,
                            .to = {o.organizer->address},
                            .subject = "Counter-proposal: " + o.summary,
                            .text = who + " proposes another time for " + Quoted(o.summary) +
                                    ".\n\n" + why.English() + "\n",
                            .calendar = *calendar,
                            .method = "COUNTER",
                            .in_reply_to = mail_.message_id});
    Status noted = Note(index, Verdict::kCountered, std::move(why));
    out_.decisions.back().offer = offer;
    return noted;
  }

  std::string DescribeRequested(const ItipObject& o) const {
    return o.occurrences.empty() ? "the requested time"
                                 : LocalPeriod(o.occurrences[0].period, tzid_);
  }

  // What the booking rules and the scheduling functions made of a request.
  struct Decided {
    // Not OK: nothing was decided (the store failed, or a preference cannot be read).
    Status status;
    std::optional<Text> refusal;          // Set: declined, and why.
    std::vector<Occurrence> occurrences;  // The occurrences considered.
    std::vector<Occurrence> declined;     // Of a series accepted whole: those declined.
    // Not empty: propose these instead (one period; for a series, each occurrence moved).
    std::vector<Occurrence> counter;
    std::optional<std::string> delegate;    // Set: delegate to this member of a quota group.
    std::vector<std::string> quota_groups;  // The groups whose journals record the booking.
  };

  // What an accepted request holds: the occurrences considered but those declined one by
  // one; a TRANSPARENT event holds no time.
  static std::vector<Occurrence> Booked(const ItipObject& o, const Decided& d) {
    std::vector<Occurrence> out;
    if (o.transp == "TRANSPARENT") return out;
    for (const Occurrence& occurrence : d.occurrences) {
      const bool declined = std::any_of(
          d.declined.begin(), d.declined.end(),
          [&](const Occurrence& x) { return x.recurrence_id == occurrence.recurrence_id; });
      if (!declined) out.push_back(occurrence);
    }
    return out;
  }

  Text Accepted(const Decided& d) const {
    const std::size_t held = d.occurrences.size() - d.declined.size();
    std::string times = held == 0 ? "no time ahead"
                        : d.occurrences.size() == 1
                            ? LocalPeriod(d.occurrences[0].period, tzid_)
                            : std::to_string(held) + " occurrences from " +
                                  LocalPeriod(d.occurrences[0].period, tzid_);
    if (d.declined.empty()) {
      return Text("imip.accepted", "Accepted: {0} is free for {1}.", {resource_, times});
    }
    std::string declined;
    for (const Occurrence& x : d.declined) {
      declined += (declined.empty() ? "" : ", ") + LocalPeriod(x.period, tzid_);
    }
    return Text("imip.accepted_but",
                "Accepted: {0} is free for {1}; declined the conflicting occurrence(s) {2}.",
                {resource_, times, declined});
  }

  // The occurrences that matter: those not over yet (the reader expanded a series over
  // the window only; a single event counts however far ahead it is).
  std::vector<Occurrence> InWindow(const ItipObject& o) const {
    std::vector<Occurrence> out;
    for (const Occurrence& occurrence : o.occurrences) {
      if (occurrence.period.end > now_) out.push_back(occurrence);
    }
    return out;
  }

  // A preference that cannot be read is the site's to mend, not the organizer's: the
  // message waits (exit 75) instead of being decided by a policy misread.
  Status BadPreference(std::string_view name, const Status& why) const {
    return internal::ConfigurationError("the preference " + std::string(name) + " in " +
                                        prefs_.Origin(name) + ": " + why.message());
  }

  // Applies the booking rules, then runs the scheduling functions in order; the first
  // refusal decides.
  Decided Decide(const ItipObject& o) {
    Decided d;
    d.occurrences = InWindow(o);
    auto rules = internal::ReadBookingRules(prefs_);
    if (!rules.ok()) {
      d.status = rules.status();
      return d;
    }
    internal::RuleCheck check =
        internal::ApplyBookingRules(*rules, o, std::move(d.occurrences), now_, tzid_);
    d.occurrences = std::move(check.occurrences);
    if (check.refusal) {
      d.refusal = std::move(check.refusal);
      return d;
    }
    for (const std::string& line : prefs_.Lines(
             "scheduling_function", "SCHEDULING_FUNCTION_DEFAULT", "schedule_in_freebusy")) {
      std::istringstream words(line);
      std::string name;
      words >> name;
      const bool corrected = name == "schedule_corrected_in_freebusy";
      const bool next_available = name == "schedule_next_available_in_freebusy";
      if (name == "schedule_in_freebusy" || corrected || next_available) {
        int capacity = 1;
        if (std::string arg; words >> arg) {
          const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), capacity);
          if (ec != std::errc() || end != arg.data() + arg.size() || capacity < 1) {
            d.status = BadPreference(
                "scheduling_function",
                Status::InvalidArgument("'" + line + "' has no capacity of 1 or more"));
            return d;
          }
        }
        if ((corrected || next_available) && !o.recurring() && d.occurrences.size() == 1) {
          d.status = Propose(o, capacity, next_available, *rules, d);
        } else if ((corrected || next_available) && o.recurring() && !d.occurrences.empty()) {
          d.status = ProposeSeries(o, capacity, *rules, d);
        } else {
          d.status = InFreeBusy(o, capacity, *rules, d);
        }
        if (!d.status.ok() || d.refusal) return d;
      } else if (name == "same_domain_membership" || name == "same_domain_only") {
        std::string domain;
        words >> domain;
        if ((d.refusal = internal::SameDomainMembership(o, resource_, domain))) return d;
      } else if (name == "access_control_list") {
        auto refusal = internal::AccessControlList(prefs_.Lines("acl"), o);
        if (!refusal.ok()) {
          d.status = BadPreference("acl", refusal.status());
          return d;
        }
        if ((d.refusal = std::move(*refusal))) return d;
      } else if (name == "check_quota" || name == "schedule_across_quota" ||
                 name == "schedule_for_delegate") {
        std::string group;
        words >> group;
        d.status = Quota(name, group, o, d);
        if (!d.status.ok() || d.refusal || d.delegate) return d;
      } else {
        // A policy the resource cannot apply decides nothing, either way: the site mends it.
        d.status = BadPreference(
            "scheduling_function",
            Status::InvalidArgument("no scheduling function is called '" + name + "'"));
        return d;
      }
    }
    return d;
  }

  // check_quota, schedule_across_quota and schedule_for_delegate over the group's journal,
  // read in this session: the decision and its record in the journal are one commit, so
  // two requests never both pass a quota.
  Status Quota(const std::string& function, const std::string& name, const ItipObject& o,
               Decided& d) {
    auto group = internal::LoadQuotaGroup(options_.journal_dir, name);
    if (!group.ok()) {
      return internal::ConfigurationError("the scheduling function '" + function + " " + name +
                                          "' cannot be applied: " + group.status().message());
    }
    auto entries = store_.QuotaEntries(group->name, now_);
    if (!entries.ok()) return entries.status();
    const std::vector<QuotaEntry> others =
        internal::OthersThan(std::move(*entries), resource_, o.uid, Rid(o));
    const std::vector<Occurrence> booked = Booked(o, d);
    const internal::QuotaRequest request{.group = *group,
                                         .others = others,
                                         .organizer = o.organizer->address,
                                         .booked = booked,
                                         .tzid = tzid_};
    if (function == "check_quota") {
      d.refusal = internal::CheckQuota(request);
    } else if (function == "schedule_across_quota") {
      d.refusal = internal::ScheduleAcrossQuota(request);
    } else {
      // Delegate only what this resource cannot take itself.
      bool busy = false;
      for (const Occurrence& occurrence : booked) {
        auto periods = store_.Busy(occurrence.period, now_);
        if (!periods.ok()) return periods.status();
        busy = busy || internal::FirstConflict(*periods, occurrence.period, 1, o.uid).has_value();
      }
      if (busy) {
        d.delegate = internal::FreeDelegate(request, resource_);
        if (!d.delegate) {
          d.refusal = Text("imip.no_delegate",
                           "Declined: {0} is busy, and no delegate of quota '{1}' is free.",
                           {resource_, OneLine(group->name)});
        }
      }
    }
    if (!d.refusal && !d.delegate) d.quota_groups.push_back(group->name);
    return Status::OK();
  }

  // schedule_corrected_in_freebusy and schedule_next_available_in_freebusy: the period
  // moved onto permitted_times and, for the latter, on past what is busy to the next free
  // period of the same length within the window (and the booking rules). The requested
  // period if it fits as it is; else a counter-proposal; else a refusal.
  Status Propose(const ItipObject& o, int capacity, bool next_available,
                 const internal::BookingRules& rules, Decided& d) {
    auto permitted = internal::PermittedTimes::Parse(prefs_.Lines("permitted_times"));
    if (!permitted.ok()) return BadPreference("permitted_times", permitted.status());
    const Period wanted = d.occurrences[0].period;
    const CalendarDuration length = wanted.end - wanted.start;
    const auto fit = [&](UtcTime start) -> std::optional<Period> {
      if (permitted->empty()) return Period{start, start + length};
      auto s = permitted->Next(start, tzid_);
      if (!s) return std::nullopt;
      auto e = permitted->Next(*s + length, tzid_);
      if (!e) return std::nullopt;
      return Period{*s, *e};
    };
    const UtcTime limit = std::max(wanted.start, now_) + options_.window;
    std::optional<Period> candidate = fit(wanted.start);
    std::optional<BusyPeriod> first_clash;
    for (int tries = 0; candidate && tries < 1000; ++tries) {
      if (candidate->start >= limit) {
        candidate.reset();
        break;
      }
      const internal::RuleCheck allowed = internal::ApplyBookingRules(
          rules, o, {Occurrence{*candidate, candidate->start}}, now_, tzid_);
      if (allowed.refusal) {
        if (!next_available) {
          d.refusal = allowed.refusal;
          return Status::OK();
        }
        candidate = fit(candidate->start + std::chrono::minutes(30));
        continue;
      }
      auto busy = store_.Busy(*candidate, now_);
      if (!busy.ok()) return busy.status();
      auto clash = internal::FirstConflict(*busy, *candidate, capacity, o.uid);
      if (!clash) break;
      if (!first_clash) first_clash = clash;
      if (!next_available) {
        candidate.reset();
        break;
      }
      candidate = fit(std::max(clash->period.end, candidate->start + std::chrono::seconds(1)));
    }
    if (!candidate) {
      d.refusal =
          first_clash
              ? Text("imip.conflict", "Declined{0}: conflicts with {1} {2}.",
                     {"", Quoted(first_clash->summary), LocalPeriod(first_clash->period, tzid_)})
              : Text("imip.no_time", "Declined: no permitted free time for it.", {});
      return Status::OK();
    }
    if (candidate->start != wanted.start || candidate->end != wanted.end) {
      d.counter = {Occurrence{*candidate, d.occurrences[0].recurrence_id}};
    }
    return Status::OK();
  }

  // A series under the correcting functions, as imip-agent corrects one: every
  // occurrence moved onto permitted_times. Unmoved, it is checked as it is. Moved and all
  // free (and within the booking rules), a COUNTER for the whole series: no
  // RECURRENCE-ID, its DTSTART/DTEND the first occurrence's moved period, the RRULE kept.
  // Moved and busy somewhere, declined: like imip-agent, the next available period is
  // looked for only for an event of one period (one series time that suits every
  // occurrence is no search a resource can make alone).
  Status ProposeSeries(const ItipObject& o, int capacity, const internal::BookingRules& rules,
                       Decided& d) {
    auto permitted = internal::PermittedTimes::Parse(prefs_.Lines("permitted_times"));
    if (!permitted.ok()) return BadPreference("permitted_times", permitted.status());
    if (permitted->empty()) return InFreeBusy(o, capacity, rules, d);
    std::vector<Occurrence> moved;
    for (const Occurrence& occurrence : d.occurrences) {
      const CalendarDuration length = occurrence.period.end - occurrence.period.start;
      const auto start = permitted->Next(occurrence.period.start, tzid_);
      const auto end = start ? permitted->Next(*start + length, tzid_) : std::nullopt;
      if (!end) {
        d.refusal =
            Text("imip.no_time_series", "Declined: no permitted time for the occurrence on {0}.",
                 {LocalPeriod(occurrence.period, tzid_)});
        return Status::OK();
      }
      moved.push_back({{*start, *end}, occurrence.recurrence_id});
    }
    const bool unmoved = std::equal(
        moved.begin(), moved.end(), d.occurrences.begin(), [](const auto& a, const auto& b) {
          return a.period.start == b.period.start && a.period.end == b.period.end;
        });
    if (unmoved) return InFreeBusy(o, capacity, rules, d);
    internal::RuleCheck allowed = internal::ApplyBookingRules(rules, o, moved, now_, tzid_);
    if (allowed.refusal) {
      d.refusal = std::move(allowed.refusal);
      return Status::OK();
    }
    for (const Occurrence& occurrence : moved) {
      auto busy = store_.Busy(occurrence.period, now_);
      if (!busy.ok()) return busy.status();
      if (auto clash = internal::FirstConflict(*busy, occurrence.period, capacity, o.uid)) {
        d.refusal = Text("imip.conflict_moved",
                         "Declined: moved onto the permitted times, the occurrence on {0} "
                         "conflicts with {1} {2}.",
                         {LocalPeriod(occurrence.period, tzid_), Quoted(clash->summary),
                          LocalPeriod(clash->period, tzid_)});
        return Status::OK();
      }
    }
    d.counter = std::move(moved);
    return Status::OK();
  }

  // Every occurrence against the free/busy. A series may keep its conflicting
  // occurrences declined one by one, within conflict_percentage_allowed and
  // max_conflict_instances; otherwise the first conflict declines it all.
  Status InFreeBusy(const ItipObject& o, int capacity, const internal::BookingRules& rules,
                    Decided& d) {
    if (o.transp == "TRANSPARENT") return Status::OK();
    std::vector<std::pair<Occurrence, BusyPeriod>> conflicts;
    for (const Occurrence& occurrence : d.occurrences) {
      auto busy = store_.Busy(occurrence.period, now_);
      if (!busy.ok()) return busy.status();
      if (auto clash = internal::FirstConflict(*busy, occurrence.period, capacity, o.uid)) {
        conflicts.emplace_back(occurrence, *clash);
        if (!o.recurring()) break;
      }
    }
    if (conflicts.empty()) return Status::OK();
    const std::size_t total = d.occurrences.size();
    const bool tolerated =
        o.recurring() && conflicts.size() < total &&
        static_cast<int>(conflicts.size()) <= rules.max_conflicts &&
        conflicts.size() * 100 <= static_cast<std::size_t>(rules.conflict_percentage) * total;
    if (tolerated) {
      for (const auto& [occurrence, unused] : conflicts) d.declined.push_back(occurrence);
      return Status::OK();
    }
    const auto& [occurrence, clash] = conflicts.front();
    const std::string when = o.recurring() ? " on " + LocalPeriod(occurrence.period, tzid_) : "";
    d.refusal = Text("imip.conflict", "Declined{0}: conflicts with {1} {2}.",
                     {when, Quoted(clash.summary), LocalPeriod(clash.period, tzid_)});
    return Status::OK();
  }

  Status Cancel(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    auto stored = store_.GetObject(o.uid, Rid(o));
    if (!stored.ok()) return stored.status();
    if (!*stored && o.recurrence_id) {
      // One instance of a series the resource holds as a whole (RFC 5546 3.2.5).
      stored = store_.GetObject(o.uid, std::nullopt);
      if (!stored.ok()) return stored.status();
      if (*stored) (*stored)->recurrence_id = Rid(o);
    }
    if (!*stored) {
      return Note(
          index, Verdict::kIgnored,
          Text("imip.unknown_event", "Ignored: {0} holds nothing for this event.", {resource_}));
    }
    if (!FromOrganizer(o, {**stored})) return Note(index, Verdict::kIgnored, SenderMismatch(o));
    if (auto refusal = NotOrganizerOfRecord(o, **stored)) {
      return Note(index, Verdict::kIgnored, std::move(*refusal));
    }
    if (auto stale = Stale(o, **stored)) return Note(index, Verdict::kIgnored, std::move(*stale));
    // Kept as cancelled at the CANCEL's SEQUENCE: a late, older REQUEST is not booked again.
    StoredObject cancelled = **stored;
    cancelled.sequence = std::max(o.sequence, cancelled.sequence);
    cancelled.dtstamp = std::max(o.dtstamp.value_or(UtcTime{}), cancelled.dtstamp);
    if (Status s = store_.PutCancellation(cancelled); !s.ok()) return s;
    if (Status s = store_.RemoveCounter(o.uid, Rid(o)); !s.ok()) return s;
    if (Status s = store_.RemoveObject(o.uid, Rid(o)); !s.ok()) return s;
    if (Status s = store_.ReleaseQuotaEntries(o.uid, Rid(o)); !s.ok()) return s;
    return Note(index, Verdict::kReleased,
                Text("imip.cancelled", "Released: the organizer cancelled {0}.",
                     {o.recurrence_id ? "this occurrence" : "the event"}));
  }

  Status DeclineCounter(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    auto counter = store_.GetCounter(o.uid, Rid(o));
    if (!counter.ok()) return counter.status();
    if (!*counter || ((*counter)->expires && *(*counter)->expires <= now_)) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.nothing_offered",
                       "Ignored: {0} has no open counter-proposal for the event.", {resource_}));
    }
    if (!FromOrganizer(o, {(*counter)->object})) {
      return Note(index, Verdict::kIgnored, SenderMismatch(o));
    }
    if (auto refusal = NotOrganizerOfRecord(o, (*counter)->object)) {
      return Note(index, Verdict::kIgnored, std::move(*refusal));
    }
    if (auto stale = Stale(o, (*counter)->object)) {
      return Note(index, Verdict::kIgnored, std::move(*stale));
    }
    if (Status s = store_.RemoveCounter(o.uid, Rid(o)); !s.ok()) return s;
    if (Status s = store_.SetBusy(o.uid, Rid(o), {}); !s.ok()) return s;
    return Note(
        index, Verdict::kReleased,
        Text("imip.offer_withdrawn", "Released: the organizer declined the counter-proposal.", {}));
  }

  Status Add(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    const std::string response =
        prefs_.Get("add_method_response", "ADD_RESPONSE_DEFAULT", "refresh");
    if (response == "ignore") {
      return Note(index, Verdict::kIgnored,
                  Text("imip.add_ignored", "Ignored: add_method_response is 'ignore'.", {}));
    }
    if (!o.organizer || o.organizer->address.empty()) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.no_organizer", "Ignored: no ORGANIZER to answer.", {}));
    }
    std::vector<StoredObject> master;
    if (response == "add") {
      auto stored = store_.GetObject(o.uid, std::nullopt);
      if (!stored.ok()) return stored.status();
      if (*stored) master.push_back(std::move(**stored));
    }
    // Not even a REFRESH goes to an organizer on the word of someone else.
    if (!FromOrganizer(o, master)) return Note(index, Verdict::kIgnored, SenderMismatch(o));
    // Occurrences cannot join an event the resource does not hold: it asks for the whole
    // event, as RFC 5546 (3.2.4) has an attendee without the original do.
    if (!master.empty()) return AddOccurrences(index, master.front());
    // 'refresh' (the default): ask the organizer for the whole event.
    if (Status s = SendRefresh(index); !s.ok()) return s;
    return Note(index, Verdict::kAnswered,
                Text("imip.add_refresh",
                     "Answered: asked the organizer to send the whole event again.", {}));
  }

  // add_method_response = add: the ADD's occurrences join the stored event `master`. They
  // are decided as occurrences of a series (no counter-proposal: the organizer chose the
  // times) and each is kept as an instance of the event by its RECURRENCE-ID (its start),
  // so a later CANCEL or REFRESH of it finds it. One REPLY answers them all.
  Status AddOccurrences(std::size_t index, const StoredObject& master) {
    const ItipObject& o = itip_.objects[index];
    if (auto refusal = NotOrganizerOfRecord(o, master)) {
      return Note(index, Verdict::kIgnored, std::move(*refusal));
    }
    if (auto stale = Stale(o, master)) return Note(index, Verdict::kIgnored, std::move(*stale));
    if (master.partstat != "ACCEPTED") {
      return Note(
          index, Verdict::kIgnored,
          Text("imip.add_not_attending",
               "Ignored: {0} did not accept the event, so adds nothing to it.", {resource_}));
    }
    Decided decided = Decide(o);
    if (!decided.status.ok()) return decided.status;
    if (!decided.counter.empty()) {
      decided.refusal =
          Text("imip.add_not_permitted", "Declined: {0} is not a permitted time; {1} would be.",
               {DescribeRequested(o), LocalPeriod(decided.counter.front().period, tzid_)});
    }
    if (decided.delegate) {
      // The organizer asked this resource to extend its own booking: it is not handed on.
      decided.refusal =
          Text("imip.add_not_delegated",
               "Declined: {0} is busy then; added occurrences are not delegated.", {resource_});
    }
    const bool accepted = !decided.refusal.has_value();
    const std::string partstat = accepted ? "ACCEPTED" : "DECLINED";
    for (const Occurrence& occurrence : decided.occurrences) {
      const bool declined =
          !accepted ||
          std::any_of(decided.declined.begin(), decided.declined.end(), [&](const Occurrence& d) {
            return d.recurrence_id == occurrence.recurrence_id;
          });
      std::vector<BusyPeriod> held;
      if (!declined && o.transp != "TRANSPARENT") {
        held.push_back({.period = occurrence.period,
                        .uid = o.uid,
                        .recurrence_id = occurrence.recurrence_id,
                        .summary = o.summary});
      }
      if (Status s = store_.SetBusy(o.uid, occurrence.recurrence_id, held); !s.ok()) return s;
      // The quota groups' journals count a held occurrence as the event's own.
      if (Status s = store_.ReleaseQuotaEntries(o.uid, occurrence.recurrence_id); !s.ok()) {
        return s;
      }
      for (const std::string& group :
           held.empty() ? std::vector<std::string>{} : decided.quota_groups) {
        if (Status s = store_.SetQuotaEntries(group, o.uid, occurrence.recurrence_id,
                                              {{.resource = resource_,
                                                .organizer = o.organizer->address,
                                                .uid = o.uid,
                                                .occurrence = occurrence.recurrence_id,
                                                .period = occurrence.period,
                                                .summary = o.summary}});
            !s.ok()) {
          return s;
        }
      }
      if (Status s = store_.PutObject({.uid = o.uid,
                                       .recurrence_id = occurrence.recurrence_id,
                                       .sequence = o.sequence,
                                       .dtstamp = o.dtstamp.value_or(UtcTime{}),
                                       .summary = o.summary,
                                       .organizer = o.organizer->address,
                                       .sent_by = SentByToKeep(o, {master}),
                                       .partstat = declined ? "DECLINED" : "ACCEPTED",
                                       .calendar = calendar_.text});
          !s.ok()) {
        return s;
      }
    }
    Text why = accepted ? Accepted(decided) : *decided.refusal;
    auto calendar = BuildReplyCalendar(
        itip_, index,
        {.attendee = resource_,
         .partstat = partstat,
         .sent_by = SentBy(),
         .request_status = std::string(accepted ? kSuccess : kBusy),
         .recurrence_id = decided.occurrences.size() == 1
                              ? std::optional(decided.occurrences[0].recurrence_id)
                              : std::nullopt,
         .now = now_,
         .declined_occurrences = decided.declined});
    if (!calendar.ok()) return calendar.status();
    Send({o.organizer->address}, o.summary, partstat, *calendar, why);
    return Note(index, accepted ? Verdict::kAccepted : Verdict::kDeclined, std::move(why));
  }

  Status Refresh(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    if (prefs_.Get("event_refreshing", "REFRESHING_DEFAULT", "never") != "always") {
      return Note(index, Verdict::kIgnored,
                  Text("imip.refresh_never", "Ignored: event_refreshing is not 'always'.", {}));
    }
    auto stored = store_.GetObject(o.uid, Rid(o));
    if (!stored.ok()) return stored.status();
    std::optional<StoredObject> answered = std::move(*stored);
    const bool cancelled = !answered;
    if (cancelled) {
      // A cancelled event is answered as no longer attended.
      auto kept = store_.GetCancellation(o.uid, Rid(o));
      if (!kept.ok()) return kept.status();
      answered = std::move(*kept);
      if (answered) answered->partstat = "DECLINED";
    }
    if (!answered) {
      return Note(
          index, Verdict::kIgnored,
          Text("imip.unknown_event", "Ignored: {0} holds nothing for this event.", {resource_}));
    }
    if (!FromOrganizer(o, {*answered})) return Note(index, Verdict::kIgnored, SenderMismatch(o));
    if (auto refusal = NotOrganizerOfRecord(o, *answered)) {
      return Note(index, Verdict::kIgnored, std::move(*refusal));
    }
    auto kept = ParseItip(answered->calendar, {.default_tzid = tzid_});
    if (!kept.ok() || kept->objects.empty()) {
      return Status::Corruption("the stored calendar of " + o.uid + " cannot be read again");
    }
    auto calendar = BuildReplyCalendar(
        *kept, 0,
        {.attendee = resource_, .partstat = answered->partstat, .sent_by = SentBy(), .now = now_});
    if (!calendar.ok()) return calendar.status();
    Text why = cancelled ? Text("imip.refreshed_cancelled",
                                "Answered: the organizer cancelled it; sent DECLINED.", {})
                         : Text("imip.refreshed", "Answered: sent {0}'s answer ({1}) again.",
                                {resource_, answered->partstat});
    Send({answered->organizer}, answered->summary, answered->partstat, *calendar, why);
    return Note(index, Verdict::kAnswered, std::move(why));
  }

  Status FreeBusy(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    if (prefs_.Get("freebusy_sharing", "SHARING_DEFAULT", "no") != "share") {
      return Note(index, Verdict::kIgnored,
                  Text("imip.freebusy_private", "Ignored: freebusy_sharing is not 'share'.", {}));
    }
    if (!o.start || !o.end || !o.organizer) {
      return Note(index, Verdict::kIgnored,
                  Text("imip.freebusy_range",
                       "Ignored: a free/busy request needs a range and an organizer.", {}));
    }
    // The answer goes to the ORGANIZER: from anyone else, the resource would send mail
    // to whoever a forged request names.
    if (!FromOrganizer(o)) return Note(index, Verdict::kIgnored, SenderMismatch(o));
    auto busy = store_.Busy({o.start->utc, o.end->utc}, now_);
    if (!busy.ok()) return busy.status();
    std::vector<Period> periods;
    for (const BusyPeriod& b : *busy) {
      if (!b.offer) periods.push_back(b.period);
    }
    auto calendar = BuildFreeBusyReply(
        itip_, index, {.attendee = resource_, .sent_by = SentBy(), .now = now_}, periods);
    if (!calendar.ok()) return calendar.status();
    out_.replies.push_back({.from = system_address_,
                            .from_name = cn_,
                            .to = {o.organizer->address},
                            .subject = "Free/busy: " + (cn_.empty() ? resource_ : cn_),
                            .text = (cn_.empty() ? resource_ : cn_) + " is busy " +
                                    std::to_string(periods.size()) + " time(s) between " +
                                    LocalPeriod({o.start->utc, o.end->utc}, tzid_) + " (" + tzid_ +
                                    ").",
                            .calendar = *calendar,
                            .method = "REPLY",
                            .in_reply_to = mail_.message_id});
    return Note(index, Verdict::kAnswered,
                Text("imip.freebusy_sent", "Answered: {0} busy period(s) shared.",
                     {std::to_string(periods.size())}));
  }

  std::string SentBy() const { return system_address_ == resource_ ? "" : system_address_; }

  Status Reply(std::size_t index, const std::string& partstat, std::string_view status,
               const Text& why, const std::vector<Occurrence>& declined = {}) {
    const ItipObject& o = itip_.objects[index];
    auto calendar = BuildReplyCalendar(itip_, index,
                                       {.attendee = resource_,
                                        .partstat = partstat,
                                        .sent_by = SentBy(),
                                        .request_status = std::string(status),
                                        .now = now_,
                                        .declined_occurrences = declined});
    if (!calendar.ok()) return calendar.status();
    Send({o.organizer->address}, o.summary, partstat, *calendar, why);
    return Status::OK();
  }

  Status SendRefresh(std::size_t index) {
    const ItipObject& o = itip_.objects[index];
    auto calendar = BuildReplyCalendar(itip_, index,
                                       {.attendee = resource_,
                                        .partstat = "NEEDS-ACTION",
                                        .sent_by = SentBy(),
                                        .refresh = true,
                                        .now = now_});
    if (!calendar.ok()) return calendar.status();
    out_.replies.push_back({.from = system_address_,
                            .from_name = cn_,
                            .to = {o.organizer->address},
                            .subject = "Refresh: " + o.summary,
                            .text = (cn_.empty() ? resource_ : cn_) + " asks for the whole event " +
                                    Quoted(o.summary) + ".",
                            .calendar = *calendar,
                            .method = "REFRESH",
                            .in_reply_to = mail_.message_id});
    return Status::OK();
  }

  // A REPLY with a text part that says what was decided and why.
  void Send(const std::vector<std::string>& to, const std::string& summary,
            const std::string& partstat, std::string calendar, const Text& why) {
    const std::string who = cn_.empty() ? resource_ : cn_;
    const std::string done = partstat == "ACCEPTED"    ? "accepted"
                             : partstat == "DELEGATED" ? "delegated"
                                                       : "declined";
    out_.replies.push_back(
        {.from = system_address_,
         .from_name = cn_,
         .to = to,
         .subject = static_cast<char>(std::toupper(done[0])) + done.substr(1) + ": " + summary,
         .text = who + " " + done + " " + Quoted(summary) + ".\n\n" + why.English() + "\n",
         .calendar = std::move(calendar),
         .method = "REPLY",
         .in_reply_to = mail_.message_id});
  }

  const std::string resource_;
  const Preferences& prefs_;
  StoreSession& store_;
  const ResourceOptions& options_;
  const MailMessage& mail_;
  const CalendarPart& calendar_;
  const ItipMessage& itip_;
  const std::vector<std::string>& senders_;
  const std::string& senders_not_counted_;  // Why addresses of the message do not count.
  const UtcTime now_;
  HandledMessage& out_;
  const std::string tzid_;
  const std::string cn_;
  const std::string system_address_;
  const internal::SentByList sent_by_list_;
};

std::vector<std::string> Canonical(const std::vector<std::string>& addresses) {
  std::vector<std::string> out;
  for (const std::string& a : addresses) {
    std::string c = CanonicalAddress(a);
    if (!c.empty() && !Contains(out, c)) out.push_back(std::move(c));
  }
  return out;
}

// The address the resource's replies come from (MESSAGE_SENDER, from its preferences or
// the configuration; default calendar@ the resource's domain). It goes into headers and
// the envelope as it is: anything but one mail address is the site's to mend, never
// mended into some other address here.
Result<std::string> SystemAddress(const Preferences& prefs, const std::string& resource) {
  std::string address = prefs.Get("MESSAGE_SENDER", "MESSAGE_SENDER",
                                  "calendar@" + resource.substr(resource.find('@') + 1));
  if (!internal::IsMailAddress(address)) {
    return internal::ConfigurationError("the preference MESSAGE_SENDER in " +
                                        prefs.Origin("MESSAGE_SENDER") + " ('" + address +
                                        "') is not one mail address");
  }
  return address;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAccepted:
      return "accepted";
    case Verdict::kDeclined:
      return "declined";
    case Verdict::kCountered:
      return "countered";
    case Verdict::kDelegated:
      return "delegated";
    case Verdict::kReleased:
      return "released";
    case Verdict::kAnswered:
      return "answered";
    case Verdict::kIgnored:
      return "ignored";
  }
  return "?";
}

Result<std::vector<std::string>> ResourcesAddressed(const MailMessage& mail,
                                                    const ItipMessage& itip,
                                                    const std::vector<std::string>& recipients,
                                                    std::size_t max_resources) {
  std::vector<std::string> resources = Canonical(recipients);
  if (!resources.empty()) return resources;
  std::vector<std::string> addressees = mail.to;
  addressees.insert(addressees.end(), mail.cc.begin(), mail.cc.end());
  for (const std::string& a : Canonical(addressees)) {
    const bool attendee = std::any_of(itip.objects.begin(), itip.objects.end(),
                                      [&](const ItipObject& o) { return o.FindAttendee(a); });
    if (attendee) resources.push_back(a);
  }
  // Each resource answers on its own: without a cap, one message listing many attendees
  // makes as many replies, to whoever the sender names.
  if (resources.size() > max_resources) {
    return Status::InvalidArgument("the message addresses " + std::to_string(resources.size()) +
                                   " resources in To and Cc, more than the " +
                                   std::to_string(max_resources) +
                                   " one message may address (MAX_RESOURCES_PER_MESSAGE)");
  }
  return resources;
}

ResourceScheduler::ResourceScheduler(CalendarStore& store, ResourceOptions options)
    : store_(store), options_(std::move(options)) {}

Status ResourceScheduler::Publish(const std::string& resource, const Preferences& prefs,
                                  StoreSession& session, UtcTime now) {
  // imip-agent publishes only what the user shares.
  if (options_.publish_dir.empty() ||
      prefs.Get("freebusy_sharing", "SHARING_DEFAULT", "no") != "share" ||
      prefs.Get("freebusy_publishing", "PUBLISHING_DEFAULT", "no") != "publish") {
    return Status::OK();
  }
  const Period window{now, now + options_.window};
  auto busy = session.Busy(window, now);
  if (!busy.ok()) return busy.status();
  return internal::PublishFreeBusy(
      options_.publish_dir, {.user = resource, .cn = prefs.Get("CN"), .window = window, .now = now},
      *busy);
}

Result<HandledMessage> ResourceScheduler::Handle(const MailMessage& mail,
                                                 const CalendarPart& calendar,
                                                 const std::vector<std::string>& recipients,
                                                 const std::vector<std::string>& senders,
                                                 UtcTime now) {
  const ItipOptions read_options{
      .content_type_method = calendar.method, .expand_from = now, .expand_for = options_.window};
  auto first_reading = ParseItip(calendar.text, read_options);
  // No iTIP message: nothing to do, so that FailedPrecondition out of here is only ever a
  // ConfigurationError.
  if (first_reading.status().code() == StatusCode::kFailedPrecondition) return HandledMessage{};
  if (!first_reading.ok()) return first_reading.status();
  const auto resources =
      ResourcesAddressed(mail, *first_reading, recipients, options_.max_resources_per_message);
  if (!resources.ok()) return resources.status();
  // The envelope senders and the From and Sender headers, as far as they count: any of
  // them may be the organizer (a calendar service's envelope sender often is a bounce
  // address).
  const internal::MessageSenders from =
      internal::SendersOf(mail, senders, options_.trusted_authserv_ids);

  HandledMessage out;
  for (const std::string& resource : *resources) {
    auto prefs = Preferences::Open(options_.preferences_dir, resource, options_.config);
    if (!prefs.ok()) return prefs.status();
    if (options_.users_must_exist && !prefs->exists()) {
      return Status::NotFound("unknown calendar user '" + resource + "'");
    }
    // Read again only if the resource's zone or occurrence limit is not the first
    // reading's. Rules that cannot be read are the site's to mend: nothing is decided.
    auto rules = internal::ReadBookingRules(*prefs);
    if (!rules.ok()) return rules.status();
    auto sent_by_list = internal::ReadSentByList(*prefs);
    if (!sent_by_list.ok()) return sent_by_list.status();
    auto system_address = SystemAddress(*prefs, resource);
    if (!system_address.ok()) return system_address.status();
    ItipOptions resource_options = read_options;
    resource_options.default_tzid = prefs->Get("TZID", {}, "UTC");
    resource_options.max_occurrences = rules->max_occurrences;
    std::optional<ItipMessage> own_reading;
    // Checked here: the reader would call an unknown zone the message's fault.
    if (resource_options.default_tzid != read_options.default_tzid &&
        internal::FindBuiltinZone(resource_options.default_tzid).zone == nullptr) {
      return internal::ConfigurationError("the preference TZID in " + prefs->Origin("TZID") +
                                          ": no time zone is called '" +
                                          resource_options.default_tzid + "'");
    }
    if (resource_options.default_tzid != read_options.default_tzid ||
        resource_options.max_occurrences != read_options.max_occurrences) {
      auto reading = ParseItip(calendar.text, resource_options);
      if (!reading.ok()) return reading.status();
      own_reading = std::move(*reading);
    }
    const ItipMessage* itip = own_reading ? &*own_reading : &*first_reading;
    auto session = store_.Open(resource, options_.store_wait);
    if (!session.ok()) return session.status();
    ResourceTurn turn(resource, *prefs, **session, options_, mail, calendar, *itip, from.counted,
                      from.not_counted, std::move(*system_address), std::move(*sent_by_list), now,
                      out);
    for (std::size_t i = 0; i < itip->objects.size(); ++i) {
      if (Status s = turn.Handle(i); !s.ok()) return s;
    }
    if (Status s = (*session)->Commit(); !s.ok()) return s;
    if (Status s = Publish(resource, *prefs, **session, now); !s.ok()) return s;
  }
  return out;
}

}  // namespace magent::imip
