// Replies and the mail that carries them, read back with the readers.
#include <gtest/gtest.h>

#include <chrono>

#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/reply.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

TimePoint Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

constexpr std::string_view kRequest =
    "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Office\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:sync-1@example.com\r\nSEQUENCE:1\r\nDTSTAMP:20261201T080000Z\r\n"
    "DTSTART;TZID=Office:20261202T100000\r\nDTEND;TZID=Office:20261202T110000\r\n"
    "SUMMARY:Team sync\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
    "ATTENDEE;CUTYPE=ROOM;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:room1@example.com\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

TEST(ReplyBuilderTest, AReplyCarriesOnlyTheAttendeesAnswer) {
  auto request = ParseItip(kRequest);
  ASSERT_TRUE(request.ok()) << request.status().message();
  auto reply = BuildReplyCalendar(*request, 0,
                                  {.attendee = "room1@example.com",
                                   .partstat = "ACCEPTED",
                                   .sent_by = "calendar@example.com",
                                   .request_status = "2.0;Success",
                                   .now = Utc(2026, 12, 1, 9)});
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(reply->find("VALARM"), std::string::npos);
  EXPECT_EQ(reply->find("RSVP"), std::string::npos);
  EXPECT_NE(reply->find("REQUEST-STATUS:2.0;Success"), std::string::npos);

  auto read = ParseItip(*reply);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->method, Method::kReply);
  const ItipObject& o = read->objects[0];
  EXPECT_EQ(o.uid, "sync-1@example.com");
  EXPECT_EQ(o.sequence, 1);
  EXPECT_EQ(o.dtstamp, Utc(2026, 12, 1, 9));
  EXPECT_EQ(o.start->utc, Utc(2026, 12, 2, 9));  // The VTIMEZONE came along.
  EXPECT_EQ(o.organizer->address, "alice@example.com");
  ASSERT_EQ(o.attendees.size(), 1u);
  EXPECT_EQ(o.attendees[0].address, "room1@example.com");
  EXPECT_EQ(o.attendees[0].partstat, "ACCEPTED");
  EXPECT_EQ(o.attendees[0].sent_by, "calendar@example.com");
}

// The whole event's REPLY, line for line: escaped commas stay escaped (a CATEGORIES item,
// an X- property), the request's REQUEST-STATUS and DTSTAMP give way to the reply's, and
// only the attendee's own line of the attendees remains.
TEST(ReplyBuilderTest, AWholeEventReplyKeepsEveryOtherPropertyAsWritten) {
  auto request = ParseItip(
      "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
      "BEGIN:VEVENT\r\nUID:sync-2@example.com\r\nDTSTAMP:20261201T080000Z\r\n"
      "DTSTART:20261202T090000Z\r\nDTEND:20261202T100000Z\r\nSUMMARY:Plan\\, review\r\n"
      "CATEGORIES:Work,Room\\, large\r\nX-MS-PROPS:{\"a\":1\\,\"b\":2}\r\n"
      "REQUEST-STATUS:2.0;Old answer\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n"
      "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
      "ATTENDEE;CUTYPE=ROOM;RSVP=TRUE:mailto:room1@example.com\r\n"
      "ATTENDEE:mailto:bob@example.com\r\n"
      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n");
  ASSERT_TRUE(request.ok()) << request.status().message();
  auto reply = BuildReplyCalendar(*request, 0,
                                  {.attendee = "room1@example.com",
                                   .partstat = "ACCEPTED",
                                   .sent_by = "calendar@example.com",
                                   .request_status = "2.0;Success",
                                   .now = Utc(2026, 12, 1, 9)});
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(*reply,
            "BEGIN:VCALENDAR\r\nPRODID:-//magent//imip//EN\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n"
            "BEGIN:VEVENT\r\nUID:sync-2@example.com\r\nDTSTART:20261202T090000Z\r\n"
            "DTEND:20261202T100000Z\r\nSUMMARY:Plan\\, review\r\nCATEGORIES:Work\r\n"
            "CATEGORIES:Room\\, large\r\nX-MS-PROPS:{\"a\":1\\,\"b\":2}\r\n"
            "ORGANIZER;CN=Alice:mailto:alice@example.com\r\n"
            "ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED;SENT-BY=\"mailto:\r\n"
            " calendar@example.com\":mailto:room1@example.com\r\n"
            "DTSTAMP:20261201T090000Z\r\nREQUEST-STATUS:2.0;Success\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n");
}

TEST(ReplyBuilderTest, AnOccurrencesReplyNamesIt) {
  auto request = ParseItip(kRequest);
  ASSERT_TRUE(request.ok());
  auto reply = BuildReplyCalendar(*request, 0,
                                  {.attendee = "room1@example.com",
                                   .partstat = "DECLINED",
                                   .request_status = "4.0;Event conflict. Date-time is busy.",
                                   .recurrence_id = Utc(2026, 12, 2, 9),
                                   .now = Utc(2026, 12, 1, 9)});
  ASSERT_TRUE(reply.ok());
  auto read = ParseItip(*reply);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->objects[0].recurrence_id->utc, Utc(2026, 12, 2, 9));
  EXPECT_EQ(read->objects[0].attendees[0].partstat, "DECLINED");
  EXPECT_NE(reply->find("REQUEST-STATUS:4.0;Event conflict. Date-time is busy."), std::string::npos)
      << *reply;
}

TEST(ReplyBuilderTest, ACounterProposesOtherTimes) {
  auto request = ParseItip(kRequest);
  ASSERT_TRUE(request.ok());
  auto counter = BuildReplyCalendar(*request, 0,
                                    {.attendee = "room1@example.com",
                                     .partstat = "TENTATIVE",
                                     .counter = Period{Utc(2026, 12, 2, 13), Utc(2026, 12, 2, 14)},
                                     .now = Utc(2026, 12, 1, 9)});
  ASSERT_TRUE(counter.ok()) << counter.status().message();
  auto read = ParseItip(*counter);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->method, Method::kCounter);
  EXPECT_EQ(read->objects[0].start->utc, Utc(2026, 12, 2, 13));
  EXPECT_EQ(read->objects[0].end->utc, Utc(2026, 12, 2, 14));
}

TEST(ReplyBuilderTest, RefusesAnAttendeeWhoWasNotInvited) {
  auto request = ParseItip(kRequest);
  ASSERT_TRUE(request.ok());
  auto reply =
      BuildReplyCalendar(*request, 0, {.attendee = "room9@example.com", .partstat = "ACCEPTED"});
  EXPECT_EQ(reply.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildReplyCalendar(*request, 1, {.attendee = "room1@example.com"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ComposeMailTest, NonAsciiBodiesGoAsBase64AndReadBackTheSame) {
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nSUMMARY:Caf\u00e9\r\nEND:VCALENDAR\r\n";
  const std::string raw = ComposeMail({.from = "calendar@example.com",
                                       .from_name = "Salle \u00e0 manger",
                                       .to = {"alice@example.com"},
                                       .subject = "Accepted",
                                       .text = "Caf\u00e9 accepted.\n",
                                       .calendar = calendar,
                                       .method = "REPLY"},
                                      Utc(2026, 12, 1, 9));
  EXPECT_NE(raw.find("Content-Transfer-Encoding: base64"), std::string::npos);
  auto mail = ReadMail(raw);
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  EXPECT_EQ(mail->from_name, "Salle \u00e0 manger");
  ASSERT_EQ(mail->calendars.size(), 1u);
  EXPECT_EQ(mail->calendars[0].text, calendar);
}

TEST(ComposeMailTest, AnImipMessageReadsBackWithItsCalendarAndHeaders) {
  const std::string calendar = "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n";
  const std::string raw = ComposeMail({.from = "calendar@example.com",
                                       .from_name = "Room 1",
                                       .to = {"alice@example.com"},
                                       .subject = "Accepted: Team sync – café",
                                       .text = "Room 1 accepted 'Team sync'.",
                                       .calendar = calendar,
                                       .method = "REPLY",
                                       .in_reply_to = "abc@example.com"},
                                      Utc(2026, 12, 1, 9));
  EXPECT_NE(raw.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(raw.find("In-Reply-To: <abc@example.com>"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: text/calendar; charset=utf-8; method=REPLY"), std::string::npos)
      << raw;
  auto mail = ReadMail(raw);
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  EXPECT_EQ(mail->from, std::vector<std::string>{"calendar@example.com"});
  EXPECT_EQ(mail->from_name, "Room 1");
  EXPECT_EQ(mail->to, std::vector<std::string>{"alice@example.com"});
  EXPECT_EQ(mail->subject, "Accepted: Team sync – café");
  ASSERT_EQ(mail->calendars.size(), 1u);
  EXPECT_EQ(mail->calendars[0].method, "REPLY");
  EXPECT_NE(mail->calendars[0].text.find("METHOD:REPLY"), std::string::npos);
}

}  // namespace
}  // namespace magent::imip
