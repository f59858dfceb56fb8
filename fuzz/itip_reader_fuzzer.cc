// ParseItip (plugins/imip/src/itip_reader.cc) on arbitrary text, with its repairs (a
// Content-Type method, Windows and IANA zone names, missing METHOD/PRODID/VERSION) and the
// copies of the calendar's own VTIMEZONEs (calendar_zones.cc). The first byte picks the
// options; the rest is the calendar.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "magent/imip/itip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 4> kMethods = {"", "REQUEST", "cancel", "bogus"};
  static constexpr std::array<std::string_view, 4> kZones = {
      "UTC", "Europe/Paris", "W. Europe Standard Time", "Nowhere/Zone"};
  if (size == 0) return 0;
  magent::imip::ItipOptions options;
  options.content_type_method = kMethods[data[0] & 3];
  options.default_tzid = kZones[(data[0] >> 2) & 3];
  auto message = magent::imip::ParseItip(
      std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), options);
  (void)message;
  return 0;
}
