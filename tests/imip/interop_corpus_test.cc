// Every file of the real-client corpus (../shared/fixtures/interop, found through
// MAGENT_INTEROP_DIR) goes through the readers: mail (*.eml) through ReadMail and then each
// calendar, calendars (*.ics) straight through ParseItip. Nothing may crash, a refusal must
// say why, and every scheduling object read has a UID and sane times.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "magent/imip/itip.h"
#include "magent/imip/mail.h"

namespace magent::imip {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Tally {
  int files = 0;
  int calendars = 0;
  int requests = 0;
  int refused = 0;
};

void CheckCalendar(const fs::path& file, const std::string& text, const std::string& method,
                   Tally& tally) {
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
  if (msg->method == Method::kRequest) ++tally.requests;
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
  const char* dir = std::getenv("MAGENT_INTEROP_DIR");
  if (dir == nullptr || !fs::is_directory(dir)) {
    GTEST_SKIP() << "MAGENT_INTEROP_DIR is not set to the corpus (../shared/fixtures/interop): "
                    "the interop suite did not run";
  }
  Tally tally;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& path = entry.path();
    const std::string text = Slurp(path);
    if (path.extension() == ".eml") {
      ++tally.files;
      auto mail = ReadMail(text);
      ASSERT_TRUE(mail.ok()) << path.filename() << ": " << mail.status().message();
      for (const CalendarPart& part : mail->calendars) {
        CheckCalendar(path, part.text, part.method, tally);
      }
    } else if (path.extension() == ".ics") {
      ++tally.files;
      CheckCalendar(path, text, "", tally);
    }
  }
  std::cout << tally.files << " files, " << tally.calendars << " calendars, " << tally.requests
            << " REQUESTs, " << tally.refused << " refused\n";
  EXPECT_GT(tally.files, 0);
  EXPECT_GT(tally.requests, 0);
}

}  // namespace
}  // namespace magent::imip
