// Who a message counts as being from (issue 15): several From mailboxes or fields name
// nobody, and where the site requires it, only what its MTA's Authentication-Results
// vouch for counts. Real messages through ReadMail, decided with a real LevelDB store.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imip/resource_fixture.h"
#include "magent/imip/mail.h"

namespace magent::imip {
namespace {

using testing::kNow;

std::string Request(const std::string& uid) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid +
         "\r\nSEQUENCE:0\r\nDTSTAMP:20261201T070000Z\r\n"
         "DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\nSUMMARY:Team sync\r\n"
         "ORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE;CUTYPE=ROOM;RSVP=TRUE:mailto:room1@example.com\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

// A message with `headers` (each ending in CRLF) over a REQUEST from alice.
std::string Message(const std::string& headers, const std::string& uid = "sync-1@example.com") {
  return headers +
         "To: room1@example.com\r\nSubject: Team sync\r\nMessage-ID: <m1@example.com>\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"
         "\r\n" +
         Request(uid);
}

// The receiving MTA's own trace field: the Authentication-Results above it are the MTA's.
const std::string kReceived = "Received: from client.example.net by mx.example.com\r\n";

class MessageSendersTest : public testing::ResourceFixture {
 protected:
  // Reads `raw` as the program does and decides it for room1 with `envelope` as -s.
  HandledMessage Deliver(const std::string& raw, std::vector<std::string> envelope = {}) {
    auto mail = ReadMail(raw);
    EXPECT_TRUE(mail.ok()) << mail.status().message();
    if (!mail.ok() || mail->calendars.empty()) return {};
    ResourceOptions options;
    options.preferences_dir = (dir_.root() / "prefs").string();
    options.trusted_authserv_ids = trusted_;
    ResourceScheduler scheduler(*store_, options);
    auto handled =
        scheduler.Handle(*mail, mail->calendars[0], {"room1@example.com"}, envelope, kNow);
    EXPECT_TRUE(handled.ok()) << handled.status().message();
    return handled.ok() ? std::move(*handled) : HandledMessage{};
  }
  static Verdict Only(const HandledMessage& h) {
    EXPECT_EQ(h.decisions.size(), 1u);
    return h.decisions.empty() ? Verdict::kAccepted : h.decisions[0].verdict;
  }
  static std::string Why(const HandledMessage& h) {
    return h.decisions.empty() ? std::string() : h.decisions[0].why.English();
  }

  std::vector<std::string> trusted_;  // TRUSTED_AUTHSERV_IDS.
};

TEST(MailSendersTest, ReadMailCountsTheFromAndSenderFields) {
  auto two_mailboxes = ReadMail(Message("From: mallory@example.net, alice@example.com\r\n"));
  ASSERT_TRUE(two_mailboxes.ok());
  EXPECT_EQ(two_mailboxes->from_fields, 1u);
  EXPECT_EQ(two_mailboxes->from,
            (std::vector<std::string>{"mallory@example.net", "alice@example.com"}));
  EXPECT_EQ(two_mailboxes->sender_fields, 0u);

  // Every From field is read and counted, whatever GMime's own accessor keeps.
  auto two_fields =
      ReadMail(Message("From: Mallory <mallory@example.net>\r\nFrom: Alice <alice@example.com>\r\n"
                       "Sender: a@example.com\r\nSender: b@example.com\r\n"));
  ASSERT_TRUE(two_fields.ok());
  EXPECT_EQ(two_fields->from_fields, 2u);
  EXPECT_EQ(two_fields->from,
            (std::vector<std::string>{"mallory@example.net", "alice@example.com"}));
  EXPECT_EQ(two_fields->from_name, "Mallory");
  EXPECT_EQ(two_fields->sender_fields, 2u);
  EXPECT_EQ(two_fields->sender, (std::vector<std::string>{"a@example.com", "b@example.com"}));
}

TEST(MailSendersTest, ReadMailCountsMailboxesWithoutAUsableAddress) {
  // Each of these names two mailboxes, though only alice's address is usable.
  for (const char* from :
       {"From: \"mal lory\"@evil.example, alice@example.com\r\n",
        "From: mallory, alice@example.com\r\n", "From: Friends: mallory, alice@example.com;\r\n"}) {
    auto mail = ReadMail(Message(from));
    ASSERT_TRUE(mail.ok()) << from;
    EXPECT_EQ(mail->from, (std::vector<std::string>{"alice@example.com"})) << from;
    EXPECT_EQ(mail->from_mailboxes, 2u) << from;
  }
  auto sender =
      ReadMail(Message("From: alice@example.com\r\nSender: mallory, bob@example.com\r\n"));
  ASSERT_TRUE(sender.ok());
  EXPECT_EQ(sender->from_mailboxes, 1u);
  EXPECT_EQ(sender->sender_mailboxes, 2u);
}

TEST(MailSendersTest, ReadMailKeepsTheAuthenticationResultsAboveTheFirstReceivedTopmostFirst) {
  auto mail = ReadMail(
      Message("Authentication-Results: mx.example.com;\r\n\tdkim=pass header.d=example.com\r\n"
              "Authentication-Results: mx.example.com; dmarc=none header.from=example.com\r\n"
              "Received: from client.example.net by mx.example.com\r\n"
              "Authentication-Results: mx.example.com; dkim=pass header.d=other.example\r\n"
              "Received: from somewhere\r\n"
              "Authentication-Results: other.example.net; none\r\n"
              "From: alice@example.com\r\n"));
  ASSERT_TRUE(mail.ok());
  ASSERT_EQ(mail->authentication_results.size(), 2u);
  EXPECT_NE(mail->authentication_results[0].find("header.d=example.com"), std::string::npos);
  EXPECT_NE(mail->authentication_results[1].find("dmarc=none"), std::string::npos);

  // No Received field: the message crossed no MTA, and no field in it is an MTA's.
  auto unreceived = ReadMail(
      Message("Authentication-Results: mx.example.com; dmarc=pass header.from=example.com\r\n"
              "From: alice@example.com\r\n"));
  ASSERT_TRUE(unreceived.ok());
  EXPECT_TRUE(unreceived->authentication_results.empty());
}

TEST_F(MessageSendersTest, Issue15TwoFromMailboxesWithoutASenderAreNotTheOrganizer) {
  HandledMessage h = Deliver(Message("From: mallory@example.net, alice@example.com\r\n"));
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  EXPECT_TRUE(h.replies.empty());
  EXPECT_NE(Why(h).find("names 2 mailboxes"), std::string::npos) << Why(h);
  // Nothing was booked: alice's own request gets the slot.
  EXPECT_EQ(Only(Deliver(Message("From: alice@example.com\r\n"))), Verdict::kAccepted);
}

TEST_F(MessageSendersTest, Issue15AFromMailboxWithoutAUsableAddressStillMakesTwo) {
  for (const char* from : {"From: \"mal lory\"@evil.example, alice@example.com\r\n",
                           "From: mallory, alice@example.com\r\n"}) {
    HandledMessage h = Deliver(Message(from));
    EXPECT_EQ(Only(h), Verdict::kIgnored) << from;
    EXPECT_TRUE(h.replies.empty()) << from;
    EXPECT_NE(Why(h).find("names 2 mailboxes (alice@example.com and 1 without a usable address)"),
              std::string::npos)
        << Why(h);
  }
  // Nothing was booked: alice's own request gets the slot.
  EXPECT_EQ(Only(Deliver(Message("From: alice@example.com\r\n"))), Verdict::kAccepted);
}

TEST_F(MessageSendersTest, Issue15ASenderMailboxWithoutAUsableAddressStillMakesTwo) {
  HandledMessage h = Deliver(Message(
      "From: bob@example.org, carol@example.org\r\nSender: mallory, alice@example.com\r\n"));
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  EXPECT_NE(Why(h).find("the Sender field names 2 mailboxes"), std::string::npos) << Why(h);
}

TEST_F(MessageSendersTest, Issue15TwoFromFieldsAreNotTheOrganizer) {
  HandledMessage h = Deliver(Message("From: mallory@example.net\r\nFrom: alice@example.com\r\n"));
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  EXPECT_TRUE(h.replies.empty());
  EXPECT_NE(Why(h).find("2 From fields"), std::string::npos) << Why(h);
}

TEST_F(MessageSendersTest, TheReasonNamesAFewOfAThousandFromMailboxes) {
  std::string from = "From: alice@example.com";
  for (int i = 0; i < 1000; ++i) from += ", m" + std::to_string(i) + "@example.net";
  HandledMessage h = Deliver(Message(from + "\r\n"));
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  EXPECT_NE(Why(h).find("names 1001 mailboxes (alice@example.com, m0@example.net"),
            std::string::npos)
      << Why(h);
  EXPECT_NE(Why(h).find("and 996 more"), std::string::npos) << Why(h);
  EXPECT_LT(Why(h).size(), 500u);
}

TEST_F(MessageSendersTest, WithASenderTheFromMailboxesAreAuthorsAndTheSenderCounts) {
  // RFC 5322's own case: the Sender is who sent it. mallory as Sender is not alice.
  HandledMessage spoofed = Deliver(
      Message("From: mallory@example.net, alice@example.com\r\nSender: mallory@example.net\r\n"));
  EXPECT_EQ(Only(spoofed), Verdict::kIgnored);
  HandledMessage sent =
      Deliver(Message("From: alice@example.com, bob@example.com\r\nSender: alice@example.com\r\n"));
  EXPECT_EQ(Only(sent), Verdict::kAccepted);
}

TEST_F(MessageSendersTest, TheEnvelopeSenderStillCountsWithoutAuthentication) {
  HandledMessage h =
      Deliver(Message("From: mallory@example.net, alice@example.com\r\n"), {"alice@example.com"});
  EXPECT_EQ(Only(h), Verdict::kAccepted);
}

TEST_F(MessageSendersTest, WithTrustedAuthservIdsTheFromNeedsTheMtasPass) {
  trusted_ = {"mx.example.com"};
  // No Authentication-Results at all: alice's From is anyone's word.
  HandledMessage bare = Deliver(Message("From: alice@example.com\r\n"), {"alice@example.com"});
  EXPECT_EQ(Only(bare), Verdict::kIgnored);
  EXPECT_TRUE(bare.replies.empty());
  EXPECT_NE(Why(bare).find("not authenticated"), std::string::npos) << Why(bare);

  // The MTA says dmarc=pass for example.com: alice counts.
  HandledMessage passed = Deliver(
      Message("Authentication-Results: mx.example.com; dmarc=pass header.from=example.com\r\n" +
              kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(passed), Verdict::kAccepted);
}

TEST_F(MessageSendersTest, AnAlignedDkimPassCountsAndAnotherDomainsDoesNot) {
  trusted_ = {"mx.example.com"};
  HandledMessage other = Deliver(
      Message("Authentication-Results: mx.example.com; dkim=pass header.d=mallory.example.net\r\n" +
              kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(other), Verdict::kIgnored);
  HandledMessage aligned =
      Deliver(Message("Authentication-Results: mx.example.com; dkim=pass header.d=example.com\r\n" +
                      kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(aligned), Verdict::kAccepted);
}

TEST_F(MessageSendersTest, ASpoofedAuthenticationResultsFieldIsNotBelieved) {
  trusted_ = {"mx.example.com"};
  // The sender's own field, claiming another id: not the MTA's.
  HandledMessage wrong_id = Deliver(
      Message("Authentication-Results: mx.example.org; dmarc=pass header.from=example.com\r\n" +
              kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(wrong_id), Verdict::kIgnored);
  // The sender's field with the right id, below the one the MTA added: not believed.
  HandledMessage below = Deliver(
      Message("Authentication-Results: mx.example.com; dmarc=fail header.from=example.com\r\n"
              "Authentication-Results: mx.example.com; dmarc=pass header.from=example.com\r\n" +
              kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(below), Verdict::kIgnored);
  // Below a field of another host the MTA left on top: not believed either.
  HandledMessage under_other = Deliver(
      Message("Authentication-Results: spam.example.com; none\r\n"
              "Authentication-Results: mx.example.com; dmarc=pass header.from=example.com\r\n" +
              kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(under_other), Verdict::kIgnored);
  // A malformed field with the right id: believed in nothing.
  HandledMessage malformed =
      Deliver(Message("Authentication-Results: mx.example.com; dmarc=pass header.from\r\n" +
                      kReceived + "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(malformed), Verdict::kIgnored);
}

TEST_F(MessageSendersTest, Issue15TheSendersFieldBelowTheReceivedLineIsNotBelieved) {
  trusted_ = {"mx.example.com"};
  // The MTA wrote only dmarc=none (OpenDKIM writes nothing for an unsigned message);
  // the next field, with the MTA's id, is one the sender wrote.
  HandledMessage forged = Deliver(Message(
      "Authentication-Results: mx.example.com; dmarc=none header.from=example.com\r\n" + kReceived +
      "Authentication-Results: mx.example.com; dkim=pass header.d=example.com\r\n"
      "From: alice@example.com\r\n"));
  EXPECT_EQ(Only(forged), Verdict::kIgnored);
  EXPECT_TRUE(forged.replies.empty());
  EXPECT_NE(Why(forged).find("not authenticated"), std::string::npos) << Why(forged);
  // Nor when the MTA wrote nothing at all.
  EXPECT_EQ(Only(Deliver(Message(
                kReceived +
                "Authentication-Results: mx.example.com; dmarc=pass header.from=example.com\r\n"
                "From: alice@example.com\r\n"))),
            Verdict::kIgnored);
  // The same pass above the Received line is the MTA's.
  EXPECT_EQ(Only(Deliver(Message(
                "Authentication-Results: mx.example.com; dmarc=none header.from=example.com\r\n"
                "Authentication-Results: mx.example.com; dkim=pass header.d=example.com\r\n" +
                kReceived + "From: alice@example.com\r\n"))),
            Verdict::kAccepted);
}

TEST_F(MessageSendersTest, AuthenticationDoesNotMakeSeveralFromMailboxesCount) {
  trusted_ = {"mx.example.com"};
  HandledMessage h = Deliver(
      Message("Authentication-Results: mx.example.com; dmarc=pass header.from=example.com\r\n" +
              kReceived + "From: mallory@example.net, alice@example.com\r\n"));
  EXPECT_EQ(Only(h), Verdict::kIgnored);
}

TEST_F(MessageSendersTest, WithTrustedAuthservIdsASenderNeedsItsOwnSignature) {
  trusted_ = {"mx.example.com"};
  const std::string headers = kReceived + "From: bob@example.org\r\nSender: alice@example.com\r\n";
  EXPECT_EQ(Only(Deliver(Message("Authentication-Results: mx.example.com; dkim=pass "
                                 "header.d=example.org\r\n" +
                                 headers))),
            Verdict::kIgnored);
  EXPECT_EQ(Only(Deliver(Message("Authentication-Results: mx.example.com; dkim=pass "
                                 "header.d=example.com\r\n" +
                                 headers))),
            Verdict::kAccepted);
}

}  // namespace
}  // namespace magent::imip
