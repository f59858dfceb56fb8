// AgentCore: the state of one agent, behind the public Agent.
//
// Thread safety: fields marked "guarded" are guarded by RuntimeCore::mu; the rest are set
// once before the agent is published and never change. Methods named *Locked REQUIRE mu.
#ifndef MAGENT_SRC_CORE_AGENT_CORE_H_
#define MAGENT_SRC_CORE_AGENT_CORE_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/journal.h"
#include "magent/agent.h"
#include "magent/agent_source.h"
#include "magent/registry.h"

namespace magent::internal {

class RuntimeCore;
struct Effects;
struct EventNode;

class AgentCore {
 public:
  AgentCore(RuntimeCore* rt, Agent* self, AgentSource* source, AgentId agent_id,
            AgentOptions agent_options, std::string agent_type, TimePoint now);

  static AgentCore* Of(const Agent& agent) { return agent.core_.get(); }
  // Gives `agent` its core. REQUIRES: the agent has none yet.
  static void Install(Agent& agent, std::unique_ptr<AgentCore> core) {
    agent.core_ = std::move(core);
  }
  // Takes `agent`'s core away: the agent is then detached, as if never attached. The
  // runtime does this to every agent before it dies, so an agent the application still
  // holds neither dangles nor touches the dead io_context.
  static std::unique_ptr<AgentCore> Detach(Agent& agent) { return std::move(agent.core_); }
  Agent& agent() const { return *self_; }
  AgentSource& source() const { return *source_; }
  RuntimeCore& runtime() const { return *rt_; }

  // True when its events may not start or pass an await point.
  bool FrozenLocked() const { return state == AgentState::kFrozen; }
  // True when it takes new events. A retired agent suspended by the loss of its source is
  // frozen but takes none.
  bool AcceptsLocked() const {
    return (state == AgentState::kActive || state == AgentState::kFrozen) &&
           !retired_reason.has_value();
  }
  bool GoneLocked() const { return state == AgentState::kKilled || state == AgentState::kRemoved; }
  // True once it retired, also while suspended by the loss of its source: no new event
  // will come, so no one is left to answer for a held one.
  bool RetiredLocked() const { return state == AgentState::kRetired || retired_reason.has_value(); }

  // Moves the agent to `to` (with the reason), and applies what follows for its events:
  // freezing, unfreezing or orphaning them (the source told at once), ending its held ones
  // when it retires, and its final report once none is left.
  void SetStateLocked(AgentState to, Text why, Effects& fx);
  // Counts a Past event and sends an interim report when one is due.
  void CountLocked(const std::string& kind, Outcome outcome, Effects& fx);
  std::map<std::string, KindCounts> CountsLocked() const;
  // Posts OnStart() to the strand.
  void StartHook(Effects& fx);
  // A report of the counts so far, delivered through `fx`.
  void ReportLocked(bool final, Effects& fx);
  // Called when a live event ended or was adopted away: a retired agent stops once idle,
  // and a stopped agent sends its final report once idle.
  void EventEndedLocked(Effects& fx);
  // Its source is gone (Runtime::RemoveSource): suspends it (frozen, `source_gone`) and
  // alarms the runtime's owner, or, for a killed or removed agent, hands its orphans to
  // the owner. A retired agent that has stopped is left alone.
  void SourceGoneLocked(const Text& why, Effects& fx);
  // Where its reports and alarms go: its source, or the runtime's owner once the source
  // is gone.
  std::shared_ptr<AgentSource> RecipientLocked() const;

  void LinkLocked(EventNode* node);
  void UnlinkLocked(EventNode* node);

  AgentInfo InfoLocked() const;
  // Stages the agent as it is now in the runtime's journal, if it has one.
  void JournalLocked() const;
  // Restored from `entry` (Runtime::Create): its state as the journal had it. A gone
  // agent stays stopped: OnStop() ran before the restart.
  void RestoreLocked(const JournalAgent& entry);
  // After its events are restored: a retired agent's held events end; a retired or gone
  // agent with none left is stopped (its final report went out before the restart); a gone
  // agent with some sends its final report when they end; an agent still working gets
  // OnStart() again.
  void SettleRestoredLocked(Effects& fx);

  const AgentId id;
  const std::string name;
  const SourceId source_id;
  const AgentOptions options;
  const std::string type;  // Its registered agent type; empty for others.
  const TimePoint created;
  const boost::asio::strand<boost::asio::io_context::executor_type> strand;

  // Guarded by RuntimeCore::mu:
  AgentState state = AgentState::kActive;
  TimePoint since{};
  Text reason;
  bool source_gone = false;
  // Frozen by its source (AgentSource::FreezeAgent): only the source may unfreeze it.
  bool frozen_by_source = false;
  // Set while a retired agent is suspended: the reason it retired. Unfreezing returns it
  // to kRetired rather than kActive.
  std::optional<Text> retired_reason;
  std::size_t live_count = 0;  // Its Future and Current events.
  // Granted by its source (see EffectiveClearanceLocked for the bound).
  Clearance clearance;

  // True the first time the Sentinel allows this agent an event of `kind` (interned):
  // that allow gets its own decision record; later ones are recorded by the events' own
  // Past records (docs/sentinel.md).
  bool FirstAllowLocked(const std::string* kind);

 private:
  // Runs OnStop() once, and the final report once no live event is left.
  void StopLocked(Effects& fx);
  void FinalReportWhenIdleLocked(Effects& fx);

  RuntimeCore* rt_;
  Agent* self_;
  AgentSource* source_;
  // Guarded by RuntimeCore::mu:
  std::unordered_map<const std::string*, KindCounts> counts_;  // Keyed by interned kind.
  // The entry of the kind counted last: agents tend to run many events of one kind.
  const std::string* last_counted_ = nullptr;
  KindCounts* last_counts_ = nullptr;  // Stays valid: counts_ never erases.
  std::uint32_t since_report_ = 0;
  std::unordered_set<const std::string*> allowed_kinds_;  // Interned kinds allowed so far.
  const std::string* last_allowed_ = nullptr;             // The last one added or found.
  bool stopped_ = false;   // OnStop() was posted: it retired and is idle, or is gone.
  bool reported_ = false;  // Its final report went out: nothing follows it.
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_AGENT_CORE_H_
