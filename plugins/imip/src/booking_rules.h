// The booking rules Exchange resource mailboxes have (Set-CalendarProcessing), as
// preferences of the resource: how far ahead, how long, whether recurring, when, and how
// many conflicting occurrences a series may have. A rule without its preference file is
// not applied, so a resource behaves as imip-agent's until one is set.
#ifndef MAGENT_IMIP_BOOKING_RULES_H_
#define MAGENT_IMIP_BOOKING_RULES_H_

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/preferences.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent::imip::internal {

struct WorkingHours {
  std::array<bool, 7> days{};  // Sunday first, as struct tm counts.
  int from_minute = 0;         // Local time of day.
  int to_minute = 24 * 60;
};

struct BookingRules {
  std::optional<int> window_days;                // booking_window_days
  bool enforce_horizon = true;                   // enforce_scheduling_horizon
  std::optional<CalendarDuration> min_duration;  // min_duration
  std::optional<CalendarDuration> max_duration;  // max_duration
  bool allow_recurring = true;                   // allow_recurring
  int conflict_percentage = 0;                   // conflict_percentage_allowed
  int max_conflicts = 0;                         // max_conflict_instances
  std::vector<WorkingHours> working_hours;       // working_hours, one span per line
  // max_occurrences (MAX_OCCURRENCES_DEFAULT): the most occurrences of a series within the
  // window a booking holds; a series with more is declined. 1 to 100000. Default: 1000
  // (Outlook ends a series after at most 999; more than ten a day over imip-agent's
  // 100-day window is a claim on the room, not a meeting).
  std::size_t max_occurrences = 1000;
};

// A ConfigurationError naming the setting and its file for a value that cannot be read.
Result<BookingRules> ReadBookingRules(const Preferences& prefs);

struct RuleCheck {
  std::optional<Text> refusal;
  std::vector<Occurrence> occurrences;  // What is left to book.
};

// Applies the rules to the upcoming occurrences of `o`. A series with more occurrences in
// the window than the reader held (`occurrences_limited`) is refused. Beyond the booking window a
// single event is refused; a series is refused when the horizon is enforced, else cut at it.
RuleCheck ApplyBookingRules(const BookingRules& rules, const ItipObject& o,
                            std::vector<Occurrence> upcoming, UtcTime now, std::string_view tzid);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_BOOKING_RULES_H_
