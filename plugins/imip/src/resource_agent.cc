#include "magent/imip/resource_agent.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "ascii_case.h"
#include "magent/agent.h"
#include "magent/agent_source.h"
#include "magent/imip/mail.h"
#include "magent/imip/reply.h"
#include "magent/imip/safe_text.h"

namespace magent::imip {
namespace {

using internal::AsciiLower;

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The first error of the message's events decides the exit: keep the worst one.
void Keep(Status& first, const Status& s) {
  if (first.ok() && !s.ok()) first = s;
}

// A failure of the runtime (making an agent, scheduling or spawning an event) is the
// program's, whatever its code: an InvalidArgument or NotFound from there must not read
// as a malformed message (65) or an unknown user (67) and bounce it.
Status RuntimeFailure(std::string_view what, const Status& s) {
  return Status::Internal(std::string(what) + ": " + s.message());
}

// How the message's events went. A message is handled only when every event it scheduled
// finished OK, so an event that failed, threw or never ran cannot pass for a handled one.
struct Progress {
  Status failure;      // The first failure.
  int unfinished = 0;  // Events scheduled and not (yet) finished OK.
};

// `work`, counted in `progress` until it finishes OK; an exception is its failure.
PlainWork Counted(const std::shared_ptr<Progress>& progress, PlainWork work) {
  ++progress->unfinished;
  return [progress, work = std::move(work)](EventContext& ctx) -> Result<Text> {
    Result<Text> result = Status::Internal("no result");
    try {
      result = work(ctx);
    } catch (const std::exception& e) {
      result = Status::Internal(std::string("exception: ") + e.what());
    }
    if (result.ok()) {
      --progress->unfinished;
    } else {
      Keep(progress->failure, result.status());
    }
    return result;
  };
}

// The Future event that takes an offer back when it expires, unless it became a booking.
EventSpec OfferExpiry(std::shared_ptr<CalendarStore> store, const Decision& d, Duration wait) {
  const BusyPeriod offer = *d.offer;
  EventSpec spec;
  spec.kind = "imip.offer_expiry";
  spec.goal =
      Text("imip.offer_expiry", "Withdraw the offer of {0} for '{1}' (UID {2}) when it expires",
           {d.resource, OneLine(d.summary), OneLine(d.uid)});
  spec.due = ToTimePoint(offer.expires);  // Clamped: an offer until 9999 never lapses.
  spec.work = PlainWork([store, offer, resource = d.resource, wait](EventContext&) -> Result<Text> {
    auto session = store->Open(resource, wait);
    if (!session.ok()) return session.status();
    auto busy = (*session)->Busy(offer.period, UtcTime{});
    if (!busy.ok()) return busy.status();
    const bool still_offered = std::any_of(busy->begin(), busy->end(), [&](const BusyPeriod& b) {
      return b.uid == offer.uid && b.offer;
    });
    if (!still_offered)
      return Text("imip.offer_taken", "The offer was taken or withdrawn already.", {});
    if (Status s = (*session)->SetBusy(offer.uid, offer.recurrence_id, {}); !s.ok()) return s;
    // The counter-proposal lapses with its offer (not a later one's, which expires later).
    auto counter = (*session)->GetCounter(offer.uid, offer.recurrence_id);
    if (!counter.ok()) return counter.status();
    if (*counter && (*counter)->expires && *(*counter)->expires <= offer.expires) {
      if (Status s = (*session)->RemoveCounter(offer.uid, offer.recurrence_id); !s.ok()) return s;
    }
    if (Status s = (*session)->Commit(); !s.ok()) return s;
    return Text("imip.offer_expired", "The offer expired and was withdrawn.", {});
  });
  return spec;
}

}  // namespace

Status HandleResourceMessage(Runtime& runtime, std::shared_ptr<CalendarStore> store,
                             MailTransport& transport, const ResourceAgentOptions& options,
                             std::string_view raw) {
  auto mail = ReadMail(raw, options.limits);
  if (!mail.ok()) return mail.status();
  if (mail->calendars.empty()) return Status::OK();  // Not a calendar message.

  auto scheduler = std::make_shared<ResourceScheduler>(*store, options.resource);
  auto shared_mail = std::make_shared<const MailMessage>(std::move(*mail));
  auto progress = std::make_shared<Progress>();
  std::map<std::string, std::shared_ptr<Agent>> agents;

  // Every calendar is read and its resources found before anything is scheduled: a
  // message refused for its last calendar leaves no work behind for its first.
  struct CalendarWork {
    const CalendarPart* part;
    ItipMessage reading;
    std::vector<std::string> resources;
  };
  std::vector<CalendarWork> work;
  std::set<std::string> all_resources;
  for (const CalendarPart& part : shared_mail->calendars) {
    auto reading = ParseItip(part.text, {.content_type_method = part.method});
    // ParseItip's FailedPrecondition: no iTIP message (it reads no configuration).
    if (reading.status().code() == StatusCode::kFailedPrecondition) continue;
    if (!reading.ok()) return reading.status();
    if (reading->objects.empty()) continue;
    auto resources = ResourcesAddressed(*shared_mail, *reading, options.recipients,
                                        options.resource.max_resources_per_message);
    if (!resources.ok()) return resources.status();
    all_resources.insert(resources->begin(), resources->end());
    work.push_back({&part, std::move(*reading), std::move(*resources)});
  }
  if (options.recipients.empty() &&
      all_resources.size() > options.resource.max_resources_per_message) {
    return Status::InvalidArgument("the message's calendars address " +
                                   std::to_string(all_resources.size()) +
                                   " resources in To and Cc, more than the " +
                                   std::to_string(options.resource.max_resources_per_message) +
                                   " one message may address (MAX_RESOURCES_PER_MESSAGE)");
  }

  for (const CalendarWork& calendar : work) {
    const CalendarPart& part = *calendar.part;
    const ItipObject& first = calendar.reading.objects[0];
    const std::string method(MethodName(calendar.reading.method));
    const std::string kind = "imip." + AsciiLower(method);
    for (const std::string& resource : calendar.resources) {
      auto& agent = agents[resource];
      if (agent == nullptr) {
        auto source = runtime.CreateSource({.name = resource});
        auto created = source->CreateAgent(AgentOptions{.name = "imip_resource"});
        if (!created.ok())
          return RuntimeFailure("cannot make the resource's agent", created.status());
        agent = *created;
      }
      EventSpec spec;
      spec.kind = kind;
      // Goals and results go to the archive, and from there to a terminal: the message's
      // texts in them are one line each, with no control characters.
      spec.goal = Text("imip.handle", "Handle the {0} for '{1}' (UID {2}) for {3}",
                       {method, OneLine(first.summary), OneLine(first.uid), resource});
      spec.payload = shared_mail->message_id;
      spec.work = Counted(progress, [=, &transport, &options](EventContext& ctx) -> Result<Text> {
        auto handled = scheduler->Handle(*shared_mail, part, {resource}, options.senders,
                                         ToUtcTime(ctx.Now()));
        if (!handled.ok()) return handled.status();
        for (const OutgoingMail& reply : handled->replies) {
          EventSpec send;
          send.kind = "imip.reply";
          send.goal =
              Text("imip.send", "Send '{0}' to {1}", {OneLine(reply.subject), Join(reply.to)});
          send.work = Counted(progress, [=, &transport](EventContext& send_ctx) -> Result<Text> {
            const std::string message = ComposeMail(reply, send_ctx.Now());
            Status sent = transport.Send({.from = reply.from, .to = reply.to}, message);
            // Unavailable whatever the server said: the MTA keeps the message and retries.
            if (!sent.ok()) return Status::Unavailable(sent.message());
            return Text("imip.sent", "Sent '{0}' to {1}", {OneLine(reply.subject), Join(reply.to)});
          });
          if (auto spawned = ctx.Spawn(std::move(send)); !spawned.ok()) {
            return RuntimeFailure("cannot spawn the reply's event", spawned.status());
          }
        }
        for (const Decision& d : handled->decisions) {
          if (!d.offer) continue;
          if (auto spawned = ctx.Spawn(OfferExpiry(store, d, options.resource.store_wait));
              !spawned.ok()) {
            return RuntimeFailure("cannot spawn the offer's expiry", spawned.status());
          }
        }
        std::vector<std::string> why;
        for (const Decision& d : handled->decisions) why.push_back(d.why.English());
        if (why.empty()) return Text("imip.nothing", "Nothing to do for {0}.", {resource});
        if (why.size() == 1) return handled->decisions[0].why;
        std::string all;
        for (const std::string& w : why) all += (all.empty() ? "" : " ") + w;
        return Text(all);
      });
      if (auto id = agent->Schedule(std::move(spec)); !id.ok()) {
        return RuntimeFailure("cannot schedule the message's event", id.status());
      }
    }
  }
  runtime.RunUntilIdle();
  if (!progress->failure.ok()) return progress->failure;
  if (progress->unfinished > 0) {
    return Status::Internal(std::to_string(progress->unfinished) +
                            " event(s) of the message did not finish");
  }
  return Status::OK();
}

}  // namespace magent::imip
