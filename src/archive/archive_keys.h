// The hard archive's keys. Every key of a record ends with its 16-byte order key (finish
// time, then arrival sequence, both inverted), so within any one index a forward scan
// meets the newest record first, a time range is a key range, and a cursor (an order
// key) means the same place in every index. See docs/archive.md.
//
//   r <order>                          -> the encoded record (the primary copy)
//   i <event id> <order>               -> ""  (Get by id: the first entry is the newest)
//   a <agent id> <order>               -> ""
//   s <source id> <order>              -> ""  (the agent's source and every event source:
//                                              serves ArchiveQuery::source and backed_by)
//   k <kind length> <kind> <order>     -> ""
//   o <outcome> <order>                -> ""
//   ~seq, ~count                       -> the next sequence number, the records held
//
// Numbers are big-endian so bytewise order is numeric order.
#ifndef MAGENT_SRC_ARCHIVE_ARCHIVE_KEYS_H_
#define MAGENT_SRC_ARCHIVE_ARCHIVE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "magent/event.h"

namespace magent::internal {

// Key tags; stored on disk, never change them.
inline constexpr char kRecordTag = 'r';
inline constexpr char kIdTag = 'i';
inline constexpr char kAgentTag = 'a';
inline constexpr char kSourceTag = 's';
inline constexpr char kKindTag = 'k';
inline constexpr char kOutcomeTag = 'o';
inline constexpr std::string_view kSequenceKey = "~seq";
inline constexpr std::string_view kCountKey = "~count";

inline constexpr std::size_t kOrderSize = 16;

// Smaller for a later finish, then for a later arrival.
std::string OrderKey(TimePoint finished, std::uint64_t sequence);
// The finish time an order key holds.
TimePoint OrderFinished(std::string_view order);
// The smallest order key of a record that finished before `t`.
std::string OrderBefore(TimePoint t);

void AppendU64(std::string& out, std::uint64_t v);
std::uint64_t ReadU64(std::string_view bytes);  // REQUIRES: bytes.size() >= 8.

// Index prefixes: a record's key in an index is prefix + order key.
std::string IdPrefix(EventId id);
std::string AgentPrefix(AgentId agent);
std::string SourcePrefix(SourceId source);
std::string KindPrefix(std::string_view kind);
std::string OutcomePrefix(Outcome outcome);

// Cursors are the order key in hex, so they are printable.
std::string EncodeCursor(std::string_view order);
std::optional<std::string> DecodeCursor(std::string_view cursor);

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_ARCHIVE_KEYS_H_
