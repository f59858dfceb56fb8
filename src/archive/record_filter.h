// Whether an archived record matches a query's filters; shared by every archive so they
// agree on what a filter means.
#ifndef MAGENT_SRC_ARCHIVE_RECORD_FILTER_H_
#define MAGENT_SRC_ARCHIVE_RECORD_FILTER_H_

#include <string>
#include <string_view>

#include "magent/archive.h"

namespace magent::internal {

// Lower-cases ASCII letters; other bytes (UTF-8 included) stay as they are.
std::string FoldCase(std::string_view s);

// A query's filters, with the text folded once rather than per record.
class RecordFilter {
 public:
  explicit RecordFilter(const ArchiveQuery& query);
  // Every filter but the time range.
  bool MatchesExceptTime(const EventRecord& r) const;
  bool Matches(const EventRecord& r) const;

 private:
  const ArchiveQuery& q_;
  std::string folded_text_;
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_RECORD_FILTER_H_
