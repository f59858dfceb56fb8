// A calendar user's preferences, with imip-agent's names and layout, and the system
// defaults they fall back to.
//
// `-p DIR` holds one directory per calendar user named by its URI
// (`DIR/mailto:room1@example.com/`) and in it one UTF-8 file per setting, named by the
// setting (`CN`, `TZID`, `scheduling_function`, ...). A setting without a file takes the
// system default from the configuration file (imip-agent's `config.txt` names, e.g.
// `SHARING_DEFAULT = "share"`), and without that the documented default
// (docs/imip/resource.md).
#ifndef MAGENT_IMIP_PREFERENCES_H_
#define MAGENT_IMIP_PREFERENCES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magent/status.h"

namespace magent::imip {

// System-wide settings: `NAME = "value"` or `NAME = value` lines; `#` starts a comment.
class SystemConfig {
 public:
  SystemConfig() = default;
  // NotFound if nothing is at `path`; FailedPrecondition, naming the path, if the file
  // cannot be read (not a regular file, a dangling link, larger than 1 MiB, ...);
  // InvalidArgument (with the path and line number) for a line that is not a setting.
  static Result<SystemConfig> Load(const std::string& path);
  static Result<SystemConfig> Parse(std::string_view text);

  std::optional<std::string> Get(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// A user's preferences as one message sees them: every file of the user's directory is
// read when they are opened. Reading them all at once (a handful of small files, about as
// cheap as listing the directory and opening those asked for) lets Open report a file that
// cannot be read, so no later lookup can mistake it for a missing one, and lets the
// lookups stay infallible. Thread-compatible: const methods may be called from several
// threads at once.
class Preferences {
 public:
  // The preferences of `user` (a CanonicalAddress) under `dir`; `config` must outlive
  // them. InvalidArgument for an address that could leave the directory or is no file
  // name (`/`, `..`, control characters, empty); such an address is never turned into a
  // path. An empty `dir` or a user without a directory has no preference files: every
  // setting takes its default. FailedPrecondition, naming the path, when the user's
  // directory or a file in it cannot be read: anything but a regular file (or a link to
  // one) of at most 1 MiB — a directory, FIFO, device, dangling or looping link —
  // or no permission. Names starting with `.` (editors' swap and lock files) are skipped.
  static Result<Preferences> Open(const std::string& dir, std::string_view user,
                                  const SystemConfig& config);

  // Whether the user has a preferences directory.
  bool exists() const { return exists_; }

  // The setting's file content without surrounding blanks, else the system default
  // (`default_name` in the config), else `fallback`.
  std::string Get(std::string_view name, std::string_view default_name = {},
                  std::string_view fallback = {}) const;
  // The setting's non-empty lines (for `scheduling_function`, `acl`, `permitted_times`).
  std::vector<std::string> Lines(std::string_view name, std::string_view default_name = {},
                                 std::string_view fallback = {}) const;
  // Where the setting's value comes from, for error messages: its file's path, or "the
  // default" when the user has no file for it.
  std::string Origin(std::string_view name) const;

 private:
  std::string path_;  // The user's directory.
  bool exists_ = false;
  std::map<std::string, std::string, std::less<>> files_;  // Name → content, trimmed.
  const SystemConfig* config_ = nullptr;
};

}  // namespace magent::imip

#endif  // MAGENT_IMIP_PREFERENCES_H_
