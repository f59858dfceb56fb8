#include "freebusy_publisher.h"

#include <fcntl.h>
#include <libical/ical.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "file_names.h"
#include "ical_writing.h"

namespace magent::imip::internal {
namespace {

Status WriteFailure(const std::string& path, int error) {
  return Status::Unavailable("cannot publish free/busy to '" + path + "': " + std::strerror(error));
}

// Writes `text` to `path` through a temporary file beside it and a rename.
Status WriteAtomically(const std::filesystem::path& path, const std::string& text) {
  const std::string temp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return WriteFailure(temp, errno);
  std::size_t written = 0;
  int error = 0;
  while (written < text.size() && error == 0) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) written += static_cast<std::size_t>(n);
  }
  // The data on disk before the name points at it, so a crash leaves the old file whole.
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return WriteFailure(path.string(), error);
  }
  return Status::OK();
}

}  // namespace

std::string FreeBusyCalendar(const PublishedFreeBusy& what, const std::vector<BusyPeriod>& busy) {
  auto [calendar, fb] =
      NewFreeBusyCalendar(ICAL_METHOD_PUBLISH, "freebusy-" + what.user, what.now, what.window);
  icalproperty* organizer = icalproperty_new_organizer(("mailto:" + what.user).c_str());
  if (!what.cn.empty())
    icalproperty_add_parameter(organizer, icalparameter_new_cn(what.cn.c_str()));
  icalcomponent_add_property(fb, organizer);
  std::vector<Period> held;
  for (const BusyPeriod& b : busy) {
    if (!b.offer) held.push_back(b.period);
  }
  AddBusyLines(fb, held, what.window);
  return AsString(calendar.get());
}

Status PublishFreeBusy(const std::string& dir, const PublishedFreeBusy& what,
                       const std::vector<BusyPeriod>& busy) {
  // The user's directory is named as in the preferences, by the user's URI.
  const std::string name = "mailto:" + what.user;
  if (!SafeFileName(what.user) || !SafeFileName(name)) {
    return Status::InvalidArgument("'" + what.user + "' cannot name a publishing directory");
  }
  const std::filesystem::path user_dir = std::filesystem::path(dir) / name;
  std::error_code ec;
  std::filesystem::create_directories(user_dir, ec);
  if (ec) return WriteFailure(user_dir.string(), ec.value());
  return WriteAtomically(user_dir / "freebusy", FreeBusyCalendar(what, busy));
}

}  // namespace magent::imip::internal
