// SourceCore: the state of one AgentSource.
//
// Thread safety: `agents` and `alive` are guarded by RuntimeCore::mu; the inbox has its
// own lock so delivering a message never needs the model lock.
#ifndef MAGENT_SRC_CORE_SOURCE_CORE_H_
#define MAGENT_SRC_CORE_SOURCE_CORE_H_

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/signal.h"
#include "magent/agent_source.h"

namespace magent::internal {

class RuntimeCore;
class AgentCore;

class SourceCore {
 public:
  SourceCore(RuntimeCore* runtime, SourceId source_id, SourceOptions options, bool owner);

  static SourceCore& Of(const AgentSource& source) { return *source.core_; }
  static std::shared_ptr<AgentSource> Make(std::unique_ptr<SourceCore> core) {
    return std::shared_ptr<AgentSource>(new AgentSource(std::move(core)));
  }

  // Adds `message` to the inbox and calls subscribers. REQUIRES: mu not held.
  void Deliver(const SourceMessage& message);

  // The agent `id` if this source may command it: its own, or (for the runtime's owner)
  // one whose source is gone. REQUIRES: mu held.
  Result<AgentCore*> CommandableLocked(AgentId id) const;
  // Stages the source as it is now in the runtime's journal, if it has one.
  void JournalLocked() const;
  // On a durable runtime, puts its signing key (if any) in the key store, so a restart
  // gives it back. REQUIRES: mu not held (the store writes a file).
  Status KeepKey() const;
  // OK when it has a key to check its signatures with; otherwise why it cannot sign.
  Status CanSign() const;

  RuntimeCore* const rt;
  const SourceId id;
  const std::string name;
  const bool anonymous;
  const bool is_owner;
  const Clearance clearance;  // The most it may grant its agents.
  const std::string signing_key;
  // Restored after a restart with a key the key store did not have: it cannot sign until
  // the host gives the key again (JournalOptions::keys). Set by the restore, before the
  // source is published; constant after.
  bool key_missing = false;

  // Guarded by RuntimeCore::mu:
  bool alive = true;
  std::vector<std::shared_ptr<Agent>> agents;
  std::size_t live_count = 0;  // Future and Current events of its agents.

  mutable std::mutex inbox_mu;
  std::deque<SourceMessage> inbox;  // Guarded by inbox_mu.
  CheapSignal<void(const SourceMessage&)> on_message;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_CORE_SOURCE_CORE_H_
