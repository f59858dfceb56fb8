#include "archive/record_filter.h"

#include <algorithm>

namespace magent::internal {

namespace {

// Whether `source` stands behind the event (ArchiveQuery::backed_by).
bool IsBackedBy(const EventRecord& r, SourceId source) {
  if (r.sources.empty()) return r.agent_source == source;
  return std::any_of(r.sources.begin(), r.sources.end(),
                     [&](const SourceWeight& s) { return s.source == source; });
}

// Whether `kind` is `top` or lies under it in the dotted hierarchy (ArchiveQuery::not_kinds).
bool IsKindUnder(std::string_view kind, std::string_view top) {
  return kind.starts_with(top) && (kind.size() == top.size() || kind[top.size()] == '.');
}

}  // namespace

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
  if (q_.source && r.agent_source != *q_.source) return false;
  if (q_.backed_by && !IsBackedBy(r, *q_.backed_by)) return false;
  if (q_.kind && r.kind != *q_.kind) return false;
  if (std::any_of(q_.not_kinds.begin(), q_.not_kinds.end(),
                  [&](const std::string& top) { return IsKindUnder(r.kind, top); })) {
    return false;
  }
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
