// Preferences in imip-agent's layout, on real files.
#include "magent/imip/preferences.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "testing/temp_dir.h"

namespace magent::imip {
namespace {

class PreferencesTest : public ::testing::Test {
 protected:
  void Write(const std::string& user, const std::string& name, const std::string& text) {
    const auto dir = dir_.root() / ("mailto:" + user);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << text;
  }
  testing::TempDir dir_;
  SystemConfig config_ = SystemConfig::Parse(
                             "# system defaults\n"
                             "SHARING_DEFAULT = \"share\"\n"
                             "MESSAGE_SENDER='calendar@example.com'  # the From of replies\n"
                             "EMPTY =\n")
                             .value();
};

TEST_F(PreferencesTest, AFileWinsOverTheSystemDefaultWhichWinsOverTheFallback) {
  Write("room1@example.com", "freebusy_sharing", "no\n");
  Write("room1@example.com", "CN", "  Room 1 – Café \n");
  auto room1 = Preferences::Open(dir_.root().string(), "room1@example.com", config_);
  ASSERT_TRUE(room1.ok()) << room1.status().message();
  EXPECT_TRUE(room1->exists());
  EXPECT_EQ(room1->Get("freebusy_sharing", "SHARING_DEFAULT", "no"), "no");
  EXPECT_EQ(room1->Get("CN"), "Room 1 – Café");

  auto room2 = Preferences::Open(dir_.root().string(), "room2@example.com", config_);
  ASSERT_TRUE(room2.ok());
  EXPECT_FALSE(room2->exists());
  EXPECT_EQ(room2->Get("freebusy_sharing", "SHARING_DEFAULT", "no"), "share");
  EXPECT_EQ(room2->Get("event_refreshing", "REFRESHING_DEFAULT", "never"), "never");
  EXPECT_EQ(room2->Get("CN"), "");
}

// One message sees one set of preferences: what the directory held when they were opened,
// each file as first read (an edit takes effect from the next message on).
TEST_F(PreferencesTest, AMessageSeesTheFilesAsTheyWereWhenFirstRead) {
  Write("room1@example.com", "CN", "Room 1\n");
  auto room1 = Preferences::Open(dir_.root().string(), "room1@example.com", config_);
  ASSERT_TRUE(room1.ok());
  EXPECT_EQ(room1->Get("CN"), "Room 1");
  Write("room1@example.com", "CN", "Room One\n");
  Write("room1@example.com", "TZID", "Europe/Berlin\n");
  EXPECT_EQ(room1->Get("CN"), "Room 1");
  EXPECT_EQ(room1->Get("TZID", {}, "UTC"), "UTC");

  auto next = Preferences::Open(dir_.root().string(), "room1@example.com", config_);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->Get("CN"), "Room One");
  EXPECT_EQ(next->Get("TZID", {}, "UTC"), "Europe/Berlin");
}

TEST_F(PreferencesTest, ReadsMultiLineSettingsLineByLine) {
  Write("room1@example.com", "scheduling_function",
        "schedule_in_freebusy 2\n\n  access_control_list  \n");
  auto room1 = Preferences::Open(dir_.root().string(), "room1@example.com", config_);
  ASSERT_TRUE(room1.ok());
  EXPECT_EQ(room1->Lines("scheduling_function", {}, "schedule_in_freebusy"),
            (std::vector<std::string>{"schedule_in_freebusy 2", "access_control_list"}));
  auto room2 = Preferences::Open(dir_.root().string(), "room2@example.com", config_);
  EXPECT_EQ(room2->Lines("scheduling_function", {}, "schedule_in_freebusy"),
            std::vector<std::string>{"schedule_in_freebusy"});
}

TEST_F(PreferencesTest, NeverTurnsAnUnsafeAddressIntoAPath) {
  for (const char* user : {"../etc@example.com", "a/b@example.com", "room\n1@example.com", "", "..",
                           "room1@example.com/..", "a\\b@example.com"}) {
    EXPECT_EQ(Preferences::Open(dir_.root().string(), user, config_).status().code(),
              StatusCode::kInvalidArgument)
        << user;
  }
}

TEST_F(PreferencesTest, WithoutADirectoryEverySettingTakesItsDefault) {
  auto prefs = Preferences::Open("", "room1@example.com", config_);
  ASSERT_TRUE(prefs.ok());
  EXPECT_FALSE(prefs->exists());
  EXPECT_EQ(prefs->Get("TZID", {}, "UTC"), "UTC");
}

// A setting whose file cannot be read must not pass for a missing one (its default): a
// `scheduling_function` that declines strangers, unread, would let them in. Open refuses,
// naming the file, and never waits on what it finds (a FIFO, a device) nor reads on
// without end.
TEST_F(PreferencesTest, AFileThatCannotBeReadIsAnErrorNamingItIssue15) {
  namespace fs = std::filesystem;
  const fs::path user = dir_.root() / "mailto:room1@example.com";
  const fs::path file = user / "scheduling_function";
  const std::vector<std::pair<std::string, std::function<void()>>> cases = {
      {"a directory", [&] { fs::create_directory(file); }},
      {"a FIFO", [&] { ASSERT_EQ(mkfifo(file.c_str(), 0600), 0); }},
      {"a link to nothing", [&] { fs::create_symlink(user / "nothing", file); }},
      {"a link to itself", [&] { fs::create_symlink(file, file); }},
      {"a device that never ends", [&] { fs::create_symlink("/dev/zero", file); }},
      {"a file over 1 MiB", [&] { std::ofstream(file) << std::string(1024 * 1024 + 1, 'x'); }},
  };
  for (const auto& [what, make] : cases) {
    Write("room1@example.com", "CN", "Room 1\n");
    make();
    auto prefs = Preferences::Open(dir_.root().string(), "room1@example.com", config_);
    EXPECT_EQ(prefs.status().code(), StatusCode::kFailedPrecondition) << what;
    EXPECT_NE(prefs.status().message().find("'" + file.string() + "' cannot be read"),
              std::string::npos)
        << what << ": " << prefs.status().message();
    fs::remove_all(user);
  }
  // 1 MiB is still a setting.
  Write("room1@example.com", "acl", std::string(1024 * 1024, '#'));
  EXPECT_TRUE(Preferences::Open(dir_.root().string(), "room1@example.com", config_).ok());
}

TEST_F(PreferencesTest, AUserDirectoryThatCannotBeListedIsAnErrorIssue15) {
  namespace fs = std::filesystem;
  const fs::path user = dir_.root() / "mailto:room1@example.com";
  std::ofstream(user) << "not a directory\n";
  EXPECT_EQ(Preferences::Open(dir_.root().string(), "room1@example.com", config_).status().code(),
            StatusCode::kFailedPrecondition);
  fs::remove(user);
  fs::create_symlink(dir_.root() / "gone", user);
  EXPECT_EQ(Preferences::Open(dir_.root().string(), "room1@example.com", config_).status().code(),
            StatusCode::kFailedPrecondition);
  // The root (-p) a file: no directory can be in it, which is no "no preferences" either.
  const fs::path root_file = dir_.root() / "prefs-file";
  std::ofstream(root_file) << "not a directory\n";
  EXPECT_EQ(Preferences::Open(root_file.string(), "room1@example.com", config_).status().code(),
            StatusCode::kFailedPrecondition);
  // A root that is not there is: every setting takes its default.
  EXPECT_TRUE(
      Preferences::Open((dir_.root() / "none").string(), "room1@example.com", config_).ok());
}

// Editors leave lock and swap files beside the file being edited (Emacs: a link to
// nothing); no setting's name starts with a dot, so they are not read.
TEST_F(PreferencesTest, NamesStartingWithADotAreNoSettings) {
  Write("room1@example.com", "CN", "Room 1\n");
  std::filesystem::create_symlink("root@host.1234",
                                  dir_.root() / "mailto:room1@example.com" / ".#CN");
  auto prefs = Preferences::Open(dir_.root().string(), "room1@example.com", config_);
  ASSERT_TRUE(prefs.ok()) << prefs.status().message();
  EXPECT_EQ(prefs->Get("CN"), "Room 1");
}

TEST(SystemConfigTest, ReadsSettingsAndRefusesWhatIsNone) {
  auto config = SystemConfig::Parse("A = 1\nB=\"two words\"\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->Get("A"), "1");
  EXPECT_EQ(config->Get("B"), "two words");
  EXPECT_FALSE(config->Get("C"));
  auto bad = SystemConfig::Parse("A = 1\nthis is not a setting\n");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(SystemConfig::Load("/nonexistent/config.txt").status().code(), StatusCode::kNotFound);
  // Something there that is no file is not "no configuration".
  EXPECT_EQ(SystemConfig::Load("/dev/zero").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SystemConfig::Load("/").status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace magent::imip
