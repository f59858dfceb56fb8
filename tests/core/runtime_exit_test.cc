// Exit loses nothing (issue 16): Runtime::Shutdown, or destroying the runtime, hands every
// Past record to the archive's long-term storage; a durable runtime keeps its live events
// for the restart, and any other ends them Past so their records exist. Real LevelDB on
// disk for the archive and the journal.
#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "archive/failing_archive.h"
#include "magent/magent.h"
#include "magent/tiered_archive.h"
#include "testing/manual_runtime.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::Spec;
using testing::Succeed;

// Coroutine work that sleeps an hour: Current until the clock moves.
Work Sleeper() {
  return CoroutineWork([](EventContext& ctx) -> boost::asio::awaitable<Result<Text>> {
    (void)co_await ctx.SleepFor(1h);
    co_return Text("woke");
  });
}

class RuntimeExitTest : public ::testing::Test {
 protected:
  // A TieredArchive over a LevelDbArchive in the test's directory, handing over only
  // when 1000 records wait: what a few events leave stays in memory.
  std::shared_ptr<PastEventArchive> OpenTiered() {
    auto archive = OpenArchive({.mode = ArchiveMode::kTiered,
                                .memory = {.hand_over_count = 1000},
                                .leveldb = {.path = dir_ / "archive"}});
    EXPECT_TRUE(archive.ok()) << archive.status().ToString();
    return archive.ok() ? *archive : nullptr;
  }
  std::unique_ptr<Runtime> Create(RuntimeOptions options) {
    options.clock = clock_;
    options.threads = 0;
    auto runtime = Runtime::Create(std::move(options));
    EXPECT_TRUE(runtime.ok()) << runtime.status().ToString();
    return runtime.ok() ? std::move(runtime).value() : nullptr;
  }
  std::shared_ptr<Agent> MakeAgent(Runtime& rt) {
    auto agent = rt.CreateSource({.name = "Laurent"})->CreateAgent({});
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    rt.RunUntilIdle();
    return agent.ok() ? *agent : nullptr;
  }
  EventId Schedule(Agent& agent, EventSpec spec) {
    auto id = agent.Schedule(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : EventId();
  }

  testing::TempDir dir_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(testing::TestEpoch());
};

TEST_F(RuntimeExitTest, Issue16DestroyingTheRuntimeHandsATieredArchivesRecordsToLevelDb) {
  std::vector<EventId> ran;
  {
    std::shared_ptr<PastEventArchive> archive = OpenTiered();
    ASSERT_NE(archive, nullptr);
    std::unique_ptr<Runtime> rt = Create({.archive = archive});
    ASSERT_NE(rt, nullptr);
    auto agent = MakeAgent(*rt);
    for (int i = 0; i < 5; ++i) ran.push_back(Schedule(*agent, Spec("find", Succeed("found"))));
    rt->RunUntilIdle();
    ASSERT_EQ(dynamic_cast<TieredArchive&>(*archive).hand_over_status().waiting, 5u);
    agent.reset();
    rt.reset();  // Without Shutdown(): the destructor does it.
  }
  auto leveldb = LevelDbArchive::Open({.path = dir_ / "archive"});
  ASSERT_TRUE(leveldb.ok()) << leveldb.status().ToString();
  for (EventId id : ran) {
    auto record = (*leveldb)->Get(id);
    ASSERT_TRUE(record.ok()) << "event " << id.value() << ": " << record.status().ToString();
    EXPECT_EQ(record->outcome, Outcome::kSucceeded);
  }
}

TEST_F(RuntimeExitTest, Issue16ANonDurableRuntimeEndsItsLiveEventsPastWhenDestroyed) {
  std::shared_ptr<PastEventArchive> archive = OpenTiered();
  ASSERT_NE(archive, nullptr);
  std::unique_ptr<Runtime> rt = Create({.archive = archive});
  ASSERT_NE(rt, nullptr);
  auto agent = MakeAgent(*rt);
  auto frozen_agent = MakeAgent(*rt);
  const EventId future = Schedule(*agent, Spec("remind", Succeed(), clock_->Now() + 1h));
  EventSpec sleeper = Spec("sleep", Sleeper());
  sleeper.allowable = 2h;
  const EventId current = Schedule(*agent, std::move(sleeper));
  ASSERT_TRUE(frozen_agent->FreezeAll().ok());
  const EventId frozen = Schedule(*frozen_agent, Spec("wait", Succeed()));
  rt->RunUntilIdle();
  clock_->Advance(1min);
  rt->RunUntilIdle();
  ASSERT_EQ(rt->scheduler().Counts().current, 1u);
  const TimePoint stopped = clock_->Now();

  agent.reset();
  frozen_agent.reset();
  rt.reset();
  archive.reset();  // Closes LevelDB: what follows reads the disk.

  auto leveldb = LevelDbArchive::Open({.path = dir_ / "archive"});
  ASSERT_TRUE(leveldb.ok()) << leveldb.status().ToString();
  struct Expected {
    EventId id;
    Outcome outcome;
  };
  for (const Expected& e :
       {Expected{future, Outcome::kCancelled}, Expected{current, Outcome::kInterrupted},
        Expected{frozen, Outcome::kCancelled}}) {
    auto record = (*leveldb)->Get(e.id);
    ASSERT_TRUE(record.ok()) << "event " << e.id.value() << ": " << record.status().ToString();
    EXPECT_EQ(record->state, EventState::kPast);
    EXPECT_EQ(record->outcome, e.outcome) << "event " << e.id.value();
    EXPECT_NE(record->result.English().find("the runtime stopped"), std::string::npos)
        << record->result.English();
    EXPECT_EQ(record->finished, stopped);
  }
}

TEST_F(RuntimeExitTest, Issue16ADurableRuntimeKeepsItsLiveEventsForTheRestartUnarchived) {
  // "tick" runs at once; "sleep" (not idempotent) stays Current for an hour.
  const std::vector<KindSpec> kinds = {
      {.name = "tick",
       .factory = [](const std::string&) -> Result<Work> { return Succeed("ticked"); }},
      {.name = "sleep", .factory = [](const std::string&) -> Result<Work> { return Sleeper(); }}};
  auto durable = [&](std::shared_ptr<PastEventArchive> archive) {
    RuntimeOptions options;
    options.archive = std::move(archive);
    options.journal = JournalOptions{.path = dir_ / "journal"};
    options.kinds = kinds;
    return options;
  };
  EventId ended, future, frozen, current;
  {
    std::shared_ptr<PastEventArchive> archive = OpenTiered();
    ASSERT_NE(archive, nullptr);
    std::unique_ptr<Runtime> rt = Create(durable(archive));
    ASSERT_NE(rt, nullptr);
    auto agent = MakeAgent(*rt);
    ended = Schedule(*agent, {.kind = "tick"});
    future = Schedule(*agent, {.kind = "tick", .due = clock_->Now() + 1h});
    frozen = Schedule(*agent, {.kind = "tick", .due = clock_->Now() + 2h});
    ASSERT_TRUE(agent->Freeze(frozen).ok());
    EventSpec sleep{.kind = "sleep"};
    sleep.allowable = 2h;
    current = Schedule(*agent, std::move(sleep));
    rt->RunUntilIdle();
    ASSERT_EQ(rt->scheduler().Counts().current, 1u);
    ASSERT_TRUE(rt->Shutdown().ok());
    agent.reset();
    rt.reset();
  }
  std::shared_ptr<PastEventArchive> archive = OpenTiered();
  ASSERT_NE(archive, nullptr);
  ASSERT_TRUE(archive->Get(ended).ok()) << "the event that ended before the exit is on disk";
  EXPECT_EQ(archive->Get(ended)->outcome, Outcome::kSucceeded);
  for (EventId id : {future, frozen, current}) {
    EXPECT_EQ(archive->Get(id).status().code(), StatusCode::kNotFound) << "event " << id.value();
  }

  std::unique_ptr<Runtime> rt = Create(durable(archive));
  ASSERT_NE(rt, nullptr);
  rt->RunUntilIdle();
  auto restored = rt->scheduler().SnapshotUnmasked(future);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->state, EventState::kFuture);
  EXPECT_EQ(restored->due, testing::TestEpoch() + 1h);
  restored = rt->scheduler().SnapshotUnmasked(frozen);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_TRUE(restored->frozen);
  // Running at the exit, as after a crash: the restore ends it as interrupted.
  auto interrupted = archive->Get(current);
  ASSERT_TRUE(interrupted.ok()) << interrupted.status().ToString();
  EXPECT_EQ(interrupted->outcome, Outcome::kInterrupted);
}

TEST_F(RuntimeExitTest, Issue16NothingNewIsTakenAfterShutdown) {
  std::unique_ptr<Runtime> rt = Create({});
  ASSERT_NE(rt, nullptr);
  auto source = rt->CreateSource({.name = "Laurent"});
  auto agent = MakeAgent(*rt);
  ASSERT_TRUE(rt->Shutdown().ok());

  auto refused = agent->Schedule(Spec("find", Succeed()));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("shut down"), std::string::npos)
      << refused.status().ToString();
  auto late_agent = source->CreateAgent({});
  EXPECT_EQ(late_agent.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rt->RunUntilIdle(), 0u);
  EXPECT_EQ(rt->scheduler().Counts().future, 0u);
}

TEST_F(RuntimeExitTest, Issue16ShutdownTwiceIsFine) {
  auto archive = std::make_shared<MemoryArchive>();
  std::unique_ptr<Runtime> rt = Create({.archive = archive});
  ASSERT_NE(rt, nullptr);
  auto agent = MakeAgent(*rt);
  const EventId future = Schedule(*agent, Spec("remind", Succeed(), clock_->Now() + 1h));
  ASSERT_TRUE(rt->Shutdown().ok());
  ASSERT_TRUE(rt->Shutdown().ok());
  rt.reset();
  EXPECT_EQ(archive->size(), 1u);  // Ended once, archived once.
  EXPECT_EQ(archive->Get(future)->outcome, Outcome::kCancelled);
}

TEST_F(RuntimeExitTest, Issue16ShutdownReturnsTheHardArchivesRefusal) {
  auto hard = std::make_shared<testing::FailingArchive>();
  auto tiered =
      std::make_shared<TieredArchive>(MemoryArchiveOptions{.hand_over_count = 1000}, hard);
  std::unique_ptr<Runtime> rt = Create({.archive = tiered});
  ASSERT_NE(rt, nullptr);
  auto agent = MakeAgent(*rt);
  const EventId ran = Schedule(*agent, Spec("find", Succeed()));
  rt->RunUntilIdle();
  hard->failing = true;

  Status s = rt->Shutdown();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("disk full"), std::string::npos) << s.ToString();
  EXPECT_EQ(rt->Shutdown(), s);  // The same answer, not a silent OK.
  // Nothing was dropped: the record still waits in memory for a hard archive that mends.
  hard->failing = false;
  ASSERT_TRUE(tiered->Flush().ok());
  EXPECT_TRUE(hard->inner.Get(ran).ok());
}

TEST_F(RuntimeExitTest, Issue16ShutdownFromAHandlerIsRefusedInsteadOfWaitingForItself) {
  std::unique_ptr<Runtime> rt = Create({});
  ASSERT_NE(rt, nullptr);
  auto agent = MakeAgent(*rt);
  Status from_handler;
  Runtime* runtime = rt.get();
  Schedule(*agent, Spec("stop", PlainWork([&](EventContext&) -> Result<Text> {
                          from_handler = runtime->Shutdown();
                          return Text("tried");
                        })));
  rt->RunUntilIdle();
  EXPECT_EQ(from_handler.code(), StatusCode::kFailedPrecondition) << from_handler.ToString();
  EXPECT_TRUE(rt->Shutdown().ok());
}

TEST_F(RuntimeExitTest, Issue16WhatTheEndingEventsCauseReachesSlotsAndSubscribersAtShutdown) {
  std::unique_ptr<Runtime> rt = Create({});
  ASSERT_NE(rt, nullptr);
  auto source = rt->CreateSource({.name = "Laurent"});
  auto agent = source->CreateAgent({}).value();
  rt->RunUntilIdle();
  const EventId future = Schedule(*agent, Spec("remind", Succeed(), clock_->Now() + 1h));
  ASSERT_TRUE(agent->Retire(Text("done")).ok());  // Stops once its last event ends.

  std::vector<SourceMessage> heard;
  boost::signals2::scoped_connection subscription =
      source->Subscribe([&](const SourceMessage& m) { heard.push_back(m); });
  // A slot that schedules while the runtime shuts down is refused, not deadlocked.
  std::vector<Status> from_slot;
  boost::signals2::scoped_connection past =
      rt->scheduler().OnPastUnmasked([&](const EventRecord& record) {
        if (record.id == future) from_slot.push_back(rt->Shutdown());
        auto other = source->CreateAgent({});
        from_slot.push_back(other.status());
      });
  ASSERT_TRUE(rt->Shutdown().ok());

  ASSERT_EQ(from_slot.size(), 2u);
  EXPECT_EQ(from_slot[0].code(), StatusCode::kFailedPrecondition) << from_slot[0].ToString();
  EXPECT_EQ(from_slot[1].code(), StatusCode::kFailedPrecondition) << from_slot[1].ToString();
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].kind, SourceMessage::Kind::kFinalReport);
  ASSERT_TRUE(heard[0].report.has_value());
  EXPECT_EQ(heard[0].report->per_kind.at("remind").cancelled, 1u);
}

}  // namespace
}  // namespace magent
