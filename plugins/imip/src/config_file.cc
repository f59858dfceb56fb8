#include "config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace magent::imip::internal {
namespace {

Status Unreadable(const std::string& path, const std::string& why) {
  return ConfigurationError("'" + path + "' cannot be read: " + why);
}

Status FromErrno(const std::string& path, int error) {
  return Unreadable(path, std::strerror(error));
}

// Only a regular file is read: a FIFO or a device could block or never end.
Status CheckRegular(const std::string& path, const struct stat& st, std::size_t max_bytes) {
  if (S_ISDIR(st.st_mode)) return Unreadable(path, "it is a directory");
  if (!S_ISREG(st.st_mode)) return Unreadable(path, "it is not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return Unreadable(path, "larger than " + std::to_string(max_bytes) + " bytes");
  }
  return Status::OK();
}

}  // namespace

Result<std::string> ReadConfigFile(const std::string& path, std::size_t max_bytes) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    const int error = errno;
    struct stat link {};
    if (error == ENOENT && lstat(path.c_str(), &link) != 0) {
      return Status::NotFound("no file '" + path + "'");
    }
    return error == ENOENT ? Unreadable(path, "a link to nothing") : FromErrno(path, error);
  }
  if (Status s = CheckRegular(path, st, max_bytes); !s.ok()) return s;
  // O_NONBLOCK: should a FIFO take the file's place after the check, opening it does not
  // wait for a writer, and the check on the open file refuses it.
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return FromErrno(path, errno);
  std::string text;
  Status status = fstat(fd, &st) == 0 ? CheckRegular(path, st, max_bytes) : FromErrno(path, errno);
  // The limit holds while reading too: the file may have grown since it was checked.
  char buffer[8192];
  while (status.ok()) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = FromErrno(path, errno);
    } else if (n == 0) {
      break;
    } else if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
      status = Unreadable(path, "larger than " + std::to_string(max_bytes) + " bytes");
    } else {
      text.append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  if (!status.ok()) return status;
  return text;
}

}  // namespace magent::imip::internal
