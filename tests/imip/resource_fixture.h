// A resource (room1@example.com, or another one named) with real preference files, a
// quota journal directory and a real LevelDB store in a temp directory, deciding on
// calendars written by the tests.
#ifndef MAGENT_TESTS_IMIP_RESOURCE_FIXTURE_H_
#define MAGENT_TESTS_IMIP_RESOURCE_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "magent/imip/resource.h"
#include "testing/temp_dir.h"

namespace magent::imip::testing {

// Tuesday 1 December 2026, 08:00 UTC.
inline const UtcTime kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(8);

class ResourceFixture : public ::testing::Test {
 protected:
  void Prefer(const std::string& name, const std::string& value,
              const std::string& resource = "room1@example.com") {
    const auto dir = dir_.root() / "prefs" / ("mailto:" + resource);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << value << "\n";
  }
  // The scheduler's result as it is, also when it could not decide.
  Result<HandledMessage> TryHandle(const std::string& calendar, UtcTime now = kNow,
                                   const std::string& from = "alice@example.com",
                                   const std::string& resource = "room1@example.com") {
    MailMessage mail{.from = {from}, .calendars = {{.text = calendar}}};
    ResourceOptions options;
    options.preferences_dir = (dir_.root() / "prefs").string();
    options.journal_dir = (dir_.root() / "journal").string();
    options.publish_dir = publish_dir_;
    ResourceScheduler scheduler(*store_, options);
    return scheduler.Handle(mail, mail.calendars[0], {resource}, {}, now);
  }
  HandledMessage Handle(const std::string& calendar, UtcTime now = kNow,
                        const std::string& from = "alice@example.com",
                        const std::string& resource = "room1@example.com") {
    auto handled = TryHandle(calendar, now, from, resource);
    EXPECT_TRUE(handled.ok()) << handled.status().message();
    return handled.ok() ? std::move(*handled) : HandledMessage{};
  }
  Decision Decide(const std::string& calendar, const std::string& from = "alice@example.com") {
    HandledMessage h = Handle(calendar, kNow, from);
    EXPECT_EQ(h.decisions.size(), 1u);
    return h.decisions.empty() ? Decision{} : h.decisions[0];
  }

  magent::testing::TempDir dir_;
  std::string publish_dir_;  // -P; empty: nothing is published.
  std::unique_ptr<CalendarStore> store_ = OpenLevelDbStore({.path = dir_ / "store"}).value();
};

}  // namespace magent::imip::testing

#endif  // MAGENT_TESTS_IMIP_RESOURCE_FIXTURE_H_
