// Names of enumerators, as shown to people and in JSON.
#include "magent/agent.h"
#include "magent/event.h"

namespace magent {

std::string_view EventStateName(EventState state) {
  switch (state) {
    case EventState::kFuture:
      return "future";
    case EventState::kCurrent:
      return "current";
    case EventState::kPast:
      return "past";
  }
  return "unknown";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNone:
      return "none";
    case Outcome::kSucceeded:
      return "succeeded";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kKilled:
      return "killed";
    case Outcome::kTimedOut:
      return "timed-out";
    case Outcome::kCancelled:
      return "cancelled";
    case Outcome::kExpired:
      return "expired";
    case Outcome::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

std::string_view ChangedFieldName(ChangedField field) {
  switch (field) {
    case ChangedField::kDue:
      return "due";
    case ChangedField::kAllowable:
      return "allowable";
    case ChangedField::kGoal:
      return "goal";
    case ChangedField::kPayload:
      return "payload";
    case ChangedField::kMoreTime:
      return "more-time";
  }
  return "unknown";
}

std::string_view AgentStateName(AgentState state) {
  switch (state) {
    case AgentState::kActive:
      return "active";
    case AgentState::kFrozen:
      return "frozen";
    case AgentState::kRetired:
      return "retired";
    case AgentState::kKilled:
      return "killed";
    case AgentState::kRemoved:
      return "removed";
  }
  return "unknown";
}

}  // namespace magent
