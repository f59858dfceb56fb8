// Reading a file the site keeps for the resource: a preference, the configuration file, a
// quota group's `limits`, `delegates` and `groups`. What cannot be read is an error the
// site must mend, never "no setting": a policy the program cannot read must not turn into
// no policy.
#ifndef MAGENT_IMIP_CONFIG_FILE_H_
#define MAGENT_IMIP_CONFIG_FILE_H_

#include <cstddef>
#include <string>

#include "magent/status.h"

namespace magent::imip::internal {

// The most a configuration file may hold (1 MiB): room for an acl of thousands of lines,
// and little enough that a file which never ends cannot grow the process.
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

// A configuration error: what the site keeps (a preference, the configuration file, a
// quota group) cannot be read or understood. The one way such an error is made, so that it
// never reads as anything else: FailedPrecondition, which the scheduler returns for nothing
// but this (a calendar that is no iTIP message is "nothing to do" there, not an error), and
// which imip_resource maps to 75, the message kept until the site mends the file.
inline Status ConfigurationError(const std::string& what) {
  return Status::FailedPrecondition(what);
}

// The content of `path`, a regular file (or a link to one) of at most `max_bytes`.
// NotFound when nothing is there. A ConfigurationError, naming the path, for everything else
// that cannot be read: a directory, FIFO, socket or device in its place (refused before it
// is read from, so nothing blocks), a dangling or looping link, no permission, a larger
// file, a read error.
Result<std::string> ReadConfigFile(const std::string& path,
                                   std::size_t max_bytes = kMaxConfigFileBytes);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_CONFIG_FILE_H_
