// Series expansion in ParseItip: a well-formed REQUEST whose recurrence the fuzzer writes
// (DTSTART, DTEND or DURATION, RRULE, RDATE, EXDATE, the zone they are in) and the window
// it is expanded over, so that every input exercises expansion rather than the parser.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "magent/imip/itip.h"

namespace {

// A VTIMEZONE as Outlook writes it: yearly rules from 1601.
constexpr std::string_view kOutlookZone =
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n";

// One property line; the fuzzer's text may break it into several, which is fine.
void Line(std::string& out, std::string_view name, const std::string& value) {
  out.append(name).append(value).append("\r\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 4> kZoneParams = {
      "", ";TZID=W. Europe Standard Time", ";TZID=America/New_York", ";VALUE=DATE"};
  FuzzedDataProvider in(data, size);
  const std::string_view zone = kZoneParams[in.ConsumeIntegralInRange(0, 3)];
  magent::imip::ItipOptions options;
  if (in.ConsumeBool()) {
    options.expand_from = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1) +
                          std::chrono::days(in.ConsumeIntegralInRange(-36500, 36500));
  }
  options.expand_for = std::chrono::hours(in.ConsumeIntegralInRange(0, 24 * 366 * 5));
  options.max_occurrences = in.ConsumeIntegralInRange<std::size_t>(1, 10000);

  std::string cal =
      "BEGIN:VCALENDAR\r\nPRODID:-//magent fuzz//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n";
  cal.append(kOutlookZone);
  cal.append(
      "BEGIN:VEVENT\r\nUID:series@example.com\r\nDTSTAMP:20261201T080000Z\r\n"
      "ORGANIZER:mailto:alice@example.com\r\nATTENDEE:mailto:room1@example.com\r\n");
  Line(cal, std::string("DTSTART").append(zone) + ":", in.ConsumeRandomLengthString(32));
  Line(cal, in.ConsumeBool() ? std::string("DTEND").append(zone) + ":" : "DURATION:",
       in.ConsumeRandomLengthString(32));
  Line(cal, "RRULE:", in.ConsumeRandomLengthString(128));
  if (in.ConsumeBool())
    Line(cal, std::string("RDATE").append(zone) + ":", in.ConsumeRandomLengthString(128));
  if (in.ConsumeBool())
    Line(cal, std::string("EXDATE").append(zone) + ":", in.ConsumeRandomLengthString(128));
  cal.append("END:VEVENT\r\nEND:VCALENDAR\r\n");
  auto message = magent::imip::ParseItip(cal, options);
  (void)message;
  return 0;
}
