#include "archive/archive_keys.h"

#include <chrono>

namespace magent::internal {

namespace {

// Signed nanoseconds to an unsigned number in the same order, inverted: later is smaller.
std::uint64_t InvertedTime(TimePoint t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  return ~(static_cast<std::uint64_t>(ns.count()) ^ (std::uint64_t{1} << 63));
}

std::string Tagged(char tag, std::uint64_t v) {
  std::string key(1, tag);
  AppendU64(key, v);
  return key;
}

}  // namespace

void AppendU64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

std::uint64_t ReadU64(std::string_view bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(bytes[i]);
  return v;
}

std::string OrderKey(TimePoint finished, std::uint64_t sequence) {
  std::string key;
  key.reserve(kOrderSize);
  AppendU64(key, InvertedTime(finished));
  AppendU64(key, ~sequence);
  return key;
}

TimePoint OrderFinished(std::string_view order) {
  const auto ns = static_cast<std::int64_t>(~ReadU64(order) ^ (std::uint64_t{1} << 63));
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(ns)));
}

std::string OrderBefore(TimePoint t) {
  // Sequence numbers start at 1, so ~0 after t's own time is past every record of time t.
  std::string key;
  AppendU64(key, InvertedTime(t));
  AppendU64(key, ~std::uint64_t{0});
  return key;
}

std::string IdPrefix(EventId id) { return Tagged(kIdTag, id.value()); }
std::string AgentPrefix(AgentId agent) { return Tagged(kAgentTag, agent.value()); }
std::string SourcePrefix(SourceId source) { return Tagged(kSourceTag, source.value()); }

std::string KindPrefix(std::string_view kind) {
  // The length keeps "buy" entries apart from "buyer" ones.
  std::string key = Tagged(kKindTag, kind.size());
  key.append(kind);
  return key;
}

std::string OutcomePrefix(Outcome outcome) { return {kOutcomeTag, static_cast<char>(outcome)}; }

std::string EncodeCursor(std::string_view order) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : order) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::string> DecodeCursor(std::string_view cursor) {
  if (cursor.size() != 2 * kOrderSize) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string order;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    const int hi = nibble(cursor[i]), lo = nibble(cursor[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    order.push_back(static_cast<char>(hi << 4 | lo));
  }
  return order;
}

}  // namespace magent::internal
