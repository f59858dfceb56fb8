// Crash test for the Sentinel's state: a real process (magent_sentinel_crash_child) holds
// buys for signatures, signs them, withdraws signatures and lowers and raises its agent's
// clearance on a LevelDB journal, and is killed with SIGKILL at random points, many times
// over the same journal. After each restart no event has less authority than before and
// none is lost: every event the child scheduled is pending, and it is frozen exactly when
// its signatures (weight 2 of 3) are missing or its agent's clearance is low, as the
// child's reported changes say (a change in flight when it died may or may not have
// happened). At the end the test moves the clock past their due time: exactly the events
// with enough authority run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "magent/magent.h"
#include "testing/sentinel_crash.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

// What the child's reported changes say, and the change it was making when it died.
struct Model {
  std::map<std::uint64_t, std::set<int>> signers;  // Live events and who signed each.
  bool low = false;                                // The agent's clearance is low.
  std::optional<std::string> in_flight;            // "? OP" without its answer.

  void Apply(const std::string& op) {
    std::istringstream in(op);
    char what = 0;
    std::uint64_t id = 0;
    int signer = 0;
    in >> what >> id >> signer;
    switch (what) {
      case 'E':
      case 'S':
        signers.try_emplace(id);
        break;
      case 'G':
        signers.at(id).insert(signer);
        break;
      case 'W':
        signers.at(id).erase(signer);
        break;
      case 'L':
        low = true;
        break;
      case 'H':
        low = false;
        break;
    }
  }
  bool Frozen(std::uint64_t id) const {
    return low || signers.at(id).size() < static_cast<std::size_t>(testing::kQuorum);
  }
};

// Runs the child on `journal` and kills it once it has said `kill_after` lines (or lets it
// finish), updating `model` with everything it said: it goes on until the signal lands,
// and it says "? OP" before each change, so the lines read after the kill tell every
// change it made but the last, whose answer it may not have said.
void RunChild(const std::string& journal, std::uint64_t seed, int kill_after, Model& model) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string seed_arg = std::to_string(seed);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(MAGENT_SENTINEL_CRASH_CHILD, MAGENT_SENTINEL_CRASH_CHILD, journal.c_str(),
            seed_arg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  FILE* in = ::fdopen(fds[0], "r");
  char buffer[128];
  int lines = 0;
  bool killed = false;
  while (std::fgets(buffer, sizeof buffer, in)) {
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.rfind("? ", 0) == 0) {
      model.in_flight = line.substr(2);
    } else if (line.rfind("= ", 0) == 0) {
      model.Apply(line.substr(2));
      model.in_flight.reset();
    } else if (line.rfind("- ", 0) == 0) {
      model.in_flight.reset();
    } else {
      model.Apply(line);  // E <id>
    }
    if (++lines == kill_after) {
      ::kill(pid, SIGKILL);
      killed = true;
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
}

class JournalSentinelCrashTest : public ::testing::Test {
 protected:
  std::unique_ptr<Runtime> Open() {
    auto runtime = Runtime::Create(testing::SentinelCrashOptions(journal_, clock_));
    EXPECT_TRUE(runtime.ok()) << runtime.status().ToString();
    if (!runtime.ok()) return nullptr;
    (*runtime)->RunUntilIdle();
    return std::move(runtime).value();
  }
  std::shared_ptr<AgentSource> Signer(Runtime& rt, int i) {
    return rt.FindSource(SourceId(2 + i)).value();
  }

  // The sources and the agent the child finds.
  void SetUp() override {
    auto rt = Open();
    ASSERT_NE(rt, nullptr);
    for (int i = 0; i < testing::kSigners; ++i) {
      auto source =
          rt->CreateSource({.name = testing::SignerName(i), .signing_key = testing::SignerKey(i)});
      ASSERT_EQ(source->id(), SourceId(2 + i));
    }
    auto agent = Signer(*rt, 0)->CreateAgent({.name = "trader"});
    ASSERT_TRUE(agent.ok());
    agent_ = (*agent)->id();
  }

  // Restores the journal and checks every event against `model`; then makes again the
  // change that was in flight, so the model is exact again.
  void Check(Model& model) {
    auto rt = Open();
    ASSERT_NE(rt, nullptr);
    std::optional<Model> after;
    if (model.in_flight && model.in_flight->front() != 'S') {
      after = model;
      after->Apply(*model.in_flight);
    }
    for (const auto& [id, signers] : model.signers) {
      auto snapshot = rt->scheduler().SnapshotUnmasked(EventId(id));
      ASSERT_TRUE(snapshot.ok()) << "event " << id << " was lost";
      const bool may_be =
          snapshot->frozen == model.Frozen(id) || (after && snapshot->frozen == after->Frozen(id));
      EXPECT_TRUE(may_be) << "event " << id << " is " << (snapshot->frozen ? "" : "not ")
                          << "frozen after the restart; signed by " << signers.size()
                          << ", clearance " << (model.low ? "low" : "high");
    }
    auto agent = rt->registry().Get(agent_).value();
    const bool surely_low = model.low && !after;
    if (surely_low) {
      EventSpec spec;
      spec.kind = "buy";
      spec.due = testing::kCrashDue;
      EXPECT_EQ(agent->Schedule(std::move(spec)).status().code(), StatusCode::kPermissionDenied)
          << "the agent's clearance was lowered before the restart";
    }
    if (model.in_flight) {
      Redo(*rt, *model.in_flight, model);
      model.in_flight.reset();
    }
  }

  void Redo(Runtime& rt, const std::string& op, Model& model) {
    std::istringstream in(op);
    char what = 0;
    std::uint64_t id = 0;
    int i = 0;
    in >> what >> id >> i;
    auto trader = Signer(rt, 0);
    Status s;
    switch (what) {
      case 'S':
        // If it was scheduled, the next child finds it live and says so ("E").
        return;
      case 'G':
        s = Signer(rt, i)->Sign(EventId(id),
                                SignEvent(testing::SignerKey(i), EventId(id), "buy", ""));
        break;
      case 'W':
        s = Signer(rt, i)->RevokeSignature(EventId(id));
        if (s.code() == StatusCode::kNotFound) s = Status::OK();  // It was withdrawn.
        break;
      case 'L':
        s = trader->SetAgentClearance(agent_, Clearance::kLow);
        break;
      case 'H':
        s = trader->SetAgentClearance(agent_, Clearance::kHigh);
        break;
    }
    ASSERT_TRUE(s.ok()) << op << ": " << s.ToString();
    model.Apply(op);
  }

  testing::TempDir dir_;
  const std::string journal_ = (dir_.root() / "journal").string();
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(testing::kCrashStart);
  AgentId agent_;
};

TEST_F(JournalSentinelCrashTest, NoEventHasLessAuthorityAfterAKill) {
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<int> kill_after(2, 400);
  Model model;
  constexpr int kRuns = 8;
  for (int run = 0; run < kRuns; ++run) {
    RunChild(journal_, rng(), kill_after(rng), model);
    Check(model);
    if (HasFatalFailure()) return;
  }
  ASSERT_FALSE(model.signers.empty());

  // Past their due time, exactly the events with enough authority run.
  auto rt = Open();
  ASSERT_NE(rt, nullptr);
  clock_->Advance(testing::kCrashDue - testing::kCrashStart + std::chrono::hours(1));
  rt->RunUntilIdle();
  std::size_t ran = 0;
  for (const auto& [id, signers] : model.signers) {
    const bool pending = rt->scheduler().SnapshotUnmasked(EventId(id)).ok();
    EXPECT_EQ(pending, model.Frozen(id)) << "event " << id;
    if (!pending) {
      ++ran;
      EXPECT_EQ(rt->unmasked_archive().Get(EventId(id))->outcome, Outcome::kSucceeded)
          << "event " << id;
    }
  }
  if (!model.low) {
    EXPECT_GT(ran, 0u) << "no event was signed enough: the test tests little";
  }
}

}  // namespace
}  // namespace magent
