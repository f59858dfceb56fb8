// Crash test: a real process (magent_crash_child) schedules and runs thousands of events
// with a LevelDB journal and a file archive on disk, and is killed with SIGKILL at random
// points, several times over the same journal. After each restart every event is pending
// or Past exactly once, and nothing the child reported before it died is lost.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <unordered_set>

#include "magent/magent.h"
#include "testing/durable_runtime.h"
#include "testing/file_archive.h"

namespace magent {
namespace {

// Events the child schedules before it reports them (as crash_child.cc does): at most this
// many beyond the last id reported may be journaled.
constexpr std::uint64_t kRound = 50;

struct Progress {
  std::uint64_t scheduled = 0;  // Highest id reported scheduled.
  std::size_t archived = 0;     // Archive records reported.
  int lines = 0;
};

// Runs the child on `dir` and kills it once it has reported `kill_after` lines (or lets
// it finish). Returns what it reported.
Progress RunChild(const testing::TempDir& dir, std::uint64_t seed, std::int64_t start_seconds,
                  int kill_after) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const std::string journal = (dir.root() / "journal").string();
  const std::string archive = (dir.root() / "archive").string();
  const std::string seed_arg = std::to_string(seed);
  const std::string start_arg = std::to_string(start_seconds);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(MAGENT_CRASH_CHILD, MAGENT_CRASH_CHILD, journal.c_str(), archive.c_str(),
            seed_arg.c_str(), start_arg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  Progress progress;
  FILE* in = ::fdopen(fds[0], "r");
  char line[128];
  bool killed = false;
  while (std::fgets(line, sizeof line, in)) {
    unsigned long long value = 0;
    if (std::sscanf(line, "S %llu", &value) == 1) progress.scheduled = value;
    if (std::sscanf(line, "A %llu", &value) == 1) progress.archived = value;
    if (++progress.lines == kill_after) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
  }
  std::fclose(in);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (killed) {
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  } else {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  return progress;
}

// Opens the journal and archive as the child left them and checks that every event up
// to `scheduled` is pending or Past exactly once; returns how many ended interrupted.
std::size_t Check(const testing::TempDir& dir, std::uint64_t scheduled, std::size_t archived) {
  auto archive = std::make_shared<testing::FileArchive>((dir.root() / "archive").string());
  EXPECT_GE(archive->size(), archived) << "the archive lost records the child reported";
  RuntimeOptions options;
  options.clock = std::make_shared<ManualClock>(TimePoint(std::chrono::hours(24 * 365)));
  options.threads = 0;
  options.archive = archive;
  options.journal = JournalOptions{.path = (dir.root() / "journal").string()};
  for (const char* name : {"tick", "nap"}) {
    options.kinds.push_back(KindSpec{.name = name, .factory = [](const std::string&) {
                                       return Result<Work>(testing::Succeed());
                                     }});
  }
  auto runtime = Runtime::Create(std::move(options));
  EXPECT_TRUE(runtime.ok()) << runtime.status().ToString();
  if (!runtime.ok()) return 0;
  // The restore itself ends interrupted events: they are Past now, in the archive.
  std::unordered_set<EventId> past;
  for (EventId id : archive->appended()) {
    EXPECT_TRUE(past.insert(id).second) << "event " << id.value() << " is Past twice";
  }
  std::uint64_t highest = scheduled;
  for (EventId id : past) highest = std::max(highest, id.value());
  std::size_t pending = 0;
  for (std::uint64_t i = 1; i <= highest + kRound; ++i) {
    const EventId id(i);
    const bool is_pending = (*runtime)->scheduler().SnapshotUnmasked(id).ok();
    pending += is_pending;
    EXPECT_FALSE(is_pending && past.count(id)) << "event " << i << " is pending and Past";
    if (i <= scheduled) {
      EXPECT_TRUE(is_pending || past.count(id)) << "event " << i << " was lost";
    }
  }
  const SchedulerCounts counts = (*runtime)->scheduler().Counts();
  EXPECT_EQ(counts.future + counts.current, pending);
  std::size_t interrupted = 0;
  for (EventId id : past) interrupted += archive->Get(id)->outcome == Outcome::kInterrupted;
  return interrupted;
}

TEST(JournalCrashTest, EveryEventIsPendingOrPastExactlyOnceAfterKills) {
  testing::TempDir dir;
  std::mt19937_64 rng(20261130);
  // At least two rounds reported: coroutines of the first are running when it dies.
  std::uniform_int_distribution<int> kill_after(6, 120);
  std::uint64_t scheduled = 0;
  std::size_t archived = 0;
  constexpr int kRuns = 6;
  for (int run = 0; run < kRuns; ++run) {
    // Each run starts an hour after the last one began: what was pending is overdue.
    const Progress p = RunChild(dir, rng(), 1'800'000'000 + run * 3600, kill_after(rng));
    ASSERT_GT(p.lines, 0) << "run " << run << " reported nothing";
    scheduled = std::max(scheduled, p.scheduled);
    archived = std::max(archived, p.archived);
  }
  EXPECT_GT(scheduled, 1000u);
  // Each restart ended the coroutines that were running as interrupted.
  EXPECT_GT(Check(dir, scheduled, archived), 0u);
  // Checking restored the journal once more: still exact.
  Check(dir, scheduled, archived);
}

}  // namespace
}  // namespace magent
