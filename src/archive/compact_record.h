// Event records <-> bytes, as MemoryArchive keeps them in memory and PastRecordBatch carries
// them to an archive: fixed fields packed at fixed offsets (the id and the finish time
// first, so purging reads them without decoding), then the variable fields that are not
// empty, each string prefixed with its length. Private to one process: no version, no
// byte-order or layout promise (the hard archive's form is record_codec.h).
//
// Thread safety: the functions touch only their arguments.
#ifndef MAGENT_SRC_ARCHIVE_COMPACT_RECORD_H_
#define MAGENT_SRC_ARCHIVE_COMPACT_RECORD_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "magent/clock.h"
#include "magent/event.h"
#include "magent/ids.h"

namespace magent::internal {

// A record's fields by reference: what EncodeCompact writes. The scheduler fills one from
// its own event node, so a Past record is encoded without an EventRecord being built (and
// its strings copied) first. A null list, goal or payload stands for an empty one.
struct RecordFields {
  EventId id;
  std::string_view kind;
  AgentId agent;
  SourceId agent_source;
  EventId parent;
  const std::vector<SourceWeight>* sources = nullptr;
  const std::vector<Activant>* activants = nullptr;
  const std::vector<Passivant>* passivants = nullptr;
  const Text* goal = nullptr;
  const std::string* payload = nullptr;
  EventState state = EventState::kFuture;
  Outcome outcome = Outcome::kNone;
  // Null: what a record says when nothing said why it ended ("Succeeded.", "Killed.", ...
  // for its outcome; empty for kNone). Written as one bit.
  const Text* result = nullptr;
  bool frozen = false;
  bool orphaned = false;
  Duration allowable = Duration::max();
  Duration actual = Duration::zero();
  Duration frozen_for = Duration::zero();
  const std::vector<Extension>* extensions = nullptr;
  const std::vector<EventChange>* history = nullptr;
  TimePoint created{};
  TimePoint due{};
  TimePoint started{};
  TimePoint finished{};
};

// `record`'s fields; valid while `record` is.
RecordFields FieldsOf(const EventRecord& record);

// At least the bytes EncodeCompact writes for `fields`.
std::size_t CompactSizeBound(const RecordFields& fields);
// Writes `fields` at `out`, which has room for CompactSizeBound(fields) bytes. Returns the
// end of what it wrote.
char* EncodeCompact(const RecordFields& fields, char* out);
// Overwrites `record` with the one encoded at `in`, reusing its strings' and lists' storage.
void DecodeCompact(const char* in, EventRecord& record);
// Overwrites `record` with `fields`, through the encoding: one list of the fields to keep.
void CopyFields(const RecordFields& fields, EventRecord& record);

// Fields of the record encoded at `in`, read without decoding it.
EventId CompactId(const char* in);
TimePoint CompactFinished(const char* in);
EventState CompactState(const char* in);

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_COMPACT_RECORD_H_
