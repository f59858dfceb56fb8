// Loading the hard archive's and the journal's values from bytes that may be damaged,
// with the wire format of Boost's binary archives (a std::string is its size as 8 bytes
// and its bytes; a bool one byte). Boost's own loads trust what they read: a damaged
// string size or list count is allocated at once (gigabytes, before a byte of the string
// arrives), and a bool byte other than 0 or 1 becomes an invalid bool. These grow what
// they fill only as bytes arrive, so damage ends at the end of the bytes, as an
// archive_exception, with memory bounded by the bytes read; and refuse other bool bytes.
//
// Thread safety: the functions touch only their arguments.
#ifndef MAGENT_SRC_ARCHIVE_BOUNDED_LOADS_H_
#define MAGENT_SRC_ARCHIVE_BOUNDED_LOADS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace magent::internal {

template <class Ar>
void LoadBool(Ar& ar, bool& b) {
  std::uint8_t byte;
  ar >> byte;
  if (byte > 1) throw std::runtime_error("bad bool byte " + std::to_string(byte));
  b = byte == 1;
}

template <class Ar>
void LoadString(Ar& ar, std::string& s) {
  // Boost writes a string's size as a std::size_t.
  std::size_t size;
  ar >> size;
  s.clear();
  constexpr std::size_t kChunk = 64 * 1024;
  while (s.size() < size) {
    const std::size_t at = s.size();
    s.resize(at + std::min(kChunk, size - at));
    ar.load_binary(s.data() + at, s.size() - at);
  }
}

// `n` elements, each filled by `load(ar, element)`, which must read at least a byte.
template <class Ar, class T, class Load>
void LoadList(Ar& ar, std::uint64_t n, std::vector<T>& list, Load load) {
  list.clear();
  for (std::uint64_t i = 0; i < n; ++i) load(ar, list.emplace_back());
}

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_BOUNDED_LOADS_H_
