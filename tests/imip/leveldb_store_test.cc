// The LevelDB calendar store on a real database in a temp directory.
#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <chrono>
#include <memory>

#include "magent/imip/store.h"
#include "testing/temp_dir.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

UtcTime At(int hour, int minute = 0) {
  return sys_days{year{2026} / December / 2} + hours{hour} + minutes{minute};
}

BusyPeriod Busy(int from, int to, std::string uid, std::optional<UtcTime> rid = std::nullopt) {
  return {
      .period = {At(from), At(to)}, .uid = std::move(uid), .recurrence_id = rid, .summary = "busy"};
}

class LevelDbStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<StoreSession> Session(std::string_view user = "room1@example.com") {
    auto session = store_->Open(user, Duration::zero());
    EXPECT_TRUE(session.ok()) << session.status().message();
    return session.ok() ? std::move(*session) : nullptr;
  }
  std::vector<std::string> BusyUids(StoreSession& s, Period window) {
    auto busy = s.Busy(window, At(0));
    EXPECT_TRUE(busy.ok()) << busy.status().message();
    std::vector<std::string> uids;
    for (const BusyPeriod& b : *busy) uids.push_back(b.uid);
    return uids;
  }

  // The database itself, with the store closed: as a damaged disk or another program
  // would leave it.
  std::unique_ptr<leveldb::DB> RawDatabase() {
    store_.reset();
    leveldb::Options options;
    options.create_if_missing = true;
    leveldb::DB* db = nullptr;
    const leveldb::Status opened = leveldb::DB::Open(options, dir_ / "store", &db);
    if (!opened.ok()) ADD_FAILURE() << opened.ToString();
    return std::unique_ptr<leveldb::DB>(db);
  }
  void Reopen() { store_ = OpenLevelDbStore({.path = dir_ / "store"}).value(); }

  testing::TempDir dir_;
  std::unique_ptr<CalendarStore> store_ = OpenLevelDbStore({.path = dir_ / "store"}).value();
};

// The key of room1's object "a" (tag, user, uid, rid: leveldb_store.cc's layout).
const std::string kObjectKey = std::string("Oroom1@example.com") + '\0' + "a" + '\0';

TEST_F(LevelDbStoreTest, KeepsEveryFieldOfAnObjectAcrossSessions) {
  const StoredObject object{.uid = "sync-1@example.com",
                            .recurrence_id = At(10),
                            .sequence = 3,
                            .dtstamp = At(8),
                            .summary = "Team sync – café",
                            .organizer = "alice@example.com",
                            .sent_by = "assistant@example.com",
                            .partstat = "ACCEPTED",
                            .calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
  {
    auto s = Session();
    ASSERT_TRUE(s->PutObject(object).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  auto s = Session();
  auto read = s->GetObject("sync-1@example.com", At(10));
  ASSERT_TRUE(read.ok() && *read);
  const StoredObject& got = **read;
  EXPECT_EQ(got.uid, object.uid);
  EXPECT_EQ(got.recurrence_id, object.recurrence_id);
  EXPECT_EQ(got.sequence, 3);
  EXPECT_EQ(got.dtstamp, object.dtstamp);
  EXPECT_EQ(got.summary, object.summary);
  EXPECT_EQ(got.organizer, object.organizer);
  EXPECT_EQ(got.sent_by, object.sent_by);
  EXPECT_EQ(got.partstat, object.partstat);
  EXPECT_EQ(got.calendar, object.calendar);
  EXPECT_FALSE(s->GetObject("sync-1@example.com", std::nullopt)->has_value());  // Apart.
}

TEST_F(LevelDbStoreTest, NothingOfASessionWithoutCommitRemains) {
  {
    auto s = Session();
    ASSERT_TRUE(s->PutObject({.uid = "a"}).ok());
    ASSERT_TRUE(s->SetBusy("a", std::nullopt, {Busy(10, 11, "a")}).ok());
    // The session sees its own writes.
    EXPECT_TRUE(s->GetObject("a", std::nullopt)->has_value());
    EXPECT_EQ(BusyUids(*s, {At(10), At(11)}), std::vector<std::string>{"a"});
  }
  auto s = Session();
  EXPECT_FALSE(s->GetObject("a", std::nullopt)->has_value());
  EXPECT_TRUE(BusyUids(*s, {At(0), At(23)}).empty());
}

TEST_F(LevelDbStoreTest, FindsEveryPeriodThatOverlapsAWindowAndNoOther) {
  auto s = Session();
  ASSERT_TRUE(s->SetBusy("early", std::nullopt, {Busy(8, 9, "early")}).ok());
  ASSERT_TRUE(s->SetBusy("touching", std::nullopt, {Busy(9, 10, "touching")}).ok());
  ASSERT_TRUE(s->SetBusy("inside", std::nullopt, {Busy(10, 11, "inside")}).ok());
  ASSERT_TRUE(s->SetBusy("long", std::nullopt, {Busy(1, 23, "long")}).ok());
  ASSERT_TRUE(s->SetBusy("after", std::nullopt, {Busy(12, 13, "after")}).ok());
  ASSERT_TRUE(s->Commit().ok());
  // [10:00, 12:00): "touching" ends as it starts, "after" starts as it ends.
  EXPECT_EQ(BusyUids(*s, {At(10), At(12)}), (std::vector<std::string>{"long", "inside"}));
}

TEST_F(LevelDbStoreTest, UsersAreApart) {
  {
    auto s = Session("room1@example.com");
    ASSERT_TRUE(s->SetBusy("a", std::nullopt, {Busy(10, 11, "a")}).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  auto s = Session("room2@example.com");
  EXPECT_TRUE(BusyUids(*s, {At(0), At(23)}).empty());
}

TEST_F(LevelDbStoreTest, SetBusyReplacesAndRemoveObjectTakesInstancesAlong) {
  auto s = Session();
  ASSERT_TRUE(s->PutObject({.uid = "series"}).ok());
  ASSERT_TRUE(s->PutObject({.uid = "series", .recurrence_id = At(14)}).ok());
  ASSERT_TRUE(
      s->SetBusy("series", std::nullopt, {Busy(10, 11, "series"), Busy(12, 13, "series")}).ok());
  ASSERT_TRUE(s->SetBusy("series", At(14), {Busy(15, 16, "series", At(14))}).ok());
  ASSERT_TRUE(s->SetBusy("other", std::nullopt, {Busy(10, 11, "other")}).ok());
  ASSERT_TRUE(s->Commit().ok());

  // An instance's periods alone.
  ASSERT_TRUE(s->SetBusy("series", At(14), {Busy(17, 18, "series", At(14))}).ok());
  EXPECT_TRUE(BusyUids(*s, {At(15), At(16)}).empty());
  EXPECT_EQ(BusyUids(*s, {At(17), At(18)}).size(), 1u);
  EXPECT_EQ(BusyUids(*s, {At(10), At(13)}).size(), 3u);

  ASSERT_TRUE(s->RemoveObject("series", std::nullopt).ok());
  ASSERT_TRUE(s->Commit().ok());
  EXPECT_EQ(BusyUids(*s, {At(0), At(23)}), std::vector<std::string>{"other"});
  EXPECT_FALSE(s->GetObject("series", std::nullopt)->has_value());
  EXPECT_FALSE(s->GetObject("series", At(14))->has_value());
}

TEST_F(LevelDbStoreTest, AnExpiredOfferNoLongerHoldsItsPeriod) {
  auto s = Session();
  BusyPeriod offer = Busy(10, 11, "offer");
  offer.offer = true;
  offer.expires = At(9, 10);
  ASSERT_TRUE(s->SetBusy("offer", std::nullopt, {offer}).ok());
  EXPECT_EQ(s->Busy({At(10), At(11)}, At(9))->size(), 1u);
  EXPECT_TRUE(s->Busy({At(10), At(11)}, At(9, 10))->empty());
}

TEST_F(LevelDbStoreTest, ASecondSessionWaitsThenSaysTheStoreIsBusy) {
  auto first = Session();
  auto second = store_->Open("room1@example.com", milliseconds(5));
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("busy"), std::string::npos);
  first.reset();
  EXPECT_TRUE(store_->Open("room1@example.com", Duration::zero()).ok());
}

// Another store on the same directory stands for another process.
TEST_F(LevelDbStoreTest, AnotherStoreWaitsUntilTheFirstIsGone) {
  { auto s = Session(); }  // Opened, and kept open by the store after the session.
  auto other = OpenLevelDbStore({.path = dir_ / "store"}).value();
  EXPECT_EQ(other->Open("room1@example.com", milliseconds(5)).status().code(),
            StatusCode::kUnavailable);
  store_.reset();
  EXPECT_TRUE(other->Open("room1@example.com", Duration::zero()).ok());
}

// The period stretching furthest back into a window is found by how long the longest
// period is: what a later session, or a later process, knows of it must be what was
// committed.
TEST_F(LevelDbStoreTest, ALongPeriodCommittedEarlierIsFoundFromItsEnd) {
  {
    auto s = Session();
    ASSERT_TRUE(s->SetBusy("short", std::nullopt, {Busy(1, 2, "short")}).ok());
    ASSERT_TRUE(s->Commit().ok());
    EXPECT_TRUE(BusyUids(*s, {At(20), At(21)}).empty());
  }
  {
    auto s = Session();
    ASSERT_TRUE(s->SetBusy("day", std::nullopt, {Busy(3, 22, "day")}).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  EXPECT_EQ(BusyUids(*Session(), {At(20), At(21)}), std::vector<std::string>{"day"});
  Reopen();
  EXPECT_EQ(BusyUids(*Session(), {At(20), At(21)}), std::vector<std::string>{"day"});
}

TEST_F(LevelDbStoreTest, GetObjectsFindsTheWholeEventAndItsInstancesOnly) {
  {
    auto s = Session();
    ASSERT_TRUE(s->PutObject({.uid = "a", .recurrence_id = At(12)}).ok());
    ASSERT_TRUE(s->PutObject({.uid = "a", .recurrence_id = At(10)}).ok());
    ASSERT_TRUE(s->PutObject({.uid = "ab"}).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  auto s = Session();
  ASSERT_TRUE(s->PutObject({.uid = "a"}).ok());  // Seen before its commit too.
  auto all = s->GetObjects("a");
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].recurrence_id, std::nullopt);
  EXPECT_EQ((*all)[1].recurrence_id, At(10));
  EXPECT_EQ((*all)[2].recurrence_id, At(12));
  EXPECT_TRUE(s->GetObjects("b")->empty());
}

// An object as the store wrote it before it recorded the organizer's SENT-BY (format 1).
TEST_F(LevelDbStoreTest, AnObjectWrittenBeforeSentByWasRecordedIsStillRead) {
  const auto text = [](std::string_view s) { return static_cast<char>(s.size()) + std::string(s); };
  // A time or int: 8 big-endian bytes with the sign bit flipped; 3 and the epoch here.
  const std::string three = std::string(1, '\x80') + std::string(6, '\0') + '\3';
  const std::string epoch = std::string(1, '\x80') + std::string(7, '\0');
  const std::string old_object = '\1' + text("a") + '\0' + three + epoch + text("Meeting") +
                                 text("alice@example.com") + text("ACCEPTED") + text("CAL");
  {
    auto db = RawDatabase();
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), kObjectKey, old_object).ok());
    const std::string cancellation_key = std::string("Croom1@example.com") + '\0' + "a" + '\0';
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), cancellation_key, old_object).ok());
  }
  Reopen();
  auto s = Session();
  for (auto read : {s->GetObject("a", std::nullopt), s->GetCancellation("a", std::nullopt)}) {
    ASSERT_TRUE(read.ok()) << read.status().message();
    ASSERT_TRUE(read->has_value());
    EXPECT_EQ((*read)->sequence, 3);
    EXPECT_EQ((*read)->organizer, "alice@example.com");
    EXPECT_EQ((*read)->sent_by, "");
    EXPECT_EQ((*read)->partstat, "ACCEPTED");
    EXPECT_EQ((*read)->calendar, "CAL");
  }
}

TEST_F(LevelDbStoreTest, AValueInAnotherFormatIsCorruptionNotAGuess) {
  ASSERT_TRUE(RawDatabase()->Put(leveldb::WriteOptions(), kObjectKey, R"({"uid":"a"})").ok());
  Reopen();
  auto read = Session()->GetObject("a", std::nullopt);
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  EXPECT_NE(read.status().message().find("unknown format"), std::string::npos)
      << read.status().message();
}

TEST_F(LevelDbStoreTest, ATruncatedValueIsCorruption) {
  {
    auto s = Session();
    ASSERT_TRUE(
        s->PutObject({.uid = "a", .summary = "Meeting", .calendar = "BEGIN:VCALENDAR"}).ok());
    ASSERT_TRUE(s->Commit().ok());
  }
  {
    auto db = RawDatabase();
    std::string value;
    ASSERT_TRUE(db->Get(leveldb::ReadOptions(), kObjectKey, &value).ok());
    value.pop_back();
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), kObjectKey, value).ok());
  }
  Reopen();
  auto read = Session()->GetObject("a", std::nullopt);
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  EXPECT_NE(read.status().message().find("damaged"), std::string::npos) << read.status().message();
}

TEST(LevelDbStoreOptionsTest, NeedsAPath) {
  EXPECT_EQ(OpenLevelDbStore({}).status().code(), StatusCode::kInvalidArgument);
}

// Quota journals: shared by the resources of a group, changed only on Commit.

QuotaEntry Entry(std::string resource, std::string uid, int from, int to) {
  return {.resource = std::move(resource),
          .organizer = "alice@example.com",
          .uid = std::move(uid),
          .occurrence = At(from),
          .period = {At(from), At(to)},
          .summary = "trip"};
}

std::vector<std::string> JournalUids(StoreSession& s, std::string_view group, UtcTime now) {
  auto entries = s.QuotaEntries(group, now);
  EXPECT_TRUE(entries.ok()) << entries.status().message();
  std::vector<std::string> uids;
  for (const QuotaEntry& e : *entries) uids.push_back(e.resource + " " + e.uid);
  return uids;
}

TEST_F(LevelDbStoreTest, AQuotaJournalIsSharedByItsGroupAndChangesOnlyOnCommit) {
  {
    auto car1 = Session("car1@example.com");
    ASSERT_TRUE(
        car1->SetQuotaEntries("cars", "a", std::nullopt, {Entry("car1@example.com", "a", 10, 12)})
            .ok());
    EXPECT_EQ(JournalUids(*car1, "cars", At(0)), std::vector<std::string>{"car1@example.com a"});
    // Ended without Commit: nothing was kept.
  }
  EXPECT_TRUE(JournalUids(*Session("car2@example.com"), "cars", At(0)).empty());
  {
    auto car1 = Session("car1@example.com");
    ASSERT_TRUE(
        car1->SetQuotaEntries("cars", "a", std::nullopt, {Entry("car1@example.com", "a", 10, 12)})
            .ok());
    ASSERT_TRUE(car1->Commit().ok());
  }
  auto car2 = Session("car2@example.com");
  ASSERT_TRUE(
      car2->SetQuotaEntries("cars", "b", std::nullopt, {Entry("car2@example.com", "b", 8, 9)})
          .ok());
  EXPECT_EQ(JournalUids(*car2, "cars", At(0)),
            (std::vector<std::string>{"car2@example.com b", "car1@example.com a"}));
  // Another group, and a group whose name starts the same, are apart.
  EXPECT_TRUE(JournalUids(*car2, "cars2", At(0)).empty());
  // Ended entries no longer count.
  EXPECT_EQ(JournalUids(*car2, "cars", At(9)), std::vector<std::string>{"car1@example.com a"});
}

TEST_F(LevelDbStoreTest, ReleasingAnEventLeavesEveryGroupAndOneOccurrenceOnlyItself) {
  auto car1 = Session("car1@example.com");
  const std::vector<QuotaEntry> series = {Entry("car1@example.com", "s", 8, 9),
                                          Entry("car1@example.com", "s", 10, 11)};
  ASSERT_TRUE(car1->SetQuotaEntries("cars", "s", std::nullopt, series).ok());
  ASSERT_TRUE(car1->SetQuotaEntries("pool", "s", std::nullopt, series).ok());
  ASSERT_TRUE(car1->ReleaseQuotaEntries("s", At(10)).ok());
  EXPECT_EQ(JournalUids(*car1, "cars", At(0)), std::vector<std::string>{"car1@example.com s"});
  EXPECT_EQ(JournalUids(*car1, "pool", At(0)), std::vector<std::string>{"car1@example.com s"});
  ASSERT_TRUE(car1->ReleaseQuotaEntries("s", std::nullopt).ok());
  EXPECT_TRUE(JournalUids(*car1, "cars", At(0)).empty());
  EXPECT_TRUE(JournalUids(*car1, "pool", At(0)).empty());
}

}  // namespace
}  // namespace magent::imip
