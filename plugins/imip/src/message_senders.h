// Who a message may count as being from, for the organizer check: the envelope senders
// and the From and Sender fields, each only as far as the message or the site's MTA
// shows it (docs/security.md). Pure function; thread-safe.
#ifndef MAGENT_IMIP_MESSAGE_SENDERS_H_
#define MAGENT_IMIP_MESSAGE_SENDERS_H_

#include <string>
#include <vector>

#include "magent/imip/mail.h"

namespace magent::imip::internal {

struct MessageSenders {
  std::vector<std::string> counted;  // CanonicalAddress form, distinct.
  // Why addresses of the message were not counted, in English ("" when all were), for the
  // reason of a decision that finds no organizer among `counted`.
  std::string not_counted;
};

// The senders of `mail`:
// - a From mailbox counts when the header has one From field with one mailbox, counting
//   every mailbox as written (`mallory, alice@…` names two, though `mallory` is no
//   usable address; so do a group's members). Several
//   mailboxes without a Sender, or several From fields, name the sender's choice of
//   people (`From: mallory@…, alice@…`) and RFC 5322 §3.6.2 lets no reader pick one; with
//   a Sender they are authors, and the Sender is the one who sent it. Either way none of
//   them counts; the message is not refused, since a REFRESH or VFREEBUSY needs no
//   organizer, and the spoofed decisions are Ignored with this reason and no reply.
// - a Sender mailbox counts when there is one Sender field with one mailbox, counted so.
// - `envelope` (the MTA's -s list) counts as given.
// With `trusted_authserv_ids` (config TRUSTED_AUTHSERV_IDS) set, only what the site's MTA
// vouches for by its Authentication-Results counts: the From mailbox when they hold
// dmarc=pass or an aligned dkim=pass for its domain, the Sender when they hold an aligned
// dkim=pass for its domain; envelope senders never (SPF vouches for a sending host, not
// for the author: a shared host passes SPF for every domain it serves).
MessageSenders SendersOf(const MailMessage& mail, const std::vector<std::string>& envelope,
                         const std::vector<std::string>& trusted_authserv_ids);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_MESSAGE_SENDERS_H_
