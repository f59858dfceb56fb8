// Who may speak for an organizer, and who may take a booking over from it
// (docs/imip/resource.md, "Who may change a booking"): the parts of the rule that read the
// preferences and the stored records.
#ifndef MAGENT_IMIP_ORGANISER_AUTHORITY_H_
#define MAGENT_IMIP_ORGANISER_AUTHORITY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/preferences.h"
#include "magent/imip/store.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent::imip::internal {

// The `organiser_sent_by` preference: each organizer (CanonicalAddress form) with the
// senders that may send for it.
using SentByList = std::map<std::string, std::set<std::string, std::less<>>, std::less<>>;

// Reads the `organiser_sent_by` preference (or ORGANISER_SENT_BY_DEFAULT). Each entry is
// `ORGANIZER SENDER...` (addresses, `mailto:` optional); entries are separated by lines or
// `;` (so that the system default, one line, can hold several); `#` starts a comment line.
// An entry without a sender, or a word that is no mail address, is a ConfigurationError
// naming the entry and the file: a list the resource cannot read grants nothing and
// refuses nothing, the message waits.
Result<SentByList> ReadSentByList(const Preferences& prefs);

// Whether `list` lets `sender` send for `organizer` (both CanonicalAddress form).
bool SentByListed(const SentByList& list, std::string_view organizer, std::string_view sender);

// Why the ORGANIZER of `o` may not take over `record`, which is kept for another
// organizer, under organiser_replacement `policy` (`any`, `attendee`; anything else is
// `never`), when the message comes from `senders`; nothing if it may. A takeover needs the
// new organizer's own address among the senders (a SENT-BY speaks for an organizer, it
// does not make one), and for `attendee` the new organizer among the attendees of the
// calendar kept with `record`.
std::optional<Text> TakeoverRefusal(std::string_view policy, const StoredObject& record,
                                    const ItipObject& o, const std::vector<std::string>& senders);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_ORGANISER_AUTHORITY_H_
