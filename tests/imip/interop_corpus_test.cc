// Every file of the real-client corpus (../shared/fixtures/interop, found through
// MAGENT_INTEROP_DIR) goes through the readers: mail (*.eml) through ReadMail and then each
// calendar, calendars (*.ics) straight through ParseItip. Nothing may crash, a refusal must
// say why, every scheduling object read has a UID and sane times, and a resource makes
// exactly one decision on each object of every REQUEST.
#include "imip/interop_corpus.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/resource.h"
#include "testing/temp_dir.h"

namespace magent::imip {
namespace {

namespace fs = std::filesystem;

struct Tally {
  int files = 0;
  int calendars = 0;
  int requests = 0;
  int refused = 0;
  int decisions = 0;
  int decided_requests = 0;
  int without_attendees = 0;  // Nobody but the organizer to decide.
};

// A resource (the first attendee who is not the organizer) decides on every REQUEST:
// exactly one decision per scheduling object, whatever the client.
void Decide(const fs::path& file, const MailMessage& mail, const CalendarPart& part,
            const ItipMessage& msg, CalendarStore& store, Tally& tally) {
  std::string resource;
  std::string organizer;
  for (const ItipObject& o : msg.objects) {
    if (o.organizer) organizer = o.organizer->address;
    for (const Attendee& a : o.attendees) {
      if (resource.empty() && !a.address.empty() && a.address != organizer) resource = a.address;
    }
  }
  if (resource.empty()) {
    std::cout << file.filename() << ": a REQUEST with no attendee but the organizer\n";
    ++tally.without_attendees;
    return;
  }
  ResourceScheduler scheduler(store, {});
  // The corpus is old: decide as of 2000, so every event is still ahead.
  const UtcTime now = std::chrono::sys_days{std::chrono::year{2000} / 1 / 1};
  auto handled = scheduler.Handle(mail, part, {resource}, {organizer}, now);
  ASSERT_TRUE(handled.ok()) << file.filename() << ": " << handled.status().ToString();
  EXPECT_EQ(handled->decisions.size(), msg.objects.size()) << file.filename();
  tally.decisions += static_cast<int>(handled->decisions.size());
  ++tally.decided_requests;
}

void CheckCalendar(const fs::path& file, const MailMessage& mail, const CalendarPart& part,
                   CalendarStore& store, Tally& tally) {
  const std::string& text = part.text;
  const std::string& method = part.method;
  ++tally.calendars;
  auto msg = ParseItip(text, {.content_type_method = method});
  if (!msg.ok()) {
    // "No iTIP message" or "cannot be read, because ...": never another kind of failure,
    // and never without the reason.
    EXPECT_TRUE(msg.status().code() == StatusCode::kFailedPrecondition ||
                msg.status().code() == StatusCode::kInvalidArgument)
        << file.filename() << ": " << msg.status().ToString();
    EXPECT_FALSE(msg.status().message().empty()) << file.filename();
    std::cout << file.filename() << ": " << msg.status().ToString() << "\n";
    ++tally.refused;
    return;
  }
  if (msg->method == Method::kRequest) {
    ++tally.requests;
    Decide(file, mail, part, *msg, store, tally);
  }
  for (const ItipObject& o : msg->objects) {
    if (o.kind != ComponentKind::kFreeBusy) {
      EXPECT_FALSE(o.uid.empty()) << file.filename();
    }
    if (o.start && o.end) {
      EXPECT_LE(o.start->utc, o.end->utc) << file.filename() << " " << o.uid;
    }
  }
}

TEST(InteropCorpusTest, EveryRealClientFileIsReadWithoutCrashOrSilentLoss) {
  const fs::path dir = InteropDir();
  if (dir.empty()) {
    GTEST_SKIP() << "MAGENT_INTEROP_DIR is not set to the corpus (../shared/fixtures/interop): "
                    "the interop suite did not run";
  }
  Tally tally;
  testing::TempDir store_dir;
  auto store = OpenLevelDbStore({.path = store_dir / "store", .sync = false}).value();
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& path = entry.path();
    const std::string text = Slurp(path);
    if (path.extension() == ".eml") {
      ++tally.files;
      auto mail = ReadMail(text);
      ASSERT_TRUE(mail.ok()) << path.filename() << ": " << mail.status().message();
      for (const CalendarPart& part : mail->calendars) {
        CheckCalendar(path, *mail, part, *store, tally);
      }
    } else if (path.extension() == ".ics") {
      ++tally.files;
      const MailMessage mail{.calendars = {{.content_type = "text/calendar", .text = text}}};
      CheckCalendar(path, mail, mail.calendars[0], *store, tally);
    }
  }
  std::cout << tally.files << " files, " << tally.calendars << " calendars, " << tally.requests
            << " REQUESTs, " << tally.refused << " refused, " << tally.decisions
            << " resource decisions\n";
  EXPECT_GT(tally.files, 0);
  EXPECT_GT(tally.requests, 0);
  EXPECT_EQ(tally.decided_requests + tally.without_attendees, tally.requests);
  EXPECT_GT(tally.decided_requests, 0);
}

}  // namespace
}  // namespace magent::imip
