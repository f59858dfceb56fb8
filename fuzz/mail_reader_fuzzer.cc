// ReadMail (plugins/imip/src/mail_reader.cc) on arbitrary bytes: a message or
// InvalidArgument, never a crash, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "magent/imip/mail.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto mail = magent::imip::ReadMail(std::string_view(reinterpret_cast<const char*>(data), size));
  (void)mail;
  return 0;
}
