// Durable scheduling: the journal that lets a restart lose no future event.
//
// A runtime made with RuntimeOptions::journal writes its sources, agents and every live
// event to a LevelDB journal on disk, and Runtime::Create restores them: sources and agents
// with their ids, states and clearances, every pending event with its id, its work rebuilt
// by its kind's factory (KindSpec::factory), and what the Sentinel decided about it (held
// for signatures, the signatures it has, revoked). Sources' signing keys are kept apart,
// by a key store (key_store.h). Without a journal (the default) nothing is written and a
// restart starts empty. See docs/archive.md, "Durable scheduling", and docs/sentinel.md.
//
// Thread safety: plain values.
#ifndef MAGENT_JOURNAL_H_
#define MAGENT_JOURNAL_H_

#include <memory>
#include <string>

#include "magent/key_store.h"

namespace magent {

struct JournalOptions {
  // Directory of the journal (a LevelDB database); made if missing. One runtime at a time
  // may hold it: a second one gets an error from Runtime::Create. Required.
  std::string path;

  // Each journal write reaches the disk (fsync) before the call that made it returns, so
  // even a crash of the machine loses nothing. Without it a write survives the crash of
  // the process (it is in the operating system's cache) but not of the machine. It costs
  // one fsync per batch of writes (milliseconds on most disks). Default: false.
  bool sync = false;

  // Keeps the signing keys of sources (SourceOptions::signing_key) for the restart: a key
  // is put when its source is created, and got back when the source is restored. Default
  // (null): a FileKeyStore in `path`/keys, each key in a file of mode 0600. A
  // MemoryKeyStore lets the host give the keys again itself.
  std::shared_ptr<KeyStore> keys;
};

// What a restored runtime does with a Future event whose due time passed while the
// process was down (by more than the kind's misfire threshold). Stored in the journal;
// never renumber.
enum class MisfirePolicy : unsigned char {
  kRunNow = 0,   // Runs at once, as if it had been due now.
  kSkip = 1,     // Ends Past as expired; its result says it was missed while down.
  kRunOnce = 2,  // Of the missed events of this kind of one agent, the latest runs at
                 // once; the others end Past as expired, naming the one that ran.
};

}  // namespace magent

#endif  // MAGENT_JOURNAL_H_
