// A durable runtime restores what its journal holds: sources, agents and pending events,
// every journaled field, with ids that continue above the restored ones.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "magent/magent.h"
#include "testing/durable_runtime.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::DurableRuntimeTest;

class JournalRestoreTest : public DurableRuntimeTest {};

TEST_F(JournalRestoreTest, EveryJournaledFieldOfAnEventComesBack) {
  Open();
  auto laurent = rt().CreateSource({.name = "Laurent"});
  auto board = rt().CreateSource({.name = "board", .anonymous = true});
  auto agent = MakeAgent();
  EventSpec spec;
  spec.kind = "tick";
  spec.goal = Text("find.goal", "Find {0} under {1}", {"Java in a Nutshell", "$8"});
  spec.sources = {{laurent->id(), 1.0}, {board->id(), 2.5}};
  spec.activants = {{"card:visa-1", "card", "Laurent's Visa card"}};
  spec.passivants = {{"book:isbn-0596007736", "book", "Java in a Nutshell"},
                     {"address:home", "address", "Home"}};
  spec.payload = std::string("pay\0load", 8);
  spec.due = now() + 1h;
  spec.allowable = 5min;
  spec.extension_step = 30s;
  spec.start_within = 10min;
  const EventId id = agent->Schedule(spec).value();
  ASSERT_TRUE(agent->Freeze(id).ok());
  const EventRecord before = rt().scheduler().SnapshotUnmasked(id).value();

  Open();
  auto after = rt().scheduler().SnapshotUnmasked(id);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->kind, "tick");
  EXPECT_EQ(after->agent, before.agent);
  EXPECT_EQ(after->agent_source, before.agent_source);
  EXPECT_EQ(after->goal, spec.goal);
  EXPECT_EQ(after->sources, spec.sources);
  EXPECT_EQ(after->activants, spec.activants);
  EXPECT_EQ(after->passivants, spec.passivants);
  EXPECT_EQ(after->payload, spec.payload);
  EXPECT_EQ(after->due, spec.due);
  EXPECT_EQ(after->created, before.created);
  EXPECT_EQ(after->allowable, spec.allowable);
  EXPECT_EQ(after->state, EventState::kFuture);
  EXPECT_TRUE(after->frozen);

  // What the record does not show: the extension step and start window still rule it.
  // Frozen past due + start_within, it expires.
  Advance(1h + 10min);
  EXPECT_EQ(Archived(id).outcome, Outcome::kExpired);
}

TEST_F(JournalRestoreTest, SourcesAndAgentsComeBackWithIdsNamesAndStates) {
  Open();
  auto laurent = rt().CreateSource({.name = "Laurent"});
  auto anon = rt().CreateSource({.name = "caller", .anonymous = true});
  AgentOptions options;
  options.name = "bookbuyer";
  options.activants = {{"card:visa-1", "card", "Visa"}};
  options.passivants = {{"book:1", "book", "A book"}};
  options.extension_policy = {.max_per_extension = 1min, .max_total = 5min, .max_count = 3};
  options.interim_report_every = 7;
  auto buyer = laurent->CreateAgent(options).value();
  auto frozen = laurent->CreateAgent({.name = "frozen"}).value();
  auto killed = laurent->CreateAgent({.name = "killed"}).value();
  auto orphaned = anon->CreateAgent({.name = "orphaned"}).value();
  ASSERT_TRUE(laurent->FreezeAgent(frozen->id()).ok());
  ASSERT_TRUE(laurent->KillAgent(killed->id(), Text("enough")).ok());
  const SourceId laurent_id = laurent->id(), anon_id = anon->id();
  const AgentId buyer_id = buyer->id(), frozen_id = frozen->id(), killed_id = killed->id(),
                orphaned_id = orphaned->id();
  ASSERT_TRUE(rt().RemoveSource(anon_id, Text("left")).ok());
  Run();

  Open();
  auto l = rt().FindSource(laurent_id);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ((*l)->name(), "Laurent");
  EXPECT_FALSE((*l)->anonymous());
  EXPECT_EQ(rt().FindSource(anon_id).status().code(), StatusCode::kNotFound);  // Removed.

  auto b = Restored(buyer_id);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name(), "bookbuyer");
  EXPECT_EQ(b->source_id(), laurent_id);
  EXPECT_EQ(b->state(), AgentState::kActive);
  EXPECT_EQ(b->activants(), options.activants);
  EXPECT_EQ(b->passivants(), options.passivants);

  auto f = Restored(frozen_id);
  EXPECT_EQ(f->state(), AgentState::kFrozen);
  // Still frozen by its source: it cannot thaw itself.
  EXPECT_EQ(f->UnfreezeAll().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Restored(killed_id)->state(), AgentState::kKilled);
  EXPECT_EQ(rt().registry().Find(killed_id)->reason, Text("enough"));
  // Suspended because its source is gone: the owner may command it.
  EXPECT_EQ(Restored(orphaned_id)->state(), AgentState::kFrozen);
  EXPECT_TRUE(rt().owner()->UnfreezeAgent(orphaned_id).ok());
}

TEST_F(JournalRestoreTest, AgentOfARegisteredTypeIsRebuiltByItsFactory) {
  class Buyer : public Agent {};
  agent_types_.push_back({"buyer", [] { return std::make_shared<Buyer>(); }});
  Open();
  const AgentId id = rt().CreateSource({})->CreateAgent("buyer", {.name = "b"}).value()->id();

  Open();
  EXPECT_NE(std::dynamic_pointer_cast<Buyer>(Restored(id)), nullptr);
}

// An agent of its own class came back a plain Agent after a restart (issue 16).
TEST_F(JournalRestoreTest, AnAgentOfAClassNoTypeMakesIsRefusedOnADurableRuntimeIssue16) {
  class Buyer : public Agent {};
  Open();
  auto agent = rt().CreateSource({})->CreateAgent<Buyer>({.name = "b"});
  ASSERT_FALSE(agent.ok());
  EXPECT_EQ(agent.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(agent.status().message().find("CreateAgent(type, options)"), std::string::npos)
      << agent.status().message();
  EXPECT_TRUE(rt().CreateSource({})->CreateAgent({.name = "plain"}).ok());
}

TEST_F(JournalRestoreTest, AgentOfAnUnregisteredTypeFailsCreate) {
  agent_types_.push_back({"buyer", [] { return std::make_shared<Agent>(); }});
  Open();
  (void)rt().CreateSource({})->CreateAgent("buyer", {.name = "b"}).value();
  Crash();
  agent_types_.clear();
  auto runtime = TryOpen();
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(runtime.status().message().find("'buyer'"), std::string::npos);
}

TEST_F(JournalRestoreTest, PendingEventsRunAfterARestartWithTheirIdsAndDueTimes) {
  Open();
  auto agent = MakeAgent();
  const EventId soon = Tick(*agent, "soon", now() + 10s);
  const EventId later = Tick(*agent, "later", now() + 1h);

  Open();
  EXPECT_EQ(rt().scheduler().Counts().future, 2u);
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(later)->due, now() + 1h);
  Advance(10s);
  EXPECT_EQ(Archived(soon).outcome, Outcome::kSucceeded);
  EXPECT_EQ(Archived(soon).result, Text("ran soon"));
  EXPECT_TRUE(Pending(later));

  // What ended is gone from the journal; what did not comes back again.
  Open();
  EXPECT_FALSE(Pending(soon));
  EXPECT_TRUE(Pending(later));
  Advance(1h);
  EXPECT_EQ(ran_, (std::vector<std::string>{"soon", "later"}));
}

TEST_F(JournalRestoreTest, IdCountersContinueAboveEveryIdIssued) {
  Open();
  auto agent = MakeAgent();
  const AgentId agent_id = agent->id();
  const SourceId source_id = agent->source_id();
  const EventId first = Tick(*agent, "a");
  const EventId second = Tick(*agent, "b");
  Run();  // Both end: the journal holds no event now.
  ASSERT_EQ(rt().scheduler().Counts().future, 0u);

  Open();
  auto again = Restored(agent_id);
  auto source = rt().CreateSource({});
  EXPECT_GT(source->id(), source_id);
  auto other = source->CreateAgent({}).value();
  EXPECT_GT(other->id(), agent_id);
  const EventId third = Tick(*again, "c");
  EXPECT_GT(third, second);
  EXPECT_GT(second, first);
}

TEST_F(JournalRestoreTest, SpawnKeepsItsParentAcrossARestart) {
  kinds_.push_back(KindSpec{.name = "parent", .factory = [](const std::string&) {
                              return Result<Work>(CoroutineWork(
                                  [](EventContext& ctx) -> boost::asio::awaitable<Result<Text>> {
                                    EventSpec child;
                                    child.kind = "tick";
                                    child.payload = "child";
                                    child.due = ctx.Now() + 1h;
                                    (void)ctx.Spawn(std::move(child));
                                    co_await ctx.SleepFor(std::chrono::hours(2));
                                    co_return Text("parent done");
                                  }));
                            }});
  Open();
  auto agent = MakeAgent();
  EventSpec spec;
  spec.kind = "parent";
  const EventId parent = agent->Schedule(std::move(spec)).value();
  Run();
  const EventId child(parent.value() + 1);
  ASSERT_TRUE(Pending(child));

  Open();
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(child)->parent, parent);
  EXPECT_EQ(Archived(parent).outcome, Outcome::kInterrupted);
}

TEST_F(JournalRestoreTest, EventAlreadyArchivedIsNotRestored) {
  // An archive that keeps the records but reports failure: the runtime keeps the event in
  // the journal, as a crash between the archive's write and the journal's erase would.
  // Like a store keyed by record, it keeps a record appended again (the runtime's retry at
  // shutdown) once.
  class KeepsButFails final : public PastEventArchive {
   public:
    explicit KeepsButFails(std::shared_ptr<MemoryArchive> inner) : inner_(std::move(inner)) {}
    Status Append(std::vector<EventRecord>& records) override {
      std::vector<EventRecord> copy;
      for (const EventRecord& r : records) {
        if (!inner_->Get(r.id).ok()) copy.push_back(r);
      }
      (void)inner_->Append(copy);
      return Status::Unavailable("disk full");
    }
    Result<EventRecord> Get(EventId id) const override { return inner_->Get(id); }
    std::vector<EventRecord> Query(const ArchiveQuery& q) const override {
      return inner_->Query(q);
    }
    std::size_t size() const override { return inner_->size(); }

   private:
    std::shared_ptr<MemoryArchive> inner_;
  };
  RuntimeOptions options = Options();
  options.archive = std::make_shared<KeepsButFails>(archive_);
  auto first = Runtime::Create(options).value();
  auto agent = first->CreateSource({})->CreateAgent({}).value();
  EventSpec spec;
  spec.kind = "tick";
  const EventId id = agent->Schedule(std::move(spec)).value();
  first->RunUntilIdle();
  ASSERT_EQ(Archived(id).outcome, Outcome::kSucceeded);
  first.reset();

  Open();
  EXPECT_FALSE(Pending(id));
  EXPECT_EQ(archive_->size(), 1u);  // Past once, not twice.
  EXPECT_EQ(ran_.size(), 1u);
  Open();  // And the journal has forgotten it.
  EXPECT_FALSE(Pending(id));
  EXPECT_EQ(ran_.size(), 1u);
}

TEST_F(JournalRestoreTest, OrphansComeBackOrphanedAndCanBeAdopted) {
  Open();
  auto source = rt().CreateSource({.name = "Laurent"});
  auto gone = source->CreateAgent({.name = "gone"}).value();
  auto heir = source->CreateAgent({.name = "heir"}).value();
  const SourceId source_id = source->id();
  const AgentId heir_id = heir->id();
  const EventId id = Tick(*gone, "orphan", now() + 1h);
  ASSERT_TRUE(source->KillAgent(gone->id(), Text("replaced")).ok());
  Run();

  Open();
  const EventRecord r = rt().scheduler().SnapshotUnmasked(id).value();
  EXPECT_TRUE(r.orphaned);
  EXPECT_TRUE(r.frozen);
  ASSERT_TRUE(rt().FindSource(source_id).value()->Adopt(id, heir_id).ok());
  Open();  // The adoption is journaled too.
  EXPECT_EQ(rt().scheduler().SnapshotUnmasked(id)->agent, heir_id);
  Advance(1h);
  EXPECT_EQ(Archived(id).agent, heir_id);
  EXPECT_EQ(ran_, std::vector<std::string>{"orphan"});
}

TEST_F(JournalRestoreTest, EventsScheduledAndEndedOnManyThreadsAreJournaledExactly) {
  std::atomic<int> ran{0};
  kinds_.push_back(KindSpec{.name = "count", .factory = [&ran](const std::string&) {
                              return Result<Work>(PlainWork([&ran](EventContext&) {
                                ++ran;
                                return Result<Text>(Text("counted"));
                              }));
                            }});
  RuntimeOptions options = Options();
  options.threads = 2;
  auto runtime = Runtime::Create(std::move(options)).value();
  constexpr int kThreads = 4, kEach = 250;
  std::mutex mu;
  std::condition_variable ended;
  int past = 0;
  auto connection = runtime->scheduler().OnPastUnmasked([&](const EventRecord&) {
    std::lock_guard lock(mu);
    if (++past == kThreads * kEach) ended.notify_all();
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    auto agent = runtime->CreateSource({})->CreateAgent({}).value();
    threads.emplace_back([agent, this] {
      for (int i = 0; i < kEach; ++i) {
        EventSpec now_spec;
        now_spec.kind = "count";
        EXPECT_TRUE(agent->Schedule(std::move(now_spec)).ok());
        EventSpec later;
        later.kind = "count";
        later.due = now() + 1h;
        EXPECT_TRUE(agent->Schedule(std::move(later)).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  {
    std::unique_lock lock(mu);
    ended.wait(lock, [&] { return past == kThreads * kEach; });
  }
  connection.disconnect();
  runtime.reset();  // Crash: the later half is still pending.

  Open();
  EXPECT_EQ(rt().scheduler().Counts().future, static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(archive_->size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(ran.load(), kThreads * kEach);
}

}  // namespace
}  // namespace magent
