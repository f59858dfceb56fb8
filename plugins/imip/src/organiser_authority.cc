#include "organiser_authority.h"

#include <algorithm>
#include <sstream>

#include "config_file.h"
#include "magent/imip/address.h"
#include "mail_address.h"

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

Result<SentByList> ReadSentByList(const Preferences& prefs) {
  SentByList list;
  for (const std::string& line : prefs.Lines("organiser_sent_by", "ORGANISER_SENT_BY_DEFAULT")) {
    if (line.starts_with('#')) continue;
    std::istringstream entries(line);
    for (std::string entry; std::getline(entries, entry, ';');) {
      std::istringstream words(entry);
      std::vector<std::string> addresses;
      for (std::string word; words >> word;) addresses.push_back(CanonicalAddress(word));
      if (addresses.empty()) continue;  // "a; b" and a trailing ';' hold no entry there.
      const bool addresses_only =
          std::all_of(addresses.begin(), addresses.end(),
                      [](const std::string& a) { return IsMailAddress(a); });
      if (addresses.size() < 2 || !addresses_only) {
        return ConfigurationError("the preference organiser_sent_by in " +
                                  prefs.Origin("organiser_sent_by") + ": '" + entry +
                                  "' is not an organizer followed by the addresses that may "
                                  "send for it");
      }
      list[addresses[0]].insert(addresses.begin() + 1, addresses.end());
    }
  }
  return list;
}

bool SentByListed(const SentByList& list, std::string_view organizer, std::string_view sender) {
  const auto it = list.find(organizer);
  return it != list.end() && it->second.contains(sender);
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
