// Who may speak for an organizer, and who may take a booking over from it
// (docs/imip/resource.md, "Who may change a booking"): the parts of the rule that read the
// preferences and the stored records.
#ifndef MAGENT_IMIP_ORGANISER_AUTHORITY_H_
#define MAGENT_IMIP_ORGANISER_AUTHORITY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/store.h"
#include "magent/text.h"

namespace magent::imip::internal {

// Whether the `organiser_sent_by` preference (its lines) lets `sender` send for
// `organizer` (both CanonicalAddress form). Each entry is `ORGANIZER SENDER...`
// (addresses, `mailto:` optional); entries are separated by lines or `;` (so that the
// system default, one line, can hold several); `#` starts a comment line. An entry
// without a sender grants nothing.
bool SentByListed(const std::vector<std::string>& lines, std::string_view organizer,
                  std::string_view sender);

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
