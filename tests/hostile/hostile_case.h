// One case of the hostile corpus (tests/hostile/README.md describes the file format): what
// it attacks, the bounds the program must keep, and its actions in order — files to lay
// out in the case's directory, and runs of imip_resource with what each must give.
#ifndef MAGENT_TESTS_HOSTILE_HOSTILE_CASE_H_
#define MAGENT_TESTS_HOSTILE_HOSTILE_CASE_H_

#include <optional>
#include <string>
#include <vector>

namespace magent::hostile {

// What a run's replies, store and exit must be. Unset fields are not checked; every reply
// is always held to the invariants in reply_checks.h.
struct Expectations {
  std::optional<int> exit_code;
  std::optional<int> replies;           // How many messages come out; 0: none.
  std::optional<std::string> reply_to;  // Every reply's To address.
  std::optional<std::string> partstat;  // Every reply's resource PARTSTAT.
  std::optional<std::string> method;    // Every reply's calendar METHOD.
  std::vector<std::string> contains;    // Each in some reply (decoded text or raw).
  std::vector<std::string> lacks;       // In no reply, decoded or raw.
  std::vector<std::string> stderr_contains;
  enum class Store { kAny, kUnchanged, kChanged };
  Store store = Store::kAny;
};

struct Action {
  enum class Kind { kFile, kSymlink, kMkdir, kRemove, kGarbleStore, kRun };
  Kind kind = Kind::kRun;
  std::string path;    // Relative to the case's directory (file, symlink, mkdir, remove).
  std::string target;  // A symlink's target, as written.
  std::string text;    // A file's recipe, or a run's message recipe (message_recipe.h).
  // A run: its label, the arguments after the fixed ones (-d -S -p -c), what it must give.
  std::string label;
  std::vector<std::string> args;
  bool lf_only = false;  // Message lines end in LF instead of CRLF.
  Expectations expect;
  int line = 0;  // Where the action starts in the case file.
};

struct HostileCase {
  std::string name;        // The path under cases/, without ".case".
  std::string attack;      // What it attacks and what must hold.
  std::string waits_for;   // The issue-15 fix it needs, if any (documentation only).
  double cpu_seconds = 2;  // User + system CPU of each run, before sanitizer scaling.
  double memory_mib = 96;  // Peak RSS of each run, before sanitizer scaling.
  std::string skip_tsan;   // Why it adds nothing under TSan; empty: runs there too.
  std::vector<Action> actions;
};

// Reads a case file; on a format error, returns nullopt and says why in *error.
std::optional<HostileCase> ParseCase(const std::string& path, const std::string& name,
                                     std::string* error);

}  // namespace magent::hostile

#endif  // MAGENT_TESTS_HOSTILE_HOSTILE_CASE_H_
