// KeyStore: where a durable runtime keeps its sources' signing keys across restarts.
//
// The journal (journal.h) holds no secret: a source created with a signing key
// (SourceOptions::signing_key) has the key put in the runtime's key store
// (JournalOptions::keys), and a restored source gets it back from there. A restored source
// whose key the store does not have cannot sign: AgentSource::Sign says its key is missing,
// and the events it would sign stay held.
//
// Thread safety: implementations must be thread-safe; the runtime calls them without its
// locks.
#ifndef MAGENT_KEY_STORE_H_
#define MAGENT_KEY_STORE_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "magent/ids.h"
#include "magent/status.h"

namespace magent {

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // Keeps `key` as the signing key of `source`, replacing any earlier one; kept durably
  // when it returns OK.
  virtual Status Put(SourceId source, std::string_view key) = 0;
  // The key kept for `source`. NotFound when there is none.
  virtual Result<std::string> Get(SourceId source) const = 0;
};

// One file per source, `<directory>/source-<id>.key`, holding the key's bytes, mode 0600.
// A key is written to a temporary file, synced and renamed over the old one, so a crash
// leaves the old key or the new one, never a part. The directory is made (mode 0700) when
// the first key is put. The default key store of a durable runtime, in the journal's
// directory (JournalOptions::keys).
class FileKeyStore final : public KeyStore {
 public:
  explicit FileKeyStore(std::string directory);
  // Unavailable when the file cannot be written (the message names it and says why).
  Status Put(SourceId source, std::string_view key) override;
  // NotFound when there is no file; Unavailable when it cannot be read.
  Result<std::string> Get(SourceId source) const override;

 private:
  std::string PathOf(SourceId source) const;
  const std::string directory_;
};

// Keys kept in memory only: the host puts each source's key again before Runtime::Create
// (from a secret store of its own) and passes this store in JournalOptions::keys. Nothing
// is written to disk.
class MemoryKeyStore final : public KeyStore {
 public:
  Status Put(SourceId source, std::string_view key) override;
  Result<std::string> Get(SourceId source) const override;

 private:
  mutable std::mutex mu_;
  std::map<SourceId, std::string> keys_;  // Guarded by mu_.
};

}  // namespace magent

#endif  // MAGENT_KEY_STORE_H_
