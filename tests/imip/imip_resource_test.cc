// The imip_resource program, run as an MTA runs it: a message on standard input, the
// outcome in its exit code and (with -d) the replies on standard output.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "imip/header_fields.h"
#include "magent/imip/mail.h"
#include "magent/imip/store.h"
#include "testing/temp_dir.h"

extern char** environ;

namespace magent::imip {
namespace {

std::string Request(const std::string& uid, const std::string& start = "20301202T100000Z",
                    const std::string& end = "20301202T110000Z",
                    const std::string& resource = "room1@example.com") {
  return "From: Alice <alice@example.com>\r\n"
         "To: <" +
         resource +
         ">\r\n"
         "Subject: Invitation: Team sync\r\n"
         "Message-ID: <" +
         uid +
         ">\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n\r\n"
         "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid +
         "\r\nDTSTAMP:20261201T070000Z\r\n"
         "DTSTART:" +
         start + "\r\nDTEND:" + end +
         "\r\nSUMMARY:Team sync\r\n"
         "ORGANIZER:mailto:alice@example.com\r\n"
         "ATTENDEE;CUTYPE=ROOM;RSVP=TRUE:mailto:" +
         resource + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class ImipResourceTest : public ::testing::Test {
 protected:
  struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
  };

  std::string Path(const std::string& name) const { return dir_ / name; }

  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> args = {MAGENT_IMIP_RESOURCE, "-S", Path("store"),     "-p",
                                     Path("prefs"),        "-c", Path("config.txt")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Starts the program with `input` on stdin; files take its stdout and stderr.
  pid_t Start(const std::string& input, const std::vector<std::string>& args, int n) {
    const std::string in = Path("in" + std::to_string(n));
    std::ofstream(in, std::ios::binary) << input;
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, in.c_str(), O_RDONLY, 0);
    const std::string out = Path("out" + std::to_string(n));
    const std::string err = Path("err" + std::to_string(n));
    posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    EXPECT_EQ(rc, 0);
    return pid;
  }

  Run Finish(pid_t pid, int n) {
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    Run run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = Slurp(Path("out" + std::to_string(n)));
    run.err = Slurp(Path("err" + std::to_string(n)));
    return run;
  }

  Run Execute(const std::string& input, std::vector<std::string> extra = {"-d"}) {
    return Finish(Start(input, Args(std::move(extra)), 0), 0);
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  void Configure(const std::string& text) { std::ofstream(Path("config.txt")) << text; }

  void SetUp() override { Configure("STORE_WAIT_SECONDS = 20\n"); }

  magent::testing::TempDir dir_;
};

TEST_F(ImipResourceTest, AcceptsThenDeclinesTheSameSlotAndWritesMbox) {
  Run first = Execute(Request("a@example.com"));
  ASSERT_EQ(first.exit_code, EX_OK) << first.err;
  EXPECT_TRUE(first.out.starts_with("From calendar@example.com ")) << first.out;
  EXPECT_NE(first.out.find("PARTSTAT=ACCEPTED"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("To: alice@example.com"), std::string::npos);

  Run second = Execute(Request("b@example.com"));
  ASSERT_EQ(second.exit_code, EX_OK) << second.err;
  EXPECT_NE(second.out.find("PARTSTAT=DECLINED"), std::string::npos) << second.out;
}

TEST_F(ImipResourceTest, TheRecipientOptionNamesTheResource) {
  Run run = Execute(Request("a@example.com"),
                    {"-d", "-o", "room2@example.com", "-s", "alice@example.com"});
  ASSERT_EQ(run.exit_code, EX_OK) << run.err;
  EXPECT_TRUE(run.out.empty());  // room2 is not invited: nothing to answer.
}

TEST_F(ImipResourceTest, AMessageWithoutCalendarIsHandledWithNothingToDo) {
  Run run =
      Execute("From: alice@example.com\r\nTo: room1@example.com\r\nSubject: hi\r\n\r\nhello\r\n");
  EXPECT_EQ(run.exit_code, EX_OK) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST_F(ImipResourceTest, MalformedInputIsADataError) {
  Run garbage = Execute("this is not mail\n");
  EXPECT_EQ(garbage.exit_code, EX_DATAERR);
  EXPECT_NE(garbage.err.find("not a mail message"), std::string::npos) << garbage.err;

  std::string bad_zone = Request("a@example.com");
  const std::string start = "DTSTART:20301202T100000Z";
  bad_zone.replace(bad_zone.find(start), start.size(),
                   "DTSTART;TZID=Nowhere Standard Time:20301202T100000");
  Run unreadable = Execute(bad_zone);
  EXPECT_EQ(unreadable.exit_code, EX_DATAERR);
  EXPECT_NE(unreadable.err.find("Nowhere Standard Time"), std::string::npos) << unreadable.err;
}

// A 9-digit year was accepted with no times at all, a month of 80 read past libical's
// month table (issue 15): both are malformed, and the error names the property.
TEST_F(ImipResourceTest, Issue15ADateOutOfRangeIsADataError) {
  for (const char* start : {"1234567891202T100000Z", "20308002T100000Z"}) {
    Run run = Execute(Request("a@example.com", start));
    EXPECT_EQ(run.exit_code, EX_DATAERR) << start;
    EXPECT_NE(run.err.find("DTSTART"), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("BEGIN:VCALENDAR"), std::string::npos) << run.out;
  }
}

TEST_F(ImipResourceTest, AnUnknownUserIsRefusedWhenUsersMustExist) {
  Configure("USERS_MUST_EXIST = yes\n");
  Run run = Execute(Request("a@example.com"));
  EXPECT_EQ(run.exit_code, EX_NOUSER);
  std::filesystem::create_directories(Path("prefs") + "/mailto:room1@example.com");
  EXPECT_EQ(Execute(Request("a@example.com")).exit_code, EX_OK);
}

// What the site can mend defers (75: the MTA keeps the message), naming the reason; 78
// would make Postfix bounce the sender's message for the site's mistake.
TEST_F(ImipResourceTest, ABadConfigurationDefersTheMessageIssue15) {
  Configure("this is not a setting\n");
  Run run = Execute(Request("a@example.com"));
  EXPECT_EQ(run.exit_code, EX_TEMPFAIL);
  EXPECT_NE(run.err.find(Path("config.txt") + ": line 1"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());

  Configure("STORE_WAIT_SECONDS = 20s\n");
  run = Execute(Request("a@example.com"));
  EXPECT_EQ(run.exit_code, EX_TEMPFAIL);
  EXPECT_NE(run.err.find("STORE_WAIT_SECONDS ('20s')"), std::string::npos) << run.err;

  // None would make every message without -o a data error, or book nothing: the site
  // set it wrong, the message waits.
  for (const std::string name : {"MAX_RESOURCES_PER_MESSAGE", "WINDOW_DAYS"}) {
    Configure(name + " = 0\n");
    run = Execute(Request("a@example.com"));
    EXPECT_EQ(run.exit_code, EX_TEMPFAIL) << name;
    EXPECT_NE(run.err.find(name + " ('0') must be a whole number of 1 or more"), std::string::npos)
        << run.err;
    EXPECT_TRUE(run.out.empty());
  }

  // A configuration file that cannot be read is no missing one.
  std::filesystem::remove(Path("config.txt"));
  std::filesystem::create_directory(Path("config.txt"));
  run = Execute(Request("a@example.com"));
  EXPECT_EQ(run.exit_code, EX_TEMPFAIL);
  EXPECT_NE(run.err.find("'" + Path("config.txt") + "' cannot be read"), std::string::npos)
      << run.err;
}

// A policy the program cannot read is no policy to skip: the message waits, its reason
// names the file, and once the file is mended the retry applies the policy.
TEST_F(ImipResourceTest, AnUnreadablePolicyDefersTheMessageUntilItIsMendedIssue15) {
  std::string stranger = Request("s@example.com");
  for (std::size_t at; (at = stranger.find("alice@example.com")) != std::string::npos;) {
    stranger.replace(at, std::string("alice@example.com").size(), "mallory@example.org");
  }
  const std::string prefs = Path("prefs") + "/mailto:room1@example.com";
  const std::string policy = prefs + "/scheduling_function";
  std::filesystem::create_directories(prefs);
  // A file that never ends, and one whose reader would wait for a writer forever.
  std::filesystem::create_symlink("/dev/zero", policy);
  Run endless = Execute(stranger);
  EXPECT_EQ(endless.exit_code, EX_TEMPFAIL);
  EXPECT_NE(endless.err.find("'" + policy + "' cannot be read"), std::string::npos) << endless.err;
  EXPECT_TRUE(endless.out.empty());
  std::filesystem::remove(policy);
  ASSERT_EQ(mkfifo(policy.c_str(), 0600), 0);
  EXPECT_EQ(Execute(stranger).exit_code, EX_TEMPFAIL);
  std::filesystem::remove(policy);
  std::filesystem::create_directory(policy);
  EXPECT_EQ(Execute(stranger).exit_code, EX_TEMPFAIL);

  std::filesystem::remove(policy);
  std::ofstream(policy) << "same_domain_membership\n";
  Run mended = Execute(stranger);
  EXPECT_EQ(mended.exit_code, EX_OK) << mended.err;
  EXPECT_NE(mended.out.find("PARTSTAT=DECLINED"), std::string::npos) << mended.out;
}

TEST_F(ImipResourceTest, AStoreThatCannotBeOpenedDefersTheMessageIssue15) {
  ASSERT_EQ(Execute(Request("a@example.com")).exit_code, EX_OK);
  std::ofstream(Path("store") + "/CURRENT", std::ios::trunc) << "garbage";
  Run run = Execute(Request("b@example.com"));
  EXPECT_EQ(run.exit_code, EX_TEMPFAIL);
  EXPECT_NE(run.err.find("store"), std::string::npos) << run.err;
}

TEST_F(ImipResourceTest, ABusyStoreMeansTryAgainLaterAndNothingIsLost) {
  Configure("STORE_WAIT_SECONDS = 0\n");
  {
    auto store = OpenLevelDbStore({.path = Path("store")}).value();
    auto held = store->Open("room1@example.com", Duration::zero());
    ASSERT_TRUE(held.ok());
    Run run = Execute(Request("a@example.com"));
    EXPECT_EQ(run.exit_code, EX_TEMPFAIL);
    EXPECT_TRUE(run.out.empty());
  }
  // The MTA's retry then succeeds.
  Run retry = Execute(Request("a@example.com"));
  EXPECT_EQ(retry.exit_code, EX_OK) << retry.err;
  EXPECT_NE(retry.out.find("PARTSTAT=ACCEPTED"), std::string::npos);
}

TEST_F(ImipResourceTest, AnUnreachableSmtpServerMeansTryAgainLater) {
  Run run = Execute(Request("a@example.com"), {"-L", "127.0.0.1:1"});
  EXPECT_EQ(run.exit_code, EX_TEMPFAIL) << run.err;
  EXPECT_NE(run.err.find("SMTP"), std::string::npos) << run.err;
}

// `days` from today at `hour` UTC, as an iCalendar UTC date-time: the program runs on the
// real clock and publishes the window ahead of it.
std::string DaysAhead(int days, int hour) {
  const std::time_t t = std::chrono::system_clock::to_time_t(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
      std::chrono::days(days) + std::chrono::hours(hour));
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

TEST_F(ImipResourceTest, PublishOptionWritesTheFreeBusyOfAResourceThatPublishes) {
  const std::string start = DaysAhead(2, 10);
  const std::string end = DaysAhead(2, 11);
  const std::string prefs = Path("prefs") + "/mailto:room1@example.com";
  std::filesystem::create_directories(prefs);
  std::ofstream(prefs + "/freebusy_sharing") << "share\n";
  std::ofstream(prefs + "/freebusy_publishing") << "publish\n";
  Run run = Execute(Request("a@example.com", start, end), {"-d", "-P", Path("publish")});
  ASSERT_EQ(run.exit_code, EX_OK) << run.err;
  const std::string published = Slurp(Path("publish") + "/mailto:room1@example.com/freebusy");
  EXPECT_NE(published.find("METHOD:PUBLISH"), std::string::npos) << published;
  EXPECT_NE(published.find("FREEBUSY;FBTYPE=BUSY:" + start + "/" + end), std::string::npos)
      << published;

  // PUBLISH_DIR in the configuration does the same.
  Configure("PUBLISH_DIR = " + Path("config_publish") + "\n");
  ASSERT_EQ(Execute(Request("b@example.com", DaysAhead(3, 10), DaysAhead(3, 11))).exit_code, EX_OK);
  EXPECT_TRUE(
      std::filesystem::exists(Path("config_publish") + "/mailto:room1@example.com/freebusy"));
}

TEST_F(ImipResourceTest, HelpAndBadOptions) {
  Run help = Execute("", {"--help"});
  EXPECT_EQ(help.exit_code, EX_OK);
  EXPECT_NE(help.out.find("-o [ --original-recipients ]"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("75 try again later"), std::string::npos) << help.out;
  // Under an MTA a bad command line is the site's to mend: the message waits for it.
  Run bad = Execute("", {"--no-such-option"});
  EXPECT_EQ(bad.exit_code, EX_TEMPFAIL);
  EXPECT_NE(bad.err.find("no-such-option"), std::string::npos) << bad.err;
}

// The MTA starts one process per message: several requests for one slot at once must not
// all be accepted.
TEST_F(ImipResourceTest, ConcurrentRequestsForOneSlotGetOneAcceptance) {
  constexpr int kProcesses = 6;
  std::vector<pid_t> pids;
  for (int i = 0; i < kProcesses; ++i) {
    pids.push_back(Start(Request("p" + std::to_string(i) + "@example.com"), Args({"-d"}), i));
  }
  int accepted = 0;
  int declined = 0;
  for (int i = 0; i < kProcesses; ++i) {
    Run run = Finish(pids[static_cast<std::size_t>(i)], i);
    ASSERT_EQ(run.exit_code, EX_OK) << run.err;
    accepted += run.out.find("PARTSTAT=ACCEPTED") != std::string::npos;
    declined += run.out.find("PARTSTAT=DECLINED") != std::string::npos;
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(declined, kProcesses - 1);
}

// Two cars of one quota group, each asked by its own process for more than the quota has
// left: the journal is read and written under the store's hold, so only one passes.
TEST_F(ImipResourceTest, ConcurrentRequestsOnOneQuotaNeverBothPass) {
  std::filesystem::create_directories(Path("journal/cars"));
  std::ofstream(Path("journal/cars/limits")) << "* PT1H\n";
  const std::vector<std::string> cars = {"car1@example.com", "car2@example.com"};
  for (const std::string& car : cars) {
    std::filesystem::create_directories(Path("prefs/mailto:" + car));
    std::ofstream(Path("prefs/mailto:" + car + "/scheduling_function"))
        << "schedule_in_freebusy\ncheck_quota cars\n";
  }
  std::vector<pid_t> pids;
  for (std::size_t i = 0; i < cars.size(); ++i) {
    pids.push_back(Start(Request("q" + std::to_string(i) + "@example.com", "20301202T100000Z",
                                 "20301202T110000Z", cars[i]),
                         Args({"-d", "-j", Path("journal"), "-o", cars[i]}), static_cast<int>(i)));
  }
  int accepted = 0;
  int declined = 0;
  for (std::size_t i = 0; i < cars.size(); ++i) {
    Run run = Finish(pids[i], static_cast<int>(i));
    ASSERT_EQ(run.exit_code, EX_OK) << run.err;
    accepted += run.out.find("PARTSTAT=ACCEPTED") != std::string::npos;
    declined += run.out.find("PARTSTAT=DECLINED") != std::string::npos;
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(declined, 1);
}

// The attack of issue 15: a SUMMARY with escaped line breaks, in the hope that the reply's
// Subject carries them and the rest becomes headers and a body of the sender's choosing.
TEST_F(ImipResourceTest, ASummaryCannotAddHeadersOrABodyToTheReplyIssue15) {
  std::string request = Request("a@example.com");
  const std::string injected =
      "Team sync\\nBcc: victim@example.net\\nContent-Type: text/html\\n\\n"
      "<a href=\"http://evil.example\">Pay here</a>";
  request.replace(request.find("SUMMARY:Team sync") + 8, 9, injected);
  Run run = Execute(request);
  ASSERT_EQ(run.exit_code, EX_OK) << run.err;
  EXPECT_EQ(testing::HeaderNames(run.out),
            (std::vector<std::string>{"Date", "From", "To", "Subject", "Message-ID", "In-Reply-To",
                                      "References", "MIME-Version", "Content-Type"}))
      << run.out;
  // Three parts' types: the multipart, its text and its calendar; none of them HTML.
  std::vector<std::string> types;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Content-Type:")) types.push_back(line);
  }
  ASSERT_EQ(types.size(), 3u) << run.out;
  EXPECT_TRUE(types[0].starts_with("Content-Type: multipart/alternative;")) << types[0];
  EXPECT_EQ(types[1], "Content-Type: text/plain; charset=utf-8");
  EXPECT_EQ(types[2], "Content-Type: text/calendar; charset=utf-8; method=REPLY");
  auto reply = ReadMail(run.out);
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(reply->subject,
            "Accepted: Team sync Bcc: victim@example.net Content-Type: text/html "
            "<a href=\"http://evil.example\">Pay here</a>");
  EXPECT_EQ(reply->to, std::vector<std::string>{"alice@example.com"});
  EXPECT_TRUE(reply->cc.empty());
  ASSERT_EQ(reply->calendars.size(), 1u);
  EXPECT_NE(reply->calendars[0].text.find("PARTSTAT=ACCEPTED"), std::string::npos);
}

TEST_F(ImipResourceTest, AFailureIsLoggedOnOneLineWithoutControlsIssue15) {
  std::string request = Request("a@example.com");
  request.replace(request.find("SUMMARY:Team sync") + 8, 9,
                  "x\\nimip_resource: forged entry\x1b[2J");
  const std::string end = "DTEND:20301202T110000Z";
  request.replace(request.find(end), end.size(), "DTEND:20301202T090000Z");
  Run run = Execute(request);
  EXPECT_EQ(run.exit_code, EX_DATAERR);
  EXPECT_EQ(run.err,
            "imip_resource: 'x imip_resource: forged entry [2J' (UID a@example.com) ends before "
            "it starts\n");
}

// A request from alice with `rooms` rooms in To, each an attendee.
std::string RequestForRooms(int rooms) {
  std::string to;
  std::string attendees;
  for (int i = 0; i < rooms; ++i) {
    const std::string room = "room" + std::to_string(i) + "@example.com";
    to += (to.empty() ? "" : ", ") + room;
    attendees += "ATTENDEE;CUTYPE=ROOM:mailto:" + room + "\r\n";
  }
  std::string message = Request("a@example.com");
  const std::string one_room = "To: <room1@example.com>";
  message.replace(message.find(one_room), one_room.size(), "To: " + to);
  message.insert(message.find("END:VEVENT"), attendees);
  return message;
}

TEST_F(ImipResourceTest, Issue15AMessageAddressingTooManyResourcesIsADataError) {
  // Without -o, every To address that is an attendee is a resource that would reply.
  Run run = Execute(RequestForRooms(1000));
  EXPECT_EQ(run.exit_code, EX_DATAERR);
  EXPECT_NE(run.err.find("1000 resources"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("MAX_RESOURCES_PER_MESSAGE"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());  // No reply at all.

  Configure("MAX_RESOURCES_PER_MESSAGE = 2\n");
  EXPECT_EQ(Execute(RequestForRooms(3)).exit_code, EX_DATAERR);
  Run two = Execute(RequestForRooms(2));
  EXPECT_EQ(two.exit_code, EX_OK) << two.err;
  EXPECT_NE(two.out.find("room1@example.com"), std::string::npos);
}

TEST_F(ImipResourceTest, TrustedAuthservIdsComeFromTheConfiguration) {
  Configure("TRUSTED_AUTHSERV_IDS = mx.example.com, mx2.example.com\n");
  Run unauthenticated = Execute(Request("a@example.com"));
  ASSERT_EQ(unauthenticated.exit_code, EX_OK) << unauthenticated.err;
  EXPECT_TRUE(unauthenticated.out.empty()) << unauthenticated.out;  // Ignored: no reply.

  Run authenticated = Execute(
      "Authentication-Results: mx2.example.com; dmarc=pass header.from=example.com\r\n"
      "Received: from client.example.net by mx2.example.com\r\n" +
      Request("b@example.com"));
  ASSERT_EQ(authenticated.exit_code, EX_OK) << authenticated.err;
  EXPECT_NE(authenticated.out.find("PARTSTAT=ACCEPTED"), std::string::npos) << authenticated.out;
}

}  // namespace
}  // namespace magent::imip
