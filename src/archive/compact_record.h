// EventRecord <-> bytes, as MemoryArchive keeps records in memory: fixed fields packed at
// fixed offsets (the id and the finish time first, so purging reads them without decoding),
// then strings and lists, each prefixed with its length. Private to one process: no
// version, no byte-order or layout promise (the hard archive's form is record_codec.h).
//
// Thread safety: the functions touch only their arguments.
#ifndef MAGENT_SRC_ARCHIVE_COMPACT_RECORD_H_
#define MAGENT_SRC_ARCHIVE_COMPACT_RECORD_H_

#include <cstddef>

#include "magent/clock.h"
#include "magent/event.h"
#include "magent/ids.h"

namespace magent::internal {

// At least the bytes EncodeCompact writes for `record`.
std::size_t CompactSizeBound(const EventRecord& record);
// Writes `record` at `out`, which has room for CompactSizeBound(record) bytes. Returns the
// end of what it wrote.
char* EncodeCompact(const EventRecord& record, char* out);
// Overwrites `record` with the one encoded at `in`, reusing its strings' and lists' storage.
void DecodeCompact(const char* in, EventRecord& record);

// Fields of the record encoded at `in`, read without decoding it.
EventId CompactId(const char* in);
TimePoint CompactFinished(const char* in);

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_COMPACT_RECORD_H_
