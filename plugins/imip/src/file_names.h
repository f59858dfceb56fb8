// Whether a name taken from a message or a preference may become one path component.
#ifndef MAGENT_IMIP_FILE_NAMES_H_
#define MAGENT_IMIP_FILE_NAMES_H_

#include <string_view>

namespace magent::imip::internal {

// False for a name that could leave its directory or is no file name: empty, `.`, with
// `..`, `/`, `\` or control characters. Such a name is never turned into a path.
bool SafeFileName(std::string_view name);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_FILE_NAMES_H_
