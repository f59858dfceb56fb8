// Free/busy publishing (-P): a resource that shares and publishes its free/busy has it
// written as a VFREEBUSY file after each message it handles.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

std::string Calendar(const std::string& method, const std::string& uid, const std::string& start,
                     const std::string& end) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + method +
         "\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:" + start +
         "\r\nDTEND:" + end + "\r\nSUMMARY:" + uid +
         "\r\nORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE;CUTYPE=ROOM:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class FreeBusyPublisherTest : public testing::ResourceFixture {
 protected:
  void SetUp() override {
    publish_dir_ = dir_ / "publish";
    Prefer("freebusy_sharing", "share");
    Prefer("freebusy_publishing", "publish");
  }
  std::filesystem::path Published() const {
    return std::filesystem::path(publish_dir_) / "mailto:room1@example.com" / "freebusy";
  }
  std::string Read() const {
    std::ifstream in(Published(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

TEST_F(FreeBusyPublisherTest, ABookingIsPublishedAsAVFreeBusyOverTheWindow) {
  Prefer("CN", "Room 1");
  ASSERT_EQ(Decide(Calendar("REQUEST", "a", "20261202T100000Z", "20261202T110000Z")).verdict,
            Verdict::kAccepted);
  const std::string text = Read();
  EXPECT_TRUE(Has(text, "METHOD:PUBLISH")) << text;
  EXPECT_TRUE(Has(text, "BEGIN:VFREEBUSY")) << text;
  EXPECT_TRUE(Has(text, "ORGANIZER;CN=Room 1:mailto:room1@example.com")) << text;
  // The window: from now (kNow, 1 December 08:00) for 100 days.
  EXPECT_TRUE(Has(text, "DTSTART:20261201T080000Z")) << text;
  EXPECT_TRUE(Has(text, "DTEND:20270311T080000Z")) << text;
  EXPECT_TRUE(Has(text, "FREEBUSY;FBTYPE=BUSY:20261202T100000Z/20261202T110000Z")) << text;
  // Written through a temporary file that is gone once renamed.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(Published().parent_path())) {
    EXPECT_EQ(entry.path().filename(), "freebusy");
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(FreeBusyPublisherTest, ACancellationIsPublishedWithoutThePeriod) {
  Decide(Calendar("REQUEST", "a", "20261202T100000Z", "20261202T110000Z"));
  Decide(Calendar("REQUEST", "b", "20261203T100000Z", "20261203T110000Z"));
  ASSERT_EQ(Decide(Calendar("CANCEL", "a", "20261202T100000Z", "20261202T110000Z")).verdict,
            Verdict::kReleased);
  const std::string text = Read();
  EXPECT_FALSE(Has(text, "20261202T100000Z/")) << text;
  EXPECT_TRUE(Has(text, "FREEBUSY;FBTYPE=BUSY:20261203T100000Z/20261203T110000Z")) << text;
}

TEST_F(FreeBusyPublisherTest, PeriodsBeyondTheWindowAreNotPublished) {
  Decide(Calendar("REQUEST", "far", "20270601T100000Z", "20270601T110000Z"));
  const std::string text = Read();
  EXPECT_TRUE(Has(text, "BEGIN:VFREEBUSY")) << text;
  EXPECT_FALSE(Has(text, "FREEBUSY;")) << text;
}

TEST_F(FreeBusyPublisherTest, OffersAreNotPublished) {
  Prefer("scheduling_function", "schedule_corrected_in_freebusy");
  Prefer("permitted_times", "0");
  Prefer("freebusy_offers", "PT1H");
  ASSERT_EQ(Decide(Calendar("REQUEST", "odd", "20261202T101500Z", "20261202T111500Z")).verdict,
            Verdict::kCountered);
  const std::string text = Read();
  EXPECT_TRUE(Has(text, "BEGIN:VFREEBUSY")) << text;
  EXPECT_FALSE(Has(text, "FREEBUSY;")) << text;
}

TEST_F(FreeBusyPublisherTest, NothingIsPublishedWithoutBothPreferences) {
  Prefer("freebusy_publishing", "no");
  Decide(Calendar("REQUEST", "a", "20261202T100000Z", "20261202T110000Z"));
  EXPECT_FALSE(std::filesystem::exists(Published()));

  // imip-agent publishes only what the user shares.
  Prefer("freebusy_publishing", "publish");
  Prefer("freebusy_sharing", "no");
  Decide(Calendar("REQUEST", "b", "20261203T100000Z", "20261203T110000Z"));
  EXPECT_FALSE(std::filesystem::exists(Published()));
}

TEST_F(FreeBusyPublisherTest, AnUnwritablePublishDirectoryMeansTryAgainLater) {
  publish_dir_ = dir_ / "a_file";
  std::ofstream(publish_dir_) << "not a directory\n";
  const std::string request = Calendar("REQUEST", "a", "20261202T100000Z", "20261202T110000Z");
  MailMessage mail{.from = {"alice@example.com"}, .calendars = {{.text = request}}};
  ResourceOptions options;
  options.preferences_dir = (dir_.root() / "prefs").string();
  options.publish_dir = publish_dir_;
  ResourceScheduler scheduler(*store_, options);
  auto handled =
      scheduler.Handle(mail, mail.calendars[0], {"room1@example.com"}, {}, testing::kNow);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.status().code(), StatusCode::kUnavailable) << handled.status().message();

  // The decision was kept: once the directory can be written, the retry is answered the
  // same and published.
  publish_dir_ = dir_ / "publish";
  HandledMessage retry = Handle(request);
  ASSERT_EQ(retry.decisions.size(), 1u);
  EXPECT_EQ(retry.decisions[0].verdict, Verdict::kAccepted);
  EXPECT_TRUE(Has(retry.decisions[0].why.English(), "as before"));
  EXPECT_TRUE(Has(Read(), "FREEBUSY;FBTYPE=BUSY:20261202T100000Z/20261202T110000Z"));
}

}  // namespace
}  // namespace magent::imip
