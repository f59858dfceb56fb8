// The resource on the core: each message is an event of the resource's agent, each reply
// an event it spawned, an offer's expiry a Future event; all of it in the archive.
#include "magent/imip/resource_agent.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "magent/archive.h"
#include "magent/journal.h"
#include "magent/runtime.h"
#include "testing/temp_dir.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

const TimePoint kNow = sys_days{year{2026} / 12 / 1} + hours(8);

std::string Request(const std::string& uid, const std::string& start, const std::string& end) {
  return "From: alice@example.com\r\nTo: room1@example.com\r\nSubject: " + uid +
         "\r\nMessage-ID: <" + uid +
         ">\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n"
         "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid + "\r\nDTSTAMP:20261201T070000Z\r\nDTSTART:" + start + "\r\nDTEND:" + end +
         "\r\nSUMMARY:" + uid +
         "\r\nORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class ResourceAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto prefs = dir_.root() / "prefs" / "mailto:room1@example.com";
    std::filesystem::create_directories(prefs);
    std::ofstream(prefs / "scheduling_function") << "schedule_next_available_in_freebusy\n";
    std::ofstream(prefs / "freebusy_offers") << "PT10M\n";
    options_.resource.preferences_dir = (dir_.root() / "prefs").string();
  }
  Status Handle(const std::string& raw) {
    return HandleResourceMessage(*runtime_, store_, *transport_, options_, raw);
  }
  std::vector<EventRecord> Archived(const std::string& kind) {
    ArchiveQuery query;
    query.kind = kind;
    return runtime_->unmasked_archive().Query(query);
  }

  testing::TempDir dir_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(kNow);
  std::unique_ptr<Runtime> runtime_ = Runtime::Create({.clock = clock_, .threads = 0}).value();
  std::shared_ptr<CalendarStore> store_ = OpenLevelDbStore({.path = dir_ / "store"}).value();
  std::ostringstream sent_;
  std::unique_ptr<MailTransport> transport_ = MboxTransport(sent_, kNow);
  ResourceAgentOptions options_;
};

TEST_F(ResourceAgentTest, EachDecisionAndEachReplyIsAnArchivedEvent) {
  ASSERT_TRUE(Handle(Request("board", "20261202T100000Z", "20261202T110000Z")).ok());
  const std::vector<EventRecord> requests = Archived("imip.request");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].outcome, Outcome::kSucceeded);
  EXPECT_EQ(requests[0].goal.English(),
            "Handle the REQUEST for 'board' (UID board) for room1@example.com");
  EXPECT_EQ(requests[0].result.English(),
            "Accepted: room1@example.com is free for 2026-12-02 10:00\u201311:00.");
  const std::vector<EventRecord> replies = Archived("imip.reply");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].parent, requests[0].id);
  EXPECT_EQ(replies[0].result.English(), "Sent 'Accepted: board' to alice@example.com");
  EXPECT_NE(sent_.str().find("PARTSTAT=ACCEPTED"), std::string::npos);

  // Searchable by what was decided.
  ArchiveQuery query;
  query.text = "conflicts with";
  EXPECT_TRUE(runtime_->unmasked_archive().Query(query).empty());
}

TEST_F(ResourceAgentTest, ArchivedGoalsCarryTheMessagesTextsOnOneLineIssue15) {
  std::string raw = Request("board", "20261202T100000Z", "20261202T110000Z");
  raw.replace(raw.find("SUMMARY:board"), std::string("SUMMARY:board").size(),
              "SUMMARY:Board\\n\x1b]2;owned\x07meeting");
  ASSERT_TRUE(Handle(raw).ok());
  const std::vector<EventRecord> requests = Archived("imip.request");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].goal.English(),
            "Handle the REQUEST for 'Board ]2;owned meeting' (UID board) for room1@example.com");
  const std::vector<EventRecord> replies = Archived("imip.reply");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].goal.English(),
            "Send 'Accepted: Board ]2;owned meeting' to alice@example.com");
  EXPECT_EQ(replies[0].result.English(),
            "Sent 'Accepted: Board ]2;owned meeting' to alice@example.com");
}

TEST_F(ResourceAgentTest, AnOffersExpiryIsAFutureEventThatWithdrawsIt) {
  ASSERT_TRUE(Handle(Request("board", "20261202T100000Z", "20261202T110000Z")).ok());
  ASSERT_TRUE(Handle(Request("sync", "20261202T100000Z", "20261202T110000Z")).ok());
  EXPECT_NE(sent_.str().find("METHOD:COUNTER"), std::string::npos);
  EXPECT_EQ(runtime_->scheduler().Counts().future, 1u);  // The offer's expiry, pending.
  EXPECT_TRUE(Archived("imip.offer_expiry").empty());

  clock_->Advance(minutes(10));
  runtime_->RunUntilIdle();
  const std::vector<EventRecord> expired = Archived("imip.offer_expiry");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].result.English(), "The offer expired and was withdrawn.");
  auto session = store_->Open("room1@example.com", Duration::zero());
  ASSERT_TRUE(session.ok());
  auto busy = (*session)->Busy({ToUtcTime(kNow), ToUtcTime(kNow) + days(2)}, UtcTime{});
  ASSERT_TRUE(busy.ok());
  ASSERT_EQ(busy->size(), 1u);  // The board meeting alone.
  EXPECT_EQ((*busy)[0].uid, "board");
  // The counter-proposal record lapsed with it.
  auto counter = (*session)->GetCounter("sync", std::nullopt);
  ASSERT_TRUE(counter.ok());
  EXPECT_FALSE(counter->has_value());
}

TEST_F(ResourceAgentTest, AFailedSendFailsTheReplyEventAndTheMessage) {
  options_.resource.store_wait = Duration::zero();
  transport_ = SmtpTransport({.host = "127.0.0.1", .port = "1"});
  const Status s = Handle(Request("board", "20261202T100000Z", "20261202T110000Z"));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  const std::vector<EventRecord> replies = Archived("imip.reply");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].outcome, Outcome::kFailed);
}

TEST_F(ResourceAgentTest, Issue15AMessageOverTheResourceCapIsRefusedWholeAndRunsNothing) {
  // Two calendars: the first for room1, the second for two more rooms; three in all,
  // over a cap of two, though each calendar alone is within it.
  options_.resource.max_resources_per_message = 2;
  const std::string first = Request("board", "20261202T100000Z", "20261202T110000Z");
  std::string second = first.substr(first.find("BEGIN:VCALENDAR"));
  second.replace(second.find("ATTENDEE:mailto:room1@example.com"),
                 std::string("ATTENDEE:mailto:room1@example.com").size(),
                 "ATTENDEE:mailto:room2@example.com\r\nATTENDEE:mailto:room3@example.com");
  const std::string raw =
      "From: alice@example.com\r\nTo: room1@example.com, room2@example.com, "
      "room3@example.com\r\nMessage-ID: <two@example.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
      "Content-Type: text/calendar; method=REQUEST\r\n\r\n" +
      first.substr(first.find("BEGIN:VCALENDAR")) +
      "--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n" + second + "--b--\r\n";
  const Status status = Handle(raw);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("3 resources"), std::string::npos) << status.message();
  runtime_->RunUntilIdle();
  EXPECT_TRUE(Archived("imip.request").empty());
  EXPECT_TRUE(sent_.str().empty());

  options_.resource.max_resources_per_message = 3;
  ASSERT_TRUE(Handle(raw).ok());
  EXPECT_EQ(Archived("imip.request").size(), 3u);
}

// A transport that throws, as a failed allocation would.
class ThrowingTransport : public MailTransport {
 public:
  Status Send(const Envelope&, const std::string&) override { throw std::bad_alloc(); }
};

// An event that throws ends failed in the core; the message must not pass for handled.
// A durable runtime refuses work it could not rebuild after a restart with InvalidArgument:
// that is the program's fault (75 to the MTA), never the message's (65).
TEST_F(ResourceAgentTest, ARuntimeThatRefusesTheEventIsAnInternalFaultIssue15) {
  auto durable = Runtime::Create(
      {.clock = clock_, .journal = JournalOptions{.path = dir_ / "journal"}, .threads = 0});
  ASSERT_TRUE(durable.ok()) << durable.status().message();
  const Status s =
      HandleResourceMessage(**durable, store_, *transport_, options_,
                            Request("a@example.com", "20261202T100000Z", "20261202T110000Z"));
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.message();
  EXPECT_NE(s.message().find("has no factory"), std::string::npos) << s.message();
  EXPECT_TRUE(sent_.str().empty());
}

TEST_F(ResourceAgentTest, AnEventThatThrowsFailsTheMessageIssue15) {
  transport_ = std::make_unique<ThrowingTransport>();
  const Status s = Handle(Request("board", "20261202T100000Z", "20261202T110000Z"));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.code(), StatusCode::kInvalidArgument);  // The site's to mend: not a bounce.
  EXPECT_NE(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("bad_alloc"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace magent::imip
