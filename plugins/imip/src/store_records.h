// The values of the LevelDB calendar store (leveldb_store.cc, whose file comment has the
// layout): each record type to bytes and back. A value that cannot be read is Corruption,
// naming the record type.
//
// Thread safety: the functions touch only their arguments.
#ifndef MAGENT_IMIP_STORE_RECORDS_H_
#define MAGENT_IMIP_STORE_RECORDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/store.h"
#include "magent/status.h"

namespace magent::imip::internal {

// Appends `t` (whole seconds) as 8 bytes in time order: for keys as for values.
void AppendTime(std::string& out, UtcTime t);

// One busy period of a uid, as its I entry names it: enough to rebuild its B key.
struct BusyPlace {
  std::optional<UtcTime> rid;
  UtcTime end;
  UtcTime start;
};

std::string Encode(const StoredObject& o);
std::string Encode(const StoredCounter& c);
std::string Encode(const QuotaEntry& e);
std::string Encode(const BusyPeriod& b);
std::string Encode(const std::vector<BusyPlace>& places);
std::string Encode(const std::vector<std::string>& groups);

// `what` names the record in errors: an object, or the cancellation kept of one.
Result<StoredObject> DecodeObject(std::string_view value, std::string_view what = "object");
Result<StoredCounter> DecodeCounter(std::string_view value);
Result<QuotaEntry> DecodeQuotaEntry(std::string_view value);
Result<BusyPeriod> DecodeBusy(std::string_view value);
Result<std::vector<BusyPlace>> DecodePlaces(std::string_view value);
Result<std::vector<std::string>> DecodeGroups(std::string_view value);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_STORE_RECORDS_H_
