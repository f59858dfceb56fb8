// magent_crash_child: the process the crash test kills (journal_crash_test.cc).
//
//   magent_crash_child JOURNAL_DIR ARCHIVE_FILE SEED START_SECONDS
//
// Opens a durable runtime (restoring what the journal holds) with a FileArchive, then
// schedules and runs events in rounds on a ManualClock, until killed or done. Progress
// goes to stdout, one line at a time, written only once it is durable:
//   R <pending>          restored; that many events are pending
//   S <id>               every event up to this id is scheduled (and journaled)
//   A <records>          the archive file holds this many records
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "magent/magent.h"
#include "testing/file_archive.h"

namespace {

using namespace std::chrono_literals;

void Say(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(STDOUT_FILENO, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    std::exit(3);
  }
}

magent::KindSpec Kind(std::string name, bool coroutine) {
  magent::KindSpec kind;
  kind.name = std::move(name);
  kind.factory = [coroutine](const std::string&) -> magent::Result<magent::Work> {
    if (!coroutine) {
      return magent::Work(
          magent::PlainWork([](magent::EventContext&) -> magent::Result<magent::Text> {
            return magent::Text("ok");
          }));
    }
    return magent::Work(magent::CoroutineWork(
        [](magent::EventContext& ctx) -> boost::asio::awaitable<magent::Result<magent::Text>> {
          co_await ctx.SleepFor(2s);
          co_return magent::Text("slept");
        }));
  };
  return kind;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s JOURNAL_DIR ARCHIVE_FILE SEED START_SECONDS\n", argv[0]);
    return 2;
  }
  auto archive = std::make_shared<magent::testing::FileArchive>(argv[2]);
  if (!archive->ok()) return 2;
  const magent::TimePoint start{std::chrono::seconds(std::atoll(argv[4]))};
  auto clock = std::make_shared<magent::ManualClock>(start);
  magent::RuntimeOptions options;
  options.clock = clock;
  options.threads = 0;
  options.archive = archive;
  options.journal = magent::JournalOptions{.path = argv[1]};
  options.kinds = {Kind("tick", false), Kind("nap", true)};
  auto created = magent::Runtime::Create(std::move(options));
  if (!created.ok()) {
    std::fprintf(stderr, "%s\n", created.status().ToString().c_str());
    return 1;
  }
  auto runtime = std::move(created).value();
  runtime->RunUntilIdle();
  const magent::SchedulerCounts counts = runtime->scheduler().Counts();
  Say("R " + std::to_string(counts.future + counts.current));

  std::shared_ptr<magent::Agent> agent;
  if (auto agents = runtime->registry().List(); !agents.empty()) {
    agent = runtime->registry().Get(agents.front().id).value();
  } else {
    agent = runtime->CreateSource({.name = "crash"})->CreateAgent({.name = "worker"}).value();
  }

  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
  std::uniform_int_distribution<int> due_ms(0, 10000);
  std::bernoulli_distribution nap(0.2);
  for (int round = 0; round < 200; ++round) {
    magent::EventId last;
    for (int i = 0; i < 50; ++i) {
      magent::EventSpec spec;
      spec.kind = nap(rng) ? "nap" : "tick";
      spec.due = clock->Now() + std::chrono::milliseconds(due_ms(rng));
      auto id = agent->Schedule(std::move(spec));
      if (!id.ok()) {
        std::fprintf(stderr, "%s\n", id.status().ToString().c_str());
        return 1;
      }
      last = *id;
    }
    Say("S " + last.ToString());
    clock->Advance(3s);
    runtime->RunUntilIdle();
    Say("A " + std::to_string(archive->size()));
  }
  return 0;
}
