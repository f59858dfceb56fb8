// The hard archive's record decoder (src/archive/record_codec.cc) on arbitrary bytes: it
// returns Corruption or a record, and a record it returns encodes to bytes that decode to
// the same record.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "archive/record_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static magent::internal::RecordDecoder decoder;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto record = decoder.Decode(bytes);
  if (!record.ok()) return 0;
  std::string once;
  magent::internal::EncodeRecord(*record, once);
  auto again = decoder.Decode(once);
  if (!again.ok()) std::abort();
  std::string twice;
  magent::internal::EncodeRecord(*again, twice);
  if (once != twice) std::abort();
  return 0;
}
