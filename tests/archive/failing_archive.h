// A hard archive that can be told to fail, to check what happens to records it refuses.
#ifndef MAGENT_TESTS_ARCHIVE_FAILING_ARCHIVE_H_
#define MAGENT_TESTS_ARCHIVE_FAILING_ARCHIVE_H_

#include <atomic>

#include "magent/archive.h"

namespace magent::testing {

class FailingArchive final : public PastEventArchive {
 public:
  Status Append(std::vector<EventRecord>& records) override {
    ++appends;
    if (failing) return Status::Unavailable("disk full");
    return inner.Append(records);
  }
  Result<EventRecord> Get(EventId id) const override { return inner.Get(id); }
  std::vector<EventRecord> Query(const ArchiveQuery& query) const override {
    return inner.Query(query);
  }
  std::size_t size() const override { return inner.size(); }

  std::atomic<bool> failing{false};
  std::atomic<int> appends{0};
  MemoryArchive inner{{.max_events = 1000000}};
};

}  // namespace magent::testing

#endif  // MAGENT_TESTS_ARCHIVE_FAILING_ARCHIVE_H_
