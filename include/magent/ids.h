// Identifiers of sources, agents and events.
//
// Ids are small value types, unique within one runtime, never reused, and 0 means "none".
// They are distinct types so an AgentId cannot be passed where an EventId is expected.
#ifndef MAGENT_IDS_H_
#define MAGENT_IDS_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace magent {

template <typename Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(std::uint64_t value) : value_(value) {}
  constexpr std::uint64_t value() const { return value_; }
  constexpr explicit operator bool() const { return value_ != 0; }
  friend constexpr auto operator<=>(Id, Id) = default;
  std::string ToString() const { return std::to_string(value_); }

 private:
  std::uint64_t value_ = 0;
};

using SourceId = Id<struct SourceIdTag>;
using AgentId = Id<struct AgentIdTag>;
using EventId = Id<struct EventIdTag>;

}  // namespace magent

template <typename Tag>
struct std::hash<magent::Id<Tag>> {
  std::size_t operator()(magent::Id<Tag> id) const noexcept {
    return std::hash<std::uint64_t>()(id.value());
  }
};

#endif  // MAGENT_IDS_H_
