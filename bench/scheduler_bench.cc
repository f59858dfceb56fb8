// magent_bench_scheduler: the cost of an event's whole life in the EventScheduler.
//
// BM_Lifecycle schedules N events at random due times within an hour, advances a
// ManualClock past them all, runs the no-op work and archives every event in memory.
// BM_AsioTimerPerEvent is the baseline: the same events, each behind its own Asio
// system_timer (expired, so no wall time is spent waiting), running the same work and
// archiving the same record. Both run on one thread and archive into a MemoryArchive with
// its default bound (the newest 100k records; older ones are purged, as in a long run).
// bytes_per_pending is the heap held per Future event while all N are pending (mallinfo2),
// everything included.
//
//   build/bench/magent_bench_scheduler --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "magent/magent.h"

namespace {

using namespace std::chrono_literals;

constexpr auto kSpread = std::chrono::hours(1);

magent::TimePoint Start() { return std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 9h; }

std::size_t HeapInUse() { return mallinfo2().uordblks; }

// Random offsets within the spread, the same sequence for both benchmarks.
std::vector<magent::Duration> Offsets(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<magent::Duration::rep> dist(0, magent::Duration(kSpread).count());
  std::vector<magent::Duration> out(n);
  for (auto& d : out) d = magent::Duration(dist(rng));
  return out;
}

magent::Result<magent::Text> NoOp(magent::EventContext&) { return magent::Text(); }

// The least an event's work can be handed in the baseline: an id and the clock.
class BaselineContext final : public magent::EventContext {
 public:
  explicit BaselineContext(magent::EventId id) : id_(id) {}
  magent::EventId id() const override { return id_; }
  const std::string& kind() const override { return kind_; }
  const std::string& payload() const override { return payload_; }
  magent::Agent& agent() const override { std::abort(); }
  magent::TimePoint Now() const override { return std::chrono::system_clock::now(); }
  magent::Result<magent::EventId> Spawn(magent::EventSpec) override {
    return magent::Status::FailedPrecondition("baseline");
  }
  magent::Result<magent::Duration> RequestExtension(magent::Duration) override {
    return magent::Status::FailedPrecondition("baseline");
  }
  bool stopping() const override { return false; }
  boost::asio::awaitable<magent::Status> Checkpoint() override {
    co_return magent::Status::FailedPrecondition("baseline");
  }
  boost::asio::awaitable<magent::Status> SleepFor(magent::Duration) override {
    co_return magent::Status::FailedPrecondition("baseline");
  }

 private:
  magent::EventId id_;
  std::string kind_ = "noop";
  std::string payload_;
};

void BM_Lifecycle(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<magent::Duration> offsets = Offsets(n);
  double bytes_per_pending = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto clock = std::make_shared<magent::ManualClock>(Start());
    magent::RuntimeOptions options;
    options.clock = clock;
    options.threads = 0;
    auto archive = std::make_shared<magent::MemoryArchive>();  // Default bound: 100k.
    options.archive = archive;
    auto runtime = magent::Runtime::Create(options).value();
    auto source = runtime->CreateSource({.name = "bench"});
    auto agent = source->CreateAgent({.name = "noop"}).value();
    runtime->RunUntilIdle();
    const std::size_t heap_before = HeapInUse();
    state.ResumeTiming();

    for (const magent::Duration& offset : offsets) {
      magent::EventSpec spec;
      spec.kind = "noop";
      spec.due = Start() + offset;
      spec.work = magent::PlainWork(NoOp);
      if (!agent->Schedule(std::move(spec)).ok()) state.SkipWithError("schedule failed");
    }

    state.PauseTiming();
    bytes_per_pending = static_cast<double>(HeapInUse() - heap_before) / static_cast<double>(n);
    state.ResumeTiming();

    clock->Advance(kSpread + 1s);
    runtime->RunUntilIdle();

    state.PauseTiming();
    if (archive->size() + archive->purged() != n) {
      state.SkipWithError("not every event was archived");
    }
    runtime.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_pending"] = bytes_per_pending;
}
BENCHMARK(BM_Lifecycle)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_AsioTimerPerEvent(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<magent::Duration> offsets = Offsets(n);
  double bytes_per_pending = 0;
  for (auto _ : state) {
    state.PauseTiming();
    boost::asio::io_context io;
    magent::MemoryArchive archive;  // Default bound: 100k, as for BM_Lifecycle.
    std::vector<std::unique_ptr<boost::asio::system_timer>> timers;
    timers.reserve(n);
    const std::size_t heap_before = HeapInUse();
    // Due times an hour back, so every timer has expired and the run waits for nothing.
    const magent::TimePoint base = std::chrono::system_clock::now() - kSpread - 1s;
    state.ResumeTiming();

    // Records are appended in batches of 512, as the scheduler does, so the comparison is
    // about timers, not about archive calls.
    std::vector<magent::EventRecord> pending;
    auto flush = [&archive, &pending] {
      if (!pending.empty() && !archive.Append(pending).ok()) std::abort();
    };
    std::uint64_t next_id = 0;
    for (const magent::Duration& offset : offsets) {
      auto& timer = timers.emplace_back(std::make_unique<boost::asio::system_timer>(io));
      timer->expires_at(base + offset);
      magent::PlainWork work(NoOp);
      timer->async_wait([&pending, &flush, work = std::move(work), id = ++next_id,
                         due = base + offset](const boost::system::error_code& ec) {
        if (ec) return;
        BaselineContext context{magent::EventId(id)};
        magent::Result<magent::Text> result = work(context);
        magent::EventRecord& record = pending.emplace_back();
        record.id = magent::EventId(id);
        record.kind = "noop";
        record.due = due;
        record.state = magent::EventState::kPast;
        record.outcome = result.ok() ? magent::Outcome::kSucceeded : magent::Outcome::kFailed;
        record.result = result.ok() ? std::move(result).value() : magent::Text();
        record.finished = std::chrono::system_clock::now();
        if (pending.size() == 512) flush();
      });
    }

    state.PauseTiming();
    bytes_per_pending = static_cast<double>(HeapInUse() - heap_before) / static_cast<double>(n);
    state.ResumeTiming();

    io.run();
    flush();

    state.PauseTiming();
    if (archive.size() + archive.purged() != n) {
      state.SkipWithError("not every event was archived");
    }
    timers.clear();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_pending"] = bytes_per_pending;
}
BENCHMARK(BM_AsioTimerPerEvent)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
