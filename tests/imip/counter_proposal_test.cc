// schedule_corrected_in_freebusy and schedule_next_available_in_freebusy: counter-proposals
// on permitted times, held as offers for freebusy_offers.
#include <gtest/gtest.h>

#include <chrono>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

using testing::kNow;

UtcTime At(int day, int hour, int minute = 0) {
  return sys_days{year{2026} / 12 / day} + hours(hour) + minutes(minute);
}

std::string Invitation(const std::string& uid, const std::string& start, const std::string& end,
                       int sequence = 0) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid + "\r\nSEQUENCE:" + std::to_string(sequence) +
         "\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:" + start + "\r\nDTEND:" + end +
         "\r\nSUMMARY:" + uid +
         "\r\nORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class CounterProposalTest : public testing::ResourceFixture {
 protected:
  static Period Proposed(const HandledMessage& h) {
    EXPECT_EQ(h.replies.size(), 1u);
    EXPECT_EQ(h.replies.at(0).method, "COUNTER");
    auto counter = ParseItip(h.replies.at(0).calendar);
    EXPECT_TRUE(counter.ok());
    return {counter->objects.at(0).start->utc, counter->objects.at(0).end->utc};
  }
};

TEST_F(CounterProposalTest, ACorrectedTimeIsCounterProposedOnPermittedTimes) {
  Prefer("scheduling_function", "schedule_corrected_in_freebusy");
  Prefer("permitted_times", "0,30");
  HandledMessage h = Handle(Invitation("a", "20261202T100700Z", "20261202T110700Z"));
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].verdict, Verdict::kCountered);
  const Period p = Proposed(h);
  EXPECT_EQ(p.start, At(2, 10, 30));
  EXPECT_EQ(p.end, At(2, 11, 30));
  // On a permitted time already, it is simply accepted.
  EXPECT_EQ(Handle(Invitation("b", "20261203T100000Z", "20261203T110000Z")).decisions.at(0).verdict,
            Verdict::kAccepted);
}

TEST_F(CounterProposalTest, TheNextAvailablePeriodIsProposedWhenBusy) {
  Handle(Invitation("board", "20261202T100000Z", "20261202T120000Z"));
  Prefer("scheduling_function", "schedule_next_available_in_freebusy");
  HandledMessage h = Handle(Invitation("sync", "20261202T110000Z", "20261202T120000Z"));
  EXPECT_EQ(h.decisions.at(0).verdict, Verdict::kCountered);
  const Period p = Proposed(h);
  EXPECT_EQ(p.start, At(2, 12));
  EXPECT_EQ(p.end, At(2, 13));
  // schedule_corrected_in_freebusy does not look further: busy is declined.
  Prefer("scheduling_function", "schedule_corrected_in_freebusy");
  EXPECT_EQ(
      Handle(Invitation("other", "20261202T110000Z", "20261202T120000Z")).decisions.at(0).verdict,
      Verdict::kDeclined);
}

TEST_F(CounterProposalTest, AnOfferHoldsItsPeriodUntilItExpires) {
  Prefer("scheduling_function", "schedule_next_available_in_freebusy");
  Prefer("freebusy_offers", "PT10M");
  Handle(Invitation("board", "20261202T100000Z", "20261202T110000Z"));
  HandledMessage h = Handle(Invitation("sync", "20261202T100000Z", "20261202T110000Z"));
  ASSERT_TRUE(h.decisions.at(0).offer);
  EXPECT_EQ(h.decisions[0].offer->expires, kNow + minutes(10));
  EXPECT_EQ(Proposed(h).start, At(2, 11));

  // While the offer holds, nobody else gets 11:00; the counter goes on to 12:00.
  Prefer("scheduling_function", "schedule_in_freebusy");
  EXPECT_EQ(
      Handle(Invitation("third", "20261202T110000Z", "20261202T120000Z")).decisions.at(0).verdict,
      Verdict::kDeclined);
  // The organizer takes the offer: a new SEQUENCE for 11:00 is accepted.
  EXPECT_EQ(
      Handle(Invitation("sync", "20261202T110000Z", "20261202T120000Z", 1)).decisions.at(0).verdict,
      Verdict::kAccepted);
}

TEST_F(CounterProposalTest, AnExpiredOfferFreesItsPeriod) {
  Prefer("scheduling_function", "schedule_next_available_in_freebusy");
  Prefer("freebusy_offers", "PT10M");
  Handle(Invitation("board", "20261202T100000Z", "20261202T110000Z"));
  Handle(Invitation("sync", "20261202T100000Z", "20261202T110000Z"));  // Offered 11:00.
  Prefer("scheduling_function", "schedule_in_freebusy");
  EXPECT_EQ(Handle(Invitation("late", "20261202T110000Z", "20261202T120000Z"), kNow + minutes(11))
                .decisions.at(0)
                .verdict,
            Verdict::kAccepted);
}

TEST_F(CounterProposalTest, ADeclineCounterWithdrawsTheOffer) {
  Prefer("scheduling_function", "schedule_next_available_in_freebusy");
  Prefer("freebusy_offers", "PT1H");
  Handle(Invitation("board", "20261202T100000Z", "20261202T110000Z"));
  Handle(Invitation("sync", "20261202T100000Z", "20261202T110000Z"));  // Offered 11:00.
  std::string decline = Invitation("sync", "20261202T100000Z", "20261202T110000Z");
  decline.replace(decline.find("METHOD:REQUEST"), 14, "METHOD:DECLINECOUNTER");
  EXPECT_EQ(Handle(decline).decisions.at(0).verdict, Verdict::kReleased);
  Prefer("scheduling_function", "schedule_in_freebusy");
  EXPECT_EQ(
      Handle(Invitation("next", "20261202T110000Z", "20261202T120000Z")).decisions.at(0).verdict,
      Verdict::kAccepted);
}

TEST_F(CounterProposalTest, CounterProposalsKeepToWorkingHours) {
  Prefer("scheduling_function", "schedule_next_available_in_freebusy");
  Prefer("working_hours", "Mon-Fri 08:00-18:00");
  Handle(Invitation("busy", "20261202T170000Z", "20261202T180000Z"));
  const Period p = Proposed(Handle(Invitation("sync", "20261202T170000Z", "20261202T180000Z")));
  EXPECT_EQ(p.start, At(3, 8));  // The next morning.
}

}  // namespace
}  // namespace magent::imip
