// The journal's entry decoder (src/archive/journal_codec.cc) on arbitrary bytes: the first
// byte picks the entry type. Each returns Corruption or an entry, and an entry it returns
// encodes to bytes that decode to the same entry.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "archive/journal_codec.h"

namespace magent::internal {
namespace {

JournalDecoder& Decoder() {
  static JournalDecoder decoder;
  return decoder;
}

void Source(std::string_view bytes) {
  JournalSource first;
  if (!Decoder().Source(bytes, first).ok()) return;
  const std::string once = EncodeSource(first);
  JournalSource second;
  if (!Decoder().Source(once, second).ok() || EncodeSource(second) != once) std::abort();
}

void Agent(std::string_view bytes) {
  JournalAgent first;
  if (!Decoder().Agent(bytes, first).ok()) return;
  const std::string once = EncodeAgent(first);
  JournalAgent second;
  if (!Decoder().Agent(once, second).ok() || EncodeAgent(second) != once) std::abort();
}

std::string EncodeBody(const JournalEvent& e) {
  return EncodeEventBody(e.spec, e.agent, e.parent, e.created, e.due);
}

void EventBody(std::string_view bytes) {
  JournalEvent first;
  if (!Decoder().EventBody(bytes, first).ok()) return;
  const std::string once = EncodeBody(first);
  JournalEvent second;
  if (!Decoder().EventBody(once, second).ok() || EncodeBody(second) != once) std::abort();
}

// States with what the Sentinel decided: revoked, a quorum and the signatures collected.
void EventState(std::string_view bytes) {
  JournalEventState first;
  if (!Decoder().EventState(bytes, first).ok()) return;
  const std::string once = EncodeEventState(first);
  JournalEventState second;
  if (!Decoder().EventState(once, second).ok() || EncodeEventState(second) != once) std::abort();
}

}  // namespace
}  // namespace magent::internal

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      magent::internal::Source(bytes);
      break;
    case 1:
      magent::internal::Agent(bytes);
      break;
    case 2:
      magent::internal::EventBody(bytes);
      break;
    default:
      magent::internal::EventState(bytes);
      break;
  }
  return 0;
}
