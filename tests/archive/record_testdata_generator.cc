// Prints the full record of the current version (testing::FullRecordV3()) encoded by the
// current record codec, in hex, one line.
// tests/archive/testdata/README.md says when and how its output was frozen.
#include <iostream>
#include <string>

#include "archive/record_codec.h"
#include "archive/record_fixture.h"

int main() {
  std::string bytes;
  magent::internal::EncodeRecord(magent::testing::FullRecordV3(), bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : bytes) std::cout << kHex[c >> 4] << kHex[c & 15];
  std::cout << '\n';
  std::cerr << "record version " << magent::internal::kRecordVersion << ", " << bytes.size()
            << " bytes\n";
  return 0;
}
