// Where a calendar user's schedule is kept between messages.
//
// The MTA starts one program per message, so several may want the store at once. A
// session holds the store exclusively from Open to its end (and, for the LevelDB store,
// other processes are kept out while the store object lives); Open waits for a bounded
// time and then fails with Unavailable, which the programs turn into EX_TEMPFAIL (75) so
// the MTA retries. Sessions must end before their store. Changes made in a session become visible,
// durably and all together, on Commit; a session that ends without Commit changes nothing. That
// makes a decision atomic: two requests for the same slot never both see it free.
#ifndef MAGENT_IMIP_STORE_H_
#define MAGENT_IMIP_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/clock.h"
#include "magent/imip/itip.h"
#include "magent/status.h"

namespace magent::imip {

// What a calendar user holds of one scheduling object (a whole event, or one instance of
// a series when `recurrence_id` is set).
struct StoredObject {
  std::string uid;
  std::optional<UtcTime> recurrence_id;
  int sequence = 0;
  UtcTime dtstamp{};
  std::string summary;
  std::string organizer;  // CanonicalAddress form.
  // Who else may send for the organizer about this object: the SENT-BY of the organizer's
  // own last message about it (CanonicalAddress form; empty: nobody). Never taken from a
  // message sent by anyone else (docs/imip/resource.md, "Who may change a booking").
  std::string sent_by;
  std::string partstat;  // The user's answer: "ACCEPTED", "DECLINED", ...
  std::string calendar;  // The iCalendar text as received, to answer REFRESH.
};

// A period the user is busy in, or holds as an offer (a COUNTER's proposal) until
// `expires`.
struct BusyPeriod {
  Period period;
  std::string uid;
  std::optional<UtcTime> recurrence_id;  // The occurrence it belongs to, for a series.
  std::string summary;
  bool offer = false;
  UtcTime expires{};  // Offers only.
};

// One occurrence a resource holds for an organizer, counted in a quota group's journal.
// The journal is shared by every resource that names the group (docs/imip/resource.md,
// "Quotas").
struct QuotaEntry {
  std::string resource;   // The resource holding it (CanonicalAddress form).
  std::string organizer;  // Whose booking it is (CanonicalAddress form).
  std::string uid;
  UtcTime occurrence{};  // The occurrence's RECURRENCE-ID (its original start), UTC.
  Period period;
  std::string summary;
};

// A COUNTER the user sent, kept until the organizer declines it (DECLINECOUNTER), it
// expires, or a newer REQUEST answers it.
struct StoredCounter {
  StoredObject object;             // The request countered, as recorded.
  Period proposed;                 // The period the COUNTER proposed.
  std::optional<UtcTime> expires;  // When its offer lapses (freebusy_offers); none: never.
};

class StoreSession {
 public:
  virtual ~StoreSession() = default;
  virtual Result<std::optional<StoredObject>> GetObject(std::string_view uid,
                                                        std::optional<UtcTime> recurrence_id) = 0;
  // The whole event's object and every instance's, the whole event's first, then by
  // recurrence id; empty when there is none.
  virtual Result<std::vector<StoredObject>> GetObjects(std::string_view uid) = 0;
  virtual Status PutObject(const StoredObject& object) = 0;
  // Also removes the object's busy periods. Removing the whole event (no recurrence id)
  // removes its instances too.
  virtual Status RemoveObject(std::string_view uid, std::optional<UtcTime> recurrence_id) = 0;
  // Busy periods and offers overlapping `window`, in start order. Offers expired at `now`
  // are left out.
  virtual Result<std::vector<BusyPeriod>> Busy(Period window, UtcTime now) = 0;
  // Replaces what `uid` occupies: with `recurrence_id`, that one occurrence's periods;
  // without, the whole event's, its instances' included.
  virtual Status SetBusy(std::string_view uid, std::optional<UtcTime> recurrence_id,
                         const std::vector<BusyPeriod>& periods) = 0;

  // Quota journals. They are read and changed under the session's hold on the store and
  // committed with its other changes, so two requests never both pass a quota. `group`
  // must be a checked group name (no `/`, `..`, control characters).
  //
  // The entries of `group`, of every resource, that end after `now`, in start order.
  virtual Result<std::vector<QuotaEntry>> QuotaEntries(std::string_view group, UtcTime now) = 0;
  // Replaces what the session's user holds for `uid` in `group`: with `recurrence_id`,
  // that occurrence's entry; without, every entry of the event.
  virtual Status SetQuotaEntries(std::string_view group, std::string_view uid,
                                 std::optional<UtcTime> recurrence_id,
                                 const std::vector<QuotaEntry>& entries) = 0;
  // Removes what the session's user holds for `uid` (with `recurrence_id`, for that
  // occurrence) in every group.
  virtual Status ReleaseQuotaEntries(std::string_view uid,
                                     std::optional<UtcTime> recurrence_id) = 0;

  virtual Status Commit() = 0;

  // Cancellations and counter-proposals, each its own record apart from the objects
  // answered (imip-agent keeps "cancellations" and "counters" the same way). Each method
  // works on the one record of exactly `uid` and `recurrence_id` (no recurrence id: the
  // whole event's, not its instances'); Get returns empty when there is none.
  //
  // The object as it was when its organizer cancelled it, with the CANCEL's SEQUENCE and
  // DTSTAMP: a late REQUEST older than the CANCEL is not booked again.
  virtual Result<std::optional<StoredObject>> GetCancellation(
      std::string_view uid, std::optional<UtcTime> recurrence_id) = 0;
  virtual Status PutCancellation(const StoredObject& object) = 0;
  virtual Status RemoveCancellation(std::string_view uid, std::optional<UtcTime> recurrence_id) = 0;
  // The COUNTER the user sent for an object, expired or not (the caller compares
  // `expires` with its clock).
  virtual Result<std::optional<StoredCounter>> GetCounter(std::string_view uid,
                                                          std::optional<UtcTime> recurrence_id) = 0;
  virtual Status PutCounter(const StoredCounter& counter) = 0;
  virtual Status RemoveCounter(std::string_view uid, std::optional<UtcTime> recurrence_id) = 0;
};

class CalendarStore {
 public:
  virtual ~CalendarStore() = default;
  // A session on `user`'s calendar (CanonicalAddress form). Unavailable when the store
  // stays held by another session or process for `wait`.
  virtual Result<std::unique_ptr<StoreSession>> Open(std::string_view user, Duration wait) = 0;
};

struct LevelDbStoreOptions {
  std::string path;  // A directory; created if missing.
  // Flush each commit to disk before Commit returns. Default: true (a reply is only sent
  // for what the store kept).
  bool sync = true;
};

// The default store: one LevelDB database for every user of the directory, exclusive to
// one process at a time (LevelDB's own lock, held from the first session until the store
// is destroyed). InvalidArgument for an empty path.
Result<std::unique_ptr<CalendarStore>> OpenLevelDbStore(LevelDbStoreOptions options);

}  // namespace magent::imip

#endif  // MAGENT_IMIP_STORE_H_
