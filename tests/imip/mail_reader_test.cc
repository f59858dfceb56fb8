// ReadMail: finding calendars in what mail clients send.
#include <gtest/gtest.h>

#include <string>

#include "magent/imip/mail.h"
#include "magent/imip/safe_text.h"

namespace magent::imip {
namespace {

// The calendar below, base64-encoded as a client would send it (CRLF line endings).
constexpr std::string_view kCalendarBase64 =
    "QkVHSU46VkNBTEVOREFSDQpQUk9ESUQ6LS8vbWFnZW50IHRlc3RzLy9FTg0KVkVSU0lPTjoyLjAN\n"
    "Ck1FVEhPRDpSRVFVRVNUDQpCRUdJTjpWRVZFTlQNClVJRDpzeW5jLTFAZXhhbXBsZS5jb20NCkRU\n"
    "U1RBTVA6MjAyNjEyMDFUMDgwMDAwWg0KRFRTVEFSVDoyMDI2MTIwMlQxMDAwMDBaDQpEVEVORDoy\n"
    "MDI2MTIwMlQxMTAwMDBaDQpTVU1NQVJZOlRlYW0gc3luYw0KT1JHQU5JWkVSOm1haWx0bzphbGlj\n"
    "ZUBleGFtcGxlLmNvbQ0KQVRURU5ERUU7UlNWUD1UUlVFOm1haWx0bzpyb29tMUBleGFtcGxlLmNv\n"
    "bQ0KRU5EOlZFVkVOVA0KRU5EOlZDQUxFTkRBUg0K\n";

// The same calendar, quoted-printable with LF line endings.
constexpr std::string_view kCalendarQuotedPrintable =
    "BEGIN:VCALENDAR\n"
    "PRODID:-//magent tests//EN\n"
    "VERSION:2.0\n"
    "METHOD:REQUEST\n"
    "BEGIN:VEVENT\n"
    "UID:sync-1@example.com\n"
    "DTSTAMP:20261201T080000Z\n"
    "DTSTART:20261202T100000Z\n"
    "DTEND:20261202T110000Z\n"
    "SUMMARY:Team sync\n"
    "ORGANIZER:mailto:alice@example.com\n"
    "ATTENDEE;RSVP=3DTRUE:mailto:room1@example.com\n"
    "END:VEVENT\n"
    "END:VCALENDAR\n";

const std::string kHeaders =
    "From: \"Alice Smith\" <Alice@Example.com>\n"
    "Sender: assistant@example.com\n"
    "To: Room 1 <room1@example.com>, Team: bob@example.com, carol@example.com;\n"
    "Cc: <Dave@Example.com>\n"
    "Subject: =?UTF-8?Q?Invitation:_Caf=C3=A9_sync?=\n"
    "Message-ID: <abc123@example.com>\n"
    "MIME-Version: 1.0\n";

TEST(MailReaderTest, ReadsTheHeadersItNeeds) {
  auto mail = ReadMail(kHeaders + "Content-Type: text/plain\n\nhello\n");
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  EXPECT_EQ(mail->from, std::vector<std::string>{"alice@example.com"});
  EXPECT_EQ(mail->from_name, "Alice Smith");
  EXPECT_EQ(mail->sender, std::vector<std::string>{"assistant@example.com"});
  EXPECT_EQ(mail->to, (std::vector<std::string>{"room1@example.com", "bob@example.com",
                                                "carol@example.com"}));
  EXPECT_EQ(mail->cc, std::vector<std::string>{"dave@example.com"});
  EXPECT_EQ(mail->subject, "Invitation: Café sync");
  EXPECT_EQ(mail->message_id, "abc123@example.com");
  EXPECT_TRUE(mail->calendars.empty());  // Not a calendar message: nothing to do.
}

// A header field past the bound is refused before GMime reads it: GMime grows its header
// buffer a little at a time, a 10 MB field's length squared where realloc cannot move
// pages (issue 15).
TEST(MailReaderTest, AHeaderFieldPastTheBoundIsRefusedNamingItIssue15) {
  const auto message = [](std::size_t continuations) {
    std::string raw = "From: alice@example.com\r\nX-Long: start";
    for (std::size_t i = 0; i < continuations; ++i) raw += "\r\n aaaaaaaaa";
    return raw + "\r\nSubject: after it\r\n\r\n" + std::string(1000, 'b') + "\r\n";
  };
  const MailLimits limits{.max_header_field_bytes = 200};
  auto refused = ReadMail(message(20), limits);  // 14 + 20 * 12 bytes.
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("'X-Long'"), std::string::npos)
      << refused.status().message();
  auto read = ReadMail(message(10), limits);  // The body's longer line does not count.
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->subject, "after it");
  // The default bound: a 2 MB field.
  EXPECT_EQ(ReadMail(message(180'000)).status().code(), StatusCode::kInvalidArgument);
}

TEST(MailReaderTest, DecodesABase64CalendarAndKeepsItsMethodParameter) {
  auto mail = ReadMail(kHeaders +
                       "Content-Type: text/calendar; method=request; charset=UTF-8\n"
                       "Content-Transfer-Encoding: base64\n\n" +
                       std::string(kCalendarBase64));
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  ASSERT_EQ(mail->calendars.size(), 1u);
  const CalendarPart& part = mail->calendars[0];
  EXPECT_EQ(part.content_type, "text/calendar");
  EXPECT_EQ(part.method, "REQUEST");
  EXPECT_TRUE(part.text.starts_with("BEGIN:VCALENDAR\r\nPRODID"));
  EXPECT_NE(part.text.find("ATTENDEE;RSVP=TRUE:mailto:room1@example.com"), std::string::npos);
}

// Gmail: the calendar inline (quoted-printable) and again as invite.ics (base64).
TEST(MailReaderTest, KeepsTheSameCalendarSentInlineAndAsAnAttachmentOnce) {
  const std::string mail_text = kHeaders +
                                "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
                                "--outer\n"
                                "Content-Type: multipart/alternative; boundary=\"inner\"\n\n"
                                "--inner\n"
                                "Content-Type: text/plain; charset=UTF-8\n\n"
                                "You are invited.\n"
                                "--inner\n"
                                "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\n"
                                "Content-Transfer-Encoding: quoted-printable\n\n" +
                                std::string(kCalendarQuotedPrintable) +
                                "--inner--\n"
                                "--outer\n"
                                "Content-Type: application/ics; name=\"invite.ics\"\n"
                                "Content-Disposition: attachment; filename=\"invite.ics\"\n"
                                "Content-Transfer-Encoding: base64\n\n" +
                                std::string(kCalendarBase64) + "--outer--\n";
  auto mail = ReadMail(mail_text);
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  ASSERT_EQ(mail->calendars.size(), 1u);
  EXPECT_EQ(mail->calendars[0].content_type, "text/calendar");
  EXPECT_EQ(mail->calendars[0].method, "REQUEST");
}

TEST(MailReaderTest, FindsAnIcsAttachmentByItsNameWhateverItsType) {
  auto mail = ReadMail(kHeaders +
                       "Content-Type: multipart/mixed; boundary=b\n\n"
                       "--b\nContent-Type: text/plain\n\nSee the attachment.\n"
                       "--b\nContent-Type: application/octet-stream\n"
                       "Content-Disposition: attachment; filename=\"Meeting.ICS\"\n"
                       "Content-Transfer-Encoding: base64\n\n" +
                       std::string(kCalendarBase64) + "--b--\n");
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  ASSERT_EQ(mail->calendars.size(), 1u);
  EXPECT_EQ(mail->calendars[0].filename, "Meeting.ICS");
  EXPECT_EQ(mail->calendars[0].method, "");
}

TEST(MailReaderTest, ConvertsThePartsCharsetToUtf8) {
  // "SUMMARY:Café" in ISO-8859-1.
  auto mail =
      ReadMail(kHeaders +
               "Content-Type: text/calendar; method=REQUEST; charset=ISO-8859-1\n"
               "Content-Transfer-Encoding: base64\n\n"
               "QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KQkVHSU46VkVWRU5UDQpVSUQ6Y2FmZS0x\n"
               "QGV4YW1wbGUuY29tDQpTVU1NQVJZOkNhZukNCkVORDpWRVZFTlQNCkVORDpWQ0FMRU5EQVINCg==\n");
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  ASSERT_EQ(mail->calendars.size(), 1u);
  EXPECT_NE(mail->calendars[0].text.find("SUMMARY:Caf\xc3\xa9\r\n"), std::string::npos);
}

TEST(MailReaderTest, KeepsDifferentCalendarsApart) {
  std::string second(kCalendarQuotedPrintable);
  second.replace(second.find("sync-1"), 6, "sync-2");
  auto mail = ReadMail(kHeaders +
                       "Content-Type: multipart/mixed; boundary=b\n\n"
                       "--b\nContent-Type: text/calendar; method=REQUEST\n\n" +
                       std::string(kCalendarQuotedPrintable) +
                       "--b\nContent-Type: text/calendar; method=REQUEST\n\n" + second + "--b--\n");
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  EXPECT_EQ(mail->calendars.size(), 2u);
}

TEST(MailReaderTest, RefusesWhatIsNoMailMessage) {
  auto mail = ReadMail("BEGIN:VCALENDAR\nEND:VCALENDAR\n");
  EXPECT_EQ(mail.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadMail("").status().code(), StatusCode::kInvalidArgument);
}

TEST(MailReaderTest, RefusesHostileSizesWithTheLimitInTheMessage) {
  const std::string big = kHeaders + "Content-Type: text/plain\n\n" + std::string(2000, 'x');
  auto mail = ReadMail(big, {.max_message_bytes = 1000});
  EXPECT_EQ(mail.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mail.status().message().find("1000"), std::string::npos);

  auto part =
      ReadMail(kHeaders + "Content-Type: text/calendar\n\n" + std::string(kCalendarQuotedPrintable),
               {.max_calendar_bytes = 100});
  EXPECT_EQ(part.status().code(), StatusCode::kInvalidArgument);

  std::string many = kHeaders + "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 3; ++i) {
    many += "--b\nContent-Type: text/calendar\n\nBEGIN:VCALENDAR\nUID:" + std::to_string(i) +
            "\nEND:VCALENDAR\n";
  }
  many += "--b--\n";
  EXPECT_EQ(ReadMail(many, {.max_calendar_parts = 2}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(ReadMail(many, {.max_calendar_parts = 3}).ok());
}

TEST(MailReaderTest, ReadsAnMboxMessageWithItsFromLine) {
  auto mail = ReadMail("From alice@example.com Tue Dec  1 08:00:00 2026\n" + kHeaders +
                       "Content-Type: text/calendar; method=REQUEST\n\n" +
                       std::string(kCalendarQuotedPrintable));
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  EXPECT_EQ(mail->from, std::vector<std::string>{"alice@example.com"});
  EXPECT_EQ(mail->calendars.size(), 1u);
}

TEST(MailReaderTest, InvalidUtf8InACalendarPartIsRepairedIssue15) {
  const std::string raw =
      "From: alice@example.com\r\nTo: room1@example.com\r\nSubject: x\r\n"
      "Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n"
      "BEGIN:VCALENDAR\r\nSUMMARY:Caf\xE9 \xC0\xAF\r\nEND:VCALENDAR\r\n";
  auto mail = ReadMail(raw);
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  ASSERT_EQ(mail->calendars.size(), 1u);
  EXPECT_EQ(mail->calendars[0].text,
            "BEGIN:VCALENDAR\r\nSUMMARY:Caf\uFFFD \uFFFD\uFFFD\r\nEND:VCALENDAR\r\n");
}

// GMime turns raw 8-bit header text and undecodable encoded words into UTF-8 itself;
// this holds it to that, as mail.h promises.
TEST(MailReaderTest, DecodedHeaderTextsAreValidUtf8Issue15) {
  const std::string raw =
      "From: \"Al\xFFice =?utf-8?q?=ED=A0=80?=\" <alice@example.com>\r\n"
      "To: room1@example.com\r\n"
      "Subject: caf\xE9 \xC0\xAF =?utf-8?b?/w==?= =?x-unknown?q?=FF?= "
      "=?utf-8?q?=F4=90=80=80?=\r\n\r\nhello\r\n";
  auto mail = ReadMail(raw);
  ASSERT_TRUE(mail.ok()) << mail.status().message();
  EXPECT_FALSE(mail->subject.empty());
  EXPECT_EQ(RepairUtf8(mail->subject), mail->subject);
  EXPECT_FALSE(mail->from_name.empty());
  EXPECT_EQ(RepairUtf8(mail->from_name), mail->from_name);
}

}  // namespace
}  // namespace magent::imip
