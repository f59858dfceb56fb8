#include "hostile/program_run.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern char** environ;

namespace magent::hostile {
namespace {

// Linux starts a forked child's peak RSS at what its parent held when it forked, and keeps
// it across exec. The test process may hold hundreds of MiB (a giant message, its reply),
// so the program is not forked from it: the test binary re-executes itself as a small
// launcher (this environment variable names the descriptor to report on), which forks the
// program and writes back what wait4() said about it.
constexpr const char* kLaunchVariable = "MAGENT_HOSTILE_LAUNCH_REPORT_FD";

struct Report {
  int status = 0;
  rusage usage{};
};

bool WaitFor(pid_t pid, Report* report) {
  while (wait4(pid, &report->status, 0, &report->usage) < 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

// The launcher: runs before main() when the variable is set (glibc passes argc, argv and
// envp to constructors), runs argv[1..] and exits without ever reaching the tests.
__attribute__((constructor)) void LaunchWhenAsked(int argc, char** argv, char** envp) {
  const char* fd_text = std::getenv(kLaunchVariable);
  if (fd_text == nullptr || argc < 2) return;
  const int report_fd = std::atoi(fd_text);
  const pid_t pid = fork();
  if (pid == 0) {
    close(report_fd);
    execve(argv[1], argv + 1, envp);
    _exit(127);
  }
  Report report;
  if (pid < 0 || !WaitFor(pid, &report)) _exit(126);
  const bool written = write(report_fd, &report, sizeof report) == sizeof report;
  _exit(written ? 0 : 126);
}

}  // namespace

ProgramRun RunProgram(const std::vector<std::string>& argv, const std::string& input,
                      const std::string& out, const std::string& err, const RunLimits& limits) {
  ProgramRun run;
  // Everything the child needs is made before fork: between fork and exec only
  // async-signal-safe calls, as the test binary may have threads.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return run;
  const std::string variable = std::string(kLaunchVariable) + "=3";
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, kLaunchVariable, std::strlen(kLaunchVariable)) != 0) env.push_back(*e);
  }
  env.push_back(const_cast<char*>(variable.c_str()));
  env.push_back(nullptr);
  std::vector<char*> args = {const_cast<char*>("hostile-launcher")};
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int in_fd = open(input.c_str(), O_RDONLY | O_CLOEXEC);
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const auto close_all = [&] {
    for (int fd : {in_fd, out_fd, err_fd, report[0], report[1]}) {
      if (fd >= 0) close(fd);
    }
  };
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) {
    close_all();
    return run;
  }
  const rlimit cpu{limits.cpu_seconds, limits.cpu_seconds + 1};
  const rlimit as{limits.address_space, limits.address_space};
  const pid_t pid = fork();
  if (pid == 0) {
    // Limits are inherited by the program the launcher starts.
    setrlimit(RLIMIT_CPU, &cpu);
    if (limits.address_space != 0) setrlimit(RLIMIT_AS, &as);
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    // dup2 clears close-on-exec on the copies.
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0 ||
        dup2(report[1], 3) < 0) {
      _exit(127);
    }
    execve("/proc/self/exe", args.data(), env.data());
    _exit(127);
  }
  close(report[1]);
  report[1] = -1;
  Report child;
  int launcher_status = 0;
  const bool reported = pid > 0 && waitpid(pid, &launcher_status, 0) == pid &&
                        WIFEXITED(launcher_status) && WEXITSTATUS(launcher_status) == 0 &&
                        read(report[0], &child, sizeof child) == sizeof child;
  close_all();
  if (!reported) return run;
  run.started = true;
  if (WIFEXITED(child.status)) run.exit_code = WEXITSTATUS(child.status);
  if (WIFSIGNALED(child.status)) run.signal = WTERMSIG(child.status);
  const auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  run.cpu_seconds = seconds(child.usage.ru_utime) + seconds(child.usage.ru_stime);
  run.max_rss_mib = double(child.usage.ru_maxrss) / 1024.0;  // Linux reports KiB.
  return run;
}

}  // namespace magent::hostile
