// The Sentinel's base: level names, the default privacy rule, AllowAllSentinel.
#include "magent/sentinel.h"

#include <algorithm>

namespace magent {

std::string_view ClearanceName(Clearance clearance) {
  switch (clearance) {
    case Clearance::kPublic:
      return "public";
    case Clearance::kLow:
      return "low";
    case Clearance::kHigh:
      return "high";
    case Clearance::kPrivate:
      return "private";
  }
  return "unknown";
}

bool Sentinel::MaySeePrivate(SourceId viewer, const EventRecord& record) const {
  if (viewer == record.agent_source) return true;
  return std::any_of(record.sources.begin(), record.sources.end(),
                     [viewer](const SourceWeight& s) { return s.source == viewer; });
}

Decision AllowAllSentinel::Decide(const AuthRequest& /*request*/) { return Decision::Allow(); }

}  // namespace magent
