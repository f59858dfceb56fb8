// Archived text made safe to print to a terminal.
//
// Goals and results quote what came from outside (a mail's SUMMARY, a preference file):
// printed raw, an escape sequence in them would drive the reader's terminal (retitle it,
// move the cursor, hide lines) and a line break would forge a row of the table.
//
// Thread-safe: a pure function.
#ifndef MAGENT_TOOLS_MAGENTCTL_TERMINAL_TEXT_H_
#define MAGENT_TOOLS_MAGENTCTL_TERMINAL_TEXT_H_

#include <string>
#include <string_view>

namespace magentctl {

// `text` with every control character written as a visible escape: C0 and DEL as `\xNN`
// (`\n`, `\r`, `\t` by name), C1 and the line, paragraph and bidirectional controls as
// `\uNNNN`, and each byte that is not part of well-formed UTF-8 as `\xNN` (a lone 0x9B is
// CSI to a terminal that reads Latin-1). Everything else comes back unchanged.
std::string TerminalText(std::string_view text);

}  // namespace magentctl

#endif  // MAGENT_TOOLS_MAGENTCTL_TERMINAL_TEXT_H_
