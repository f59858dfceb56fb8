// FileArchive: the least durable archive, for the crash test. Each Append is one write(2)
// of fixed-size records (id, outcome) to a file, so a process killed with SIGKILL leaves
// every appended batch on disk (in the operating system's cache) and at most a partial
// last record, which the next open ignores. Get answers from the ids read at open and
// appended since; it keeps no other field.
#ifndef MAGENT_TESTS_TESTING_FILE_ARCHIVE_H_
#define MAGENT_TESTS_TESTING_FILE_ARCHIVE_H_

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "magent/archive.h"

namespace magent::testing {

class FileArchive final : public PastEventArchive {
 public:
  static constexpr std::size_t kRecord = 9;  // 8 bytes of id, 1 of outcome.

  explicit FileArchive(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND, 0644);
    char record[kRecord];
    while (::read(fd_, record, kRecord) == static_cast<ssize_t>(kRecord)) {
      std::uint64_t id;
      std::memcpy(&id, record, 8);
      appended_.push_back(EventId(id));
      outcomes_[EventId(id)] = static_cast<Outcome>(record[8]);
    }
  }
  ~FileArchive() override { ::close(fd_); }
  bool ok() const { return fd_ >= 0; }

  Status Append(std::vector<EventRecord>& records) override {
    std::vector<char> bytes(records.size() * kRecord);
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::uint64_t id = records[i].id.value();
      std::memcpy(&bytes[i * kRecord], &id, 8);
      bytes[i * kRecord + 8] = static_cast<char>(records[i].outcome);
    }
    if (::write(fd_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
      return Status::Unavailable("write failed");
    }
    std::lock_guard lock(mu_);
    for (const EventRecord& r : records) {
      appended_.push_back(r.id);
      outcomes_[r.id] = r.outcome;
    }
    records.clear();
    return Status::OK();
  }
  Result<EventRecord> Get(EventId id) const override {
    std::lock_guard lock(mu_);
    auto it = outcomes_.find(id);
    if (it == outcomes_.end()) return Status::NotFound("not archived");
    EventRecord r;
    r.id = id;
    r.state = EventState::kPast;
    r.outcome = it->second;
    return r;
  }
  std::vector<EventRecord> Query(const ArchiveQuery&) const override { return {}; }
  std::size_t size() const override {
    std::lock_guard lock(mu_);
    return appended_.size();
  }
  // Every id appended, in order, repeats included.
  std::vector<EventId> appended() const {
    std::lock_guard lock(mu_);
    return appended_;
  }

 private:
  int fd_ = -1;
  mutable std::mutex mu_;
  std::vector<EventId> appended_;                  // Guarded by mu_.
  std::unordered_map<EventId, Outcome> outcomes_;  // Guarded by mu_.
};

}  // namespace magent::testing

#endif  // MAGENT_TESTS_TESTING_FILE_ARCHIVE_H_
