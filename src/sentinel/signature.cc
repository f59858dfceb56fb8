// HMAC-SHA256 through OpenSSL's libcrypto; OpenSSL stays behind this file.
#include "magent/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <string>

namespace magent {
namespace {

// What is signed: a version tag, so a later format cannot be confused with this one, and
// the fields that say which event it is.
std::string Message(EventId id, std::string_view kind, std::string_view payload) {
  std::string m = "magent-sign-v1\n" + id.ToString() + "\n";
  m.append(kind);
  m.push_back('\n');
  m.append(payload);
  return m;
}

}  // namespace

std::string SignEvent(std::string_view key, EventId id, std::string_view kind,
                      std::string_view payload) {
  const std::string message = Message(id, kind, payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xf]);
  }
  return hex;
}

bool VerifyEventSignature(std::string_view key, EventId id, std::string_view kind,
                          std::string_view payload, std::string_view signature) {
  if (key.empty()) return false;
  const std::string expected = SignEvent(key, id, kind, payload);
  // The length of a valid signature is public; its content is compared in constant time.
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

}  // namespace magent
