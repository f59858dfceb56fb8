#include "freebusy_check.h"

#include <algorithm>

namespace magent::imip::internal {

std::optional<BusyPeriod> FirstConflict(const std::vector<BusyPeriod>& busy, Period wanted,
                                        int capacity, std::string_view own_uid) {
  // A sweep over the others' starts and ends inside `wanted`: the event itself is one
  // more at every instant, so the others may reach capacity - 1.
  struct Edge {
    UtcTime at;
    int delta;  // -1 sorts first: a period ending as another starts does not overlap it.
    const BusyPeriod* period;
  };
  std::vector<Edge> edges;
  for (const BusyPeriod& b : busy) {
    if (b.uid == own_uid) continue;
    const UtcTime start = std::max(b.period.start, wanted.start);
    const UtcTime end = std::min(b.period.end, wanted.end);
    if (start >= end) continue;
    edges.push_back({start, +1, &b});
    edges.push_back({end, -1, &b});
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.at != b.at ? a.at < b.at : a.delta < b.delta;
  });
  int others = 0;
  for (const Edge& e : edges) {
    others += e.delta;
    if (others + 1 > capacity) return *e.period;
  }
  return std::nullopt;
}

}  // namespace magent::imip::internal
