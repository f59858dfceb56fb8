#include "archive/record_filter.h"

#include <algorithm>

namespace magent::internal {

std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

RecordFilter::RecordFilter(const ArchiveQuery& query) : q_(query) {
  if (q_.text) folded_text_ = FoldCase(*q_.text);
}

bool RecordFilter::MatchesExceptTime(const EventRecord& r) const {
  if (q_.agent && r.agent != *q_.agent) return false;
  if (q_.source && r.agent_source != *q_.source &&
      std::none_of(r.sources.begin(), r.sources.end(),
                   [&](const SourceWeight& s) { return s.source == *q_.source; })) {
    return false;
  }
  if (q_.kind && r.kind != *q_.kind) return false;
  if (q_.outcome && r.outcome != *q_.outcome) return false;
  if (q_.text && FoldCase(r.goal.English()).find(folded_text_) == std::string::npos &&
      FoldCase(r.result.English()).find(folded_text_) == std::string::npos) {
    return false;
  }
  return true;
}

bool RecordFilter::Matches(const EventRecord& r) const {
  if (q_.finished_from && r.finished < *q_.finished_from) return false;
  if (q_.finished_until && r.finished >= *q_.finished_until) return false;
  return MatchesExceptTime(r);
}

}  // namespace magent::internal
