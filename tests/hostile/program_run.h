// Runs a program as an MTA's pipe transport does — a file on standard input, standard
// output and error to files — and measures what it cost: the CPU time and peak resident
// memory that wait4() reports for it. The program is started by the test binary itself,
// re-executed as a small launcher, so its peak memory is its own and not the size of the
// process that runs the tests. Thread-safe.
#ifndef MAGENT_TESTS_HOSTILE_PROGRAM_RUN_H_
#define MAGENT_TESTS_HOSTILE_PROGRAM_RUN_H_

#include <string>
#include <vector>

namespace magent::hostile {

struct ProgramRun {
  bool started = false;
  int exit_code = -1;      // -1 when killed by a signal.
  int signal = 0;          // The signal that killed it, if any (SIGXCPU: past its CPU limit).
  double cpu_seconds = 0;  // User + system.
  double max_rss_mib = 0;  // Peak resident set size.
};

struct RunLimits {
  // RLIMIT_CPU: a backstop so a loop ends as SIGXCPU instead of hanging the suite.
  unsigned cpu_seconds = 60;
  // RLIMIT_AS in bytes, so a runaway allocation fails fast; 0: none (sanitizers reserve
  // terabytes of address space).
  unsigned long long address_space = 0;
};

// Runs argv[0] with `argv`, `input` as standard input, standard output to `out` and
// standard error to `err` (both created or truncated). `started` is false when it could
// not be started or measured.
ProgramRun RunProgram(const std::vector<std::string>& argv, const std::string& input,
                      const std::string& out, const std::string& err, const RunLimits& limits);

}  // namespace magent::hostile

#endif  // MAGENT_TESTS_HOSTILE_PROGRAM_RUN_H_
