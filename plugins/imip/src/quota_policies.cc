#include "quota_policies.h"

#include <algorithm>

#include "local_time.h"

namespace magent::imip::internal {
namespace {

bool Overlap(Period a, Period b) { return a.start < b.end && b.start < a.end; }

// "11:00": hours and minutes, as the limits are read.
std::string Hours(CalendarDuration d) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  const auto m = minutes % 60;
  return std::to_string(minutes / 60) + (m < 10 ? ":0" : ":") + std::to_string(m);
}

CalendarDuration Length(Period p) { return p.end - p.start; }

}  // namespace

std::vector<QuotaEntry> OthersThan(std::vector<QuotaEntry> entries, std::string_view resource,
                                   std::string_view uid, std::optional<UtcTime> recurrence_id) {
  std::erase_if(entries, [&](const QuotaEntry& e) {
    return e.resource == resource && e.uid == uid &&
           (!recurrence_id || e.occurrence == *recurrence_id);
  });
  return entries;
}

std::optional<Text> CheckQuota(const QuotaRequest& r) {
  const std::optional<QuotaLimit> limit = r.group.LimitFor(r.organizer);
  if (!limit) {
    return Text("imip.quota_no_limit", "Declined: quota '{0}' sets no limit for {1}.",
                {r.group.name, std::string(r.organizer)});
  }
  if (limit->unlimited) return std::nullopt;
  const std::string holder = r.group.HolderOf(r.organizer);
  CalendarDuration used{};
  for (const QuotaEntry& e : r.others) {
    if (r.group.HolderOf(e.organizer) == holder) used += Length(e.period);
  }
  for (const Occurrence& o : r.booked) used += Length(o.period);
  if (used <= limit->time) return std::nullopt;
  return Text("imip.quota_exceeded", "Declined: quota '{0}' for {1} would be {2} of {3} hours.",
              {r.group.name, holder, Hours(used), Hours(limit->time)});
}

std::optional<Text> ScheduleAcrossQuota(const QuotaRequest& r) {
  const std::string holder = r.group.HolderOf(r.organizer);
  for (const Occurrence& o : r.booked) {
    for (const QuotaEntry& e : r.others) {
      if (r.group.HolderOf(e.organizer) != holder || !Overlap(e.period, o.period)) continue;
      return Text("imip.quota_overlap",
                  "Declined: {1} already holds {2} for {4} {3} (quota '{0}').",
                  {r.group.name, holder, e.resource, LocalPeriod(e.period, r.tzid),
                   e.summary.empty() ? "(untitled)" : "'" + e.summary + "'"});
    }
  }
  return std::nullopt;
}

std::optional<std::string> FreeDelegate(const QuotaRequest& r, std::string_view resource) {
  for (const std::string& delegate : r.group.delegates) {
    if (delegate == resource) continue;
    const bool busy = std::any_of(r.others.begin(), r.others.end(), [&](const QuotaEntry& e) {
      return e.resource == delegate &&
             std::any_of(r.booked.begin(), r.booked.end(),
                         [&](const Occurrence& o) { return Overlap(e.period, o.period); });
    });
    if (!busy) return delegate;
  }
  return std::nullopt;
}

}  // namespace magent::imip::internal
