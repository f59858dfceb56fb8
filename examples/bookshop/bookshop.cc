// The bookshop: an agent for Laurent finds a used copy of "Java in a Nutshell" under $8,
// buys it, ships it and tells him. Four events, each spawned by the one before, with the
// card, the bank and the warehouse as activants and the book and the shipping address as
// passivants. Prints every transition and each event's goal and result.
//
// The Sentinel guards it: each kind has a security level (find and notify low, buy high,
// ship-to private), a buy needs two signatures (Laurent's and his bank's) before it may
// run, and the card and the shipping address are private. A browsing agent with low
// clearance is refused a buy, a forged bank signature is refused, and a stranger looking
// at the archive sees the private data masked. Every decision is in the archive.
//
// Runs on a ManualClock, so the story takes no wall time and prints the same every time.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "magent/clearance_sentinel.h"
#include "magent/magent.h"
#include "magent/privacy.h"
#include "magent/quorum_sentinel.h"
#include "magent/sentinel_chain.h"
#include "magent/signature.h"

namespace {

using namespace std::chrono_literals;
using magent::Activant;
using magent::EventContext;
using magent::EventSpec;
using magent::Passivant;
using magent::PlainWork;
using magent::Result;
using magent::Text;

const Activant kCard{"card:visa-4242", "card", "Laurent's Visa card", /*is_private=*/true};
const Activant kBank{"bank:credit-mutuel", "bank", "Crédit Mutuel"};
const Activant kWarehouse{"warehouse:lyon", "warehouse", "Lyon warehouse"};
const Passivant kBook{"book:0596007736", "book", "Java in a Nutshell, 5th edition"};
const Passivant kAddress{"address:laurent-home", "address", "12 rue des Lilas, Paris",
                         /*is_private=*/true};

// Who must sign a buy: Laurent and his bank, each weighing 1 (the quorum is 2).
struct Signers {
  magent::SourceId laurent;
  magent::SourceId bank;
};

EventSpec Notify(const std::string& what) {
  EventSpec spec;
  spec.kind = "notify";
  spec.goal = Text("Tell Laurent: " + what);
  spec.passivants = {kBook};
  spec.work = PlainWork(
      [what](EventContext&) -> Result<Text> { return Text("Laurent was told: " + what); });
  return spec;
}

EventSpec Ship() {
  EventSpec spec;
  spec.kind = "ship-to";
  spec.goal = Text("Ship the book from the warehouse to Laurent's home");
  spec.activants = {kWarehouse};
  spec.passivants = {kBook, kAddress};
  spec.allowable = 48h;
  spec.work = PlainWork([](EventContext& ctx) -> Result<Text> {
    auto next = ctx.Spawn(Notify("your book is on its way (parcel FR-7781)"));
    if (!next.ok()) return next.status();
    return Text("Parcel FR-7781 left the Lyon warehouse");
  });
  return spec;
}

EventSpec Buy(double price, Signers signers) {
  EventSpec spec;
  spec.kind = "buy";
  spec.sources = {{signers.laurent, 1}, {signers.bank, 1}};
  spec.goal = Text("magent.example.buy", "Buy the copy for ${0} with Laurent's card",
                   {std::to_string(price).substr(0, 4)});
  spec.activants = {kCard, kBank};
  spec.passivants = {kBook};
  spec.allowable = 10min;
  spec.work = PlainWork([price](EventContext& ctx) -> Result<Text> {
    auto next = ctx.Spawn(Ship());
    if (!next.ok()) return next.status();
    return Text("Paid $" + std::to_string(price).substr(0, 4) + "; the bank approved");
  });
  return spec;
}

EventSpec Find(Signers signers) {
  EventSpec spec;
  spec.kind = "find";
  spec.goal = Text("Find a used copy of 'Java in a Nutshell' under $8");
  spec.passivants = {kBook};
  spec.allowable = 1h;
  spec.work = PlainWork([signers](EventContext& ctx) -> Result<Text> {
    const std::map<std::string, double> offers{{"alibris", 9.50}, {"abebooks", 6.75}};
    for (const auto& [shop, price] : offers) {
      if (price < 8.0) {
        auto next = ctx.Spawn(Buy(price, signers));
        if (!next.ok()) return next.status();
        return Text("Found a copy at " + shop + " for $" + std::to_string(price).substr(0, 4));
      }
    }
    return magent::Status::NotFound("no copy under $8");
  });
  return spec;
}

}  // namespace

int main() {
  auto clock = std::make_shared<magent::ManualClock>(
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 9h);
  magent::RuntimeOptions options;
  options.clock = clock;
  options.sentinel =
      std::make_shared<magent::SentinelChain>(std::vector<std::shared_ptr<magent::Sentinel>>{
          std::make_shared<magent::ClearanceSentinel>(
              magent::ClearanceOptions{.levels = {{"find", magent::Clearance::kLow},
                                                  {"notify", magent::Clearance::kLow},
                                                  {"buy", magent::Clearance::kHigh},
                                                  {"ship-to", magent::Clearance::kPrivate}}}),
          std::make_shared<magent::QuorumSentinel>(
              std::map<std::string, magent::QuorumRule, std::less<>>{{"buy", {.min_weight = 2}}})});
  options.threads = 0;  // This program drives the runtime itself.
  auto runtime = magent::Runtime::Create(options);
  if (!runtime.ok()) {
    std::cerr << runtime.status().ToString() << "\n";
    return 1;
  }
  magent::Runtime& rt = **runtime;

  magent::EventId buy_id;  // The buy the find spawns.
  auto printer = rt.scheduler().OnTransition([&buy_id](const magent::Transition& t) {
    if (t.from == t.to) {
      if (t.kind == "buy") buy_id = t.id;
      std::printf("  event %llu (%.*s) scheduled\n", static_cast<unsigned long long>(t.id.value()),
                  static_cast<int>(t.kind.size()), t.kind.data());
      return;
    }
    std::printf("  event %llu (%.*s): %s -> %s\n", static_cast<unsigned long long>(t.id.value()),
                static_cast<int>(t.kind.size()), t.kind.data(),
                std::string(magent::EventStateName(t.from)).c_str(),
                std::string(magent::EventStateName(t.to)).c_str());
  });
  auto results = rt.scheduler().OnPastUnmasked([](const magent::EventRecord& r) {
    if (r.kind == magent::kDecisionKind) {
      std::printf("  sentinel: %s %s\n", r.goal.English().c_str(), r.result.English().c_str());
      return;
    }
    std::printf("    goal:   %s\n    result: %s (%s)\n", r.goal.English().c_str(),
                r.result.English().c_str(), std::string(magent::OutcomeName(r.outcome)).c_str());
  });

  auto laurent = rt.CreateSource({.name = "Laurent",
                                  .clearance = magent::Clearance::kPrivate,
                                  .signing_key = "laurent's secret"});
  auto bank = rt.CreateSource({.name = "Credit Mutuel", .signing_key = "the bank's secret"});
  auto stranger = rt.CreateSource({.name = "a stranger"});
  laurent->Subscribe([](const magent::SourceMessage& m) {
    std::printf("  [to Laurent] %s\n", m.text.English().c_str());
  });
  magent::AgentOptions agent_options;
  agent_options.name = "bookbuyer";
  agent_options.activants = {kCard, kBank, kWarehouse};
  agent_options.passivants = {kBook, kAddress};
  auto agent = laurent->CreateAgent(agent_options);
  auto browser = laurent->CreateAgent({.name = "browser", .clearance = magent::Clearance::kLow});
  if (!agent.ok() || !browser.ok()) {
    std::cerr << "could not create the agents\n";
    return 1;
  }
  const Signers signers{laurent->id(), bank->id()};

  std::printf("Laurent's browsing agent tries to buy the book itself.\n");
  auto refused = (*browser)->Schedule(Buy(6.75, signers));
  std::printf("  refused: %s\n", refused.status().ToString().c_str());
  if (refused.ok()) return 1;

  std::printf("Laurent asks his agent '%s' for a used copy of Java in a Nutshell.\n",
              (*agent)->name().c_str());
  EventSpec find = Find(signers);
  find.due = clock->Now() + 5min;
  auto first = (*agent)->Schedule(std::move(find));
  if (!first.ok()) {
    std::cerr << first.status().ToString() << "\n";
    return 1;
  }
  rt.RunUntilIdle();
  clock->Advance(5min);  // The find is due.
  rt.RunUntilIdle();

  // The find spawned the buy, which waits for Laurent's and his bank's signatures.
  if (!buy_id) return 1;
  std::printf("The buy (event %llu) waits for Laurent's and his bank's signatures.\n",
              static_cast<unsigned long long>(buy_id.value()));
  std::printf("Someone signs for the bank with a guessed key.\n");
  magent::Status forged = bank->Sign(buy_id, magent::SignEvent("guess", buy_id, "buy", ""));
  std::printf("  refused: %s\n", forged.ToString().c_str());
  if (forged.ok()) return 1;
  std::printf("Laurent signs.\n");
  if (!laurent->Sign(buy_id, magent::SignEvent("laurent's secret", buy_id, "buy", "")).ok()) {
    return 1;
  }
  rt.RunUntilIdle();
  std::printf("His bank signs.\n");
  if (!bank->Sign(buy_id, magent::SignEvent("the bank's secret", buy_id, "buy", "")).ok()) {
    return 1;
  }
  rt.RunUntilIdle();

  if (auto s = (*agent)->Retire(Text("The book is bought and on its way.")); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  rt.RunUntilIdle();

  const auto shipped = rt.unmasked_archive().Query({.kind = "ship-to", .limit = 1});
  if (shipped.size() != 1) return 1;
  for (const auto& viewer : {stranger, laurent}) {
    auto seen = viewer->View().Get(shipped[0].id);
    if (!seen.ok()) return 1;
    std::printf("The shipment as %s sees it: to %s\n", viewer->name().c_str(),
                seen->passivants[1].label.c_str());
  }

  std::size_t events = 0, decisions = 0, denied = 0;
  for (const auto& r : rt.unmasked_archive().Query({.limit = 100})) {
    if (r.kind != magent::kDecisionKind) {
      ++events;
    } else {
      ++decisions;
      denied += r.outcome == magent::Outcome::kFailed;
    }
  }
  std::printf("Archive: %zu events, all past, and %zu Sentinel decisions, %zu denied.\n", events,
              decisions, denied);
  for (const auto& [kind, counts] : (*agent)->Counts()) {
    if (counts.failures() != 0) return 1;
  }
  return events == 4 && denied == 1 ? 0 : 1;
}
