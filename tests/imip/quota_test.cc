// Quotas (check_quota, schedule_across_quota, schedule_for_delegate), golden: cars of one
// quota group deciding on messages written here, with real limits and delegates files and
// a real LevelDB store in a temp directory.
#include <gtest/gtest.h>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;
using testing::kNow;

struct Booking {
  std::string uid = "trip-1@example.com";
  std::string start = "20261202T100000Z";
  std::string end = "20261202T120000Z";
  std::string organizer = "alice@example.com";
  std::string car = "car1@example.com";
  std::string method = "REQUEST";
  int sequence = 0;
  std::string extra;  // More VEVENT lines (RRULE, RECURRENCE-ID).
};

std::string CalendarOf(const Booking& b) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + b.method +
         "\r\nBEGIN:VEVENT\r\nUID:" + b.uid + "\r\nSEQUENCE:" + std::to_string(b.sequence) +
         "\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:" + b.start + "\r\nDTEND:" + b.end +
         "\r\nSUMMARY:Trip\r\nORGANIZER:mailto:" + b.organizer + "\r\n" + b.extra +
         "ATTENDEE;CUTYPE=RESOURCE;RSVP=TRUE:mailto:" + b.car +
         "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class QuotaTest : public testing::ResourceFixture {
 protected:
  // The group's directory in the journal, with its limits and delegates files.
  void Group(const std::string& name, const std::string& limits,
             const std::string& delegates = "") {
    const auto dir = dir_.root() / "journal" / name;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "limits") << limits;
    if (!delegates.empty()) std::ofstream(dir / "delegates") << delegates;
  }
  // The group's `groups` file: organizers that share one quota.
  void UserGroups(const std::string& name, const std::string& groups) {
    std::ofstream(dir_.root() / "journal" / name / "groups") << groups;
  }
  void Functions(const std::string& lines, const std::vector<std::string>& cars) {
    for (const std::string& car : cars) Prefer("scheduling_function", lines, car);
  }
  Decision Book(const Booking& b, UtcTime now = kNow) {
    HandledMessage h = Handle(CalendarOf(b), now, b.organizer, b.car);
    EXPECT_EQ(h.decisions.size(), 1u);
    return h.decisions.empty() ? Decision{} : h.decisions[0];
  }
  Verdict Answer(const Booking& b, UtcTime now = kNow) { return Book(b, now).verdict; }
};

using enum Verdict;

// A request already decided gets the same answer again (a retried message): asking anew
// takes a new version.
Booking Again(Booking b) {
  ++b.sequence;
  return b;
}

TEST_F(QuotaTest, WithinTheLimitIsAcceptedAndOverItDeclinedWithTheTimes) {
  Group("cars", "* PT3H\n");
  Functions("schedule_in_freebusy\ncheck_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a"}), kAccepted);
  const Decision over = Book({.uid = "b", .start = "20261203T100000Z", .end = "20261203T120000Z"});
  EXPECT_EQ(over.verdict, kDeclined);
  EXPECT_EQ(over.why.English(),
            "Declined: quota 'cars' for alice@example.com would be 4:00 of 3:00 hours.");
  // What fits the rest of the quota still passes.
  EXPECT_EQ(Answer({.uid = "c", .start = "20261203T100000Z", .end = "20261203T110000Z"}),
            kAccepted);
}

// A limit longer than 10,000 years is a mistake in the limits file, not a limit that
// libical's int arithmetic wraps into some other one.
TEST_F(QuotaTest, AnEndlessLimitIsAConfigurationErrorIssue15) {
  Group("cars", "* P600000W\n");
  Functions("schedule_in_freebusy\ncheck_quota cars", {"car1@example.com"});
  auto handled = TryHandle(CalendarOf({.uid = "a"}), kNow, "alice@example.com", "car1@example.com");
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handled.status().message().find("check_quota cars"), std::string::npos)
      << handled.status().message();
  Group("cars", "* P10000W\n");
  EXPECT_EQ(Answer({.uid = "a"}), kAccepted);
}

TEST_F(QuotaTest, AUserLineComesBeforeItsDomainAndEveryone) {
  Group("cars",
        "# the limits of the car pool\n"
        "* PT1H\n"
        "@example.org PT2H\n"
        "mailto:bob@example.com unlimited\n");
  Functions("check_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a"}), kDeclined);  // alice: 2 hours of 1.
  EXPECT_EQ(Answer({.uid = "b", .end = "20261202T200000Z", .organizer = "bob@example.com"}),
            kAccepted);
  EXPECT_EQ(Answer({.uid = "c", .organizer = "carol@example.org"}), kAccepted);
  EXPECT_EQ(Answer({.uid = "d",
                    .start = "20261203T100000Z",
                    .end = "20261203T110000Z",
                    .organizer = "carol@example.org"}),
            kDeclined);
}

TEST_F(QuotaTest, AGroupWithoutALimitForTheOrganizerDeclines) {
  Group("cars", "mailto:bob@example.com PT10H\n");
  Functions("check_quota cars", {"car1@example.com"});
  const Decision d = Book({});
  EXPECT_EQ(d.verdict, kDeclined);
  EXPECT_EQ(d.why.English(), "Declined: quota 'cars' sets no limit for alice@example.com.");
}

TEST_F(QuotaTest, TheMembersOfAUserGroupShareItsLimit) {
  Group("cars", "staff PT3H\n* PT10H\n");
  UserGroups("cars", "alice@example.com staff\nmailto:bob@example.com staff\n");
  Functions("schedule_in_freebusy\ncheck_quota cars", {"car1@example.com", "car2@example.com"});
  EXPECT_EQ(Answer({.uid = "a", .car = "car1@example.com"}), kAccepted);
  const Decision bob =
      Book({.uid = "b", .organizer = "bob@example.com", .car = "car2@example.com"});
  EXPECT_EQ(bob.verdict, kDeclined);
  EXPECT_EQ(bob.why.English(), "Declined: quota 'cars' for staff would be 4:00 of 3:00 hours.");
  // Outside the user group, the organizer's own limit.
  EXPECT_EQ(Answer({.uid = "c", .organizer = "carol@example.com", .car = "car2@example.com"}),
            kAccepted);
}

TEST_F(QuotaTest, AUserGroupByDomainHoldsOneCarAtATime) {
  Group("cars", "");
  UserGroups("cars", "# the sales team\n@example.com sales\n");
  Functions("schedule_in_freebusy\nschedule_across_quota cars",
            {"car1@example.com", "car2@example.com"});
  EXPECT_EQ(Answer({.uid = "a", .car = "car1@example.com"}), kAccepted);
  const Decision bob =
      Book({.uid = "b", .organizer = "bob@example.com", .car = "car2@example.com"});
  EXPECT_EQ(bob.verdict, kDeclined);
  EXPECT_EQ(bob.why.English(),
            "Declined: sales already holds car1@example.com for 'Trip' 2026-12-02 10:00–12:00 "
            "(quota 'cars').");
  EXPECT_EQ(Answer({.uid = "c", .organizer = "dave@example.org", .car = "car2@example.com"}),
            kAccepted);
}

TEST_F(QuotaTest, TheJournalIsSharedByTheResourcesOfTheGroup) {
  Group("cars", "* PT3H\n");
  Functions("schedule_in_freebusy\ncheck_quota cars", {"car1@example.com", "car2@example.com"});
  EXPECT_EQ(Answer({.uid = "a", .car = "car1@example.com"}), kAccepted);
  const Decision second = Book({.uid = "b", .car = "car2@example.com"});
  EXPECT_EQ(second.verdict, kDeclined);
  EXPECT_EQ(second.why.English(),
            "Declined: quota 'cars' for alice@example.com would be 4:00 of 3:00 hours.");
  // Each organizer has a quota of their own.
  EXPECT_EQ(Answer({.uid = "c", .organizer = "bob@example.com", .car = "car2@example.com"}),
            kAccepted);
}

TEST_F(QuotaTest, ACancelReleasesTheQuota) {
  Group("cars", "* PT2H\n");
  Functions("check_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a"}), kAccepted);
  const Booking next{.uid = "b", .start = "20261203T100000Z", .end = "20261203T110000Z"};
  EXPECT_EQ(Answer(next), kDeclined);
  EXPECT_EQ(Answer({.uid = "a", .method = "CANCEL", .sequence = 1}), kReleased);
  EXPECT_EQ(Answer(Again(next)), kAccepted);
}

TEST_F(QuotaTest, ACancelOfOneOccurrenceReleasesThatOccurrence) {
  Group("cars", "* PT2H\n");
  Functions("check_quota cars", {"car1@example.com"});
  // The car is invited to one occurrence of a series.
  const std::string occurrence = "RECURRENCE-ID:20261202T100000Z\r\n";
  EXPECT_EQ(Answer({.uid = "series", .extra = occurrence}), kAccepted);
  const Booking next{.uid = "b", .start = "20261203T100000Z", .end = "20261203T110000Z"};
  EXPECT_EQ(Answer(next), kDeclined);
  EXPECT_EQ(Answer({.uid = "series", .method = "CANCEL", .sequence = 1, .extra = occurrence}),
            kReleased);
  EXPECT_EQ(Answer(Again(next)), kAccepted);
}

// RFC 5546 3.2.5: a CANCEL with a RECURRENCE-ID cancels that one instance, also of a series
// the car was invited to as a whole. Its time is free again, in the car's own free/busy and
// in the quota; the other occurrences stay held.
TEST_F(QuotaTest, ACancelOfOneOccurrenceOfAWholeSeriesReleasesOnlyThatOccurrence) {
  Group("cars", "* PT3H\n");
  Functions("schedule_in_freebusy\ncheck_quota cars", {"car1@example.com"});
  const std::string weekly = "RRULE:FREQ=WEEKLY;COUNT=2\r\n";
  EXPECT_EQ(Answer({.uid = "series", .end = "20261202T110000Z", .extra = weekly}), kAccepted);
  const Booking bob_second{.uid = "b",
                           .start = "20261209T100000Z",
                           .end = "20261209T110000Z",
                           .organizer = "bob@example.com"};
  EXPECT_EQ(Answer(bob_second), kDeclined);  // The second occurrence holds the car.
  const Booking alice_more{.uid = "c", .start = "20261210T100000Z", .end = "20261210T110000Z"};
  EXPECT_EQ(Answer(alice_more), kAccepted);  // 3 hours of 3: the quota is full now.
  EXPECT_EQ(Answer({.uid = "series",
                    .end = "20261202T110000Z",
                    .method = "CANCEL",
                    .sequence = 1,
                    .extra = "RECURRENCE-ID:20261209T100000Z\r\n"}),
            kReleased);
  EXPECT_EQ(Answer(Again(bob_second)), kAccepted);
  // The first occurrence is still held: at its time the car stays busy.
  EXPECT_EQ(Answer({.uid = "d",
                    .start = "20261202T100000Z",
                    .end = "20261202T110000Z",
                    .organizer = "bob@example.com"}),
            kDeclined);
  // Alice's cancelled hour is back in her quota.
  EXPECT_EQ(Answer({.uid = "e", .start = "20261211T100000Z", .end = "20261211T110000Z"}),
            kAccepted);
}

TEST_F(QuotaTest, AnUpdateReplacesItsEntryAndADeclinedUpdateReleasesIt) {
  Group("cars", "* PT3H\n");
  Functions("check_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a"}), kAccepted);  // 2 hours.
  // Moved to another day and made 3 hours long: it replaces the 2, it does not add to them.
  EXPECT_EQ(
      Answer({.uid = "a", .start = "20261204T090000Z", .end = "20261204T120000Z", .sequence = 1}),
      kAccepted);
  const Booking hour{.uid = "b", .start = "20261205T100000Z", .end = "20261205T110000Z"};
  EXPECT_EQ(Answer(hour), kDeclined);
  // Four hours are over the quota: declined, and the 3 it held are given back.
  const Decision longer =
      Book({.uid = "a", .start = "20261204T080000Z", .end = "20261204T120000Z", .sequence = 2});
  EXPECT_EQ(longer.why.English(),
            "Declined: quota 'cars' for alice@example.com would be 4:00 of 3:00 hours.");
  EXPECT_EQ(Answer(Again(hour)), kAccepted);
}

TEST_F(QuotaTest, ACounterProposalGivesBackWhatTheEventHeld) {
  Group("cars", "* PT2H\n");
  Prefer("permitted_times", "0,30", "car1@example.com");
  Functions("schedule_corrected_in_freebusy\ncheck_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a"}), kAccepted);
  const Booking hour{.uid = "b", .start = "20261203T100000Z", .end = "20261203T110000Z"};
  EXPECT_EQ(Answer(hour), kDeclined);
  // Moved off the permitted times: a COUNTER, and the booking it replaces is released.
  EXPECT_EQ(
      Answer({.uid = "a", .start = "20261202T101000Z", .end = "20261202T121000Z", .sequence = 1}),
      kCountered);
  EXPECT_EQ(Answer(Again(hour)), kAccepted);
}

TEST_F(QuotaTest, ATransparentEventCountsNothing) {
  Group("cars", "* PT1H\n");
  Functions("check_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a", .extra = "TRANSP:TRANSPARENT\r\n"}), kAccepted);
  EXPECT_EQ(Answer({.uid = "b", .start = "20261203T100000Z", .end = "20261203T110000Z"}),
            kAccepted);
}

TEST_F(QuotaTest, BookingsThatAreOverNoLongerCount) {
  Group("cars", "* PT2H\n");
  Functions("check_quota cars", {"car1@example.com"});
  EXPECT_EQ(Answer({.uid = "a"}), kAccepted);  // 2 December 10:00-12:00.
  const Booking next{.uid = "b", .start = "20261203T100000Z", .end = "20261203T120000Z"};
  EXPECT_EQ(Answer(next), kDeclined);
  // Once the first trip is over, its time is available again: no cron job needed.
  EXPECT_EQ(Answer(Again(next), kNow + hours(29)), kAccepted);  // 2 December 13:00.
}

TEST_F(QuotaTest, ASeriesCountsEveryOccurrence) {
  Functions("check_quota cars", {"car1@example.com"});
  const Booking weekly{.uid = "weekly", .extra = "RRULE:FREQ=WEEKLY;COUNT=3\r\n"};
  Group("cars", "* PT5H\n");
  const Decision d = Book(weekly);
  EXPECT_EQ(d.verdict, kDeclined);
  EXPECT_EQ(d.why.English(),
            "Declined: quota 'cars' for alice@example.com would be 6:00 of 5:00 hours.");
  Group("cars", "* PT6H\n");
  EXPECT_EQ(Answer(Again(weekly)), kAccepted);
  EXPECT_EQ(Answer({.uid = "b", .start = "20261203T100000Z", .end = "20261203T101500Z"}),
            kDeclined);
}

TEST_F(QuotaTest, ScheduleAcrossQuotaKeepsAnOrganizerToOneCarAtATime) {
  Group("cars", "");
  Functions("schedule_in_freebusy\nschedule_across_quota cars",
            {"car1@example.com", "car2@example.com"});
  EXPECT_EQ(Answer({.uid = "a", .car = "car1@example.com"}), kAccepted);
  const Decision both = Book({.uid = "b",
                              .start = "20261202T110000Z",
                              .end = "20261202T130000Z",
                              .car = "car2@example.com"});
  EXPECT_EQ(both.verdict, kDeclined);
  EXPECT_EQ(both.why.English(),
            "Declined: alice@example.com already holds car1@example.com for 'Trip' "
            "2026-12-02 10:00–12:00 (quota 'cars').");
  EXPECT_EQ(Answer({.uid = "c", .organizer = "bob@example.com", .car = "car2@example.com"}),
            kAccepted);
  EXPECT_EQ(Answer({.uid = "d",
                    .start = "20261202T120000Z",
                    .end = "20261202T130000Z",
                    .car = "car2@example.com"}),
            kAccepted);
}

TEST_F(QuotaTest, ScheduleForDelegateDelegatesToAFreeMemberOfTheGroup) {
  Group("cars", "", "mailto:car1@example.com\ncar2@example.com\ncar3@example.com\n");
  Functions("schedule_for_delegate cars\nschedule_in_freebusy",
            {"car1@example.com", "car2@example.com", "car3@example.com"});
  EXPECT_EQ(Answer({.uid = "a", .organizer = "bob@example.com", .car = "car1@example.com"}),
            kAccepted);
  EXPECT_EQ(Answer({.uid = "b", .organizer = "bob@example.com", .car = "car2@example.com"}),
            kAccepted);

  // car1 is busy; car2 is busy too; car3 is free.
  HandledMessage h =
      Handle(CalendarOf({.uid = "c"}), kNow, "alice@example.com", "car1@example.com");
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].verdict, kDelegated);
  EXPECT_EQ(h.decisions[0].why.English(),
            "Delegated: car1@example.com is busy, and car3@example.com of the same quota group "
            "is free.");
  ASSERT_EQ(h.replies.size(), 1u);
  EXPECT_EQ(h.replies[0].method, "REPLY");
  EXPECT_EQ(h.replies[0].to, std::vector<std::string>{"alice@example.com"});
  auto reply = ParseItip(h.replies[0].calendar);
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  const Attendee* car1 = reply->objects.at(0).FindAttendee("car1@example.com");
  ASSERT_NE(car1, nullptr);
  EXPECT_EQ(car1->partstat, "DELEGATED");
  EXPECT_NE(h.replies[0].calendar.find("DELEGATED-TO=\"mailto:car3@example.com\""),
            std::string::npos)
      << h.replies[0].calendar;

  // Once car3 is taken as well, nobody is free.
  EXPECT_EQ(Answer({.uid = "d", .organizer = "bob@example.com", .car = "car3@example.com"}),
            kAccepted);
  const Decision none = Book({.uid = "c", .sequence = 1});
  EXPECT_EQ(none.verdict, kDeclined);
  EXPECT_EQ(none.why.English(),
            "Declined: car1@example.com is busy, and no delegate of quota 'cars' is free.");
  // A free car takes the event itself.
  EXPECT_EQ(Answer({.uid = "e", .start = "20261203T100000Z", .end = "20261203T110000Z"}),
            kAccepted);
}

// A group the resource cannot read is the site's to mend: nothing is decided (the message
// is kept for a retry). A bad name never becomes a path.
TEST_F(QuotaTest, ABadGroupNameIsAConfigurationErrorAndNeverBecomesAPathIssue15) {
  Functions("check_quota ../prefs", {"car1@example.com"});
  auto bad = TryHandle(CalendarOf({}), kNow, "alice@example.com", "car1@example.com");
  EXPECT_EQ(bad.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(bad.status().message(),
            "the scheduling function 'check_quota ../prefs' cannot be applied: "
            "'../prefs' is no quota group name");
  Functions("check_quota", {"car1@example.com"});
  EXPECT_EQ(
      TryHandle(CalendarOf({}), kNow, "alice@example.com", "car1@example.com").status().code(),
      StatusCode::kFailedPrecondition);
}

// A file of the group that cannot be read is no empty file: `groups` unread would count
// each member on their own, against more quota than the site allows.
TEST_F(QuotaTest, AnUnreadableGroupFileIsAConfigurationErrorIssue15) {
  Group("cars", "* PT3H\n");
  Functions("check_quota cars", {"car1@example.com"});
  const auto groups = dir_.root() / "journal" / "cars" / "groups";
  std::filesystem::create_directories(groups);
  auto handled = TryHandle(CalendarOf({}), kNow, "alice@example.com", "car1@example.com");
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handled.status().message().find("'" + groups.string() + "' cannot be read"),
            std::string::npos)
      << handled.status().message();
  std::filesystem::remove(groups);
  EXPECT_EQ(Answer({}), kAccepted);
}

// imip-agent runs add_to_quota after an acceptance, not as a scheduling function: named as
// one, it is a function the resource does not know, which the site must mend.
TEST_F(QuotaTest, AddToQuotaIsNoSchedulingFunctionOfItsOwn) {
  Group("cars", "* PT10H\n");
  Functions("add_to_quota cars", {"car1@example.com"});
  auto handled = TryHandle(CalendarOf({}), kNow, "alice@example.com", "car1@example.com");
  EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handled.status().message().find("no scheduling function is called 'add_to_quota'"),
            std::string::npos)
      << handled.status().message();
}

// A group the site has not set up, or set up with a line the resource cannot read, is the
// site's to mend: nothing is decided (the message is kept), and the error says where.
TEST_F(QuotaTest, AMissingGroupOrAnUnreadableLineIsAConfigurationErrorIssue15) {
  const auto status = [&](const std::string& uid) {
    return TryHandle(CalendarOf({.uid = uid}), kNow, "alice@example.com", "car1@example.com")
        .status();
  };
  Functions("check_quota vans", {"car1@example.com"});
  EXPECT_EQ(status("a").code(), StatusCode::kFailedPrecondition);
  Group("vans", "* ten hours\n");
  const Status limits = status("b");
  EXPECT_EQ(limits.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(limits.message().find("limits line 1: not 'IDENTITY LIMIT'"), std::string::npos)
      << limits.message();
  Group("vans", "* PT10H\n");
  UserGroups("vans", "alice@example.com ../staff\n");
  const Status groups = status("c");
  EXPECT_EQ(groups.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(groups.message().find("groups line 1: not 'IDENTITY USERGROUP'"), std::string::npos)
      << groups.message();
  UserGroups("vans", "alice@example.com staff\n");
  EXPECT_EQ(Answer({.uid = "c"}), kAccepted);
}

}  // namespace
}  // namespace magent::imip
