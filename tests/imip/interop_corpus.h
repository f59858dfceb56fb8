// The real-client corpus (../shared/fixtures/interop), read in place through
// MAGENT_INTEROP_DIR: shared by the tests that run every file of it.
#ifndef MAGENT_TESTS_IMIP_INTEROP_CORPUS_H_
#define MAGENT_TESTS_IMIP_INTEROP_CORPUS_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace magent::imip {

// The corpus's directory; empty when MAGENT_INTEROP_DIR does not name one.
inline std::filesystem::path InteropDir() {
  const char* dir = std::getenv("MAGENT_INTEROP_DIR");
  if (dir == nullptr || !std::filesystem::is_directory(dir)) return {};
  return dir;
}

inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace magent::imip

#endif  // MAGENT_TESTS_IMIP_INTEROP_CORPUS_H_
