// The calendar store's value decoders (plugins/imip/src/store_records.cc) on arbitrary
// bytes: the first byte picks the record type. Each returns Corruption or a value, and a
// value it returns encodes to bytes that decode to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store_records.h"

namespace {

// Decodes `bytes` with `decode`; a value must survive encoding and decoding again.
template <typename Decode>
void RoundTrip(std::string_view bytes, Decode decode) {
  auto first = decode(bytes);
  if (!first.ok()) return;
  const std::string once = magent::imip::internal::Encode(*first);
  auto second = decode(once);
  if (!second.ok() || magent::imip::internal::Encode(*second) != once) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace magent::imip::internal;
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      RoundTrip(bytes, [](std::string_view b) { return DecodeObject(b); });
      break;
    case 1:
      RoundTrip(bytes, DecodeCounter);
      break;
    case 2:
      RoundTrip(bytes, DecodeQuotaEntry);
      break;
    case 3:
      RoundTrip(bytes, DecodeBusy);
      break;
    case 4:
      RoundTrip(bytes, DecodePlaces);
      break;
    default:
      RoundTrip(bytes, DecodeGroups);
      break;
  }
  return 0;
}
