// magentctl COMMAND [OPTIONS]: the command-line client of a magent host.
#include <sysexits.h>

#include <iostream>
#include <string>
#include <vector>

#include "archive_command.h"

namespace {

constexpr char kUsage[] =
    "usage: magentctl COMMAND [OPTIONS]\n"
    "commands:\n"
    "  archive   search the hard archive of Past events (magentctl archive --help)\n";

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + (argc > 1 ? 2 : argc), argv + argc);
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "archive") return magentctl::RunArchive(args, std::cout, std::cerr);
  if (command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << (command.empty() ? "magentctl: no command\n"
                                : "magentctl: unknown command '" + command + "'\n")
            << kUsage;
  return EX_USAGE;
}
