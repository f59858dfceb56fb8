// The resources one message is for, and the cap on how many its To and Cc may name
// (issue 15: a message naming a thousand attendees made a thousand replies).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using testing::kNow;

// A REQUEST from alice to `rooms` rooms, all in To and all attendees.
struct Invitation {
  MailMessage mail;
  ItipMessage itip;
};

Invitation ForRooms(int rooms) {
  std::string attendees;
  Invitation out;
  out.mail.from = {"alice@example.com"};
  for (int i = 0; i < rooms; ++i) {
    const std::string room = "room" + std::to_string(i) + "@example.com";
    out.mail.to.push_back(room);
    attendees += "ATTENDEE;CUTYPE=ROOM:mailto:" + room + "\r\n";
  }
  out.mail.calendars = {
      {.text = "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
               "BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20261201T070000Z\r\n"
               "DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\n"
               "ORGANIZER:mailto:alice@example.com\r\n" +
               attendees + "END:VEVENT\r\nEND:VCALENDAR\r\n"}};
  out.itip = ParseItip(out.mail.calendars[0].text).value();
  return out;
}

TEST(ResourcesAddressedTest, Issue15ToAndCcMayNameNoMoreResourcesThanTheCap) {
  const Invitation twenty = ForRooms(20);
  auto at_cap = ResourcesAddressed(twenty.mail, twenty.itip, {}, 20);
  ASSERT_TRUE(at_cap.ok()) << at_cap.status().message();
  EXPECT_EQ(at_cap->size(), 20u);

  const Invitation thousand = ForRooms(1000);
  auto over = ResourcesAddressed(thousand.mail, thousand.itip, {}, 20);
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(over.status().message().find("1000 resources"), std::string::npos)
      << over.status().message();

  // The MTA's -o list is the MTA's to bound: a delivery names the resources it is for.
  auto named = ResourcesAddressed(thousand.mail, thousand.itip, {"room7@example.com"}, 20);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(*named, std::vector<std::string>{"room7@example.com"});
}

class ResourceCapTest : public testing::ResourceFixture {};

TEST_F(ResourceCapTest, Issue15TheSchedulerRefusesAMessageOverTheCapAndBooksNothing) {
  const Invitation many = ForRooms(3);
  ResourceOptions options;
  options.preferences_dir = (dir_.root() / "prefs").string();
  options.max_resources_per_message = 2;
  ResourceScheduler scheduler(*store_, options);
  auto refused = scheduler.Handle(many.mail, many.mail.calendars[0], {}, {}, kNow);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);

  options.max_resources_per_message = 3;
  ResourceScheduler larger(*store_, options);
  auto handled = larger.Handle(many.mail, many.mail.calendars[0], {}, {}, kNow);
  ASSERT_TRUE(handled.ok()) << handled.status().message();
  ASSERT_EQ(handled->decisions.size(), 3u);
  // The refused message booked nothing: every room was still free.
  for (const Decision& d : handled->decisions) EXPECT_EQ(d.verdict, Verdict::kAccepted);
}

}  // namespace
}  // namespace magent::imip
