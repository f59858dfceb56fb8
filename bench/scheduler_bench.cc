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

// Bytes allocated, whether malloc took them from its arenas or mapped them.
std::size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// glibc maps blocks above a threshold that starts at 128 KiB and rises to the size of each
// mapped block freed, up to 32 MiB, and keeps twice that much free memory at the top of
// its heap before giving it back: a long-running process ends up taking such blocks from
// its arenas and keeping what it freed. Set there from the start (setting one disables
// the adjustment of both), every round sees the same allocator: counting only the arenas
// had missed the node slabs of a fresh process, and counting the mappings counts a 2 MiB
// slab's alignment slack, which is never touched, as memory.
void AllocateAsALongRunningProcessDoes() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

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

// One round of BM_Lifecycle: N events scheduled at random due times from the clock's now,
// the clock moved past them all, every event run and archived. Returns the heap held per
// pending event, measured when all N are scheduled.
class LifecycleRound {
 public:
  LifecycleRound() {
    magent::RuntimeOptions options;
    options.clock = clock_;
    options.threads = 0;
    options.archive = archive_;
    runtime_ = magent::Runtime::Create(options).value();
    agent_ = runtime_->CreateSource({.name = "bench"})->CreateAgent({.name = "noop"}).value();
    runtime_->RunUntilIdle();
  }

  double Run(const std::vector<magent::Duration>& offsets, benchmark::State& state,
             bool measure_heap) {
    const std::size_t heap_before = measure_heap ? HeapInUse() : 0;
    const magent::TimePoint start = clock_->Now();
    for (const magent::Duration& offset : offsets) {
      magent::EventSpec spec;
      spec.kind = "noop";
      spec.due = start + offset;
      spec.work = magent::PlainWork(NoOp);
      if (!agent_->Schedule(std::move(spec)).ok()) state.SkipWithError("schedule failed");
    }
    const double per_pending =
        measure_heap ? static_cast<double>(HeapInUse() - heap_before) / offsets.size() : 0;
    clock_->Advance(kSpread + 1s);
    runtime_->RunUntilIdle();
    archived_expected_ += offsets.size();
    if (archive_->size() + archive_->purged() != archived_expected_) {
      state.SkipWithError("not every event was archived");
    }
    return per_pending;
  }

  void Reset() {}

 private:
  std::shared_ptr<magent::ManualClock> clock_ = std::make_shared<magent::ManualClock>(Start());
  std::shared_ptr<magent::MemoryArchive> archive_ =
      std::make_shared<magent::MemoryArchive>();  // Default bound: 100k.
  std::shared_ptr<magent::Runtime> runtime_;
  std::shared_ptr<magent::Agent> agent_;
  std::size_t archived_expected_ = 0;
};

// One round of the baseline: the same events, each behind its own Asio system_timer.
class TimerPerEventRound {
 public:
  double Run(const std::vector<magent::Duration>& offsets, benchmark::State& state,
             bool measure_heap) {
    timers_.reserve(offsets.size());
    const std::size_t heap_before = measure_heap ? HeapInUse() : 0;
    // Due times an hour back, so every timer has expired and the run waits for nothing.
    const magent::TimePoint base = std::chrono::system_clock::now() - kSpread - 1s;
    // Records are appended in batches of 512, as the scheduler does, so the comparison is
    // about timers, not about archive calls.
    auto flush = [this] {
      if (!pending_.empty() && !archive_.Append(pending_).ok()) std::abort();
    };
    for (const magent::Duration& offset : offsets) {
      auto& timer = timers_.emplace_back(std::make_unique<boost::asio::system_timer>(io_));
      timer->expires_at(base + offset);
      magent::PlainWork work(NoOp);
      timer->async_wait([this, &flush, work = std::move(work), id = ++next_id_,
                         due = base + offset](const boost::system::error_code& ec) {
        if (ec) return;
        BaselineContext context{magent::EventId(id)};
        magent::Result<magent::Text> result = work(context);
        magent::EventRecord& record = pending_.emplace_back();
        record.id = magent::EventId(id);
        record.kind = "noop";
        record.due = due;
        record.state = magent::EventState::kPast;
        record.outcome = result.ok() ? magent::Outcome::kSucceeded : magent::Outcome::kFailed;
        record.result = result.ok() ? std::move(result).value() : magent::Text();
        record.finished = std::chrono::system_clock::now();
        if (pending_.size() == 512) flush();
      });
    }
    const double per_pending =
        measure_heap ? static_cast<double>(HeapInUse() - heap_before) / offsets.size() : 0;
    io_.restart();
    io_.run();
    flush();
    if (archive_.size() + archive_.purged() != next_id_) {
      state.SkipWithError("not every event was archived");
    }
    return per_pending;
  }

  // Frees the timers of the last round; untimed, to charge the baseline no more than the
  // scheduler, whose nodes are recycled as events end.
  void Reset() { timers_.clear(); }

 private:
  boost::asio::io_context io_;
  std::vector<std::unique_ptr<boost::asio::system_timer>> timers_;
  magent::MemoryArchive archive_;  // Default bound: 100k, as for BM_Lifecycle.
  std::vector<magent::EventRecord> pending_;
  std::uint64_t next_id_ = 0;
};

// Both benchmarks measure a long-running host: the runtime (or io_context) and archive
// live across rounds. An untimed first round warms them up (the memory the first million
// pending events took is mapped and reused after, as in a process that keeps running) and
// measures the heap per pending event; the timed rounds follow.
template <typename Round>
void RunRounds(benchmark::State& state) {
  AllocateAsALongRunningProcessDoes();
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<magent::Duration> offsets = Offsets(n);
  Round round;
  const double bytes_per_pending = round.Run(offsets, state, /*measure_heap=*/true);
  round.Reset();
  for (auto _ : state) {
    round.Run(offsets, state, /*measure_heap=*/false);
    state.PauseTiming();
    round.Reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_pending"] = bytes_per_pending;
}

void BM_Lifecycle(benchmark::State& state) { RunRounds<LifecycleRound>(state); }
BENCHMARK(BM_Lifecycle)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_AsioTimerPerEvent(benchmark::State& state) { RunRounds<TimerPerEventRound>(state); }
BENCHMARK(BM_AsioTimerPerEvent)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
