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
#include "parsed_calendar.h"

namespace magent::imip::internal {
namespace {

icaltimetype UtcTime(TimePoint t) {
  return icaltime_from_timet_with_zone(std::chrono::system_clock::to_time_t(t), 0,
                                       icaltimezone_get_utc_timezone());
}

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
  ComponentPtr calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//magent//imip//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icalcomponent* fb = icalcomponent_new(ICAL_VFREEBUSY_COMPONENT);
  icalcomponent_add_component(calendar.get(), fb);
  icalcomponent_add_property(fb, icalproperty_new_uid(("freebusy-" + what.user).c_str()));
  icalcomponent_add_property(fb, icalproperty_new_dtstamp(UtcTime(what.now)));
  icalcomponent_add_property(fb, icalproperty_new_dtstart(UtcTime(what.window.start)));
  icalcomponent_add_property(fb, icalproperty_new_dtend(UtcTime(what.window.end)));
  icalproperty* organizer = icalproperty_new_organizer(("mailto:" + what.user).c_str());
  if (!what.cn.empty())
    icalproperty_add_parameter(organizer, icalparameter_new_cn(what.cn.c_str()));
  icalcomponent_add_property(fb, organizer);
  for (const BusyPeriod& b : busy) {
    const TimePoint start = std::max(b.period.start, what.window.start);
    const TimePoint end = std::min(b.period.end, what.window.end);
    if (b.offer || start >= end) continue;
    icalperiodtype period = icalperiodtype_null_period();
    period.start = UtcTime(start);
    period.end = UtcTime(end);
    icalproperty* line = icalproperty_new_freebusy(period);
    icalproperty_add_parameter(line, icalparameter_new_fbtype(ICAL_FBTYPE_BUSY));
    icalcomponent_add_property(fb, line);
  }
  char* text = icalcomponent_as_ical_string_r(calendar.get());
  std::string out(text != nullptr ? text : "");
  free(text);
  return out;
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
