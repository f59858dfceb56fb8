// `magentctl archive`: search a LevelDB hard archive and print the events found.
#ifndef MAGENT_TOOLS_MAGENTCTL_ARCHIVE_COMMAND_H_
#define MAGENT_TOOLS_MAGENTCTL_ARCHIVE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace magentctl {

// `args` are the words after "archive". Returns the exit code (sysexits): 0, EX_USAGE for
// bad options or cursor, EX_NOINPUT when there is no archive, EX_TEMPFAIL when it is held
// by another process or unreadable now, EX_DATAERR when it is corrupt.
int RunArchive(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace magentctl

#endif  // MAGENT_TOOLS_MAGENTCTL_ARCHIVE_COMMAND_H_
