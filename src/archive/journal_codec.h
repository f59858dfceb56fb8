// The journal's entries as bytes: Boost.Serialization binary archives, each entry with its
// version first, so a later magent reads what an earlier one wrote (an entry newer than
// this build knows is Corruption, never a guess).
//
// Thread safety: the Encode functions are thread-safe. A JournalDecoder is used by one
// thread at a time.
#ifndef MAGENT_SRC_ARCHIVE_JOURNAL_CODEC_H_
#define MAGENT_SRC_ARCHIVE_JOURNAL_CODEC_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/journal.h"

namespace magent::internal {

std::string EncodeSource(const JournalSource& source);
std::string EncodeAgent(const JournalAgent& agent);
std::string EncodeEventState(const JournalEventState& state);
// EncodeEventBody is declared in core/journal.h: the scheduler calls it.

// Puts what its source changed (`event.modified`, from its state entry) over the event's
// body as scheduled, so it is restored as it was last changed.
void ApplyModified(JournalEvent& event);

// Reads entries, one archive for all of them. Each method returns Corruption when `bytes`
// is not an entry of that type this build can read.
class JournalDecoder {
 public:
  JournalDecoder();
  ~JournalDecoder();
  JournalDecoder(const JournalDecoder&) = delete;
  JournalDecoder& operator=(const JournalDecoder&) = delete;

  Status Source(std::string_view bytes, JournalSource& out);
  Status Agent(std::string_view bytes, JournalAgent& out);
  // Fills `out` but its id and its state fields (EventState fills those).
  Status EventBody(std::string_view bytes, JournalEvent& out);
  Status EventState(std::string_view bytes, JournalEventState& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_JOURNAL_CODEC_H_
