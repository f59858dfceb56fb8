// The bookshop: an agent for Laurent finds a used copy of "Java in a Nutshell" under $8,
// buys it, ships it and tells him. Four events, each spawned by the one before, with the
// card, the bank and the warehouse as activants and the book and the shipping address as
// passivants. Prints every transition and each event's goal and result.
//
// Runs on a ManualClock, so the story takes no wall time and prints the same every time.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "magent/magent.h"

namespace {

using namespace std::chrono_literals;
using magent::Activant;
using magent::EventContext;
using magent::EventSpec;
using magent::Passivant;
using magent::PlainWork;
using magent::Result;
using magent::Text;

const Activant kCard{"card:visa-4242", "card", "Laurent's Visa card"};
const Activant kBank{"bank:credit-mutuel", "bank", "Crédit Mutuel"};
const Activant kWarehouse{"warehouse:lyon", "warehouse", "Lyon warehouse"};
const Passivant kBook{"book:0596007736", "book", "Java in a Nutshell, 5th edition"};
const Passivant kAddress{"address:laurent-home", "address", "Laurent's home address"};

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

EventSpec Buy(double price) {
  EventSpec spec;
  spec.kind = "buy";
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

EventSpec Find() {
  EventSpec spec;
  spec.kind = "find";
  spec.goal = Text("Find a used copy of 'Java in a Nutshell' under $8");
  spec.passivants = {kBook};
  spec.allowable = 1h;
  spec.work = PlainWork([](EventContext& ctx) -> Result<Text> {
    const std::map<std::string, double> offers{{"alibris", 9.50}, {"abebooks", 6.75}};
    for (const auto& [shop, price] : offers) {
      if (price < 8.0) {
        auto next = ctx.Spawn(Buy(price));
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
  options.threads = 0;  // This program drives the runtime itself.
  auto runtime = magent::Runtime::Create(options);
  if (!runtime.ok()) {
    std::cerr << runtime.status().ToString() << "\n";
    return 1;
  }
  magent::Runtime& rt = **runtime;

  auto printer = rt.scheduler().OnTransition([](const magent::Transition& t) {
    if (t.from == t.to) {
      std::printf("  event %llu (%.*s) scheduled\n", static_cast<unsigned long long>(t.id.value()),
                  static_cast<int>(t.kind.size()), t.kind.data());
      return;
    }
    std::printf("  event %llu (%.*s): %s -> %s\n", static_cast<unsigned long long>(t.id.value()),
                static_cast<int>(t.kind.size()), t.kind.data(),
                std::string(magent::EventStateName(t.from)).c_str(),
                std::string(magent::EventStateName(t.to)).c_str());
  });
  auto results = rt.scheduler().OnPast([](const magent::EventRecord& r) {
    std::printf("    goal:   %s\n    result: %s (%s)\n", r.goal.English().c_str(),
                r.result.English().c_str(), std::string(magent::OutcomeName(r.outcome)).c_str());
  });

  auto laurent = rt.CreateSource({.name = "Laurent"});
  laurent->Subscribe([](const magent::SourceMessage& m) {
    std::printf("  [to Laurent] %s\n", m.text.English().c_str());
  });
  magent::AgentOptions agent_options;
  agent_options.name = "bookbuyer";
  agent_options.activants = {kCard, kBank, kWarehouse};
  agent_options.passivants = {kBook, kAddress};
  auto agent = laurent->CreateAgent(agent_options);
  if (!agent.ok()) {
    std::cerr << agent.status().ToString() << "\n";
    return 1;
  }

  std::printf("Laurent asks his agent '%s' for a used copy of Java in a Nutshell.\n",
              (*agent)->name().c_str());
  EventSpec find = Find();
  find.due = clock->Now() + 5min;
  auto first = (*agent)->Schedule(std::move(find));
  if (!first.ok()) {
    std::cerr << first.status().ToString() << "\n";
    return 1;
  }
  rt.RunUntilIdle();
  clock->Advance(5min);  // The find is due.
  rt.RunUntilIdle();

  if (auto s = (*agent)->Retire(Text("The book is bought and on its way.")); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  rt.RunUntilIdle();

  const auto past = rt.archive().Query({.limit = 10});
  std::printf("Archive: %zu events, all past.\n", past.size());
  for (const auto& [kind, counts] : (*agent)->Counts()) {
    if (counts.failures() != 0) return 1;
  }
  return past.size() == 4 ? 0 : 1;
}
