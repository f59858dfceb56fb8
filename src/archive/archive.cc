// The default paging of PastEventArchive, for archives that only implement Query().
#include "magent/archive.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace magent {

Result<ArchivePage> PastEventArchive::QueryPage(const ArchiveQuery& query) const {
  ArchiveQuery all = query;
  all.cursor.clear();
  all.limit = std::numeric_limits<std::size_t>::max();
  std::vector<EventRecord> records = Query(all);
  auto first = records.begin();
  if (!query.cursor.empty()) {
    std::uint64_t after = 0;
    const char* end = query.cursor.data() + query.cursor.size();
    if (std::from_chars(query.cursor.data(), end, after).ptr != end) {
      return Status::InvalidArgument("bad archive cursor '" + query.cursor + "'");
    }
    first = std::find_if(records.begin(), records.end(),
                         [after](const EventRecord& r) { return r.id.value() == after; });
    if (first == records.end()) {
      return Status::NotFound("the cursor's event " + query.cursor + " is no longer archived");
    }
    ++first;
  }
  ArchivePage page;
  const auto n = std::min<std::size_t>(query.limit, records.end() - first);
  page.records.assign(std::make_move_iterator(first), std::make_move_iterator(first + n));
  if (first + n != records.end() && !page.records.empty()) {
    page.next_cursor = page.records.back().id.ToString();
  }
  return page;
}

}  // namespace magent
