// Scheduling functions that decide by who asks: same_domain_membership and
// access_control_list (the `acl` preference). Each returns the reason for a refusal, or
// nothing to let the next function decide.
#ifndef MAGENT_IMIP_IDENTITY_POLICIES_H_
#define MAGENT_IMIP_IDENTITY_POLICIES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent::imip::internal {

// Refuses an organizer outside `domain` (default: the resource's own domain).
std::optional<Text> SameDomainMembership(const ItipObject& o, std::string_view resource,
                                         std::string_view domain);

// The `acl` preference, one rule per line:
//   accept | decline | reject                  the outcome when no rule matches (first line;
//                                              default: accept)
//   accept|decline|reject ROLE IDENTITY        ROLE: organiser (organizer) or attendee;
//                                              IDENTITY: an address (mailto: optional),
//                                              @domain, or * for anyone
// Rules apply in order: a matching accept or decline sets the outcome, and a later match
// may change it; a matching reject refuses at once. Every line is checked before any
// applies: a malformed one is a ConfigurationError naming it, not a decision either way.
Result<std::optional<Text>> AccessControlList(const std::vector<std::string>& acl,
                                              const ItipObject& o);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_IDENTITY_POLICIES_H_
