// magent_bench_sentinel: what authorization costs.
//
// BM_Decide: decisions per second, asking a Sentinel directly: arg 0 is AllowAllSentinel
// (the baseline), arg 1 a chain of three (ClearanceSentinel, AnonymousSentinel,
// QuorumSentinel) for a kind with a quorum rule, so every check runs.
// BM_Lifecycle: the event lifecycle of magent_bench_scheduler (schedule N events at
// random due times within an hour, move a ManualClock past them, run the no-op work,
// archive every event) with arg 0: no Sentinel (the baseline), arg 1: the chain of three.
// The runtime and archive live across rounds; an untimed first round warms them up.
// Compare items_per_second of the two args of one run.
//
//   magent_bench_sentinel --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "magent/anonymous_sentinel.h"
#include "magent/clearance_sentinel.h"
#include "magent/magent.h"
#include "magent/quorum_sentinel.h"
#include "magent/sentinel_chain.h"

namespace {

using namespace std::chrono_literals;

constexpr auto kSpread = std::chrono::hours(1);
constexpr std::size_t kEvents = 100'000;

std::shared_ptr<magent::Sentinel> ChainOfThree() {
  return std::make_shared<magent::SentinelChain>(std::vector<std::shared_ptr<magent::Sentinel>>{
      std::make_shared<magent::ClearanceSentinel>(magent::ClearanceOptions{
          .levels = {{"noop", magent::Clearance::kLow}, {"buy", magent::Clearance::kHigh}}}),
      std::make_shared<magent::AnonymousSentinel>(
          magent::AnonymousOptions{.kinds = {{"noop", {}}}}),
      std::make_shared<magent::QuorumSentinel>(
          std::map<std::string, magent::QuorumRule, std::less<>>{{"buy", {.min_weight = 0.5}}})});
}

void BM_Decide(benchmark::State& state) {
  std::shared_ptr<magent::Sentinel> sentinel =
      state.range(0) ? ChainOfThree() : std::make_shared<magent::AllowAllSentinel>();
  magent::EventSpec spec;
  spec.kind = "buy";
  spec.sources = {
      {magent::SourceId(1), 0.25}, {magent::SourceId(2), 0.25}, {magent::SourceId(3), 0.5}};
  magent::AuthRequest request;
  request.agent = magent::AgentId(1);
  request.agent_name = "buyer";
  request.source = magent::SourceId(1);
  request.clearance = magent::Clearance::kHigh;
  request.spec = &spec;
  for (auto _ : state) {
    magent::Decision d = sentinel->Decide(request);
    benchmark::DoNotOptimize(d);
    if (!d.allowed) state.SkipWithError("denied");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decide)->Arg(0)->Arg(1);

magent::Result<magent::Text> NoOp(magent::EventContext&) { return magent::Text(); }

class LifecycleRound {
 public:
  explicit LifecycleRound(std::shared_ptr<magent::Sentinel> sentinel) {
    magent::RuntimeOptions options;
    options.clock = clock_;
    options.threads = 0;
    options.sentinel = std::move(sentinel);
    runtime_ = magent::Runtime::Create(options).value();
    agent_ = runtime_->CreateSource({.name = "bench"})->CreateAgent({.name = "noop"}).value();
    runtime_->RunUntilIdle();
  }

  void Run(const std::vector<magent::Duration>& offsets, benchmark::State& state) {
    const magent::TimePoint start = clock_->Now();
    for (const magent::Duration& offset : offsets) {
      magent::EventSpec spec;
      spec.kind = "noop";
      spec.due = start + offset;
      spec.work = magent::PlainWork(NoOp);
      if (!agent_->Schedule(std::move(spec)).ok()) state.SkipWithError("schedule failed");
    }
    clock_->Advance(kSpread + 1s);
    runtime_->RunUntilIdle();
    if (runtime_->scheduler().Counts().future != 0) state.SkipWithError("events left");
  }

 private:
  std::shared_ptr<magent::ManualClock> clock_ = std::make_shared<magent::ManualClock>(
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 9h);
  std::unique_ptr<magent::Runtime> runtime_;
  std::shared_ptr<magent::Agent> agent_;
};

void BM_Lifecycle(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<magent::Duration::rep> dist(0, magent::Duration(kSpread).count());
  std::vector<magent::Duration> offsets(kEvents);
  for (auto& d : offsets) d = magent::Duration(dist(rng));
  LifecycleRound round(state.range(0) ? ChainOfThree() : nullptr);
  round.Run(offsets, state);  // Warm-up, untimed.
  for (auto _ : state) round.Run(offsets, state);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}
BENCHMARK(BM_Lifecycle)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
