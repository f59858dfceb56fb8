// An autonomous resource (a room, a car) that answers iTIP messages by policy.
//
// ResourceScheduler decides, for each resource a message is addressed to, what the
// resource does with it, records the outcome in the store in one session per resource,
// and returns the decisions (with the reason, as translatable Text) and the replies to
// send. It sends nothing itself: the program or the host does, and the decisions become
// magent events (see imip_resource).
#ifndef MAGENT_IMIP_RESOURCE_H_
#define MAGENT_IMIP_RESOURCE_H_

#include <optional>
#include <string>
#include <vector>

#include "magent/clock.h"
#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/preferences.h"
#include "magent/imip/reply.h"
#include "magent/imip/store.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent::imip {

enum class Verdict {
  kAccepted,   // REQUEST (or ADD, add_method_response = add): booked; REPLY ACCEPTED.
  kDeclined,   // REQUEST (or ADD, as above): not booked; REPLY DECLINED.
  kCountered,  // REQUEST: another time proposed; COUNTER (the time held as an offer).
  kDelegated,  // REQUEST: passed to a free member of a quota group; REPLY DELEGATED.
  kReleased,   // CANCEL, DECLINECOUNTER: periods given back.
  kAnswered,   // REFRESH, ADD, VFREEBUSY: answered without a booking decision.
  kIgnored,    // Nothing to do (stale, not invited, not participating, spoofed sender, ...).
};
std::string_view VerdictName(Verdict verdict);  // "accepted", "declined", ...

struct Decision {
  std::string resource;
  Method method = Method::kRequest;
  std::string uid;
  std::optional<UtcTime> recurrence_id;
  std::string summary;
  Verdict verdict = Verdict::kIgnored;
  Text goal;  // "Decide on 'Team sync' (UID ...) for room1@example.com"
  Text why;   // "Declined: conflicts with 'Board meeting' 2026-12-02 10:00–11:00"
  // A COUNTER's proposed period held until it expires (freebusy_offers); a host removes
  // it then (an expired offer no longer counts as busy in any case).
  std::optional<BusyPeriod> offer;
};

struct HandledMessage {
  std::vector<Decision> decisions;
  std::vector<OutgoingMail> replies;
};

struct ResourceOptions {
  std::string preferences_dir;  // -p; empty: every setting takes its default.
  // -j (config JOURNAL_DIR): one directory per quota group with its `limits` and
  // `delegates` files. Empty: no group is set up, and the quota functions decline.
  std::string journal_dir;
  SystemConfig config;  // System defaults (config.txt).
  // -P: where a resource whose preferences say so (freebusy_sharing = share and
  // freebusy_publishing = publish) gets its free/busy written after each message, as
  // DIR/mailto:ADDRESS/freebusy. Empty: nothing is published. Default: empty.
  std::string publish_dir;
  // How far ahead occurrences of a series are checked and held. Default: 100 days
  // (imip-agent's window).
  CalendarDuration window = std::chrono::days(100);
  // How long to wait for the store when another process holds it. Default: 20 s.
  Duration store_wait = std::chrono::seconds(20);
  // When set (config USERS_MUST_EXIST = yes), a resource without a preferences directory
  // is an unknown user: Handle returns NotFound.
  bool users_must_exist = false;
  // The authserv-ids (RFC 8601) the site's own MTA writes its Authentication-Results with
  // (config TRUSTED_AUTHSERV_IDS). When set, a From or Sender address counts as a sender
  // only when the topmost Authentication-Results with one of these ids authenticate it
  // (dmarc=pass, or dkim=pass for its domain), and -s senders do not count; see
  // docs/security.md. Default: empty (the From and Sender fields and -s count as given).
  std::vector<std::string> trusted_authserv_ids;
  // The most resources one message may address through its To and Cc (without -o), so
  // that a message listing a thousand attendees does not make a thousand replies
  // (config MAX_RESOURCES_PER_MESSAGE). The MTA's -o list is bounded by the MTA.
  // Default: 20.
  std::size_t max_resources_per_message = 20;
};

// The resources a message is for: `recipients` (the MTA's -o list) when given, else the
// To and Cc addresses that are attendees of some object of `itip`. CanonicalAddress form.
// InvalidArgument when, without `recipients`, To and Cc name more than `max_resources`.
Result<std::vector<std::string>> ResourcesAddressed(const MailMessage& mail,
                                                    const ItipMessage& itip,
                                                    const std::vector<std::string>& recipients,
                                                    std::size_t max_resources);

class ResourceScheduler {
 public:
  ResourceScheduler(CalendarStore& store, ResourceOptions options);

  // Handles `calendar` (one of `mail.calendars`) for the resources among `recipients`
  // (the MTA's -o list; when empty, the To/Cc addresses that are attendees of it). The
  // calendar is read for each resource in the resource's TZID (floating times and dates
  // are the resource's local time) with series expanded over the window.
  // `senders` (the MTA's -s list) with the From and Sender addresses, as far as they
  // count (docs/security.md: one From mailbox, one Sender, authenticated when
  // TRUSTED_AUTHSERV_IDS is set), must include the ORGANIZER (or a SENT-BY the organizer
  // allowed) for a message about a booking to count; an update must come from the
  // booking's organizer (docs/imip/resource.md, "Who may change a booking").
  // Errors: Unavailable when the store stays busy (retry later), NotFound for an unknown
  // user (users_must_exist), InvalidArgument for a calendar that cannot be read, a
  // resource address unfit for a path or more resources addressed than
  // max_resources_per_message; FailedPrecondition for a configuration error, and for
  // nothing else: a preference, the configuration or a quota group that cannot be read or
  // understood (an unknown scheduling function, a malformed acl or organiser_sent_by, a
  // MESSAGE_SENDER that is not one mail address), naming the setting and its file; nothing
  // is decided then. A calendar that is no iTIP message is OK with nothing to do.
  // Nothing is stored for a resource unless all its decisions on the message were.
  // With publishing on, the resource's free/busy is published after its commit;
  // Unavailable if it cannot be written (the decisions stay stored: a retry answers the
  // same again and publishes).
  // `now` is the runtime clock's time as a calendar time (ToUtcTime): what ended before it
  // is past, and the window starts there.
  Result<HandledMessage> Handle(const MailMessage& mail, const CalendarPart& calendar,
                                const std::vector<std::string>& recipients,
                                const std::vector<std::string>& senders, UtcTime now);

 private:
  // Writes the resource's free/busy under publish_dir when its preferences say so.
  Status Publish(const std::string& resource, const Preferences& prefs, StoreSession& session,
                 UtcTime now);

  CalendarStore& store_;
  ResourceOptions options_;
};

}  // namespace magent::imip

#endif  // MAGENT_IMIP_RESOURCE_H_
