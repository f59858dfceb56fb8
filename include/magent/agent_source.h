// AgentSource: a principal (a person, a board, an anonymous caller) that creates and
// programs agents and receives their reports and alarms.
//
// Sources are made by the Runtime (Runtime::CreateSource). Messages for a source are
// delivered to subscribers as they happen and kept in a bounded inbox.
//
// Thread safety: every method is thread-safe. Subscribers are called on whatever thread
// raised the message, after magent released its locks, so they may call back into magent.
#ifndef MAGENT_AGENT_SOURCE_H_
#define MAGENT_AGENT_SOURCE_H_

#include <boost/signals2/connection.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "magent/agent.h"
#include "magent/clock.h"
#include "magent/ids.h"
#include "magent/privacy.h"
#include "magent/sentinel.h"
#include "magent/status.h"
#include "magent/text.h"

namespace magent {

namespace internal {
class RuntimeCore;
class SourceCore;
}  // namespace internal

struct SourceOptions {
  std::string name;        // For people: "Laurent". Default: "source-<id>".
  bool anonymous = false;  // A caller who did not say who they are. Default: false.
  // The most this source may do, and so the most it may grant its agents (an anonymous
  // source is further bounded by RuntimeOptions::anonymous_clearance). Default: kHigh
  // (private data needs an explicit kPrivate).
  Clearance clearance = Clearance::kHigh;
  // The secret with which this source signs events (signature.h); the runtime keeps it to
  // check signatures, and a durable runtime puts it in its key store (key_store.h) for the
  // restart. Default: empty (the source cannot sign).
  std::string signing_key;
};

// What AgentSource::ModifyEvent changes in a Future event; a field left empty stays as it
// is.
struct EventModification {
  std::optional<TimePoint> due;       // When to start; epoch means now.
  std::optional<Duration> allowable;  // Running time allowed; must be positive.
  std::optional<Text> goal;
  // Only for a kind registered with KindSpec::payload_modifiable.
  std::optional<std::string> payload;
};

// A report or an alarm for a source.
struct SourceMessage {
  enum class Kind : unsigned char {
    kInterimReport = 0,
    // Sent once, when the agent is done: a retired agent when its last event has ended; a
    // killed or removed one when its last live event has ended or been adopted by another
    // agent (which then counts it), so it may come long after kOrphanedEvents (at most
    // RuntimeOptions::orphan_grace for frozen orphans). It counts every event that ended
    // under the agent.
    kFinalReport = 1,
    // An agent is gone (killed or removed), sent at once: `events` are its orphans that
    // are frozen, and none of them starts or passes an await point until adopted or
    // killed (after RuntimeOptions::orphan_grace they end: Future ones expired, Current
    // ones killed); `running` are its orphans whose plain work was already running, which
    // cannot be paused: each ends when its work returns. Either kind may be adopted or
    // killed. The agent's kFinalReport follows once all of them have ended or been
    // adopted, and counts every one that ended under it.
    kOrphanedEvents = 2,
    kAgentSuspended = 3,  // (To the runtime's owner) an agent's source is gone.
    // Authorization was withdrawn; `events` are frozen until the Sentinel allows them.
    kAuthorizationRevoked = 4,
    // (To the runtime's owner) the key store (JournalOptions::keys) could not keep a new
    // source's signing key: after a restart the source cannot sign until it is given again.
    kKeyNotKept = 5,
    // A message of the agent's own (Agent::SendToSource), in `text`.
    kAgentMessage = 6,
  };
  Kind kind;
  TimePoint at{};
  AgentId agent;
  Text text;
  std::optional<AgentReport> report;  // For the two report kinds.
  std::vector<EventId> events;        // For kOrphanedEvents and kAuthorizationRevoked.
  std::vector<EventId> running;       // For kOrphanedEvents: orphans whose work runs on.
};

class AgentSource : public std::enable_shared_from_this<AgentSource> {
 public:
  ~AgentSource();
  AgentSource(const AgentSource&) = delete;
  AgentSource& operator=(const AgentSource&) = delete;

  SourceId id() const;
  const std::string& name() const;
  bool anonymous() const;
  // False once the runtime removed this source; it can then do nothing.
  bool alive() const;

  // Creates a plain agent. FailedPrecondition when this source was removed.
  Result<std::shared_ptr<Agent>> CreateAgent(AgentOptions options);
  // Creates an agent of a type registered with Runtime::RegisterAgentType.
  // NotFound for an unknown type.
  Result<std::shared_ptr<Agent>> CreateAgent(const std::string& type, AgentOptions options);
  // Creates an agent of class T (derived from Agent), built from `args`. On a durable
  // runtime, FailedPrecondition: a restart rebuilds agents by their registered type, so
  // create them with CreateAgent(type, options) there.
  template <typename T, typename... Args>
  Result<std::shared_ptr<T>> CreateAgent(AgentOptions options, Args&&... args) {
    auto agent = std::make_shared<T>(std::forward<Args>(args)...);
    if (Status s = Attach(agent, std::move(options)); !s.ok()) return s;
    return agent;
  }

  // For agents of this source only; PermissionDenied for another's, NotFound if unknown.
  Status KillAgent(AgentId agent, Text why);
  Status RemoveAgent(AgentId agent, Text why);
  // A freeze by the source holds until the source lifts it: the agent cannot unfreeze
  // itself (Agent::UnfreezeAll is refused). Freezing an agent that froze itself takes its
  // freeze over. FailedPrecondition for an agent that is neither active nor frozen.
  Status FreezeAgent(AgentId agent);
  Status UnfreezeAgent(AgentId agent);
  // Kills any live event of this source's agents (and its spawn).
  Status KillEvent(EventId event, Text why);
  // Gives an event of this source whose agent is gone to another agent of this source,
  // which then answers for it; it is unfrozen unless it was frozen for itself.
  Status Adopt(EventId event, AgentId new_agent);

  // Grants agent `agent` of this source `clearance`. InvalidArgument above the source's own
  // clearance; otherwise as KillAgent. Lowering it revokes: the agent's Future events
  // that the Sentinel now denies are frozen until a later change makes it allow them
  // again, and this source gets a kAuthorizationRevoked message listing them.
  Status SetAgentClearance(AgentId agent, Clearance clearance);

  // Approves `event` with `signature`, SignEvent() under this source's signing key. When
  // the signed weights reach the quorum of a held event, it becomes runnable (a signature
  // after its due time follows the kind's LateSignature rule). NotFound if the event is
  // not live; PermissionDenied when the signature does not verify or this source is not
  // one of the event's sources; FailedPrecondition when the event needs no signatures or
  // has started.
  Status Sign(EventId event, std::string_view signature);
  // Withdraws this source's signature from a Future event. If its quorum is lost it is
  // held again, and its agent's source gets a kAuthorizationRevoked message. NotFound if
  // the event is not live or this source did not sign it; FailedPrecondition once it
  // started.
  Status RevokeSignature(EventId event);

  // Changes a Future event of this source's agents. The changed event is put to the
  // Sentinel again, as when it was scheduled: a denial refuses the change (the event stays
  // as it was). A changed payload invalidates the signatures it collected (signature.h):
  // an event that needs a quorum is held again until it is signed anew. Each changed field
  // is added to the event's history (EventRecord::history) and journaled on a durable
  // runtime. InvalidArgument for no change asked, a non-positive allowable duration, or a
  // payload its kind keeps fixed (KindSpec::payload_modifiable); NotFound if the event is
  // not live; PermissionDenied if its agent is not this source's, or with the Sentinel's
  // reason when it refuses; FailedPrecondition once it started (GrantMoreTime gives a
  // running event more time).
  Status ModifyEvent(EventId event, EventModification change);
  // Grants a Current event of this source's agents `more` running time, beyond its
  // agent's ExtensionPolicy (which it does not use up). Recorded as an extension and in
  // the event's history. InvalidArgument unless `more` is positive; NotFound if the event
  // is not live; PermissionDenied if its agent is not this source's; FailedPrecondition
  // unless it is running (a Future event's allowable duration is changed by ModifyEvent)
  // or when it is already ending.
  Status GrantMoreTime(EventId event, Duration more);

  // Agents this source created, in creation order.
  std::vector<std::shared_ptr<Agent>> Agents() const;

  // Calls `fn` for every later message. Disconnect through the returned connection.
  boost::signals2::connection Subscribe(std::function<void(const SourceMessage&)> fn);
  // The most recent messages (bounded by RuntimeOptions::inbox_capacity), oldest first.
  std::vector<SourceMessage> Inbox() const;

  // The runtime's archive and live events as this source may see them, others' private
  // data masked (privacy.h). Must not outlive the runtime.
  MaskedView View() const;

 private:
  friend class internal::RuntimeCore;
  friend class internal::SourceCore;
  explicit AgentSource(std::unique_ptr<internal::SourceCore> core);
  // `type`: the registered agent type it was made from (a durable runtime rebuilds it
  // from that type after a restart); empty for others.
  Status Attach(std::shared_ptr<Agent> agent, AgentOptions options, std::string type = {});
  std::unique_ptr<internal::SourceCore> core_;
};

}  // namespace magent

#endif  // MAGENT_AGENT_SOURCE_H_
