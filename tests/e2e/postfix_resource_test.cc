// imip_resource as users run it: a real Postfix receives each message by SMTP on
// 127.0.0.1:25, runs the program as its pipe transport for room@example.test, and the
// reply goes back through Postfix and Dovecot's LMTP into the organizer's Maildir, where
// the test reads it. scripts/start-mail-servers (run once per test binary) writes the
// servers' configuration into MAGENT_MAIL_DIR and (re)starts them; it needs root.
//
// Nothing here sleeps: every wait looks again at the Maildir or Postfix's queue each time
// Postfix logs or moves a message (inotify), until what it waits for is there or a
// deadline has passed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/transport.h"

namespace magent::imip {
namespace {

namespace fs = std::filesystem;

const fs::path kMailDir = MAGENT_MAIL_DIR;
const std::string kPostfixConfig = (kMailDir / "postfix").string();
const fs::path kStore = kMailDir / "imip" / "store";
const fs::path kRoomPreferences = kMailDir / "imip" / "preferences" / "mailto:room@example.test";
// Long enough for a loaded CI machine; a passing run takes a few seconds.
constexpr std::chrono::seconds kDeadline{20};

struct Command {
  int exit_code = -1;
  std::string out;  // Standard output; standard error goes to the test's log.
};

Command RunCommand(const std::string& command) {
  Command result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    result.out.append(buffer, n);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Waits until `ready` gives a value, or the deadline passes. `ready` is asked again each
// time the servers do something: Postfix writes its log (a delivery, a deferral, a
// removal from the queue) or a message enters or leaves one of its queues (inotify), so
// the wait follows the servers, not a clock.
template <typename T>
std::optional<T> WaitUntil(const std::function<std::optional<T>()>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  const int events = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  EXPECT_GE(events, 0) << "inotify_init1";
  if (events < 0) return std::nullopt;
  EXPECT_GE(inotify_add_watch(events, (kMailDir / "postfix.log").c_str(), IN_MODIFY), 0);
  for (const char* queue : {"incoming", "active", "deferred"}) {
    EXPECT_GE(inotify_add_watch(events, (kMailDir / "spool" / queue).c_str(),
                                IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM),
              0)
        << queue;
  }
  std::optional<T> value;
  while (!(value = ready())) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd wake{.fd = events, .events = POLLIN, .revents = 0};
    if (poll(&wake, 1, static_cast<int>(left.count())) <= 0) continue;  // Deadline: ask once more.
    char drained[4096];
    while (read(events, drained, sizeof drained) > 0) {
    }
  }
  close(events);
  return value;
}

std::string Slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A REQUEST from `organizer` for room@example.test; `dtstart` and `dtend` are the whole
// properties, e.g. "DTSTART:20301202T100000Z".
std::string Invitation(const std::string& organizer, const std::string& uid,
                       const std::string& dtstart, const std::string& dtend) {
  return "From: " + organizer + "\r\nTo: Room <room@example.test>\r\n" +
         "Subject: Invitation: " + uid + "\r\nMessage-ID: <" + uid + ">\r\n" +
         "MIME-Version: 1.0\r\n"
         "Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n\r\n"
         "BEGIN:VCALENDAR\r\nPRODID:-//magent e2e//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid + "\r\nDTSTAMP:20261201T070000Z\r\n" + dtstart + "\r\n" + dtend +
         "\r\nSUMMARY:" + uid + "\r\nORGANIZER:mailto:" + organizer +
         "\r\nATTENDEE;CUTYPE=ROOM;RSVP=TRUE:mailto:room@example.test\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

class PostfixResourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string start = std::string("MAGENT_MAIL_DIR=") + MAGENT_MAIL_DIR + " " +
                              MAGENT_START_MAIL_SERVERS + " " + MAGENT_IMIP_RESOURCE + " 2>&1";
    const Command started = RunCommand(start);
    servers_started_ = started.exit_code == 0;
    // Reported by each test's SetUp, not here: a failure in SetUpTestSuite makes
    // GoogleTest skip the tests, and CTest counts a skipped test as no failure.
    start_report_ = start + "\n" + started.out;
  }

  // The servers are the suite's: nothing of them outlives it.
  static void TearDownTestSuite() {
    const std::string stop = std::string("MAGENT_MAIL_DIR=") + MAGENT_MAIL_DIR + " " +
                             MAGENT_START_MAIL_SERVERS + " --stop 2>&1";
    const Command stopped = RunCommand(stop);
    EXPECT_EQ(stopped.exit_code, 0) << stop << "\n" << stopped.out;
  }

  // Every test starts with an empty queue and an empty store, so earlier runs (and
  // earlier tests) leave no bookings behind; Maildirs keep their mail, so each test
  // looks only at what arrives after it started.
  void SetUp() override {
    ASSERT_TRUE(servers_started_) << "scripts/start-mail-servers failed: " << start_report_;
    ASSERT_EQ(RunCommand("postsuper -c " + kPostfixConfig + " -d ALL 2>&1").exit_code, 0);
    fs::remove_all(kStore);
    fs::create_directories(kStore);
    fs::remove_all(kRoomPreferences);
    const passwd* agent = getpwnam("imip-agent");
    ASSERT_NE(agent, nullptr) << "run scripts/install-mail-servers first";
    imip_agent_uid_ = agent->pw_uid;
    imip_agent_gid_ = agent->pw_gid;
    ASSERT_EQ(chown(kStore.c_str(), imip_agent_uid_, imip_agent_gid_), 0);
    for (const char* user : {"alice", "bob"}) {
      for (const fs::path& file : Mail(user)) seen_.insert(file);
    }
  }

  static fs::path Inbox(const std::string& user) {
    return kMailDir / "mail" / "example.test" / user / "Maildir" / "new";
  }
  static std::vector<fs::path> Mail(const std::string& user) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(Inbox(user), ec)) files.push_back(entry.path());
    return files;
  }

  static void Send(const std::string& from, const std::string& message) {
    auto smtp = SmtpTransport({.host = "127.0.0.1", .port = "25"});
    const Status sent = smtp->Send({.from = from, .to = {"room@example.test"}}, message);
    ASSERT_TRUE(sent.ok()) << sent.message();
  }

  // The first message delivered to `user` since the test started that contains `text`.
  std::optional<std::string> WaitForMail(const std::string& user, const std::string& text) {
    return WaitUntil<std::string>([&]() -> std::optional<std::string> {
      for (const fs::path& file : Mail(user)) {
        if (seen_.contains(file)) continue;
        std::string mail = Slurp(file);
        if (mail.find(text) != std::string::npos) return mail;
      }
      return std::nullopt;
    });
  }

  // The resource's answer in a reply: the ATTENDEE line of room@example.test.
  static Attendee ReplyAttendee(const std::string& raw, const std::string& uid) {
    const Result<MailMessage> mail = ReadMail(raw);
    EXPECT_TRUE(mail.ok()) << mail.status().message();
    if (!mail.ok() || mail->calendars.empty()) return {};
    EXPECT_EQ(mail->from, std::vector<std::string>{"calendar@example.test"});
    const Result<ItipMessage> itip = ParseItip(mail->calendars[0].text);
    EXPECT_TRUE(itip.ok()) << itip.status().message();
    if (!itip.ok() || itip->objects.empty()) return {};
    EXPECT_EQ(itip->method, Method::kReply);
    EXPECT_EQ(itip->objects[0].uid, uid);
    const Attendee* room = itip->objects[0].FindAttendee("room@example.test");
    EXPECT_NE(room, nullptr) << mail->calendars[0].text;
    return room == nullptr ? Attendee{} : *room;
  }

  // The queue ID of the first message in the deferred queue, once there is one.
  static std::optional<std::string> WaitUntilDeferred() {
    return WaitUntil<std::string>([]() -> std::optional<std::string> {
      for (const boost::json::object& message : Queue()) {
        if (message.at("queue_name").as_string() == "deferred") {
          return std::string(message.at("queue_id").as_string());
        }
      }
      return std::nullopt;
    });
  }

  // The queue as `postqueue -j` lists it: one JSON object per message.
  static std::vector<boost::json::object> Queue() {
    const Command listed = RunCommand("postqueue -c " + kPostfixConfig + " -j");
    EXPECT_EQ(listed.exit_code, 0);
    std::vector<boost::json::object> messages;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      messages.push_back(boost::json::parse(line).as_object());
    }
    return messages;
  }

  // Whether the queue empties: a delivered message leaves it just after it is delivered.
  static bool QueueEmpties() {
    return WaitUntil<bool>(
               []() { return Queue().empty() ? std::optional<bool>(true) : std::nullopt; })
        .has_value();
  }

  static inline bool servers_started_ = false;
  static inline std::string start_report_;
  uid_t imip_agent_uid_ = 0;
  gid_t imip_agent_gid_ = 0;
  std::set<fs::path> seen_;
};

TEST_F(PostfixResourceTest, AcceptsAnInvitationThenDeclinesAnOverlappingOne) {
  Send("alice@example.test", Invitation("alice@example.test", "e2e-sync",
                                        "DTSTART:20301202T100000Z", "DTEND:20301202T110000Z"));
  const std::optional<std::string> accepted = WaitForMail("alice", "e2e-sync");
  ASSERT_TRUE(accepted.has_value()) << "no reply in alice's Maildir";
  const Attendee room = ReplyAttendee(*accepted, "e2e-sync");
  EXPECT_EQ(room.partstat, "ACCEPTED");
  EXPECT_EQ(room.sent_by, "calendar@example.test");

  Send("bob@example.test", Invitation("bob@example.test", "e2e-clash", "DTSTART:20301202T103000Z",
                                      "DTEND:20301202T113000Z"));
  const std::optional<std::string> declined = WaitForMail("bob", "e2e-clash");
  ASSERT_TRUE(declined.has_value()) << "no reply in bob's Maildir";
  EXPECT_EQ(ReplyAttendee(*declined, "e2e-clash").partstat, "DECLINED");
  EXPECT_TRUE(QueueEmpties());
}

// Exit 65 (EX_DATAERR): Postfix bounces the message to its sender; it is not dropped.
TEST_F(PostfixResourceTest, AnUnreadableCalendarBouncesToTheSender) {
  Send("alice@example.test",
       Invitation("alice@example.test", "e2e-bad-zone",
                  "DTSTART;TZID=Nowhere Standard Time:20301202T100000", "DTEND:20301202T110000Z"));
  const std::optional<std::string> bounce = WaitForMail("alice", "Undelivered Mail");
  ASSERT_TRUE(bounce.has_value()) << "no bounce in alice's Maildir";
  EXPECT_NE(bounce->find("Final-Recipient: rfc822; room@example.test"), std::string::npos);
  EXPECT_NE(bounce->find("Action: failed"), std::string::npos);
  EXPECT_NE(bounce->find("Status: 5.6.0"), std::string::npos) << *bounce;
  // The program's own reason, and the message itself, go back to the sender.
  EXPECT_NE(bounce->find("Diagnostic-Code: x-unix; imip_resource: unknown time zone"),
            std::string::npos)
      << *bounce;
  EXPECT_NE(bounce->find("Message-ID: <e2e-bad-zone>"), std::string::npos) << *bounce;
  EXPECT_TRUE(QueueEmpties());
}

// Exit 75 (EX_TEMPFAIL) while another process holds the store: Postfix keeps the message
// in its deferred queue, and delivers it when asked again once the store is free.
TEST_F(PostfixResourceTest, ABusyStoreDefersTheMessageUntilItIsFree) {
  // LevelDB's lock is an fcntl write lock on the store's LOCK file; holding it here keeps
  // imip_resource out, as another imip_resource would. The file is the agent's, as
  // LevelDB would have made it.
  const fs::path lock_file = kStore / "LOCK";
  const int lock = open(lock_file.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(fchown(lock, imip_agent_uid_, imip_agent_gid_), 0);
  struct flock hold = {};
  hold.l_type = F_WRLCK;
  hold.l_whence = SEEK_SET;
  ASSERT_EQ(fcntl(lock, F_SETLK, &hold), 0);

  Send("alice@example.test", Invitation("alice@example.test", "e2e-later",
                                        "DTSTART:20301203T100000Z", "DTEND:20301203T110000Z"));
  const std::optional<std::string> deferred = WaitUntilDeferred();
  ASSERT_TRUE(deferred.has_value()) << "the message was not deferred";
  const auto queued = Queue();
  ASSERT_EQ(queued.size(), 1u);
  const boost::json::object& recipient = queued[0].at("recipients").as_array()[0].as_object();
  EXPECT_EQ(recipient.at("address").as_string(), "room@example.test");
  EXPECT_NE(std::string(recipient.at("delay_reason").as_string()).find("calendar store"),
            std::string::npos)
      << recipient.at("delay_reason").as_string();

  close(lock);  // Releases the lock.
  ASSERT_EQ(RunCommand("postqueue -c " + kPostfixConfig + " -i " + *deferred).exit_code, 0);
  const std::optional<std::string> accepted = WaitForMail("alice", "e2e-later");
  ASSERT_TRUE(accepted.has_value()) << "the deferred message was not delivered again";
  EXPECT_EQ(ReplyAttendee(*accepted, "e2e-later").partstat, "ACCEPTED");
  EXPECT_TRUE(QueueEmpties());
}

// Exit 75 for a preference the program cannot read: the site's to mend, so Postfix keeps
// the message (no bounce reaches the organizer) and delivers it once the file is mended.
// The pipe runs as imip-agent, for whom a file of mode 000 that root wrote is unreadable.
TEST_F(PostfixResourceTest, AnUnreadablePreferenceDefersTheMessageUntilItIsMendedIssue15) {
  const fs::path policy = kRoomPreferences / "scheduling_function";
  fs::create_directories(kRoomPreferences);
  std::ofstream(policy) << "schedule_in_freebusy\n";
  fs::permissions(policy, fs::perms::none);

  Send("alice@example.test", Invitation("alice@example.test", "e2e-policy",
                                        "DTSTART:20301204T100000Z", "DTEND:20301204T110000Z"));
  const std::optional<std::string> deferred = WaitUntilDeferred();
  ASSERT_TRUE(deferred.has_value()) << "the message was not deferred";
  const auto queued = Queue();
  ASSERT_EQ(queued.size(), 1u);
  const boost::json::object& recipient = queued[0].at("recipients").as_array()[0].as_object();
  EXPECT_NE(std::string(recipient.at("delay_reason").as_string()).find(policy.string()),
            std::string::npos)
      << recipient.at("delay_reason").as_string();

  fs::permissions(policy, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  ASSERT_EQ(RunCommand("postqueue -c " + kPostfixConfig + " -i " + *deferred).exit_code, 0);
  const std::optional<std::string> accepted = WaitForMail("alice", "e2e-policy");
  ASSERT_TRUE(accepted.has_value()) << "the deferred message was not delivered again";
  EXPECT_EQ(ReplyAttendee(*accepted, "e2e-policy").partstat, "ACCEPTED");
  EXPECT_TRUE(QueueEmpties());
  // Deferred, never bounced: the organizer got the answer and nothing else.
  for (const fs::path& file : Mail("alice")) {
    if (!seen_.contains(file)) {
      EXPECT_EQ(Slurp(file).find("Undelivered Mail"), std::string::npos) << file;
    }
  }
}

}  // namespace
}  // namespace magent::imip
