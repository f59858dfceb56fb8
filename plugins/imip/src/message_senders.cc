#include "message_senders.h"

#include <algorithm>

#include "address_domain.h"
#include "ascii_case.h"
#include "authentication_results.h"
#include "magent/imip/address.h"

namespace magent::imip::internal {
namespace {

// Adds `address` in CanonicalAddress form to `counted` unless it is there or unusable.
void AddDistinct(std::string_view address, std::vector<std::string>& counted) {
  std::string canonical = CanonicalAddress(address);
  if (!canonical.empty() && std::find(counted.begin(), counted.end(), canonical) == counted.end()) {
    counted.push_back(std::move(canonical));
  }
}

void Explain(std::string why, std::string& out) { out += (out.empty() ? "" : "; ") + why; }

// At most a few addresses: a hostile From may name thousands, and the text is a reason
// kept with every decision.
std::string List(const std::vector<std::string>& addresses) {
  constexpr std::size_t kShown = 5;
  std::string out;
  for (std::size_t i = 0; i < addresses.size() && i < kShown; ++i) {
    out += (out.empty() ? "" : ", ") + addresses[i];
  }
  if (addresses.size() > kShown) {
    out += " and " + std::to_string(addresses.size() - kShown) + " more";
  }
  return out;
}

// The one mailbox of a field that RFC 5322 allows once with one mailbox; empty (and why
// in `not_counted`, `several` saying what several mailboxes mean) otherwise. `mailboxes`
// counts every mailbox as written; `usable` holds those with an address, so a mailbox the
// reader could not use still makes the field name several.
std::string OnlyMailbox(std::string_view field, std::size_t fields, std::size_t mailboxes,
                        const std::vector<std::string>& usable, std::string_view several,
                        std::string& not_counted) {
  mailboxes = std::max(mailboxes, usable.size());  // A MailMessage built by hand: 0.
  if (fields <= 1 && mailboxes == 1 && usable.size() == 1) return usable[0];
  const std::string unusable = mailboxes > usable.size()
                                   ? std::string(usable.empty() ? "" : " and ") +
                                         std::to_string(mailboxes - usable.size()) +
                                         " without a usable address"
                                   : "";
  if (fields > 1) {
    Explain("the message has " + std::to_string(fields) + " " + std::string(field) + " fields (" +
                List(usable) + unusable + "), where RFC 5322 allows one",
            not_counted);
  } else if (mailboxes > 1) {
    Explain("the " + std::string(field) + " field names " + std::to_string(mailboxes) +
                " mailboxes (" + List(usable) + unusable + ")" + std::string(several),
            not_counted);
  } else if (mailboxes == 1) {
    Explain("the " + std::string(field) + " field's mailbox has no usable address", not_counted);
  }
  return {};
}

}  // namespace

MessageSenders SendersOf(const MailMessage& mail, const std::vector<std::string>& envelope,
                         const std::vector<std::string>& trusted_authserv_ids) {
  MessageSenders out;
  const std::string from =
      OnlyMailbox("From", mail.from_fields, mail.from_mailboxes, mail.from,
                  mail.sender_mailboxes == 0 && mail.sender.empty()
                      ? " and no Sender says which one sent it (RFC 5322 §3.6.2)"
                      : ": its authors, not who sent it",
                  out.not_counted);
  const std::string sender = OnlyMailbox("Sender", mail.sender_fields, mail.sender_mailboxes,
                                         mail.sender, "", out.not_counted);

  if (trusted_authserv_ids.empty()) {
    for (const std::string& e : envelope) AddDistinct(e, out.counted);
    AddDistinct(from, out.counted);
    AddDistinct(sender, out.counted);
    return out;
  }

  std::vector<std::string> trusted;
  for (const std::string& id : trusted_authserv_ids) trusted.push_back(AsciiLower(id));
  const std::vector<AuthenticationResults> results =
      TrustedResults(mail.authentication_results, trusted);
  const std::string by = "the Authentication-Results of " + List(trusted);
  if (!from.empty()) {
    if (AuthenticatesAuthorDomain(results, DomainOf(from))) {
      AddDistinct(from, out.counted);
    } else {
      Explain("From " + from + " is not authenticated: " + by +
                  " hold no dmarc=pass or dkim=pass for " + DomainOf(from),
              out.not_counted);
    }
  }
  if (!sender.empty()) {
    if (DkimSignedBy(results, DomainOf(sender))) {
      AddDistinct(sender, out.counted);
    } else {
      Explain("Sender " + sender + " is not authenticated: " + by + " hold no dkim=pass for " +
                  DomainOf(sender),
              out.not_counted);
    }
  }
  if (!envelope.empty()) {
    Explain("envelope senders (" + List(envelope) +
                ") do not count where authentication is "
                "required",
            out.not_counted);
  }
  return out;
}

}  // namespace magent::imip::internal
