// Free/busy publishing (-P), as imip-agent's: a calendar user's busy periods written as a
// VFREEBUSY iCalendar file that a web server serves, at
// `PUBLISH_DIR/mailto:room1@example.com/freebusy`.
//
// Thread safety: free functions without shared state; two writers of one user's file must
// not run at once (the store session, held while publishing, keeps them apart).
#ifndef MAGENT_IMIP_FREEBUSY_PUBLISHER_H_
#define MAGENT_IMIP_FREEBUSY_PUBLISHER_H_

#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/store.h"
#include "magent/status.h"

namespace magent::imip::internal {

struct PublishedFreeBusy {
  std::string user;  // CanonicalAddress form: the ORGANIZER of the VFREEBUSY.
  std::string cn;    // May be empty.
  Period window;     // DTSTART and DTEND: the range the periods are given for.
  UtcTime now{};     // DTSTAMP.
};

// The iCalendar text: METHOD:PUBLISH and one VFREEBUSY with a FREEBUSY;FBTYPE=BUSY line
// per busy period clipped to the window. Offers (a COUNTER's held periods) are left out:
// imip-agent keeps them apart from the free/busy it publishes.
std::string FreeBusyCalendar(const PublishedFreeBusy& what, const std::vector<BusyPeriod>& busy);

// Writes FreeBusyCalendar to `dir`/mailto:user/freebusy, creating the user's directory;
// atomically (a temporary file in the same directory, flushed, then renamed over the old
// one), so a reader sees the old file or the new one, never a part. InvalidArgument for a
// user address unfit for a path (never turned into one); Unavailable when the file cannot
// be written.
Status PublishFreeBusy(const std::string& dir, const PublishedFreeBusy& what,
                       const std::vector<BusyPeriod>& busy);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_FREEBUSY_PUBLISHER_H_
