// The resource's decisions, golden: messages written here, a real LevelDB store and real
// preference files in a temp directory.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "magent/imip/resource.h"
#include "magent/imip/safe_text.h"
#include "testing/temp_dir.h"

namespace magent::imip {
namespace {

using namespace std::chrono;
using namespace std::string_literals;

UtcTime Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

const UtcTime kNow = Utc(2026, 12, 1, 8);

struct Event {
  std::string uid = "sync-1@example.com";
  int sequence = 0;
  std::string dtstamp = "20261201T070000Z";
  std::string start = "20261202T100000Z";
  std::string end = "20261202T110000Z";
  std::string summary = "Team sync";
  std::string organizer = "mailto:alice@example.com";
  std::string extra;  // More VEVENT lines.
  std::string method = "REQUEST";
  std::string attendee = "mailto:room1@example.com";
};

std::string CalendarOf(const Event& e) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + e.method +
         "\r\nBEGIN:VEVENT\r\nUID:" + e.uid + "\r\nSEQUENCE:" + std::to_string(e.sequence) +
         "\r\nDTSTAMP:" + e.dtstamp + "\r\nDTSTART:" + e.start + "\r\nDTEND:" + e.end +
         "\r\nSUMMARY:" + e.summary + "\r\nORGANIZER:" + e.organizer +
         "\r\nATTENDEE;PARTSTAT=ACCEPTED:" + e.organizer +
         "\r\nATTENDEE;CUTYPE=ROOM;RSVP=TRUE:" + e.attendee + "\r\n" + e.extra +
         "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

class ResourceSchedulerTest : public ::testing::Test {
 protected:
  void Prefer(const std::string& name, const std::string& value,
              const std::string& user = "room1@example.com") {
    const auto dir = dir_.root() / "prefs" / ("mailto:" + user);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << value << "\n";
  }

  Result<HandledMessage> Send(const std::string& calendar,
                              std::vector<std::string> from = {"alice@example.com"},
                              std::vector<std::string> recipients = {"room1@example.com"},
                              ResourceOptions options = {}) {
    MailMessage mail{.message_id = "m1@example.com",
                     .from = std::move(from),
                     .to = {"room1@example.com"},
                     .calendars = {{.content_type = "text/calendar", .text = calendar}}};
    options.preferences_dir = (dir_.root() / "prefs").string();
    ResourceScheduler scheduler(*store_, std::move(options));
    return scheduler.Handle(mail, mail.calendars[0], recipients, {}, kNow);
  }
  HandledMessage Ok(const std::string& calendar,
                    std::vector<std::string> from = {"alice@example.com"}) {
    auto handled = Send(calendar, std::move(from));
    EXPECT_TRUE(handled.ok()) << handled.status().message();
    return handled.ok() ? std::move(*handled) : HandledMessage{};
  }
  static Verdict Only(const HandledMessage& h) {
    EXPECT_EQ(h.decisions.size(), 1u);
    return h.decisions.empty() ? Verdict::kIgnored : h.decisions[0].verdict;
  }
  static ItipObject ReplyObject(const HandledMessage& h) {
    EXPECT_EQ(h.replies.size(), 1u);
    auto read = ParseItip(h.replies.at(0).calendar);
    EXPECT_TRUE(read.ok()) << read.status().message();
    return read->objects.at(0);
  }

  testing::TempDir dir_;
  std::unique_ptr<CalendarStore> store_ = OpenLevelDbStore({.path = dir_ / "store"}).value();
};

TEST_F(ResourceSchedulerTest, AcceptsAFreeSlotAndRepliesFromTheSystemAddress) {
  HandledMessage h = Ok(CalendarOf({}));
  EXPECT_EQ(Only(h), Verdict::kAccepted);
  EXPECT_EQ(h.decisions[0].goal.English(),
            "Decide on 'Team sync' (UID sync-1@example.com) for room1@example.com");
  EXPECT_EQ(h.decisions[0].why.English(),
            "Accepted: room1@example.com is free for 2026-12-02 10:00\u201311:00.");
  ASSERT_EQ(h.replies.size(), 1u);
  const OutgoingMail& mail = h.replies[0];
  EXPECT_EQ(mail.from, "calendar@example.com");
  EXPECT_EQ(mail.to, std::vector<std::string>{"alice@example.com"});
  EXPECT_EQ(mail.subject, "Accepted: Team sync");
  EXPECT_EQ(mail.method, "REPLY");
  EXPECT_EQ(mail.in_reply_to, "m1@example.com");
  EXPECT_NE(mail.calendar.find("REQUEST-STATUS:2.0;Success"), std::string::npos);
  const ItipObject reply = ReplyObject(h);
  EXPECT_EQ(reply.attendees.at(0).partstat, "ACCEPTED");
  EXPECT_EQ(reply.attendees.at(0).sent_by, "calendar@example.com");
}

TEST_F(ResourceSchedulerTest, DeclinesAConflictAndSaysWithWhat) {
  Ok(CalendarOf({.uid = "board@example.com",
                 .start = "20261202T093000Z",
                 .end = "20261202T103000Z",
                 .summary = "Board meeting"}));
  HandledMessage h = Ok(CalendarOf({}));
  EXPECT_EQ(Only(h), Verdict::kDeclined);
  EXPECT_EQ(h.decisions[0].why.English(),
            "Declined: conflicts with 'Board meeting' 2026-12-02 09:30\u201310:30.");
  EXPECT_EQ(ReplyObject(h).attendees.at(0).partstat, "DECLINED");
  EXPECT_NE(h.replies[0].calendar.find("REQUEST-STATUS:4.0;Event conflict. Date-time is busy."),
            std::string::npos);
  EXPECT_NE(h.replies[0].text.find("Board meeting"), std::string::npos);
}

TEST_F(ResourceSchedulerTest, TouchingPeriodsDoNotConflict) {
  Ok(CalendarOf(
      {.uid = "before@example.com", .start = "20261202T090000Z", .end = "20261202T100000Z"}));
  Ok(CalendarOf(
      {.uid = "after@example.com", .start = "20261202T110000Z", .end = "20261202T120000Z"}));
  EXPECT_EQ(Only(Ok(CalendarOf({}))), Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, CapacityAllowsThatManyAtOnce) {
  Prefer("scheduling_function", "schedule_in_freebusy 2");
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "a"}))), Verdict::kAccepted);
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "b", .start = "20261202T103000Z", .end = "20261202T113000Z"}))),
      Verdict::kAccepted);
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "c", .start = "20261202T104500Z", .end = "20261202T110000Z"}))),
      Verdict::kDeclined);
  // Where only one of the two is, there is room.
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "d", .start = "20261202T113000Z", .end = "20261202T120000Z"}))),
      Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, AnUpdateThatMovesTheEventReleasesItsOldPeriod) {
  Ok(CalendarOf({}));
  HandledMessage moved =
      Ok(CalendarOf({.sequence = 1, .start = "20261202T140000Z", .end = "20261202T150000Z"}));
  EXPECT_EQ(Only(moved), Verdict::kAccepted);
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "other"}))), Verdict::kAccepted);  // 10:00 is free again.
  EXPECT_EQ(Only(Ok(CalendarOf(
                {.uid = "third", .start = "20261202T140000Z", .end = "20261202T150000Z"}))),
            Verdict::kDeclined);
}

TEST_F(ResourceSchedulerTest, AStaleUpdateIsIgnoredAndARepeatGetsTheSameAnswer) {
  Ok(CalendarOf({.sequence = 2}));
  HandledMessage stale =
      Ok(CalendarOf({.sequence = 1, .start = "20261203T100000Z", .end = "20261203T110000Z"}));
  EXPECT_EQ(Only(stale), Verdict::kIgnored);
  EXPECT_TRUE(stale.replies.empty());
  HandledMessage older_stamp = Ok(CalendarOf({.sequence = 2, .dtstamp = "20261201T060000Z"}));
  EXPECT_EQ(Only(older_stamp), Verdict::kIgnored);

  HandledMessage repeat = Ok(CalendarOf({.sequence = 2}));
  EXPECT_EQ(Only(repeat), Verdict::kAccepted);
  EXPECT_EQ(repeat.decisions[0].why.English(), "Answered again: accepted as before.");
  EXPECT_EQ(ReplyObject(repeat).attendees.at(0).partstat, "ACCEPTED");
}

TEST_F(ResourceSchedulerTest, ARequestNotFromItsOrganizerIsNeverAccepted) {
  HandledMessage h = Ok(CalendarOf({}), {"mallory@example.net"});
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  EXPECT_TRUE(h.replies.empty());
  EXPECT_NE(h.decisions[0].why.English().find("mallory@example.net"), std::string::npos);
  // Nothing was booked: the slot is free for the real organizer.
  EXPECT_EQ(Only(Ok(CalendarOf({}))), Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, ASentByMaySendOnlyWhenTheOrganiserAllowedIt) {
  HandledMessage h =
      Ok(CalendarOf({.organizer = "mailto:alice@example.com"}), {"assistant@example.com"});
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  std::string delegated = CalendarOf({.uid = "two"});
  delegated.replace(delegated.find("ORGANIZER:"), std::string("ORGANIZER:").size(),
                    "ORGANIZER;SENT-BY=\"mailto:assistant@example.com\":");
  // SENT-BY on the sender's own word (issue 15): anyone could write it.
  EXPECT_EQ(Only(Ok(delegated, {"assistant@example.com"})), Verdict::kIgnored);
  Prefer("organiser_sent_by", "alice@example.com assistant@example.com");
  HandledMessage sent_by = Ok(delegated, {"assistant@example.com"});
  EXPECT_EQ(Only(sent_by), Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, SenderCheckNoneTrustsTheOrganizerLine) {
  Prefer("sender_check", "none");
  EXPECT_EQ(Only(Ok(CalendarOf({}), {"gateway@example.com"})), Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, ACancelReleasesThePeriodOnlyFromTheOrganizer) {
  Ok(CalendarOf({}));
  HandledMessage spoofed =
      Ok(CalendarOf({.sequence = 1, .method = "CANCEL"}), {"mallory@example.net"});
  EXPECT_EQ(Only(spoofed), Verdict::kIgnored);
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "other"}))), Verdict::kDeclined);

  HandledMessage cancel = Ok(CalendarOf({.sequence = 1, .method = "CANCEL"}));
  EXPECT_EQ(Only(cancel), Verdict::kReleased);
  EXPECT_TRUE(cancel.replies.empty());
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "third"}))), Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, ACancelOlderThanTheBookingIsIgnoredIssue15) {
  Ok(CalendarOf({.sequence = 3}));
  HandledMessage stale = Ok(CalendarOf({.sequence = 1, .method = "CANCEL"}));
  EXPECT_EQ(Only(stale), Verdict::kIgnored);
  EXPECT_EQ(stale.decisions[0].why.English(),
            "Ignored: SEQUENCE 1 is older than the 3 already answered.");
  HandledMessage older_stamp =
      Ok(CalendarOf({.sequence = 3, .dtstamp = "20261201T060000Z", .method = "CANCEL"}));
  EXPECT_EQ(Only(older_stamp), Verdict::kIgnored);
  // The slot is still held.
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "other"}))), Verdict::kDeclined);
  EXPECT_EQ(Only(Ok(CalendarOf({.sequence = 3, .method = "CANCEL"}))), Verdict::kReleased);
}

TEST_F(ResourceSchedulerTest, NoAnswerGoesToTheResourceItselfOrItsSenderIssue15) {
  Prefer("MESSAGE_SENDER", "Bookings@Example.com");
  Prefer("freebusy_sharing", "share");
  for (const std::string own : {"room1@example.com", "bookings@example.com"}) {
    for (const std::string method : {"REQUEST", "ADD"}) {
      HandledMessage h = Ok(CalendarOf({.organizer = "mailto:" + own, .method = method}), {own});
      EXPECT_EQ(Only(h), Verdict::kIgnored) << own << " " << method;
      EXPECT_TRUE(h.replies.empty()) << own << " " << method;
      EXPECT_EQ(h.decisions[0].why.English(),
                "Ignored: the organizer is " + own +
                    ", the resource's own address; an answer would come back to it.");
    }
  }
  // Nothing was booked.
  EXPECT_EQ(Only(Ok(CalendarOf({}))), Verdict::kAccepted);
}

// A reply's To and RCPT TO take the ORGANIZER as it is: one that is not one mail address
// would send the answer to others, even when the sender's own address reads the same.
TEST_F(ResourceSchedulerTest, AnOrganizerThatIsNotOneMailAddressGetsNoAnswerIssue15) {
  Prefer("freebusy_sharing", "share");
  for (const std::string organizer :
       {"alice@x.example,bob@evil.example", "\"alice\"@x.example",
        "alice@x.example;bob@evil.example", "alice(bob@evil.example)@x.example"}) {
    for (const std::string method : {"REQUEST", "ADD", "CANCEL"}) {
      HandledMessage h =
          Ok(CalendarOf({.organizer = "mailto:" + organizer, .method = method}), {organizer});
      EXPECT_EQ(Only(h), Verdict::kIgnored) << organizer << " " << method;
      EXPECT_TRUE(h.replies.empty()) << organizer << " " << method;
      EXPECT_EQ(h.decisions[0].why.English(),
                "Ignored: no ORGANIZER to answer; '" + organizer + "' is not one mail address.")
          << method;
    }
  }
  // Nothing was booked.
  EXPECT_EQ(Only(Ok(CalendarOf({}))), Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, ASeriesWithOneConflictingOccurrenceIsDeclinedWhole) {
  Ok(CalendarOf({.uid = "board",
                 .start = "20261216T100000Z",
                 .end = "20261216T110000Z",
                 .summary = "Board meeting"}));
  HandledMessage h = Ok(CalendarOf({.uid = "weekly", .extra = "RRULE:FREQ=WEEKLY;COUNT=4\r\n"}));
  EXPECT_EQ(Only(h), Verdict::kDeclined);
  EXPECT_EQ(h.decisions[0].why.English(),
            "Declined on 2026-12-16 10:00\u201311:00: conflicts with 'Board meeting' "
            "2026-12-16 10:00\u201311:00.");
  // The other occurrences were not booked either.
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "x", .start = "20261209T100000Z", .end = "20261209T110000Z"}))),
      Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, AnAcceptedSeriesHoldsEveryOccurrenceInTheWindow) {
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "weekly", .extra = "RRULE:FREQ=WEEKLY\r\n"}))),
            Verdict::kAccepted);
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "a", .start = "20270203T100000Z", .end = "20270203T110000Z"}))),
      Verdict::kDeclined);  // Nine weeks on.
  // Past the 100-day window nothing is held (imip-agent's window).
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "b", .start = "20270407T100000Z", .end = "20270407T110000Z"}))),
      Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, ASingleEventBeyondTheWindowIsHeldAllTheSame) {
  EXPECT_EQ(Only(Ok(CalendarOf({.start = "20271202T100000Z", .end = "20271202T110000Z"}))),
            Verdict::kAccepted);
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "b", .start = "20271202T100000Z", .end = "20271202T110000Z"}))),
      Verdict::kDeclined);
}

TEST_F(ResourceSchedulerTest, ResourceTimesAreSaidInItsOwnZone) {
  Prefer("TZID", "Europe/Berlin");
  HandledMessage h = Ok(CalendarOf({}));
  EXPECT_EQ(h.decisions.at(0).why.English(),
            "Accepted: room1@example.com is free for 2026-12-02 11:00\u201312:00.");
}

TEST_F(ResourceSchedulerTest, AnAllDayEventFillsTheDayInTheResourcesZone) {
  Prefer("TZID", "Europe/Berlin");
  auto allday = CalendarOf({.uid = "holiday"});
  allday.replace(allday.find("DTSTART:20261202T100000Z"), 24, "DTSTART;VALUE=DATE:20261204");
  allday.replace(allday.find("DTEND:20261202T110000Z"), 22, "DTEND;VALUE=DATE:20261205");
  EXPECT_EQ(Only(Ok(allday)), Verdict::kAccepted);
  // 23:30 UTC on the 3rd is 00:30 on the 4th in Berlin.
  EXPECT_EQ(
      Only(Ok(CalendarOf({.uid = "late", .start = "20261203T233000Z", .end = "20261204T000000Z"}))),
      Verdict::kDeclined);
  EXPECT_EQ(Only(Ok(CalendarOf(
                {.uid = "early", .start = "20261203T220000Z", .end = "20261203T230000Z"}))),
            Verdict::kAccepted);
}

TEST_F(ResourceSchedulerTest, ATransparentEventIsAcceptedWithoutHoldingTime) {
  EXPECT_EQ(Only(Ok(CalendarOf({.uid = "fyi", .extra = "TRANSP:TRANSPARENT\r\n"}))),
            Verdict::kAccepted);
  EXPECT_EQ(Only(Ok(CalendarOf({}))), Verdict::kAccepted);
}

// A policy the resource cannot apply decides nothing either way: the site mends it, and the
// message waits (a configuration error) instead of being declined or accepted.
TEST_F(ResourceSchedulerTest, AnUnknownSchedulingFunctionIsAConfigurationErrorIssue15) {
  const std::string file =
      (dir_.root() / "prefs" / "mailto:room1@example.com" / "scheduling_function").string();
  for (const std::string& name : {"make_coffee"s, "same_domain\0membership"s}) {
    Prefer("scheduling_function", "schedule_in_freebusy\n" + name);
    auto handled = Send(CalendarOf({}));
    EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(handled.status().message().find("'" + file + "'"), std::string::npos)
        << handled.status().message();
    EXPECT_NE(handled.status().message().find("no scheduling function is called '" + name + "'"),
              std::string::npos)
        << handled.status().message();
  }
  // Nothing was held: once mended, the same request is accepted.
  Prefer("scheduling_function", "schedule_in_freebusy");
  EXPECT_EQ(Only(Ok(CalendarOf({}))), Verdict::kAccepted);
}

// The From of every reply and its envelope sender, as it is: one address or nothing.
TEST_F(ResourceSchedulerTest, AMessageSenderThatIsNotOneAddressIsAConfigurationErrorIssue15) {
  const std::string file =
      (dir_.root() / "prefs" / "mailto:room1@example.com" / "MESSAGE_SENDER").string();
  const std::vector<std::string> bad = {"calendar@example.com\0"s,
                                        "calendar@example.com\r\nBcc: victim@example.net",
                                        "room bookings@example.com",
                                        "calendar.example.com",
                                        "calendar@example.com, victim@example.net",
                                        "<calendar@example.com>",
                                        "calendar@@example.com",
                                        "calendar@example..com",
                                        ""};
  for (const std::string& sender : bad) {
    Prefer("MESSAGE_SENDER", sender);
    auto handled = Send(CalendarOf({}));
    EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition) << sender;
    EXPECT_NE(handled.status().message().find("MESSAGE_SENDER in '" + file + "'"),
              std::string::npos)
        << handled.status().message();
  }
  std::filesystem::remove(file);
  // The configuration's, for every resource without its own.
  ResourceOptions options;
  options.config = SystemConfig::Parse("MESSAGE_SENDER = \"room bookings@example.com\"\n").value();
  auto handled = Send(CalendarOf({}), {"alice@example.com"}, {"room1@example.com"}, options);
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handled.status().message().find("MESSAGE_SENDER in the default"), std::string::npos)
      << handled.status().message();
  // Nothing was held: once mended, the same request is accepted, from that address.
  Prefer("MESSAGE_SENDER", "Room.Bookings+1@Example.com");
  HandledMessage h = Ok(CalendarOf({}));
  EXPECT_EQ(Only(h), Verdict::kAccepted);
  EXPECT_EQ(h.replies.at(0).from, "Room.Bookings+1@Example.com");
}

// FailedPrecondition out of the scheduler is a configuration error, and only that.
TEST_F(ResourceSchedulerTest, ACalendarThatIsNoItipMessageIsNothingToDoIssue15) {
  for (const std::string method : {"", "METHOD:TAKE-OVER\r\n"}) {
    auto handled = Send("BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\n" + method +
                        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20261201T070000Z\r\n"
                        "DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\n"
                        "ORGANIZER:mailto:alice@example.com\r\n"
                        "ATTENDEE:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    ASSERT_TRUE(handled.ok()) << method << handled.status().message();
    EXPECT_TRUE(handled->decisions.empty()) << method;
    EXPECT_TRUE(handled->replies.empty()) << method;
  }
}

TEST_F(ResourceSchedulerTest, NotParticipatingIgnoresEverything) {
  Prefer("participating", "no");
  HandledMessage h = Ok(CalendarOf({}));
  EXPECT_EQ(Only(h), Verdict::kIgnored);
  EXPECT_TRUE(h.replies.empty());
}

TEST_F(ResourceSchedulerTest, SharesFreeBusyOnlyWhenSharing) {
  Ok(CalendarOf({}));
  const std::string fb =
      "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
      "BEGIN:VFREEBUSY\r\nUID:fb-1\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:20261202T000000Z\r\n"
      "DTEND:20261203T000000Z\r\nORGANIZER:mailto:alice@example.com\r\n"
      "ATTENDEE:mailto:room1@example.com\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  HandledMessage hidden = Ok(fb);
  EXPECT_EQ(Only(hidden), Verdict::kIgnored);
  EXPECT_TRUE(hidden.replies.empty());

  Prefer("freebusy_sharing", "share");
  HandledMessage shared = Ok(fb);
  EXPECT_EQ(Only(shared), Verdict::kAnswered);
  const ItipObject reply = ReplyObject(shared);
  EXPECT_EQ(reply.kind, ComponentKind::kFreeBusy);
  ASSERT_EQ(reply.freebusy.size(), 1u);
  EXPECT_EQ(reply.freebusy[0].start, Utc(2026, 12, 2, 10));
  EXPECT_EQ(reply.freebusy[0].end, Utc(2026, 12, 2, 11));
}

TEST_F(ResourceSchedulerTest, FreeBusyIsAnsweredOnlyToTheOrganizersOwnMessageIssue15) {
  Prefer("freebusy_sharing", "share");
  const std::string fb =
      "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
      "BEGIN:VFREEBUSY\r\nUID:fb-1\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:20261202T000000Z\r\n"
      "DTEND:20261203T000000Z\r\nORGANIZER:mailto:victim@example.net\r\n"
      "ATTENDEE:mailto:room1@example.com\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  // Mallory names a victim as ORGANIZER: the resource would mail the victim.
  HandledMessage reflected = Ok(fb, {"mallory@example.net"});
  EXPECT_EQ(Only(reflected), Verdict::kIgnored);
  EXPECT_TRUE(reflected.replies.empty());
  EXPECT_NE(reflected.decisions[0].why.English().find("mallory@example.net"), std::string::npos);
  EXPECT_EQ(Only(Ok(fb, {"victim@example.net"})), Verdict::kAnswered);
  Prefer("sender_check", "none");
  EXPECT_EQ(Only(Ok(fb, {"mallory@example.net"})), Verdict::kAnswered);
}

TEST_F(ResourceSchedulerTest, PreferenceTextsReachAReplyAsOneLineIssue15) {
  Prefer("CN", "Room\0 1\r\nBcc: victim@example.net"s);
  HandledMessage h = Ok(CalendarOf({}));
  ASSERT_EQ(h.replies.size(), 1u);
  const OutgoingMail& mail = h.replies[0];
  EXPECT_EQ(mail.from_name, "Room\uFFFD 1 Bcc: victim@example.net");
  for (const std::string* text : {&mail.from_name, &mail.text}) {
    EXPECT_EQ(text->find('\0'), std::string::npos) << *text;
  }
}

TEST_F(ResourceSchedulerTest, AnAddAsksForTheWholeEventUnlessIgnored) {
  HandledMessage add = Ok(CalendarOf({.method = "ADD"}));
  EXPECT_EQ(Only(add), Verdict::kAnswered);
  ASSERT_EQ(add.replies.size(), 1u);
  EXPECT_EQ(add.replies[0].method, "REFRESH");
  auto refresh = ParseItip(add.replies[0].calendar);
  ASSERT_TRUE(refresh.ok()) << refresh.status().message();
  EXPECT_EQ(refresh->method, Method::kRefresh);
  EXPECT_FALSE(refresh->objects[0].start);  // REFRESH carries no times.

  Prefer("add_method_response", "ignore");
  EXPECT_EQ(Only(Ok(CalendarOf({.method = "ADD"}))), Verdict::kIgnored);
}

TEST_F(ResourceSchedulerTest, ARefreshGetsTheStoredAnswerWhenRefreshingIsOn) {
  Ok(CalendarOf({}));
  EXPECT_EQ(Only(Ok(CalendarOf({.method = "REFRESH"}))), Verdict::kIgnored);
  Prefer("event_refreshing", "always");
  HandledMessage h = Ok(CalendarOf({.method = "REFRESH"}));
  EXPECT_EQ(Only(h), Verdict::kAnswered);
  EXPECT_EQ(ReplyObject(h).attendees.at(0).partstat, "ACCEPTED");
}

TEST_F(ResourceSchedulerTest, FindsTheResourceAmongTheAddresseesWithoutRecipients) {
  auto handled = Send(CalendarOf({}), {"alice@example.com"}, {});
  ASSERT_TRUE(handled.ok());
  ASSERT_EQ(handled->decisions.size(), 1u);
  EXPECT_EQ(handled->decisions[0].resource, "room1@example.com");
}

TEST_F(ResourceSchedulerTest, UnknownUsersAndABusyStoreAreErrorsNotDecisions) {
  ResourceOptions strict;
  strict.users_must_exist = true;
  EXPECT_EQ(
      Send(CalendarOf({}), {"alice@example.com"}, {"room1@example.com"}, strict).status().code(),
      StatusCode::kNotFound);
  Prefer("CN", "Room 1");
  EXPECT_TRUE(Send(CalendarOf({}), {"alice@example.com"}, {"room1@example.com"}, strict).ok());

  auto held = store_->Open("room1@example.com", Duration::zero());
  ASSERT_TRUE(held.ok());
  ResourceOptions impatient;
  impatient.store_wait = Duration::zero();
  EXPECT_EQ(Send(CalendarOf({.uid = "x"}), {"alice@example.com"}, {"room1@example.com"}, impatient)
                .status()
                .code(),
            StatusCode::kUnavailable);
}

TEST_F(ResourceSchedulerTest, ASummarysLineBreaksStayOutOfTheReplysSentenceIssue15) {
  HandledMessage h =
      Ok(CalendarOf({.summary = "Team sync\\nBcc: victim@example.net\\n\\n<b>Pay</b>"}));
  ASSERT_EQ(h.replies.size(), 1u);
  const std::string& text = h.replies[0].text;
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "room1@example.com accepted 'Team sync Bcc: victim@example.net <b>Pay</b>'.");
}

TEST_F(ResourceSchedulerTest, AReplyToBadBytesInASummaryIsValidUtf8Issue15) {
  HandledMessage h = Ok(CalendarOf({.summary = "Caf\xE9 \xC0\xAF \xED\xA0\x80"}));
  ASSERT_EQ(h.replies.size(), 1u);
  const OutgoingMail& mail = h.replies[0];
  const std::string summary = "Caf\uFFFD \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD";
  EXPECT_EQ(mail.subject, "Accepted: " + summary);
  EXPECT_EQ(mail.text.substr(0, mail.text.find('\n')),
            "room1@example.com accepted '" + summary + "'.");
  EXPECT_NE(mail.calendar.find("SUMMARY:" + summary + "\r\n"), std::string::npos) << mail.calendar;
  for (const std::string* text : {&mail.subject, &mail.text, &mail.calendar}) {
    EXPECT_EQ(RepairUtf8(*text), *text);
  }
}

}  // namespace
}  // namespace magent::imip
