// imip_resource on the magent core: each message a resource handles is an event of the
// resource's agent, and each reply it sends is an event spawned by that one, so every
// decision is in the archive with its goal and its reason.
//
// For each calendar of the message and each resource it is for, the resource's source
// (named by its address) gets an agent "imip_resource" that schedules an event of kind
// "imip.<method>" (e.g. "imip.request"); its work decides (ResourceScheduler) and spawns
// one "imip.reply" event per reply, whose work sends it. A COUNTER's offer gets a Future
// "imip.offer_expiry" event at its expiry that takes the offer back (a host that runs
// on keeps the store tidy; a pipe process ends before, and an expired offer no longer
// counts as busy anyway).
#ifndef MAGENT_IMIP_RESOURCE_AGENT_H_
#define MAGENT_IMIP_RESOURCE_AGENT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/resource.h"
#include "magent/imip/store.h"
#include "magent/imip/transport.h"
#include "magent/runtime.h"
#include "magent/status.h"

namespace magent::imip {

struct ResourceAgentOptions {
  ResourceOptions resource;
  std::vector<std::string> recipients;  // -o
  std::vector<std::string> senders;     // -s
  MailLimits limits;
};

// Handles one incoming message on `runtime` (threads = 0: runs it to the end before
// returning). OK only when every event of the message finished OK, including "no
// calendar in it: nothing to do". What is wrong with the message or the recipient:
// InvalidArgument, the message or a calendar cannot be read (malformed beyond repair), or
// its calendars address more resources (without `recipients`) than
// max_resources_per_message, counted over all of them (nothing is scheduled then);
// NotFound, an unknown user. Every other code is a failure the site can mend, and the
// message is to be tried again later (a repeated request is answered again, not decided
// twice): Unavailable, the store stayed busy or a reply could not be sent;
// FailedPrecondition, a configuration error: a preference, the configuration or a quota
// group's file cannot be read or understood (naming the setting and the file); Corruption, the
// store is damaged; Internal, an event of the message failed or did not finish.
Status HandleResourceMessage(Runtime& runtime, std::shared_ptr<CalendarStore> store,
                             MailTransport& transport, const ResourceAgentOptions& options,
                             std::string_view raw);

}  // namespace magent::imip

#endif  // MAGENT_IMIP_RESOURCE_AGENT_H_
