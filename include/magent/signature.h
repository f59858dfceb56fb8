// Signatures: how a source approves an event with its own key.
//
// A source that may sign has a secret key (SourceOptions::signing_key), which the runtime
// keeps to check signatures. To approve an event, the holder of the key computes
// SignEvent(key, id, kind, payload) (HMAC-SHA256, hex) and passes it to
// AgentSource::Sign. The runtime recomputes it with the key it holds and compares in
// constant time: a signature is checked, never trusted, and no agent can set a "signed"
// flag.
//
// Thread safety: pure functions.
#ifndef MAGENT_SIGNATURE_H_
#define MAGENT_SIGNATURE_H_

#include <string>
#include <string_view>

#include "magent/ids.h"

namespace magent {

// The signature of event `id` (of `kind`, with `payload`) under `key`: 64 hex digits.
std::string SignEvent(std::string_view key, EventId id, std::string_view kind,
                      std::string_view payload);

// True when `signature` is SignEvent(key, id, kind, payload). False for an empty key.
bool VerifyEventSignature(std::string_view key, EventId id, std::string_view kind,
                          std::string_view payload, std::string_view signature);

}  // namespace magent

#endif  // MAGENT_SIGNATURE_H_
