// magent_sentinel_crash_child: the process the Sentinel crash test
// (journal_sentinel_crash_test.cc) starts and kills.
//
//   magent_sentinel_crash_child JOURNAL_DIR SEED
//
// Opens the durable runtime of testing/sentinel_crash.h (the test made its sources and
// agent), then changes the Sentinel's state at random until killed or done: schedules
// buys, signs them, withdraws signatures, lowers and raises the agent's clearance. Each
// change goes to stdout as two lines: "? OP" before it is asked for, then "= OP" once the
// call returned OK (and so is journaled) or "- OP" when it was refused:
//   E <id>             a live event found after the restore (before any change)
//   S <id>             scheduled a buy (the "?" line has no id)
//   G <id> <signer>    signed
//   W <id> <signer>    withdrew a signature
//   L, H               lowered the agent's clearance to low, raised it to high
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "magent/magent.h"
#include "testing/sentinel_crash.h"

namespace {

void Say(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(STDOUT_FILENO, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    std::exit(3);
  }
}

// Says "? op", runs `call`, then says "= op" or "- op".
template <typename Call>
void Change(const std::string& op, Call call) {
  Say("? " + op);
  const magent::Status status = call();
  Say((status.ok() ? "= " : "- ") + op);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace magent;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s JOURNAL_DIR SEED\n", argv[0]);
    return 2;
  }
  auto clock = std::make_shared<ManualClock>(testing::kCrashStart);
  auto created = Runtime::Create(testing::SentinelCrashOptions(argv[1], clock));
  if (!created.ok()) {
    std::fprintf(stderr, "%s\n", created.status().ToString().c_str());
    return 1;
  }
  Runtime& rt = **created;
  rt.RunUntilIdle();
  const std::vector<AgentInfo> agents = rt.registry().List();
  if (agents.size() != 1) return 4;
  std::shared_ptr<Agent> agent = rt.registry().Get(agents.front().id).value();
  std::vector<std::shared_ptr<AgentSource>> signers;
  for (int i = 0; i < testing::kSigners; ++i) {
    auto source = rt.FindSource(SourceId(2 + i));
    if (!source.ok() || (*source)->name() != testing::SignerName(i)) return 4;
    signers.push_back(*source);
  }
  auto trader = rt.FindSource(agents.front().source).value();

  // Every id a live event may have: events and decision records share the counter.
  std::vector<EventId> live;
  for (std::uint64_t i = 1; i < 100'000; ++i) {
    if (rt.scheduler().SnapshotUnmasked(EventId(i)).ok()) {
      live.emplace_back(i);
      Say("E " + std::to_string(i));
    }
  }

  std::mt19937_64 rng(std::strtoull(argv[2], nullptr, 10));
  std::discrete_distribution<int> op({25, 35, 20, 10, 10});
  std::uniform_int_distribution<int> signer(0, testing::kSigners - 1);
  for (int step = 0; step < 400; ++step) {
    const int what = op(rng);
    if (what == 0 || live.empty()) {
      EventSpec spec;
      spec.kind = "buy";
      spec.due = testing::kCrashDue;
      for (const auto& s : signers) spec.sources.push_back({s->id(), 1});
      Say("? S");
      auto id = agent->Schedule(std::move(spec));
      if (id.ok()) live.push_back(*id);
      Say(id.ok() ? "= S " + id->ToString() : "- S");
      continue;
    }
    const EventId id = live[std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng)];
    const int i = signer(rng);
    const std::string on = " " + id.ToString() + " " + std::to_string(i);
    switch (what) {
      case 1:
        Change("G" + on, [&] {
          return signers[i]->Sign(id, SignEvent(testing::SignerKey(i), id, "buy", ""));
        });
        break;
      case 2:
        Change("W" + on, [&] { return signers[i]->RevokeSignature(id); });
        break;
      case 3:
        Change("L", [&] { return trader->SetAgentClearance(agent->id(), Clearance::kLow); });
        break;
      default:
        Change("H", [&] { return trader->SetAgentClearance(agent->id(), Clearance::kHigh); });
        break;
    }
  }
  return 0;
}
