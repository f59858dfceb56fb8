// Cancellations and counter-proposals as their own store records: a CANCEL keeps the
// cancelled object (a late, older REQUEST is not booked again; REFRESH can answer), and a
// COUNTER the resource sent is kept until DECLINECOUNTER, its expiry or a newer REQUEST.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;
using testing::kNow;

std::string Calendar(const std::string& method, const std::string& uid, int sequence,
                     const std::string& start, const std::string& end,
                     const std::string& dtstamp = "20261201T070000Z") {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:" + method +
         "\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nSEQUENCE:" + std::to_string(sequence) +
         "\r\nDTSTAMP:" + dtstamp + "\r\nDTSTART:" + start + "\r\nDTEND:" + end +
         "\r\nSUMMARY:" + uid +
         "\r\nORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE;CUTYPE=ROOM:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

std::string Ten(const std::string& method, const std::string& uid, int sequence) {
  return Calendar(method, uid, sequence, "20261202T100000Z", "20261202T110000Z");
}

class CancellationRecordsTest : public testing::ResourceFixture {
 protected:
  std::unique_ptr<StoreSession> Session() {
    return store_->Open("room1@example.com", Duration::zero()).value();
  }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
  // A resource that moves requests onto the hour, holding its offers for `hold`.
  void CorrectOntoTheHour(const std::string& hold) {
    Prefer("scheduling_function", "schedule_corrected_in_freebusy");
    Prefer("permitted_times", "0");
    if (!hold.empty()) Prefer("freebusy_offers", hold);
  }
  // 10:15–11:15, countered with 11:00–12:00.
  std::string OffTheHour(const std::string& method = "REQUEST", int sequence = 0) {
    return Calendar(method, "sync", sequence, "20261202T101500Z", "20261202T111500Z");
  }
};

TEST_F(CancellationRecordsTest, ACancelKeepsTheCancelledObjectAtItsSequence) {
  ASSERT_EQ(Decide(Ten("REQUEST", "sync", 0)).verdict, Verdict::kAccepted);
  ASSERT_EQ(Decide(Ten("CANCEL", "sync", 1)).verdict, Verdict::kReleased);
  auto session = Session();
  auto kept = session->GetCancellation("sync", std::nullopt);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->sequence, 1);
  EXPECT_EQ((*kept)->organizer, "alice@example.com");
  EXPECT_TRUE(Has((*kept)->calendar, "METHOD:REQUEST"));  // The object as booked.
  EXPECT_FALSE(session->GetObject("sync", std::nullopt).value().has_value());
}

TEST_F(CancellationRecordsTest, ALateOlderRequestIsNotBookedAgain) {
  Decide(Ten("REQUEST", "sync", 0));
  Decide(Ten("CANCEL", "sync", 1));
  Decision late = Decide(Ten("REQUEST", "sync", 0));  // Delivered after the CANCEL.
  EXPECT_EQ(late.verdict, Verdict::kIgnored);
  EXPECT_TRUE(Has(late.why.English(), "cancelled")) << late.why.English();
  // Nothing is held: another event gets the slot.
  EXPECT_EQ(Decide(Ten("REQUEST", "other", 0)).verdict, Verdict::kAccepted);
}

TEST_F(CancellationRecordsTest, ANewerRequestInvitesAgain) {
  Decide(Ten("REQUEST", "sync", 0));
  Decide(Ten("CANCEL", "sync", 1));
  EXPECT_EQ(Decide(Ten("REQUEST", "sync", 2)).verdict, Verdict::kAccepted);
  EXPECT_FALSE(Session()->GetCancellation("sync", std::nullopt).value().has_value());
}

TEST_F(CancellationRecordsTest, AnInstanceRequestOlderThanTheWholeEventsCancelIsIgnored) {
  Decide(Ten("REQUEST", "sync", 0));
  Decide(Ten("CANCEL", "sync", 3));
  std::string instance = Ten("REQUEST", "sync", 1);
  instance.insert(instance.find("DTSTART"), "RECURRENCE-ID:20261202T100000Z\r\n");
  EXPECT_EQ(Decide(instance).verdict, Verdict::kIgnored);
}

TEST_F(CancellationRecordsTest, ARefreshOfACancelledEventIsAnsweredDeclined) {
  Prefer("event_refreshing", "always");
  Decide(Ten("REQUEST", "sync", 0));
  Decide(Ten("CANCEL", "sync", 1));
  HandledMessage refreshed = Handle(Ten("REFRESH", "sync", 1));
  ASSERT_EQ(refreshed.decisions.size(), 1u);
  EXPECT_EQ(refreshed.decisions[0].verdict, Verdict::kAnswered);
  ASSERT_EQ(refreshed.replies.size(), 1u);
  EXPECT_TRUE(Has(refreshed.replies[0].calendar, "PARTSTAT=DECLINED"))
      << refreshed.replies[0].calendar;
}

TEST_F(CancellationRecordsTest, ACounterIsKeptUntilTheOrganizerDeclinesIt) {
  CorrectOntoTheHour("PT1H");
  ASSERT_EQ(Decide(OffTheHour()).verdict, Verdict::kCountered);
  {
    auto counter = Session()->GetCounter("sync", std::nullopt).value();
    ASSERT_TRUE(counter.has_value());
    EXPECT_EQ(counter->proposed.start, kNow + hours(27));  // 2 December 11:00.
    EXPECT_EQ(counter->proposed.end, kNow + hours(28));
    EXPECT_EQ(counter->expires, kNow + hours(1));
    EXPECT_EQ(counter->object.partstat, "TENTATIVE");
  }
  EXPECT_EQ(Decide(OffTheHour("DECLINECOUNTER")).verdict, Verdict::kReleased);
  EXPECT_FALSE(Session()->GetCounter("sync", std::nullopt).value().has_value());
  // Declined once, there is nothing left to decline.
  Decision again = Decide(OffTheHour("DECLINECOUNTER"));
  EXPECT_EQ(again.verdict, Verdict::kIgnored);
  EXPECT_TRUE(Has(again.why.English(), "no open counter-proposal")) << again.why.English();
}

TEST_F(CancellationRecordsTest, ANewerRequestAnswersTheCounter) {
  CorrectOntoTheHour("PT1H");
  Decide(OffTheHour());
  // The organizer takes the proposal.
  ASSERT_EQ(Decide(Calendar("REQUEST", "sync", 1, "20261202T110000Z", "20261202T120000Z")).verdict,
            Verdict::kAccepted);
  EXPECT_FALSE(Session()->GetCounter("sync", std::nullopt).value().has_value());
  EXPECT_EQ(Decide(OffTheHour("DECLINECOUNTER", 1)).verdict, Verdict::kIgnored);
}

TEST_F(CancellationRecordsTest, ANewerRequestDelegatedAnswersTheCounterToo) {
  const auto group = dir_.root() / "journal" / "rooms";
  std::filesystem::create_directories(group);
  std::ofstream(group / "limits") << "* *\n";
  std::ofstream(group / "delegates") << "room2@example.com\n";
  Decide(Calendar("REQUEST", "board", 0, "20261203T100000Z", "20261203T110000Z"));
  Prefer("scheduling_function", "schedule_for_delegate rooms\nschedule_corrected_in_freebusy");
  Prefer("permitted_times", "0");
  ASSERT_EQ(Decide(OffTheHour()).verdict, Verdict::kCountered);
  // The organizer moves it to a time this room is busy: it is handed on.
  ASSERT_EQ(Decide(Calendar("REQUEST", "sync", 1, "20261203T100000Z", "20261203T110000Z")).verdict,
            Verdict::kDelegated);
  EXPECT_FALSE(Session()->GetCounter("sync", std::nullopt).value().has_value());
}

TEST_F(CancellationRecordsTest, AnExpiredCounterCannotBeDeclined) {
  CorrectOntoTheHour("PT10M");
  Decide(OffTheHour());
  std::string decline = OffTheHour("DECLINECOUNTER");
  EXPECT_EQ(Handle(decline, kNow + minutes(11)).decisions.at(0).verdict, Verdict::kIgnored);
}

TEST_F(CancellationRecordsTest, ADeclineCounterFromSomeoneElseIsIgnored) {
  CorrectOntoTheHour("PT1H");
  Decide(OffTheHour());
  EXPECT_EQ(Decide(OffTheHour("DECLINECOUNTER"), "mallory@example.org").verdict, Verdict::kIgnored);
  EXPECT_TRUE(Session()->GetCounter("sync", std::nullopt).value().has_value());
}

TEST_F(CancellationRecordsTest, ADeclineCounterOlderThanTheCounteredRequestIsIgnoredIssue15) {
  CorrectOntoTheHour("PT1H");
  ASSERT_EQ(Decide(OffTheHour("REQUEST", 2)).verdict, Verdict::kCountered);
  Decision stale = Decide(OffTheHour("DECLINECOUNTER", 1));
  EXPECT_EQ(stale.verdict, Verdict::kIgnored);
  EXPECT_TRUE(Has(stale.why.English(), "older")) << stale.why.English();
  EXPECT_TRUE(Session()->GetCounter("sync", std::nullopt).value().has_value());
  EXPECT_EQ(Decide(OffTheHour("DECLINECOUNTER", 2)).verdict, Verdict::kReleased);
}

TEST_F(CancellationRecordsTest, RecordsLiveOnDiskAndAreRemovedOnlyByTheirKey) {
  {
    auto s = Session();
    ASSERT_TRUE(s->PutCancellation({.uid = "u", .sequence = 2, .partstat = "ACCEPTED"}).ok());
    ASSERT_TRUE(s->PutCancellation({.uid = "u", .recurrence_id = kNow, .sequence = 3}).ok());
    ASSERT_TRUE(s->PutCounter({.object = {.uid = "u"}, .proposed = {kNow, kNow + hours(1)}}).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  store_.reset();
  store_ = OpenLevelDbStore({.path = dir_ / "store"}).value();
  auto s = Session();
  EXPECT_EQ(s->GetCancellation("u", std::nullopt).value()->sequence, 2);
  EXPECT_EQ(s->GetCancellation("u", kNow).value()->sequence, 3);
  auto counter = s->GetCounter("u", std::nullopt).value();
  ASSERT_TRUE(counter.has_value());
  EXPECT_EQ(counter->proposed.end, kNow + hours(1));
  EXPECT_FALSE(counter->expires.has_value());
  ASSERT_TRUE(s->RemoveCancellation("u", std::nullopt).ok());
  EXPECT_FALSE(s->GetCancellation("u", std::nullopt).value().has_value());
  EXPECT_TRUE(s->GetCancellation("u", kNow).value().has_value());
  ASSERT_TRUE(s->RemoveCounter("u", std::nullopt).ok());
  EXPECT_FALSE(s->GetCounter("u", std::nullopt).value().has_value());
  // Another user's records are apart.
  s.reset();
  auto other = store_->Open("room2@example.com", Duration::zero()).value();
  EXPECT_FALSE(other->GetCancellation("u", kNow).value().has_value());
}

}  // namespace
}  // namespace magent::imip
