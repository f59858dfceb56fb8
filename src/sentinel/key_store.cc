// FileKeyStore and MemoryKeyStore: where sources' signing keys outlive the process.
#include "magent/key_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace magent {
namespace {

Status Failure(const std::string& what, const std::string& path, int error) {
  return Status::Unavailable("cannot " + what + " signing key file '" + path +
                             "': " + std::strerror(error));
}

// Syncs `dir`, so that a rename in it survives a crash of the machine.
int SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int error = ::fsync(fd) != 0 ? errno : 0;
  ::close(fd);
  return error;
}

}  // namespace

FileKeyStore::FileKeyStore(std::string directory) : directory_(std::move(directory)) {}

std::string FileKeyStore::PathOf(SourceId source) const {
  return directory_ + "/source-" + source.ToString() + ".key";
}

Status FileKeyStore::Put(SourceId source, std::string_view key) {
  // Only the runtime's user may enter the directory or read a key.
  if (::mkdir(directory_.c_str(), 0700) != 0 && errno != EEXIST) {
    return Failure("make the directory of", directory_, errno);
  }
  const std::string path = PathOf(source);
  const std::string temp = path + ".tmp";
  // One runtime at a time holds the journal, and one call at a time puts a source's key
  // (when the source is created): the temporary name is the writer's own.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Failure("write", temp, errno);
  int error = ::fchmod(fd, 0600) != 0 ? errno : 0;  // A leftover file keeps its old mode.
  std::size_t written = 0;
  while (written < key.size() && error == 0) {
    const ssize_t n = ::write(fd, key.data() + written, key.size() - written);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) written += static_cast<std::size_t>(n);
  }
  // The bytes are on disk before the name points at them: a crash leaves a whole key.
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error == 0) error = SyncDirectory(directory_);
  if (error != 0) {
    ::unlink(temp.c_str());
    return Failure("write", path, error);
  }
  return Status::OK();
}

Result<std::string> FileKeyStore::Get(SourceId source) const {
  const std::string path = PathOf(source);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("no signing key file '" + path + "'");
    return Failure("read", path, errno);
  }
  std::string key;
  char buffer[4096];
  int error = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    key.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (error != 0) return Failure("read", path, error);
  return key;
}

Status MemoryKeyStore::Put(SourceId source, std::string_view key) {
  std::lock_guard lock(mu_);
  keys_.insert_or_assign(source, std::string(key));
  return Status::OK();
}

Result<std::string> MemoryKeyStore::Get(SourceId source) const {
  std::lock_guard lock(mu_);
  auto it = keys_.find(source);
  if (it == keys_.end()) {
    return Status::NotFound("the key store has no key for source " + source.ToString());
  }
  return it->second;
}

}  // namespace magent
