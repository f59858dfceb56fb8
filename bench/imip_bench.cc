// magent_bench_imip: what a resource's decision costs beyond reading the message.
//
// BM_ParseOnly reads each message (GMime) and its calendar (libical) and does nothing
// else: the baseline. BM_ResourceDecide does what imip_resource does for the same
// messages: reads them, decides against a resource that holds 10,000 booked events (a
// year of them, so about half the requests conflict), builds and renders the reply, and
// commits the store. Arg: 1 = commits synced to disk (as deployed), 0 = not synced.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/reply.h"
#include "magent/imip/resource.h"
#include "magent/imip/store.h"

namespace {

using namespace magent;
using namespace magent::imip;
using namespace std::chrono;

const TimePoint kNow = sys_days{year{2026} / 1 / 1};
constexpr int kBooked = 10'000;
constexpr int kMessages = 2'000;

std::string Stamp(TimePoint t) {
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  char out[32];
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02ld%02ld00Z", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()));
  return out;
}

// A request for one hour at a random half-hour of the year ahead, as a client sends it.
std::vector<std::string> Messages(int count, std::uint32_t seed, const std::string& prefix) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> slot(0, 365 * 48 - 2);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const TimePoint start = kNow + minutes(30) * slot(random);
    const std::string uid = prefix + std::to_string(i) + "@example.com";
    out.push_back(
        "From: Alice <alice@example.com>\r\nTo: Room 1 <room1@example.com>\r\n"
        "Subject: Invitation: Meeting " +
        std::to_string(i) + "\r\nMessage-ID: <" + uid +
        ">\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nYou are invited.\r\n"
        "--b\r\nContent-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "BEGIN:VCALENDAR\r\nPRODID:-//bench//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:" +
        uid +
        "\r\nDTSTAMP:20251201T070000Z\r\n"
        "DTSTART:" +
        Stamp(start) + "\r\nDTEND:" + Stamp(start + hours(1)) +
        "\r\n"
        "SUMMARY:Meeting " +
        std::to_string(i) +
        "\r\n"
        "ORGANIZER;CN=3DAlice:mailto:alice@example.com\r\n"
        "ATTENDEE;PARTSTAT=3DACCEPTED:mailto:alice@example.com\r\n"
        "ATTENDEE;CUTYPE=3DROOM;RSVP=3DTRUE:mailto:room1@example.com\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n--b--\r\n");
  }
  return out;
}

class TempStore {
 public:
  explicit TempStore(bool sync) {
    std::string pattern = (std::filesystem::temp_directory_path() / "magent-bench-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
    store_ = OpenLevelDbStore({.path = path_ + "/store", .sync = sync}).value();
    // 10,000 booked hours spread over the year.
    auto session = store_->Open("room1@example.com", seconds(1)).value();
    std::mt19937 random(7);
    std::uniform_int_distribution<int> slot(0, 365 * 48 - 2);
    for (int i = 0; i < kBooked; ++i) {
      const TimePoint start = kNow + minutes(30) * slot(random);
      const std::string uid = "booked-" + std::to_string(i);
      Status s = session->SetBusy(
          uid, std::nullopt,
          {{.period = {start, start + hours(1)}, .uid = uid, .summary = "Booked"}});
      if (!s.ok()) std::abort();
    }
    if (!session->Commit().ok()) std::abort();
  }
  ~TempStore() { std::filesystem::remove_all(path_); }
  CalendarStore& store() { return *store_; }

 private:
  std::string path_;
  std::unique_ptr<CalendarStore> store_;
};

void BM_ParseOnly(benchmark::State& state) {
  const std::vector<std::string> messages = Messages(kMessages, 1, "p");
  std::size_t i = 0;
  for (auto _ : state) {
    auto mail = ReadMail(messages[i++ % messages.size()]);
    auto itip =
        ParseItip(mail->calendars.at(0).text, {.content_type_method = mail->calendars[0].method});
    benchmark::DoNotOptimize(itip);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ResourceDecide(benchmark::State& state) {
  TempStore store(state.range(0) != 0);
  ResourceScheduler scheduler(store.store(), {});
  std::uint32_t round = 0;
  std::vector<std::string> messages;
  std::size_t i = 0;
  std::int64_t accepted = 0;
  for (auto _ : state) {
    if (i % kMessages == 0) {
      // New UIDs each round, so every request is decided, none answered from the store.
      state.PauseTiming();
      messages = Messages(kMessages, 100 + round, "r" + std::to_string(round) + "-");
      ++round;
      state.ResumeTiming();
    }
    auto mail = ReadMail(messages[i++ % kMessages]);
    auto handled = scheduler.Handle(*mail, mail->calendars.at(0), {"room1@example.com"}, {}, kNow);
    for (const OutgoingMail& reply : handled->replies) {
      benchmark::DoNotOptimize(ComposeMail(reply, kNow));
    }
    accepted += handled->decisions.at(0).verdict == Verdict::kAccepted;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["accepted_share"] =
      static_cast<double>(accepted) / static_cast<double>(state.iterations());
}

}  // namespace

BENCHMARK(BM_ParseOnly);
BENCHMARK(BM_ResourceDecide)->Arg(1)->Arg(0);

BENCHMARK_MAIN();
