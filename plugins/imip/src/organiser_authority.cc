#include "organiser_authority.h"

#include <algorithm>
#include <sstream>

#include "magent/imip/address.h"

namespace magent::imip::internal {
namespace {

// Whether the calendar kept with `record` lists `address` as an attendee of the event.
bool AttendsRecorded(const StoredObject& record, std::string_view address) {
  // Only the attendees are wanted: no series needs expanding.
  auto kept = ParseItip(record.calendar, {.max_occurrences = 1});
  if (!kept.ok()) return false;  // Who attends cannot be told: no takeover.
  return std::any_of(kept->objects.begin(), kept->objects.end(), [&](const ItipObject& k) {
    return k.uid == record.uid && k.FindAttendee(address) != nullptr;
  });
}

}  // namespace

bool SentByListed(const std::vector<std::string>& lines, std::string_view organizer,
                  std::string_view sender) {
  if (organizer.empty() || sender.empty()) return false;
  for (const std::string& line : lines) {
    if (line.starts_with('#')) continue;
    std::istringstream entries(line);
    for (std::string entry; std::getline(entries, entry, ';');) {
      std::istringstream words(entry);
      std::string word;
      if (!(words >> word) || CanonicalAddress(word) != organizer) continue;
      while (words >> word) {
        if (CanonicalAddress(word) == sender) return true;
      }
    }
  }
  return false;
}

std::optional<Text> TakeoverRefusal(std::string_view policy, const StoredObject& record,
                                    const ItipObject& o, const std::vector<std::string>& senders) {
  const std::string organizer = o.organizer ? o.organizer->address : "";
  if (policy != "any" && policy != "attendee") {
    return Text("imip.organiser_kept",
                "Ignored: the booking is organised by {0}, and organiser_replacement is '{1}': "
                "{2} may not take it over.",
                {record.organizer, std::string(policy), organizer});
  }
  if (organizer.empty() || std::find(senders.begin(), senders.end(), organizer) == senders.end()) {
    return Text("imip.takeover_not_own",
                "Ignored: the booking is organised by {0}; {1} may take it over only by a "
                "message from its own address.",
                {record.organizer, organizer});
  }
  if (policy == "attendee" && !AttendsRecorded(record, organizer)) {
    return Text("imip.organiser_not_attendee",
                "Ignored: the booking is organised by {0}, and {1} is none of its attendees: "
                "organiser_replacement 'attendee' lets only an attendee take it over.",
                {record.organizer, organizer});
  }
  return std::nullopt;
}

}  // namespace magent::imip::internal
