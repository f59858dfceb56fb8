// The defaults of PastEventArchive: appending a batch through Append(), and paging for
// archives that only implement Query().
#include "magent/archive.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace magent {

Status PastEventArchive::AppendBatch(PastRecordBatch& batch) {
  std::vector<EventRecord> records(batch.size());
  for (std::size_t i = 0; i < records.size(); ++i) batch.Decode(i, records[i]);
  Status s = Append(records);
  if (s.ok()) batch.Clear();
  return s;
}

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
