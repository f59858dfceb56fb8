// RuntimeCore::Restore: a durable runtime comes back from its journal.
//
// Sources and agents come back with their ids, states and clearances, sources with their
// signing keys from the key store; then every pending event, in id order (a parent before
// its spawn), with its work rebuilt by its kind's factory and what the Sentinel decided
// (held with the signatures it had, revoked), unless it ends Past at once:
//   - its record is already in the archive: it ended, and the crash came before the
//     journal forgot it; it is only erased from the journal;
//   - no factory for its kind: failed, "could not be rebuilt";
//   - it was running: interrupted, unless its kind is idempotent (it then runs again);
//   - missed while down (due more than the kind's misfire threshold ago, and not frozen,
//     held or revoked): as the kind's MisfirePolicy says.
// Factories, the archive and the key store are asked before the model lock is taken: they
// are user code.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/agent_core.h"
#include "core/agent_registry.h"
#include "core/effects.h"
#include "core/format.h"
#include "core/runtime_core.h"
#include "core/source_core.h"
#include "magent/key_store.h"
#include "scheduler/scheduler_core.h"
#include "sentinel/authorizer.h"

namespace magent::internal {
namespace {

// What happens to one restored event.
struct Plan {
  bool archived = false;  // Already Past: only erased from the journal.
  bool rerun = false;     // Was running; its kind is idempotent.
  Work work;              // Monostate when it ends at once.
  Outcome end = Outcome::kNone;
  Text why;
};

bool Missed(const JournalEvent& e, const KindSpec& kind, TimePoint now) {
  return e.due < now && now - e.due > kind.misfire_threshold;
}

// It could not have run while the process was down, so it missed nothing.
bool Frozen(const JournalEvent& e, const JournalAgent& agent) {
  const bool held =
      e.quorum && BelowQuorum(SignedWeight(e.spec.sources, agent.source, e.signed_by), *e.quorum);
  return e.frozen_self || e.revoked || held || agent.state != AgentState::kActive;
}

// The signing key of each journaled source that had one, from the key store; empty where
// the store has none (the source then says its key is missing).
Status LoadKeys(const KeyStore& store, const std::vector<JournalSource>& sources,
                std::vector<std::string>& keys) {
  keys.resize(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].signs) continue;
    Result<std::string> key = store.Get(sources[i].id);
    if (key.ok()) {
      keys[i] = std::move(key).value();
    } else if (key.status().code() != StatusCode::kNotFound) {
      return Status(key.status().code(), "the signing key of journaled source " +
                                             sources[i].id.ToString() + " ('" + sources[i].name +
                                             "'): " + key.status().message());
    }
  }
  return Status::OK();
}

}  // namespace

Status RuntimeCore::Restore(JournalContents&& c) {
  const TimePoint now = Now();

  // Every source made from now on puts its key here too (SourceCore::KeepKey).
  if (!options.journal->keys) {
    options.journal->keys = std::make_shared<FileKeyStore>(options.journal->path + "/keys");
  }
  std::vector<std::string> keys;
  if (Status s = LoadKeys(*options.journal->keys, c.sources, keys); !s.ok()) return s;

  std::unordered_map<AgentId, const JournalAgent*> agent_entries;
  for (const JournalAgent& a : c.agents) agent_entries.emplace(a.id, &a);

  // Agents of registered types are made by their factories.
  std::vector<std::shared_ptr<Agent>> made;
  made.reserve(c.agents.size());
  for (const JournalAgent& a : c.agents) {
    if (a.type.empty()) {
      made.push_back(std::make_shared<Agent>());
      continue;
    }
    Result<std::shared_ptr<Agent>> agent = MakeAgentOfType(a.type);
    if (!agent.ok()) {
      return Status::FailedPrecondition("journaled agent " + a.id.ToString() + " ('" +
                                        a.options.name + "') is of type '" + a.type +
                                        "': " + agent.status().message());
    }
    made.push_back(std::move(agent).value());
  }

  std::unordered_map<std::string, std::optional<KindSpec>> kinds;
  auto kind_of = [&](const std::string& name) -> const KindSpec* {
    auto it = kinds.find(name);
    if (it == kinds.end()) it = kinds.emplace(name, FindKind(name)).first;
    return it->second ? &*it->second : nullptr;
  };

  std::vector<Plan> plans(c.events.size());
  // For kRunOnce: the latest missed event of each agent and kind.
  std::map<std::pair<AgentId, std::string>, std::size_t> latest_missed;
  std::vector<EventId> archived;
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    JournalEvent& e = c.events[i];
    Plan& plan = plans[i];
    auto agent = agent_entries.find(e.agent);
    if (agent == agent_entries.end()) {
      return Status::Corruption("journaled event " + e.id.ToString() + " names agent " +
                                e.agent.ToString() + ", which the journal does not hold");
    }
    if (archive->Get(e.id).ok()) {
      plan.archived = true;
      archived.push_back(e.id);
      continue;
    }
    const KindSpec* kind = kind_of(e.spec.kind);
    Result<Work> work = kind ? kind->factory(e.spec.payload)
                             : Result<Work>(Status::NotFound("no factory is registered for it"));
    if (work.ok() && std::holds_alternative<std::monostate>(*work)) {
      work = Status::Internal("its factory made no work");
    }
    if (!work.ok()) {
      plan.end = Outcome::kFailed;
      plan.why = Text("magent.not_rebuilt", "Could not be rebuilt after a restart: kind '{0}': {1}",
                      {e.spec.kind, work.status().message()});
      continue;
    }
    const bool running = e.started != TimePoint{};
    if (running && !kind->idempotent) {
      plan.end = Outcome::kInterrupted;
      plan.why = Text("magent.interrupted",
                      "Interrupted: the process stopped while it ran (it started {0}).",
                      {FormatTime(e.started)});
      continue;
    }
    plan.work = std::move(work).value();
    if (running) {
      e.started = TimePoint{};  // Runs again from the start, now.
      plan.rerun = true;
      continue;
    }
    if (Frozen(e, *agent->second) || !Missed(e, *kind, now)) continue;
    switch (kind->misfire) {
      case MisfirePolicy::kRunNow:
        break;
      case MisfirePolicy::kSkip:
        plan.work = Work();
        plan.end = Outcome::kExpired;
        plan.why = Text("magent.missed", "Missed while the process was down: due {0}, {1} ago.",
                        {FormatTime(e.due), FormatDuration(now - e.due)});
        break;
      case MisfirePolicy::kRunOnce: {
        auto [it, first] = latest_missed.try_emplace({e.agent, e.spec.kind}, i);
        if (!first && c.events[it->second].due <= e.due) it->second = i;
        break;
      }
    }
  }
  // Of each group of missed kRunOnce events, all but the latest end.
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    JournalEvent& e = c.events[i];
    const KindSpec* kind = kind_of(e.spec.kind);
    if (plans[i].end != Outcome::kNone || plans[i].archived || plans[i].rerun || !kind ||
        kind->misfire != MisfirePolicy::kRunOnce) {
      continue;
    }
    auto it = latest_missed.find({e.agent, e.spec.kind});
    if (it == latest_missed.end() || it->second == i) continue;
    if (!Missed(e, *kind, now) || Frozen(e, *agent_entries.at(e.agent))) continue;
    plans[i].work = Work();
    plans[i].end = Outcome::kExpired;
    plans[i].why = Text("magent.missed_once",
                        "Missed while the process was down: due {0}; event {1}, the latest "
                        "missed event of its kind for this agent, ran instead.",
                        {FormatTime(e.due), c.events[it->second].id.ToString()});
  }

  Effects fx;
  {
    std::lock_guard lock(mu);
    std::unordered_map<SourceId, std::shared_ptr<AgentSource>> by_source;
    for (std::size_t i = 0; i < c.sources.size(); ++i) {
      const JournalSource& s = c.sources[i];
      auto source = SourceCore::Make(
          std::make_unique<SourceCore>(this, s.id,
                                       SourceOptions{.name = s.name,
                                                     .anonymous = s.anonymous,
                                                     .clearance = s.clearance,
                                                     .signing_key = std::move(keys[i])},
                                       false));
      SourceCore& core = SourceCore::Of(*source);
      core.alive = s.alive;
      core.key_missing = s.signs && core.signing_key.empty();
      sources.push_back(source);
      by_source.emplace(s.id, source);
      next_source_id = std::max(next_source_id, s.id.value());
    }
    std::unordered_map<AgentId, AgentCore*> by_agent;
    std::vector<AgentCore*> restored;
    for (std::size_t i = 0; i < c.agents.size(); ++i) {
      const JournalAgent& a = c.agents[i];
      auto source = by_source.find(a.source);
      if (source == by_source.end()) {
        return Status::Corruption("journaled agent " + a.id.ToString() + " names source " +
                                  a.source.ToString() + ", which the journal does not hold");
      }
      auto core = std::make_unique<AgentCore>(this, made[i].get(), source->second.get(), a.id,
                                              a.options, a.type, a.created);
      core->RestoreLocked(a);
      by_agent.emplace(a.id, core.get());
      restored.push_back(core.get());
      AgentCore::Install(*made[i], std::move(core));
      SourceCore::Of(*source->second).agents.push_back(made[i]);
      registry->AddLocked(made[i]);
      next_agent_id = std::max(next_agent_id, a.id.value());
    }
    for (std::size_t i = 0; i < c.events.size(); ++i) {
      Plan& plan = plans[i];
      if (plan.archived) continue;
      JournalEvent& e = c.events[i];
      EventNode* node =
          scheduler->RestoreLocked(e, *by_agent.at(e.agent), std::move(plan.work), now, fx);
      if (plan.end != Outcome::kNone) {
        scheduler->EndRestoredLocked(node, plan.end, std::move(plan.why), e.started, now, fx);
      }
    }
    scheduler->ContinueIdsLocked(c.last_event_id);
    for (AgentCore* agent : restored) agent->SettleRestoredLocked(fx);
    journal->StageErase(archived);
  }
  fx.Flush(*this);
  return Status::OK();
}

}  // namespace magent::internal
