// The journal's entries as bytes: Boost.Serialization binary archives without a header,
// one per entry, each with its class version, so a later magent reads what an earlier one
// wrote (a newer entry than this build knows is Corruption, never a guess).
//
// Thread safety: stateless functions.
#ifndef MAGENT_SRC_ARCHIVE_JOURNAL_CODEC_H_
#define MAGENT_SRC_ARCHIVE_JOURNAL_CODEC_H_

#include <string>
#include <string_view>

#include "core/journal.h"

namespace magent::internal {

std::string EncodeSource(const JournalSource& source);
std::string EncodeAgent(const JournalAgent& agent);
std::string EncodeEventState(AgentId agent, bool frozen_self, TimePoint started);
// EncodeEventBody is declared in core/journal.h: the scheduler calls it.

// Corruption when `bytes` is not an entry of that type this build can read.
Status DecodeSource(std::string_view bytes, JournalSource& out);
Status DecodeAgent(std::string_view bytes, JournalAgent& out);
// Fill `out` except its id, and state fields (DecodeEventState).
Status DecodeEventBody(std::string_view bytes, JournalEvent& out);
Status DecodeEventState(std::string_view bytes, JournalEvent& out);

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_JOURNAL_CODEC_H_
