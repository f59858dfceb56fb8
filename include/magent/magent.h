// The whole public API of magent's core. Start with runtime.h.
#ifndef MAGENT_MAGENT_H_
#define MAGENT_MAGENT_H_

#include "magent/agent.h"               // Agent, AgentOptions, ExtensionPolicy, reports.
#include "magent/agent_source.h"        // AgentSource: principals, their agents and inboxes.
#include "magent/anonymous_sentinel.h"  // AnonymousSentinel: limits for anonymous sources.
#include "magent/archive.h"             // PastEventArchive, MemoryArchive.
#include "magent/clearance_sentinel.h"  // ClearanceSentinel: security levels per kind.
#include "magent/clock.h"               // Clock, SystemClock, ManualClock.
#include "magent/event.h"               // EventSpec, EventRecord, Work, EventContext.
#include "magent/ids.h"                 // SourceId, AgentId, EventId.
#include "magent/journal.h"             // JournalOptions, MisfirePolicy: durable scheduling.
#include "magent/key_store.h"           // KeyStore: signing keys kept across restarts.
#include "magent/participant.h"         // Activant, Passivant, SourceWeight.
#include "magent/past_record_batch.h"   // PastRecordBatch: Past records for an archive.
#include "magent/privacy.h"             // MaskedView, PrivacyGrants: private data masked.
#include "magent/quorum_sentinel.h"     // QuorumSentinel: weighted signatures before running.
#include "magent/registry.h"            // AgentRegistry, AgentInfo.
#include "magent/runtime.h"             // Runtime: start here.
#include "magent/scheduler.h"           // EventScheduler: signals and snapshots.
#include "magent/sentinel.h"            // Sentinel: authorization before scheduling.
#include "magent/sentinel_chain.h"      // SentinelChain, KindSentinelRegistry.
#include "magent/signature.h"           // SignEvent: a source's signature on an event.
#include "magent/status.h"              // Status, Result<T>.
#include "magent/text.h"                // Text: translatable sentences.

#endif  // MAGENT_MAGENT_H_
