// A durable runtime on a ManualClock, with its journal in a temp dir the test owns, that
// the test can "crash" (destroy: a durable runtime's shutdown ends nothing and leaves its
// live events journaled, as a killed process does) and open again. The archive survives
// restarts: it stands for a durable one.
#ifndef MAGENT_TESTS_TESTING_DURABLE_RUNTIME_H_
#define MAGENT_TESTS_TESTING_DURABLE_RUNTIME_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "magent/magent.h"
#include "testing/manual_runtime.h"
#include "testing/temp_dir.h"

namespace magent::testing {

class DurableRuntimeTest : public ::testing::Test {
 protected:
  DurableRuntimeTest() {
    // "tick": plain work that notes its payload and succeeds.
    kinds_.push_back(KindSpec{.name = "tick", .factory = [this](const std::string& payload) {
                                return Result<Work>(PlainWork([this, payload](EventContext&) {
                                  ran_.push_back(payload);
                                  return Result<Text>(Text("ran " + payload));
                                }));
                              }});
  }

  RuntimeOptions Options() {
    RuntimeOptions options;
    options.clock = clock_;
    options.threads = 0;
    options.archive = archive_;
    options.sentinel = sentinel_;
    options.journal = JournalOptions{.path = (dir_.root() / "journal").string(), .keys = keys_};
    options.kinds = kinds_;
    options.agent_types = agent_types_;
    return options;
  }
  Result<std::unique_ptr<Runtime>> TryOpen() { return Runtime::Create(Options()); }
  // Opens the journal (the runtime before, if any, crashes first) and runs what the
  // restore made ready.
  Runtime& Open() {
    Crash();
    auto runtime = TryOpen();
    EXPECT_TRUE(runtime.ok()) << runtime.status().ToString();
    if (runtime.ok()) runtime_ = std::move(runtime).value();
    Run();
    return *runtime_;
  }
  // Stops as a killed process does for what the journal holds: live events stay there,
  // unarchived. (Shutdown only adds what a killed process may lose: records the archive
  // refused earlier are offered to it once more.)
  void Crash() { runtime_.reset(); }

  Runtime& rt() { return *runtime_; }
  void Run() {
    if (runtime_) runtime_->RunUntilIdle();
  }
  void Advance(Duration d) {
    clock_->Advance(d);
    Run();
  }
  TimePoint now() const { return clock_->Now(); }

  // A source and an agent of it, in the open runtime.
  std::shared_ptr<Agent> MakeAgent(AgentOptions options = {}) {
    auto agent = rt().CreateSource({.name = "Laurent"})->CreateAgent(std::move(options));
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    Run();
    return agent.ok() ? *agent : nullptr;
  }
  std::shared_ptr<Agent> Restored(AgentId id) {
    auto agent = rt().registry().Get(id);
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    return agent.ok() ? *agent : nullptr;
  }
  // A "tick" event (work from the factory) with `payload`, due at `due`.
  EventId Tick(Agent& agent, std::string payload, TimePoint due = {}) {
    EventSpec spec;
    spec.kind = "tick";
    spec.payload = std::move(payload);
    spec.due = due;
    auto id = agent.Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }
  EventRecord Archived(EventId id) {
    auto record = archive_->Get(id);
    EXPECT_TRUE(record.ok()) << "event " << id.value() << ": " << record.status().ToString();
    return record.ok() ? *record : EventRecord{};
  }
  bool Pending(EventId id) { return rt().scheduler().SnapshotUnmasked(id).ok(); }

  TempDir dir_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(TestEpoch());
  std::shared_ptr<MemoryArchive> archive_ = std::make_shared<MemoryArchive>();
  std::vector<KindSpec> kinds_;
  std::vector<AgentTypeSpec> agent_types_;
  std::shared_ptr<Sentinel> sentinel_;  // None: everything allowed.
  std::shared_ptr<KeyStore> keys_;      // None: the journal's default key store.
  std::vector<std::string> ran_;        // Payloads of "tick" events that ran, in order.
  std::unique_ptr<Runtime> runtime_;
};

}  // namespace magent::testing

#endif  // MAGENT_TESTS_TESTING_DURABLE_RUNTIME_H_
