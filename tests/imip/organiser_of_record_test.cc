// Who may change a booking (docs/imip/resource.md): an update counts only from the
// organiser of record (RFC 5546 3.2.2), organiser_replacement decides whether a new
// ORGANIZER may take a booking over, and SENT-BY widens who may send for an organiser only
// where the organiser allowed it (organiser_sent_by, or the SENT-BY recorded from the
// organiser's own message), never on the sender's own word. Issue 15, defects 1 and 3.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;
using testing::kNow;

struct Event {
  std::string method = "REQUEST";
  std::string uid = "sync";
  int sequence = 0;
  std::string start = "20261202T100000Z";
  std::string end = "20261202T110000Z";
  std::string organizer = "ORGANIZER:mailto:alice@example.com";  // The whole line.
  std::string attendees = "ATTENDEE:mailto:bob@example.com\r\n";
  std::string extra;  // More VEVENT lines.
};

std::string CalendarOf(const Event& e) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + e.method +
         "\r\nBEGIN:VEVENT\r\nUID:" + e.uid + "\r\nSEQUENCE:" + std::to_string(e.sequence) +
         "\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:" + e.start + "\r\nDTEND:" + e.end +
         "\r\nSUMMARY:" + e.uid + "\r\n" + e.organizer + "\r\n" + e.attendees +
         "ATTENDEE;CUTYPE=ROOM:mailto:room1@example.com\r\n" + e.extra +
         "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

// mallory's own ORGANIZER line, and one that names alice with mallory as SENT-BY.
const std::string kMallory = "ORGANIZER:mailto:mallory@example.net";
const std::string kMalloryForAlice =
    "ORGANIZER;SENT-BY=\"mailto:mallory@example.net\":mailto:alice@example.com";
const std::string kAssistantForAlice =
    "ORGANIZER;SENT-BY=\"mailto:assistant@example.com\":mailto:alice@example.com";

class OrganiserOfRecordTest : public testing::ResourceFixture {
 protected:
  std::unique_ptr<StoreSession> Session() {
    return store_->Open("room1@example.com", Duration::zero()).value();
  }
  // Whether room1 holds something at 2 December `hour`:00–:30.
  bool Busy(int hour) {
    const UtcTime start = sys_days{year{2026} / December / 2} + hours(hour);
    auto busy = Session()->Busy({start, start + minutes(30)}, kNow);
    EXPECT_TRUE(busy.ok()) << busy.status().message();
    return busy.ok() && !busy->empty();
  }
  std::string OrganizerOfRecord(const std::string& uid = "sync") {
    auto stored = Session()->GetObject(uid, std::nullopt);
    EXPECT_TRUE(stored.ok() && *stored);
    return stored.ok() && *stored ? (*stored)->organizer : "";
  }
  // alice books 10:00; the test then tries to change it.
  void AliceBooksTen() {
    ASSERT_EQ(Decide(CalendarOf({})).verdict, Verdict::kAccepted);
    ASSERT_TRUE(Busy(10));
  }
  // Ignored, with no reply and the text saying why.
  void ExpectRefused(const HandledMessage& h, const std::string& because) {
    ASSERT_EQ(h.decisions.size(), 1u);
    EXPECT_EQ(h.decisions[0].verdict, Verdict::kIgnored) << h.decisions[0].why.English();
    EXPECT_NE(h.decisions[0].why.English().find(because), std::string::npos)
        << h.decisions[0].why.English();
    EXPECT_TRUE(h.replies.empty());
  }
  // alice's booking is as she left it, and her own update still moves it.
  void ExpectAliceKeepsIt(int sequence = 1) {
    EXPECT_TRUE(Busy(10));
    EXPECT_FALSE(Busy(14));
    EXPECT_EQ(OrganizerOfRecord(), "alice@example.com");
    HandledMessage moved = Handle(
        CalendarOf({.sequence = sequence, .start = "20261202T120000Z", .end = "20261202T130000Z"}));
    ASSERT_EQ(moved.decisions.size(), 1u);
    EXPECT_EQ(moved.decisions[0].verdict, Verdict::kAccepted) << moved.decisions[0].why.English();
    EXPECT_EQ(moved.replies.at(0).to, std::vector<std::string>{"alice@example.com"});
    EXPECT_FALSE(Busy(10));
    EXPECT_TRUE(Busy(12));
  }
  // The same event moved to 14:00 at SEQUENCE 1, organised as `organizer` says.
  static std::string MovedToTwo(
      const std::string& organizer, const std::string& method = "REQUEST",
      const std::string& attendees = "ATTENDEE:mailto:bob@example.com\r\n") {
    return CalendarOf({.method = method,
                       .sequence = 1,
                       .start = "20261202T140000Z",
                       .end = "20261202T150000Z",
                       .organizer = organizer,
                       .attendees = attendees});
  }
};

TEST_F(OrganiserOfRecordTest, AnotherOrganizerCannotMoveABookingByItsUidIssue15) {
  AliceBooksTen();
  ExpectRefused(Handle(MovedToTwo(kMallory), kNow, "mallory@example.net"),
                "organised by alice@example.com");
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, ASentByOnTheSendersOwnWordCannotMoveABookingIssue15) {
  AliceBooksTen();
  ExpectRefused(Handle(MovedToTwo(kMalloryForAlice), kNow, "mallory@example.net"),
                "mallory@example.net");
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, ASentByOnTheSendersOwnWordCannotCancelABookingIssue15) {
  AliceBooksTen();
  ExpectRefused(Handle(MovedToTwo(kMalloryForAlice, "CANCEL"), kNow, "mallory@example.net"),
                "mallory@example.net");
  EXPECT_FALSE(Session()->GetCancellation("sync", std::nullopt).value().has_value());
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, ASentByOnTheSendersOwnWordBooksNothingNewIssue15) {
  ExpectRefused(Handle(CalendarOf({.organizer = kMalloryForAlice}), kNow, "mallory@example.net"),
                "mallory@example.net");
  EXPECT_FALSE(Busy(10));
}

TEST_F(OrganiserOfRecordTest, AnotherOrganizerCannotMoveOneOccurrenceOfASeriesIssue15) {
  ASSERT_EQ(Decide(CalendarOf({.extra = "RRULE:FREQ=DAILY;COUNT=3\r\n"})).verdict,
            Verdict::kAccepted);
  ExpectRefused(Handle(CalendarOf({.sequence = 1,
                                   .start = "20261202T140000Z",
                                   .end = "20261202T150000Z",
                                   .organizer = kMallory,
                                   .extra = "RECURRENCE-ID:20261202T100000Z\r\n"}),
                       kNow, "mallory@example.net"),
                "organised by alice@example.com");
  EXPECT_TRUE(Busy(10));
  EXPECT_FALSE(Busy(14));
}

TEST_F(OrganiserOfRecordTest, AnotherOrganizerCannotReplaceAnInstanceByTheWholeEventIssue15) {
  // room1 was invited to one occurrence of alice's series only.
  ASSERT_EQ(Decide(CalendarOf({.extra = "RECURRENCE-ID:20261202T100000Z\r\n"})).verdict,
            Verdict::kAccepted);
  ExpectRefused(Handle(MovedToTwo(kMallory), kNow, "mallory@example.net"),
                "organised by alice@example.com");
  EXPECT_TRUE(Busy(10));
  EXPECT_FALSE(Busy(14));
}

TEST_F(OrganiserOfRecordTest, AnotherOrganizerCannotRevokeACancellationIssue15) {
  AliceBooksTen();
  ASSERT_EQ(Decide(CalendarOf({.method = "CANCEL", .sequence = 1})).verdict, Verdict::kReleased);
  ExpectRefused(
      Handle(CalendarOf({.sequence = 2, .organizer = kMallory}), kNow, "mallory@example.net"),
      "organised by alice@example.com");
  EXPECT_TRUE(Session()->GetCancellation("sync", std::nullopt).value().has_value());
  EXPECT_FALSE(Busy(10));
}

TEST_F(OrganiserOfRecordTest, AttendeeReplacementLetsAnAttendeeTakeOverFromItsOwnAddressIssue15) {
  AliceBooksTen();  // bob attends alice's event.
  HandledMessage taken = Handle(MovedToTwo("ORGANIZER:mailto:bob@example.com", "REQUEST",
                                           "ATTENDEE:mailto:carol@example.com\r\n"),
                                kNow, "bob@example.com");
  ASSERT_EQ(taken.decisions.size(), 1u);
  EXPECT_EQ(taken.decisions[0].verdict, Verdict::kAccepted) << taken.decisions[0].why.English();
  EXPECT_EQ(taken.replies.at(0).to, std::vector<std::string>{"bob@example.com"});
  EXPECT_EQ(OrganizerOfRecord(), "bob@example.com");
  EXPECT_FALSE(Busy(10));
  EXPECT_TRUE(Busy(14));
  // alice is no longer the organiser of record: her update is a takeover she may not make
  // (she is not an attendee of bob's event).
  ExpectRefused(Handle(CalendarOf({.sequence = 2}), kNow, "alice@example.com"),
                "organised by bob@example.com");
}

TEST_F(OrganiserOfRecordTest, AttendeeReplacementNeedsTheNewOrganizersOwnAddressIssue15) {
  AliceBooksTen();
  // carol may send for bob, but only bob himself takes a booking over.
  Prefer("organiser_sent_by", "bob@example.com carol@example.com");
  ExpectRefused(Handle(MovedToTwo("ORGANIZER;SENT-BY=\"mailto:carol@example.com\":"
                                  "mailto:bob@example.com"),
                       kNow, "carol@example.com"),
                "organised by alice@example.com");
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, NeverReplacementKeepsEvenAnAttendeeOutIssue15) {
  Prefer("organiser_replacement", "never");
  AliceBooksTen();
  ExpectRefused(Handle(MovedToTwo("ORGANIZER:mailto:bob@example.com"), kNow, "bob@example.com"),
                "organiser_replacement is 'never'");
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, AnUnknownReplacementSettingKeepsEveryoneOutIssue15) {
  Prefer("organiser_replacement", "attendees");
  AliceBooksTen();
  ExpectRefused(Handle(MovedToTwo("ORGANIZER:mailto:bob@example.com"), kNow, "bob@example.com"),
                "organiser_replacement is 'attendees'");
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, AnyReplacementLetsAnyNewOrganizerTakeOverIssue15) {
  Prefer("organiser_replacement", "any");
  AliceBooksTen();
  HandledMessage taken = Handle(MovedToTwo(kMallory), kNow, "mallory@example.net");
  ASSERT_EQ(taken.decisions.size(), 1u);
  EXPECT_EQ(taken.decisions[0].verdict, Verdict::kAccepted) << taken.decisions[0].why.English();
  EXPECT_EQ(OrganizerOfRecord(), "mallory@example.net");
  EXPECT_TRUE(Busy(14));
  // Still only from the new organizer's own address: a SENT-BY, even a listed one, does
  // not take over.
  Prefer("organiser_sent_by", "alice@example.com assistant@example.com");
  ExpectRefused(Handle(CalendarOf({.sequence = 2, .organizer = kAssistantForAlice}), kNow,
                       "assistant@example.com"),
                "organised by mallory@example.net");
}

TEST_F(OrganiserOfRecordTest, TheSystemDefaultSetsTheReplacementRuleIssue15) {
  MailMessage mail{.from = {"bob@example.com"}};
  ResourceOptions options;
  options.preferences_dir = (dir_.root() / "prefs").string();
  options.config = SystemConfig::Parse("ORGANISER_REPLACEMENT_DEFAULT = never\n").value();
  AliceBooksTen();
  mail.calendars = {{.text = MovedToTwo("ORGANIZER:mailto:bob@example.com")}};
  ResourceScheduler scheduler(*store_, options);
  auto h = scheduler.Handle(mail, mail.calendars[0], {"room1@example.com"}, {}, kNow);
  ASSERT_TRUE(h.ok()) << h.status().message();
  ExpectRefused(*h, "organiser_replacement is 'never'");
}

TEST_F(OrganiserOfRecordTest, TheSentByListLetsAnAssistantSendForTheOrganiserIssue15) {
  AliceBooksTen();
  // Not listed: the assistant's word is not enough.
  ExpectRefused(Handle(MovedToTwo(kAssistantForAlice), kNow, "assistant@example.com"),
                "assistant@example.com");
  Prefer("organiser_sent_by",
         "# who may send for whom\nmailto:Alice@example.com mailto:assistant@example.com "
         "deputy@example.com\n");
  HandledMessage moved = Handle(MovedToTwo(kAssistantForAlice), kNow, "assistant@example.com");
  ASSERT_EQ(moved.decisions.size(), 1u);
  EXPECT_EQ(moved.decisions[0].verdict, Verdict::kAccepted) << moved.decisions[0].why.English();
  EXPECT_EQ(moved.replies.at(0).to, std::vector<std::string>{"alice@example.com"});
  EXPECT_TRUE(Busy(14));
  EXPECT_EQ(Decide(CalendarOf({.method = "CANCEL", .sequence = 2, .organizer = kAssistantForAlice}),
                   "assistant@example.com")
                .verdict,
            Verdict::kReleased);
  EXPECT_FALSE(Busy(14));
  // A new booking too.
  EXPECT_EQ(
      Decide(CalendarOf({.uid = "new", .organizer = kAssistantForAlice}), "assistant@example.com")
          .verdict,
      Verdict::kAccepted);
  // The list speaks for alice only.
  ExpectRefused(Handle(CalendarOf({.uid = "bobs",
                                   .organizer = "ORGANIZER;SENT-BY=\"mailto:assistant@example.com\""
                                                ":mailto:bob@example.com"}),
                       kNow, "assistant@example.com"),
                "assistant@example.com");
}

TEST_F(OrganiserOfRecordTest, TheSystemDefaultSentByListAppliesToEveryResourceIssue15) {
  MailMessage mail{.from = {"assistant@example.com"},
                   .calendars = {{.text = CalendarOf({.organizer = kAssistantForAlice})}}};
  ResourceOptions options;
  options.preferences_dir = (dir_.root() / "prefs").string();
  const auto handle = [&] {
    ResourceScheduler scheduler(*store_, options);
    auto h = scheduler.Handle(mail, mail.calendars[0], {"room1@example.com"}, {}, kNow);
    EXPECT_TRUE(h.ok()) << h.status().message();
    return h.ok() ? std::move(*h) : HandledMessage{};
  };
  ExpectRefused(handle(), "assistant@example.com");
  options.config = SystemConfig::Parse(
                       "ORGANISER_SENT_BY_DEFAULT = \"carol@example.com dave@example.com; "
                       "alice@example.com assistant@example.com\"\n")
                       .value();
  HandledMessage h = handle();
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].verdict, Verdict::kAccepted) << h.decisions[0].why.English();
}

// A list the resource cannot read grants nothing and refuses nothing: every message waits
// for the site to mend it, whoever sends it, with or without a SENT-BY.
TEST_F(OrganiserOfRecordTest, AMalformedSentByListIsAConfigurationErrorIssue15) {
  AliceBooksTen();
  const std::string file =
      (dir_.root() / "prefs" / "mailto:room1@example.com" / "organiser_sent_by").string();
  for (const std::string entry :
       {"alice@example.com", "alice@example.com assistant", "alice@example.com assistant@",
        "alice@example.com assistant@example.com,deputy@example.com",
        "@example.com assistant@example.com"}) {
    Prefer("organiser_sent_by", "carol@example.com dave@example.com\n" + entry);
    for (const auto& [organizer, from] :
         {std::pair{kAssistantForAlice, "assistant@example.com"},
          std::pair{std::string("ORGANIZER:mailto:alice@example.com"), "alice@example.com"}}) {
      auto handled = TryHandle(MovedToTwo(organizer), kNow, from);
      EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition) << entry;
      EXPECT_EQ(handled.status().message(),
                "the preference organiser_sent_by in '" + file + "': '" + entry +
                    "' is not an organizer followed by the addresses that may send for it");
    }
  }
  // The configuration's default too.
  std::filesystem::remove(file);
  MailMessage mail{.from = {"alice@example.com"},
                   .calendars = {{.text = MovedToTwo("ORGANIZER:mailto:alice@example.com")}}};
  ResourceOptions options;
  options.preferences_dir = (dir_.root() / "prefs").string();
  options.config =
      SystemConfig::Parse("ORGANISER_SENT_BY_DEFAULT = \"alice@example.com;\"\n").value();
  ResourceScheduler scheduler(*store_, options);
  auto handled = scheduler.Handle(mail, mail.calendars[0], {"room1@example.com"}, {}, kNow);
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handled.status().message().find("organiser_sent_by in the default"), std::string::npos)
      << handled.status().message();
  ExpectAliceKeepsIt();
}

TEST_F(OrganiserOfRecordTest, ASentByFromTheOrganisersOwnMessageIsRecordedAndTrustedIssue15) {
  // alice herself names her assistant on the booking.
  ASSERT_EQ(Decide(CalendarOf({.organizer = kAssistantForAlice}), "alice@example.com").verdict,
            Verdict::kAccepted);
  EXPECT_EQ(Session()->GetObject("sync", std::nullopt).value()->sent_by, "assistant@example.com");
  HandledMessage moved = Handle(MovedToTwo(kAssistantForAlice), kNow, "assistant@example.com");
  ASSERT_EQ(moved.decisions.size(), 1u);
  EXPECT_EQ(moved.decisions[0].verdict, Verdict::kAccepted) << moved.decisions[0].why.English();
  // The assistant's own update keeps what alice recorded, so the assistant cancels too.
  EXPECT_EQ(Session()->GetObject("sync", std::nullopt).value()->sent_by, "assistant@example.com");
  EXPECT_EQ(Decide(CalendarOf({.method = "CANCEL", .sequence = 2, .organizer = kAssistantForAlice}),
                   "assistant@example.com")
                .verdict,
            Verdict::kReleased);
  EXPECT_FALSE(Busy(14));
  // Another sender naming itself is still refused.
  ExpectRefused(Handle(CalendarOf({.sequence = 3, .organizer = kMalloryForAlice}), kNow,
                       "mallory@example.net"),
                "mallory@example.net");
}

TEST_F(OrganiserOfRecordTest, TheOrganisersOwnUpdateWithoutSentByRevokesTheRecordedOneIssue15) {
  ASSERT_EQ(Decide(CalendarOf({.organizer = kAssistantForAlice}), "alice@example.com").verdict,
            Verdict::kAccepted);
  ASSERT_EQ(Decide(CalendarOf({.sequence = 1})).verdict, Verdict::kAccepted);
  ExpectRefused(Handle(CalendarOf({.sequence = 2, .organizer = kAssistantForAlice}), kNow,
                       "assistant@example.com"),
                "assistant@example.com");
  EXPECT_TRUE(Busy(10));
}

TEST_F(OrganiserOfRecordTest, ADeclineCounterOrRefreshCountsOnlyFromTheOrganiserIssue15) {
  Prefer("scheduling_function", "schedule_corrected_in_freebusy");
  Prefer("permitted_times", "0");
  Prefer("freebusy_offers", "PT1H");
  Prefer("event_refreshing", "always");
  const Event off_the_hour{.start = "20261202T101500Z", .end = "20261202T111500Z"};
  ASSERT_EQ(Decide(CalendarOf(off_the_hour)).verdict, Verdict::kCountered);
  Event decline = off_the_hour;
  decline.method = "DECLINECOUNTER";
  decline.organizer = kMalloryForAlice;
  ExpectRefused(Handle(CalendarOf(decline), kNow, "mallory@example.net"), "mallory@example.net");
  EXPECT_TRUE(Session()->GetCounter("sync", std::nullopt).value().has_value());

  Event refresh = off_the_hour;
  refresh.method = "REFRESH";
  refresh.organizer = kMallory;
  ExpectRefused(Handle(CalendarOf(refresh), kNow, "mallory@example.net"),
                "organised by alice@example.com");
  refresh.organizer = kMalloryForAlice;
  ExpectRefused(Handle(CalendarOf(refresh), kNow, "mallory@example.net"), "mallory@example.net");
  refresh.organizer = "ORGANIZER:mailto:alice@example.com";
  EXPECT_EQ(Decide(CalendarOf(refresh)).verdict, Verdict::kAnswered);
}

TEST_F(OrganiserOfRecordTest, AnAddCountsOnlyFromTheOrganiserIssue15) {
  Prefer("add_method_response", "add");
  ASSERT_EQ(Decide(CalendarOf({.extra = "RRULE:FREQ=WEEKLY;COUNT=2\r\n"})).verdict,
            Verdict::kAccepted);
  const Event friday{.method = "ADD",
                     .sequence = 1,
                     .start = "20261204T100000Z",
                     .end = "20261204T110000Z",
                     .organizer = kMalloryForAlice};
  ExpectRefused(Handle(CalendarOf(friday), kNow, "mallory@example.net"), "mallory@example.net");
  EXPECT_FALSE(Session()
                   ->GetObject("sync", sys_days{year{2026} / December / 4} + hours(10))
                   .value()
                   .has_value());
  // Not even a REFRESH goes to alice on mallory's word.
  Prefer("add_method_response", "refresh");
  ExpectRefused(Handle(CalendarOf(friday), kNow, "mallory@example.net"), "mallory@example.net");
}

}  // namespace
}  // namespace magent::imip
