#include "identity_policies.h"

#include <sstream>

#include "ascii_case.h"
#include "config_file.h"
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

Result<std::optional<Text>> AccessControlList(const std::vector<std::string>& acl,
                                              const ItipObject& o) {
  struct Rule {
    std::string verdict, role, identity;
  };
  std::vector<Rule> rules;
  for (std::size_t i = 0; i < acl.size(); ++i) {
    std::istringstream words(acl[i]);
    Rule rule;
    std::string extra;
    words >> rule.verdict >> rule.role >> rule.identity >> extra;
    const bool known =
        rule.verdict == "accept" || rule.verdict == "decline" || rule.verdict == "reject";
    const bool role_known = rule.role.empty() || rule.role == "organiser" ||
                            rule.role == "organizer" || rule.role == "attendee";
    // Only the first line may be a bare outcome.
    if (!known || !extra.empty() || rule.role.empty() != rule.identity.empty() || !role_known ||
        (rule.role.empty() && i != 0)) {
      return ConfigurationError("line " + std::to_string(i + 1) + " ('" + acl[i] +
                                "') is not a rule");
    }
    rules.push_back(std::move(rule));
  }
  bool accept = true;
  std::string because = "no rule matched";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    if (rule.role.empty()) {
      accept = rule.verdict == "accept";
      continue;
    }
    bool matched = false;
    if (rule.role == "attendee") {
      for (const Attendee& a : o.attendees) matched = matched || Matches(rule.identity, a.address);
    } else {
      matched = o.organizer && Matches(rule.identity, o.organizer->address);
    }
    if (!matched) continue;
    if (rule.verdict == "reject") {
      return Text("imip.acl_rejected", "Declined: the access control list rejects {0} {1}.",
                  {rule.role, rule.identity});
    }
    accept = rule.verdict == "accept";
    because = "'" + acl[i] + "'";
  }
  if (accept) return std::optional<Text>();
  return Text("imip.acl_declined", "Declined by the access control list: {0}.", {because});
}

}  // namespace magent::imip::internal
