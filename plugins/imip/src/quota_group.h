// A quota group as an administrator sets it up: imip-agent's journal layout, one directory
// per group under the journal directory (config JOURNAL_DIR, -j), holding
//   limits     one `IDENTITY LIMIT` per line: IDENTITY an address (mailto: optional),
//              @domain, * or a user group of `groups`; LIMIT an RFC 5545 duration
//              (PT10H) or * / unlimited
//   delegates  one resource address per line: the group's members a resource may
//              delegate to (schedule_for_delegate)
//   groups     one `IDENTITY USERGROUP` per line: organizers that share one quota (their
//              bookings count together, against the user group's line in `limits`)
// Blank lines and lines starting with # are skipped. The bookings counted against the
// limits are in the store (StoreSession::QuotaEntries), not in these files.
#ifndef MAGENT_IMIP_QUOTA_GROUP_H_
#define MAGENT_IMIP_QUOTA_GROUP_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/status.h"

namespace magent::imip::internal {

struct QuotaLimit {
  bool unlimited = false;
  CalendarDuration time{};  // The booked time an organizer may hold, when limited.
};

struct QuotaGroup {
  std::string name;
  // In file order; identities in CanonicalAddress form, "@domain" (lower case), "*" or a
  // user group's name.
  std::vector<std::pair<std::string, QuotaLimit>> limits;
  std::vector<std::string> delegates;  // CanonicalAddress form, in file order.
  // In file order: identity (as in `limits`, but no user group) → user group name.
  std::vector<std::pair<std::string, std::string>> user_groups;

  // Whose quota `organizer` (CanonicalAddress form) books against: the user group of its
  // own line in `groups`, else of its domain's, else of `*`'s; else the organizer alone
  // (its address). Organizers with the same holder share one quota.
  std::string HolderOf(std::string_view organizer) const;
  // The limit for `organizer`: its user group's line in `limits`, else its own line, else
  // its domain's, else `*`'s; none when no line applies.
  std::optional<QuotaLimit> LimitFor(std::string_view organizer) const;
};

// Reads the group `name` under `dir`. InvalidArgument for a name unfit for a path (it is
// never turned into one) and for a line that cannot be read (naming the file and line);
// NotFound when `dir` is empty or has no directory for the group; a ConfigurationError for a
// file that cannot be read (see config_file.h). A missing file is empty.
Result<QuotaGroup> LoadQuotaGroup(const std::string& dir, std::string_view name);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_QUOTA_GROUP_H_
