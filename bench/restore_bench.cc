// Durable scheduling: what the journal costs, and how fast a restart restores.
//
// BM_RestorePending: Runtime::Create on a journal that holds N pending Future events
// (written once, before timing): the time to read, decode and rebuild every one of them
// (work from the kind's factory) into a live runtime. Target for 1M: at most 2 s.
// BM_JournaledLifecycle/0 and /1: N events scheduled at random due times within an hour,
// the clock moved past them all, every event run and archived in memory, without (0) and
// with (1) a journal (no fsync): the ratio of the two is the cost of journaling.
//
//   build/bench/magent_bench_archive --benchmark_filter='Restore|Journaled'
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "magent/magent.h"

namespace {

using namespace std::chrono_literals;

magent::TimePoint Start() { return std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 9h; }

magent::Result<magent::Text> NoOp(magent::EventContext&) { return magent::Text(); }

magent::KindSpec NoOpKind() {
  magent::KindSpec kind;
  kind.name = "noop";
  kind.factory = [](const std::string&) -> magent::Result<magent::Work> {
    return magent::Work(magent::PlainWork(NoOp));
  };
  return kind;
}

// A directory of its own under the temp dir, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "magent-bench-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Path(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

magent::RuntimeOptions Options(std::shared_ptr<magent::ManualClock> clock,
                               const std::string& journal) {
  magent::RuntimeOptions options;
  options.clock = std::move(clock);
  options.threads = 0;
  options.kinds = {NoOpKind()};
  if (!journal.empty()) options.journal = magent::JournalOptions{.path = journal};
  return options;
}

std::vector<magent::Duration> Offsets(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<magent::Duration::rep> dist(0, magent::Duration(1h).count());
  std::vector<magent::Duration> out(n);
  for (auto& d : out) d = magent::Duration(dist(rng));
  return out;
}

void BM_RestorePending(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  ScratchDir dir;
  const std::string journal = dir.Path("journal");
  auto clock = std::make_shared<magent::ManualClock>(Start());
  {
    auto runtime = magent::Runtime::Create(Options(clock, journal)).value();
    auto agent = runtime->CreateSource({.name = "bench"})->CreateAgent({.name = "noop"}).value();
    for (const magent::Duration& offset : Offsets(n)) {
      magent::EventSpec spec;
      spec.kind = "noop";
      spec.due = Start() + 1h + offset;  // Pending, never missed.
      if (!agent->Schedule(std::move(spec)).ok()) state.SkipWithError("schedule failed");
    }
  }
  for (auto _ : state) {
    auto runtime = magent::Runtime::Create(Options(clock, journal));
    if (!runtime.ok() || (*runtime)->scheduler().Counts().future != n) {
      state.SkipWithError("restore failed");
      break;
    }
    state.PauseTiming();
    runtime->reset();  // Its teardown is not part of a restore.
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_RestorePending)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_JournaledLifecycle(benchmark::State& state) {
  const bool journaled = state.range(0) != 0;
  const auto n = static_cast<std::size_t>(state.range(1));
  const std::vector<magent::Duration> offsets = Offsets(n);
  ScratchDir dir;
  auto clock = std::make_shared<magent::ManualClock>(Start());
  auto runtime =
      magent::Runtime::Create(Options(clock, journaled ? dir.Path("journal") : "")).value();
  auto agent = runtime->CreateSource({.name = "bench"})->CreateAgent({.name = "noop"}).value();
  runtime->RunUntilIdle();
  for (auto _ : state) {
    const magent::TimePoint start = clock->Now();
    for (const magent::Duration& offset : offsets) {
      magent::EventSpec spec;
      spec.kind = "noop";
      spec.due = start + offset;
      spec.work = magent::PlainWork(NoOp);
      if (!agent->Schedule(std::move(spec)).ok()) state.SkipWithError("schedule failed");
    }
    clock->Advance(1h + 1s);
    runtime->RunUntilIdle();
  }
  if (runtime->scheduler().Counts().past != state.iterations() * n) {
    state.SkipWithError("not every event ended");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_JournaledLifecycle)
    ->ArgNames({"journal", "events"})
    ->Args({0, 100'000})
    ->Args({1, 100'000})
    ->Unit(benchmark::kMillisecond);

}  // namespace
