#include "identity_policies.h"

#include <sstream>

#include "ascii_case.h"
#include "magent/imip/address.h"

namespace magent::imip::internal {
namespace {

std::string_view Domain(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

bool Matches(std::string_view identity, std::string_view address) {
  if (address.empty()) return false;
  if (identity == "*") return true;
  if (identity.starts_with('@')) return Domain(address) == AsciiLower(identity.substr(1));
  return CanonicalAddress(identity) == address;
}

}  // namespace

std::optional<Text> SameDomainMembership(const ItipObject& o, std::string_view resource,
                                         std::string_view domain) {
  const std::string wanted(domain.empty() ? Domain(resource) : domain);
  const std::string organizer = o.organizer ? o.organizer->address : "";
  if (!organizer.empty() && Domain(organizer) == AsciiLower(wanted)) {
    return std::nullopt;
  }
  return Text("imip.other_domain", "Declined: the organizer {0} is not in {1}.",
              {organizer.empty() ? "(none)" : organizer, wanted});
}

std::optional<Text> AccessControlList(const std::vector<std::string>& acl, const ItipObject& o) {
  bool accept = true;
  std::string because = "no rule matched";
  for (std::size_t i = 0; i < acl.size(); ++i) {
    std::istringstream words(acl[i]);
    std::string verdict, role, identity, extra;
    words >> verdict >> role >> identity >> extra;
    const bool known = verdict == "accept" || verdict == "decline" || verdict == "reject";
    if (!known || !extra.empty() || role.empty() != identity.empty()) {
      return Text("imip.bad_acl", "Declined: acl line {0} ('{1}') is not a rule.",
                  {std::to_string(i + 1), acl[i]});
    }
    if (role.empty()) {
      if (i != 0) {
        return Text("imip.bad_acl", "Declined: acl line {0} ('{1}') is not a rule.",
                    {std::to_string(i + 1), acl[i]});
      }
      accept = verdict == "accept";
      continue;
    }
    bool matched = false;
    if (role == "organiser" || role == "organizer") {
      matched = o.organizer && Matches(identity, o.organizer->address);
    } else if (role == "attendee") {
      for (const Attendee& a : o.attendees) matched = matched || Matches(identity, a.address);
    } else {
      return Text("imip.bad_acl", "Declined: acl line {0} ('{1}') names no role.",
                  {std::to_string(i + 1), acl[i]});
    }
    if (!matched) continue;
    if (verdict == "reject") {
      return Text("imip.acl_rejected", "Declined: the access control list rejects {0} {1}.",
                  {role, identity});
    }
    accept = verdict == "accept";
    because = "'" + acl[i] + "'";
  }
  if (accept) return std::nullopt;
  return Text("imip.acl_declined", "Declined by the access control list: {0}.", {because});
}

}  // namespace magent::imip::internal
