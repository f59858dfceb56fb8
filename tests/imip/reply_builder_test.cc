// Replies and the mail that carries them, read back with the readers.
#include "reply_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "imip/header_fields.h"
#include "imip/interop_corpus.h"
#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/reply.h"
#include "magent/imip/safe_text.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

UtcTime Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
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

// Every whole-event REPLY (each object, each attendee: with SENT-BY and REQUEST-STATUS,
// and without) is the text of the general path's edited libical copy, to the byte.
void ExpectSameRepliesAsTheEditedCopy(const std::string& calendar, const std::string& method,
                                      const std::string& name, int& compared) {
  auto request = ParseItip(calendar, {.content_type_method = method});
  if (!request.ok()) return;  // The corpus test says why; nothing to answer here.
  for (std::size_t i = 0; i < request->objects.size(); ++i) {
    for (const Attendee& attendee : request->objects[i].attendees) {
      for (const ReplySpec& spec :
           {ReplySpec{.attendee = attendee.address,
           .partstat = "ACCEPTED",
           .sent_by = "calendar@example.com",
           .request_status = "2.0;Success",
           .now = Utc(2026, 12, 1, 9)},
            ReplySpec{.attendee = attendee.address, .partstat = "DECLINED"}}) {
        auto fast = BuildReplyCalendar(*request, i, spec);
        auto general = internal::EditedCopyReply(*request, i, spec);
        ASSERT_EQ(fast.ok(), general.ok()) << name << " #" << i << " " << attendee.address;
        if (!fast.ok()) continue;
        EXPECT_EQ(*fast, *general) << name << " #" << i << " " << attendee.address;
        ++compared;
      }
    }
  }
}

TEST(ReplyBuilderTest, AWholeEventReplyOfEveryCorpusCalendarIsTheEditedCopysText) {
  const std::filesystem::path dir = InteropDir();
  if (dir.empty()) {
    GTEST_SKIP() << "MAGENT_INTEROP_DIR is not set to the corpus (../shared/fixtures/interop)";
  }
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& path = entry.path();
    if (path.extension() == ".ics") {
      ExpectSameRepliesAsTheEditedCopy(Slurp(path), "", path.filename(), compared);
    } else if (path.extension() == ".eml") {
      auto mail = ReadMail(Slurp(path));
      ASSERT_TRUE(mail.ok()) << path.filename();
      for (const CalendarPart& part : mail->calendars) {
        ExpectSameRepliesAsTheEditedCopy(part.text, part.method, path.filename(), compared);
      }
    }
  }
  EXPECT_GT(compared, 20);
}

// What the corpus may lack: each kind of line the reply writes without libical, escapes
// and folds of every sort (after ';', ':' or ' ', inside a UTF-8 character's run, a
// value with none of them), and the lines left to libical (a DATE, a VALUE parameter,
// a REQUEST-STATUS, GEO) between them.
TEST(ReplyBuilderTest, AWholeEventReplyIsTheEditedCopysTextForEveryKindOfLine) {
  const std::string long_word(120, 'w');
  std::string accents;
  for (int i = 0; i < 60; ++i) accents += "\u00e9";
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
      "BEGIN:VTIMEZONE\r\nTZID:Europe/Office\r\nTZURL:http://tz.example.com/Office\r\n"
      "X-LIC-LOCATION:Europe/Office\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n"
      "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n"
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n"
      "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
      "BEGIN:VEVENT\r\nUID:every-kind@example.com\r\nSEQUENCE:3\r\nPRIORITY:5\r\n"
      "DTSTAMP:20261201T080000Z\r\nCREATED:20261130T080000Z\r\n"
      "LAST-MODIFIED:20261130T090000Z\r\n"
      "DTSTART;TZID=Europe/Office:20261202T100000\r\nDURATION:PT1H30M\r\n"
      "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=WE\r\nEXDATE;TZID=Europe/Office:20261209T100000\r\n"
      "RDATE;VALUE=DATE:20261231\r\nX-DAY;VALUE=DATE:20261224\r\n"
      "SUMMARY:Plan\\, review\\; decide\\\\ go\\nnext\ttab \"quoted\"\r\n"
      "DESCRIPTION:" +
      long_word + " " + long_word +
      "\r\n"
      "LOCATION:" +
      accents +
      "\r\n"
      "COMMENT:a;b:c " +
      long_word + ";" + long_word +
      "\r\n"
      "CONTACT:Desk\\, 2nd floor\r\nCATEGORIES:Work,Room\\, large\r\n"
      "RESOURCES:Projector\\,HDMI,Screen\r\nSTATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\n"
      "CLASS:X-INTERNAL\r\nURL:http://example.com/a;b,c\r\nGEO:52.5;13.4\r\n"
      "X-MS-PROPS:{\"a\":1\\,\"b\":2}\r\nX-FOO;VALUE=TEXT:a\\,b\\;c\r\n"
      "X-EMPTY:\r\nX-PARAMS;X-P=\"q;r\";LANGUAGE=de:" +
      long_word +
      "\r\n"
      "REQUEST-STATUS:2.0;Old answer\r\n"
      "ORGANIZER;CN=\"Alice, the organizer\";SENT-BY=\"mailto:bob@example.com\":"
      "mailto:alice@example.com\r\n"
      "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
      "ATTENDEE;CUTYPE=ROOM;ROLE=REQ-PARTICIPANT;RSVP=TRUE;CN=Room " +
      long_word +
      ";X-NUM-GUESTS=0:mailto:room1@example.com\r\n"
      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  int compared = 0;
  ExpectSameRepliesAsTheEditedCopy(calendar, "", "every kind", compared);
  EXPECT_EQ(compared, 4);
}

// A line libical could not read is one of the reader's repairs; the organizer's client
// gets no X-LIC-ERROR line back, on the direct path or the edited copy's.
TEST(ReplyBuilderTest, WhatTheReaderCouldNotReadIsNotEchoedInTheReply) {
  std::string text(kRequest);
  const std::string attendee = "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n";
  text.replace(text.find(attendee), attendee.size(),
               "ATTENDEE;PARTSTAT\xAC"
               "CEPTED:mailto:alice@example.com\r\n");
  auto request = ParseItip(text);
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_FALSE(request->repairs.empty());
  const ReplySpec whole{.attendee = "room1@example.com",
                        .partstat = "ACCEPTED",
                        .request_status = "2.0;Success",
                        .now = Utc(2026, 12, 1, 9)};
  ReplySpec occurrence = whole;
  occurrence.recurrence_id = Utc(2026, 12, 2, 9);
  for (const ReplySpec& spec : {whole, occurrence}) {
    auto reply = BuildReplyCalendar(*request, 0, spec);
    ASSERT_TRUE(reply.ok()) << reply.status().message();
    EXPECT_EQ(reply->find("X-LIC-ERROR"), std::string::npos) << *reply;
    EXPECT_NE(reply->find("PARTSTAT=ACCEPTED"), std::string::npos) << *reply;
  }
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

// The request's zone copies cover its own years and its series window; a counter-proposal
// years later is still written in the organizer's zone as it came: 10:00 summer time is
// 08:00 UTC.
TEST(ReplyBuilderTest, ACounterYearsAheadIsWrittenInTheZoneAsItCame) {
  const std::string request_text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
      "BEGIN:VTIMEZONE\r\nTZID:W. Europe\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
      "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
      "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
      "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\n"
      "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
      "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
      "BEGIN:VEVENT\r\nUID:far@example.com\r\nDTSTAMP:20270101T000000Z\r\n"
      "DTSTART;TZID=W. Europe:20270105T100000\r\nDTEND;TZID=W. Europe:20270105T110000\r\n"
      "ORGANIZER:mailto:alice@example.com\r\nATTENDEE:mailto:room1@example.com\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  auto request = ParseItip(request_text);
  ASSERT_TRUE(request.ok()) << request.status().message();
  auto counter = BuildReplyCalendar(*request, 0,
                                    {.attendee = "room1@example.com",
                                     .partstat = "TENTATIVE",
                                     .counter = Period{Utc(2045, 7, 4, 8), Utc(2045, 7, 4, 9)},
                                     .now = Utc(2027, 1, 1, 9)});
  ASSERT_TRUE(counter.ok()) << counter.status().message();
  EXPECT_NE(counter->find("DTSTART;TZID=W. Europe:20450704T100000"), std::string::npos) << *counter;
  EXPECT_NE(counter->find("DTEND;TZID=W. Europe:20450704T110000"), std::string::npos) << *counter;
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

using testing::HeaderFields;
using testing::HeaderNames;

const std::vector<std::string> kReplyHeaderNames = {"Date",       "From",         "To",
                                                    "Subject",    "Message-ID",   "In-Reply-To",
                                                    "References", "MIME-Version", "Content-Type"};

OutgoingMail Reply() {
  return {.from = "calendar@example.com",
          .from_name = "Room 1",
          .to = {"alice@example.com"},
          .subject = "Accepted: Team sync",
          .text = "Room 1 accepted 'Team sync'.",
          .calendar = "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n",
          .method = "REPLY",
          .in_reply_to = "abc@example.com"};
}

// Every line of the message's header is ASCII without control characters, at most 998
// characters long (RFC 5322 2.1.1).
void ExpectCleanHeader(const std::string& raw) {
  const std::string header = raw.substr(0, raw.find("\r\n\r\n"));
  std::size_t start = 0;
  while (start <= header.size()) {
    const std::size_t end = std::min(header.find("\r\n", start), header.size());
    const std::string line = header.substr(start, end - start);
    EXPECT_LE(line.size(), 998u) << line;
    for (char c : line) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7F)
          << "byte " << int(static_cast<unsigned char>(c)) << " in: " << line;
    }
    start = end + 2;
  }
}

TEST(ComposeMailTest, ALineBreakInTheSubjectAddsNoHeaderIssue15) {
  OutgoingMail mail = Reply();
  mail.subject =
      "Accepted: Team sync\r\nBcc: victim@example.net\r\nContent-Type: text/html\r\n\r\n"
      "<a href=\"http://evil.example\">Pay</a>";
  const std::string raw = ComposeMail(mail, Utc(2026, 12, 1, 9));
  EXPECT_EQ(HeaderNames(raw), kReplyHeaderNames) << raw;
  ExpectCleanHeader(raw);
  auto read = ReadMail(raw);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->subject,
            "Accepted: Team sync Bcc: victim@example.net Content-Type: text/html "
            "<a href=\"http://evil.example\">Pay</a>");
  ASSERT_EQ(read->calendars.size(), 1u);
  EXPECT_EQ(read->calendars[0].text, mail.calendar);
}

TEST(ComposeMailTest, ADisplayNameWithLineBreaksStaysInItsHeaderIssue15) {
  for (const std::string& name : {std::string("Room 1\r\nBcc: victim@example.net"),
                                  std::string("Salle \u00e0\r\nBcc: victim@example.net"),
                                  std::string("Room \"1\"\n\\ =?utf-8?q?=0D=0ABcc:_x?=")}) {
    OutgoingMail mail = Reply();
    mail.from_name = name;
    const std::string raw = ComposeMail(mail, Utc(2026, 12, 1, 9));
    EXPECT_EQ(HeaderNames(raw), kReplyHeaderNames) << raw;
    ExpectCleanHeader(raw);
    auto read = ReadMail(raw);
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->from_name, OneLine(name));
    EXPECT_EQ(read->from, std::vector<std::string>{"calendar@example.com"});
  }
}

TEST(ComposeMailTest, AMessageIdThatIsNoMsgIdIsNotAnsweredIssue15) {
  for (const std::string& id :
       {std::string("abc@example.com>\r\nBcc: victim@example.net"), std::string("no-at-sign"),
        std::string("a b@example.com"), std::string("a@b>c"), std::string("<a@b>"),
        std::string("a@"), std::string("@b"), std::string(1000, 'a') + "@example.com"}) {
    OutgoingMail mail = Reply();
    mail.in_reply_to = id;
    const std::string raw = ComposeMail(mail, Utc(2026, 12, 1, 9));
    const std::vector<std::string> names = HeaderNames(raw);
    EXPECT_EQ(std::count(names.begin(), names.end(), "In-Reply-To"), 0) << id;
    EXPECT_EQ(std::count(names.begin(), names.end(), "References"), 0) << id;
    EXPECT_EQ(names.size(), kReplyHeaderNames.size() - 2) << raw;
  }
  for (const std::string& id :
       {std::string("abc.def@example.com"), std::string("x+y=z@[192.0.2.1]"),
        std::string("a!#$%&'*/=?^_`{|}~-@b")}) {
    OutgoingMail mail = Reply();
    mail.in_reply_to = id;
    const auto fields = HeaderFields(ComposeMail(mail, Utc(2026, 12, 1, 9)));
    EXPECT_EQ(fields[5], std::make_pair(std::string("In-Reply-To"), " <" + id + ">"));
    EXPECT_EQ(fields[6], std::make_pair(std::string("References"), " <" + id + ">"));
  }
}

TEST(ComposeMailTest, NonAsciiSubjectsRoundTripThroughEncodedWordsIssue15) {
  std::string long_subject;
  for (int i = 0; i < 60; ++i) long_subject += "R\u00e9union \u4f1a\u8b70 \U0001F600 ";
  long_subject += std::string(300, 'x') + "\u00e9";
  for (const std::string& subject :
       {std::string("Accepted: Caf\u00e9 \u2013 \u4f1a\u8b70\u5ba4"), long_subject,
        std::string(2000, 'a'), std::string("=?utf-8?q?=0D=0ABcc:_victim@example.net?="),
        std::string("a =?iso-8859-1?q?caf=E9?= b")}) {
    OutgoingMail mail = Reply();
    mail.subject = subject;
    const std::string raw = ComposeMail(mail, Utc(2026, 12, 1, 9));
    EXPECT_EQ(HeaderNames(raw), kReplyHeaderNames);
    ExpectCleanHeader(raw);
    auto read = ReadMail(raw);
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->subject, subject);
  }
}

TEST(ComposeMailTest, ABareCarriageReturnInATextEndsALineIssue15) {
  OutgoingMail mail = Reply();
  mail.text = "line one\rline two\r\nline three\n";
  const std::string raw = ComposeMail(mail, Utc(2026, 12, 1, 9));
  for (std::size_t i = raw.find('\r'); i != std::string::npos; i = raw.find('\r', i + 1)) {
    ASSERT_EQ(raw.compare(i, 2, "\r\n"), 0) << "a bare CR at " << i;
  }
  EXPECT_NE(raw.find("\r\nline one\r\nline two\r\nline three\r\n"), std::string::npos) << raw;
}

}  // namespace
}  // namespace magent::imip
