// A LevelDB store read and defaced behind the program's back: every key and value, to tell
// whether a run changed it at all, and every value garbled, to make a corrupt store.
#ifndef MAGENT_TESTS_HOSTILE_STORE_DUMP_H_
#define MAGENT_TESTS_HOSTILE_STORE_DUMP_H_

#include <map>
#include <string>

namespace magent::hostile {

struct StoreDump {
  bool readable = true;  // False when a store is there but LevelDB cannot open it.
  std::map<std::string, std::string> records;
  bool operator==(const StoreDump&) const = default;
};

// The records of the store at `path`; none when there is no store there.
StoreDump DumpStore(const std::string& path);

// Replaces every value of the store at `path` with bytes no record format starts with.
// False when there is no store there or LevelDB cannot open it.
bool GarbleStore(const std::string& path);

}  // namespace magent::hostile

#endif  // MAGENT_TESTS_HOSTILE_STORE_DUMP_H_
