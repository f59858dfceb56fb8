// Everything that reads preference text, through the files a site writes: the system
// configuration (SystemConfig::Parse), a resource's `acl`, `permitted_times` and booking
// rules (Preferences, ReadBookingRules), and a quota group's `limits`, `delegates` and
// `groups` (LoadQuotaGroup). Each reads the text or names what it cannot read; what it
// reads is then used once, as the scheduler would.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "booking_rules.h"
#include "identity_policies.h"
#include "magent/imip/preferences.h"
#include "permitted_times.h"
#include "quota_group.h"

namespace magent::imip {
namespace {

constexpr std::string_view kUser = "room1@example.com";

// The preferences and journal directories, made once per process and removed at exit.
const std::filesystem::path& Root() {
  static const std::filesystem::path root = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "magent-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) abort();
    std::filesystem::path dir(pattern);
    std::filesystem::create_directories(dir / "prefs" / ("mailto:" + std::string(kUser)));
    std::filesystem::create_directories(dir / "journal" / "cars");
    atexit([] { std::filesystem::remove_all(Root()); });
    return dir;
  }();
  return root;
}

void Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

ItipObject Request() {
  ItipObject o;
  o.uid = "fuzz@example.com";
  o.organizer = CalendarUser{.address = "alice@example.com", .uri = "mailto:alice@example.com"};
  o.attendees.push_back({});
  o.attendees.back().address = std::string(kUser);
  // Whatever type the calendar's times have: a 2026 time converts to it.
  const decltype(CalendarTime::utc) start =
      std::chrono::sys_days(std::chrono::year(2026) / 12 / 2) + std::chrono::hours(10);
  o.start = CalendarTime{.utc = start, .tzid = "UTC"};
  o.end = CalendarTime{.utc = start + std::chrono::hours(1), .tzid = "UTC"};
  o.occurrences.push_back(
      {.period = {start, start + std::chrono::hours(1)}, .recurrence_id = start});
  return o;
}

}  // namespace
}  // namespace magent::imip

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace magent::imip;
  static constexpr std::array<const char*, 8> kRuleFiles = {
      "booking_window_days",    "enforce_scheduling_horizon",
      "min_duration",           "max_duration",
      "allow_recurring",        "conflict_percentage_allowed",
      "max_conflict_instances", "working_hours"};
  FuzzedDataProvider in(data, size);
  const std::filesystem::path& root = Root();
  const std::filesystem::path user = root / "prefs" / ("mailto:" + std::string(kUser));
  const std::filesystem::path group = root / "journal" / "cars";

  const std::string config_text = in.ConsumeRandomLengthString(512);
  Write(user / "acl", in.ConsumeRandomLengthString(512));
  Write(user / "permitted_times", in.ConsumeRandomLengthString(512));
  for (const char* name : kRuleFiles) std::filesystem::remove(user / name);
  Write(user / kRuleFiles[in.ConsumeIntegralInRange<std::size_t>(0, kRuleFiles.size() - 1)],
        in.ConsumeRandomLengthString(256));
  Write(group / "limits", in.ConsumeRandomLengthString(512));
  Write(group / "delegates", in.ConsumeRandomLengthString(256));
  Write(group / "groups", in.ConsumeRemainingBytesAsString());

  auto config = SystemConfig::Parse(config_text);
  const SystemConfig fallback;
  auto prefs =
      Preferences::Open((root / "prefs").string(), kUser, config.ok() ? *config : fallback);
  if (!prefs.ok()) abort();  // A fixed, valid user.
  const ItipObject request = Request();
  (void)internal::AccessControlList(prefs->Lines("acl"), request);
  if (auto permitted = internal::PermittedTimes::Parse(prefs->Lines("permitted_times"));
      permitted.ok()) {
    (void)permitted->Next(request.start->utc, "Europe/Paris");
  }
  if (auto rules = internal::ReadBookingRules(*prefs); rules.ok()) {
    (void)internal::ApplyBookingRules(*rules, request, request.occurrences,
                                      request.start->utc - std::chrono::days(1), "Europe/Paris");
  }
  if (auto quota = internal::LoadQuotaGroup((root / "journal").string(), "cars"); quota.ok()) {
    (void)quota->HolderOf("alice@example.com");
    (void)quota->LimitFor("alice@example.com");
  }
  return 0;
}
