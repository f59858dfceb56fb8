#include "time_zones.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace magent::imip::internal {
namespace {

icaltimezone* Builtin(const std::string& location) {
  if (location.empty()) return nullptr;
  if (location == "UTC" || location == "Etc/UTC" || location == "GMT") {
    return icaltimezone_get_utc_timezone();
  }
  return icaltimezone_get_builtin_timezone(location.c_str());
}

// CLDR's windowsZones mapping (territory "001", the zone Windows means by the name).
std::string IanaForWindows(std::string_view windows) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString iana;
  icu::TimeZone::getIDForWindowsID(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                       windows.data(), static_cast<int32_t>(windows.size()))),
                                   nullptr, iana, status);
  if (U_FAILURE(status) || iana.isBogus() || iana.isEmpty()) return {};
  std::string out;
  iana.toUTF8String(out);
  return out;
}

}  // namespace

ZoneLookup FindBuiltinZone(std::string_view tzid) {
  const std::string name(tzid);
  if (icaltimezone* zone = Builtin(name)) return {zone, {}};
  if (icaltimezone* zone = icaltimezone_get_builtin_timezone_from_tzid(name.c_str())) {
    return {zone, {}};
  }
  if (std::string iana = IanaForWindows(tzid); !iana.empty()) {
    if (icaltimezone* zone = Builtin(iana)) {
      return {zone, "Windows time zone '" + name + "' read as " + iana};
    }
  }
  // A prefixed name: the longest trailing part that is an IANA name.
  for (auto slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
    if (icaltimezone* zone = Builtin(name.substr(slash + 1))) {
      return {zone, "time zone '" + name + "' read as " + name.substr(slash + 1)};
    }
  }
  return {};
}

}  // namespace magent::imip::internal
