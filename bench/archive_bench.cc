// The hard archive's cost.
//
// BM_ArchiveAppend appends past records to a LevelDbArchive: encoding, index keys and the
// LevelDB write.
// BM_RawLevelDbWriteBatch is its baseline: the very same keys and values (records, index
// entries, counters), serialized while the timer is paused, put into a WriteBatch and
// written straight to LevelDB with the archive's options. The ratio of the two
// items_per_second is what the archive adds to LevelDB: encoding and building keys.
// Arguments: records per batch, and `sync` (fsync per batch: the price of durability).
// BM_ArchiveQueryAgentLatest100 asks for one agent's newest 100 events among 1M archived
// events of 1000 agents (the archive is filled and compacted once, untimed, and reopened
// with a cold cache).
//
//   build/test/bench/magent_bench_archive --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "archive/archive_batch.h"
#include "archive/record_codec.h"
#include "magent/leveldb_archive.h"

namespace {

using namespace std::chrono_literals;

magent::TimePoint Start() { return std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 9h; }

// A directory removed with everything in it when the benchmark is done with it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "magent-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_; }

 private:
  std::string path_;
};

// A record like the ones the scheduler archives: a goal and a result in English, one
// activant and one passivant, a few timestamps.
magent::EventRecord Record(std::uint64_t id, std::uint64_t agents) {
  magent::EventRecord r;
  r.id = magent::EventId(id);
  r.kind = id % 3 == 0 ? "find" : id % 3 == 1 ? "buy" : "ship";
  r.agent = magent::AgentId(1 + id % agents);
  r.agent_source = magent::SourceId(1 + id % 7);
  r.activants = {{"card:visa-1", "card", "Laurent's Visa card"}};
  r.passivants = {{"book:isbn-0596007736", "book", "Java in a Nutshell"}};
  r.goal = magent::Text("goal.find", "Find a used copy of '{0}' under {1}",
                        {"Java in a Nutshell", "$8"});
  r.result = magent::Text("Found a copy at abebooks for $6.75");
  r.state = magent::EventState::kPast;
  r.outcome = id % 10 == 0 ? magent::Outcome::kFailed : magent::Outcome::kSucceeded;
  r.allowable = 1h;
  r.actual = 250ms;
  r.created = Start() + std::chrono::milliseconds(id);
  r.due = r.created;
  r.started = r.created + 1ms;
  r.finished = r.started + r.actual;
  return r;
}

std::vector<magent::EventRecord> Batch(std::uint64_t first_id, std::int64_t size) {
  std::vector<magent::EventRecord> records;
  for (std::int64_t i = 0; i < size; ++i) records.push_back(Record(first_id + i, 1000));
  return records;
}

// Batches of 512 (as the scheduler hands records over; 100k records a run) and of 1 (the
// worst case for sync), each without and with sync.
void BigBatches(benchmark::internal::Benchmark* b) {
  b->ArgNames({"batch", "sync"})->Args({512, 0})->Args({512, 1})->Iterations(200)->UseRealTime();
}
void SingleRecords(benchmark::internal::Benchmark* b) {
  b->ArgNames({"batch", "sync"})->Args({1, 0})->Args({1, 1})->Iterations(2000)->UseRealTime();
}

void BM_ArchiveAppend(benchmark::State& state) {
  TempDir dir;
  auto archive = magent::LevelDbArchive::Open({.path = dir.path(), .sync = state.range(1) != 0});
  if (!archive.ok()) return state.SkipWithError(archive.status().ToString().c_str());
  std::uint64_t id = 1;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<magent::EventRecord> records = Batch(id, state.range(0));
    id += records.size();
    state.ResumeTiming();
    if (!(*archive)->Append(records).ok()) return state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(id - 1));
}
BENCHMARK(BM_ArchiveAppend)->Apply(BigBatches);
BENCHMARK(BM_ArchiveAppend)->Apply(SingleRecords);

// The keys and values an append of `records` writes, as the archive would number them.
std::vector<std::pair<std::string, std::string>> Entries(
    const std::vector<magent::EventRecord>& records, std::uint64_t first_id) {
  struct Collect final : leveldb::WriteBatch::Handler {
    void Put(const leveldb::Slice& key, const leveldb::Slice& value) override {
      entries.emplace_back(key.ToString(), value.ToString());
    }
    void Delete(const leveldb::Slice&) override {}
    std::vector<std::pair<std::string, std::string>> entries;
  } collect;
  leveldb::WriteBatch batch;
  magent::internal::BuildAppendBatch(records, first_id, first_id - 1, batch);
  if (!batch.Iterate(&collect).ok()) std::abort();
  return std::move(collect.entries);
}

void BM_RawLevelDbWriteBatch(benchmark::State& state) {
  TempDir dir;
  // The options LevelDbArchive opens with (its defaults), Bloom filter included, so the
  // ratio is what the archive's own code adds.
  leveldb::Options options;
  options.create_if_missing = true;
  std::unique_ptr<const leveldb::FilterPolicy> filter(leveldb::NewBloomFilterPolicy(10));
  options.filter_policy = filter.get();
  leveldb::DB* raw = nullptr;
  if (!leveldb::DB::Open(options, dir.path(), &raw).ok()) return state.SkipWithError("open");
  std::unique_ptr<leveldb::DB> db(raw);
  leveldb::WriteOptions wo;
  wo.sync = state.range(1) != 0;
  std::uint64_t id = 1;
  for (auto _ : state) {
    state.PauseTiming();
    const std::vector<magent::EventRecord> records = Batch(id, state.range(0));
    const std::vector<std::pair<std::string, std::string>> entries = Entries(records, id);
    id += records.size();
    state.ResumeTiming();
    leveldb::WriteBatch batch;
    for (const auto& [key, value] : entries) batch.Put(key, value);
    if (!db->Write(wo, &batch).ok()) return state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(id - 1));
}
BENCHMARK(BM_RawLevelDbWriteBatch)->Apply(BigBatches);
BENCHMARK(BM_RawLevelDbWriteBatch)->Apply(SingleRecords);

// Where an append's own time goes: encoding one record, as an append does (one Boost
// archive for the whole batch).
void BM_RecordEncode(benchmark::State& state) {
  const magent::EventRecord record = Record(1, 1000);
  magent::internal::RecordEncoder encoder;
  std::string bytes;
  for (auto _ : state) {
    bytes.clear();
    encoder.Encode(record, bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_RecordEncode);

// 1M events of 1000 agents, written once per process.
std::string MillionEventArchive() {
  static TempDir dir;
  static const bool filled = [] {
    auto archive = magent::LevelDbArchive::Open({.path = dir.path()});
    if (!archive.ok()) std::abort();
    std::vector<magent::EventRecord> records;
    for (std::uint64_t id = 1; id <= 1'000'000; ++id) {
      records.push_back(Record(id, 1000));
      if (records.size() == 10'000 && !(*archive)->Append(records).ok()) std::abort();
    }
    archive->reset();
    // Settled, as an archive is after a quiet while: the queries should not share the
    // machine with the fill's background compactions.
    leveldb::DB* db = nullptr;
    if (!leveldb::DB::Open({}, dir.path(), &db).ok()) std::abort();
    db->CompactRange(nullptr, nullptr);
    delete db;
    return true;
  }();
  (void)filled;
  return dir.path();
}

void BM_ArchiveQueryAgentLatest100(benchmark::State& state) {
  const std::string path = MillionEventArchive();
  auto archive = magent::LevelDbArchive::Open({.path = path});
  if (!archive.ok()) return state.SkipWithError(archive.status().ToString().c_str());
  std::mt19937_64 rng(1);
  std::int64_t found = 0;
  for (auto _ : state) {
    magent::ArchiveQuery q{.agent = magent::AgentId(1 + rng() % 1000), .limit = 100};
    found += static_cast<std::int64_t>((*archive)->Query(q).size());
  }
  if (found != 100 * state.iterations()) state.SkipWithError("a query found fewer than 100");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ArchiveQueryAgentLatest100)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
