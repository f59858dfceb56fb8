// The quota scheduling functions' decisions over a quota group's journal (imip-agent's
// check_quota, schedule_across_quota and schedule_for_delegate). They decide on data the
// caller read under its store session; storing the outcome is the caller's.
#ifndef MAGENT_IMIP_QUOTA_POLICIES_H_
#define MAGENT_IMIP_QUOTA_POLICIES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/store.h"
#include "magent/text.h"
#include "quota_group.h"

namespace magent::imip::internal {

// What a request would book in a group, and what the group's journal holds besides.
struct QuotaRequest {
  const QuotaGroup& group;
  // The journal's entries that still count (ended ones are replenished), without those
  // the deciding resource holds for this event or occurrence: an update replaces them.
  const std::vector<QuotaEntry>& others;
  std::string_view organizer;             // CanonicalAddress form.
  const std::vector<Occurrence>& booked;  // The occurrences the resource would hold.
  std::string_view tzid;                  // For times in texts.
};

// `entries` without those `resource` holds for `uid` (with `recurrence_id`, only that
// occurrence's).
std::vector<QuotaEntry> OthersThan(std::vector<QuotaEntry> entries, std::string_view resource,
                                   std::string_view uid, std::optional<UtcTime> recurrence_id);

// check_quota: the booked time of the organizer's quota holder (the organizer, or its user
// group) in the group, this request's included, must stay within the limit for the
// organizer. The refusal names both ("would be 11:00 of 10:00 hours"); a group without a
// limit for the organizer refuses too.
std::optional<Text> CheckQuota(const QuotaRequest& request);

// schedule_across_quota: the organizer's quota holder may not hold two bookings of the group
// at once (one car at a time, whichever car).
std::optional<Text> ScheduleAcrossQuota(const QuotaRequest& request);

// schedule_for_delegate: the first of the group's delegates other than `resource` whose
// bookings in the journal leave every occurrence free; none if all are busy.
std::optional<std::string> FreeDelegate(const QuotaRequest& request, std::string_view resource);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_QUOTA_POLICIES_H_
