#include "quota_group.h"

#include <libical/ical.h>

#include <filesystem>
#include <sstream>

#include "ascii_case.h"
#include "config_file.h"
#include "file_names.h"
#include "magent/imip/address.h"
#include "time_values.h"

namespace magent::imip::internal {
namespace {

// The file's lines that say something, with their line numbers; none if it is missing.
// A ConfigurationError for a file that cannot be read (see ReadConfigFile).
Result<std::vector<std::pair<int, std::string>>> Lines(const std::filesystem::path& path) {
  std::vector<std::pair<int, std::string>> out;
  auto text = ReadConfigFile(path.string());
  if (text.status().code() == StatusCode::kNotFound) return out;
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::istringstream words(line);
    std::string first;
    if (!(words >> first) || first.starts_with('#')) continue;
    out.emplace_back(number, line);
  }
  return out;
}

std::optional<QuotaLimit> ReadLimit(const std::string& text) {
  if (text == "*" || text == "unlimited") return QuotaLimit{.unlimited = true};
  const icaldurationtype d = icaldurationtype_from_string(text.c_str());
  if (icaldurationtype_is_bad_duration(d) || d.is_neg) return std::nullopt;
  const auto seconds = DurationSeconds(d);
  if (!seconds) return std::nullopt;
  return QuotaLimit{.time = std::chrono::seconds(*seconds)};
}

std::optional<std::string> ReadIdentity(const std::string& text) {
  if (text == "*") return text;
  if (text.starts_with('@') && text.size() > 1) return AsciiLower(text);
  std::string address = CanonicalAddress(text);
  if (address.empty() || address.find('@') == std::string::npos) return std::nullopt;
  return address;
}

// A user group's name: a word that cannot be read as an identity.
bool IsUserGroupName(const std::string& text) {
  return !text.empty() && text != "*" && text.find_first_of("@:") == std::string::npos &&
         SafeFileName(text);
}

// The value of the first of `organizer`'s own, its domain's and `*`'s lines.
template <typename Value>
const Value* Lookup(const std::vector<std::pair<std::string, Value>>& lines,
                    std::string_view organizer) {
  const std::string domain(organizer.substr(std::min(organizer.rfind('@'), organizer.size())));
  for (const std::string_view wanted :
       {organizer, std::string_view(domain), std::string_view("*")}) {
    for (const auto& [identity, value] : lines) {
      if (!wanted.empty() && identity == wanted) return &value;
    }
  }
  return nullptr;
}

}  // namespace

std::string QuotaGroup::HolderOf(std::string_view organizer) const {
  const std::string* group = Lookup(user_groups, organizer);
  return group ? *group : std::string(organizer);
}

std::optional<QuotaLimit> QuotaGroup::LimitFor(std::string_view organizer) const {
  if (const std::string* group = Lookup(user_groups, organizer)) {
    for (const auto& [identity, limit] : limits) {
      if (identity == *group) return limit;
    }
  }
  const QuotaLimit* limit = Lookup(limits, organizer);
  return limit ? std::optional(*limit) : std::nullopt;
}

Result<QuotaGroup> LoadQuotaGroup(const std::string& dir, std::string_view name) {
  if (!SafeFileName(name)) {
    return Status::InvalidArgument("'" + std::string(name) + "' is no quota group name");
  }
  const std::filesystem::path path = std::filesystem::path(dir) / std::string(name);
  if (dir.empty() || !std::filesystem::is_directory(path)) {
    return Status::NotFound("quota group '" + std::string(name) + "' has no directory in '" + dir +
                            "'");
  }
  QuotaGroup group{.name = std::string(name)};
  auto limits = Lines(path / "limits");
  if (!limits.ok()) return limits.status();
  for (const auto& [number, line] : *limits) {
    std::istringstream words(line);
    std::string identity, limit, more;
    words >> identity >> limit;
    auto who = IsUserGroupName(identity) ? identity : ReadIdentity(identity);
    auto how_much = ReadLimit(limit);
    if (!who || !how_much || (words >> more)) {
      return Status::InvalidArgument((path / "limits").string() + " line " +
                                     std::to_string(number) + ": not 'IDENTITY LIMIT'");
    }
    group.limits.emplace_back(std::move(*who), *how_much);
  }
  auto delegates = Lines(path / "delegates");
  if (!delegates.ok()) return delegates.status();
  for (const auto& [number, line] : *delegates) {
    std::istringstream words(line);
    std::string address, more;
    words >> address;
    std::string delegate = CanonicalAddress(address);
    if (delegate.empty() || (words >> more)) {
      return Status::InvalidArgument((path / "delegates").string() + " line " +
                                     std::to_string(number) + ": not one address");
    }
    group.delegates.push_back(std::move(delegate));
  }
  auto groups = Lines(path / "groups");
  if (!groups.ok()) return groups.status();
  for (const auto& [number, line] : *groups) {
    std::istringstream words(line);
    std::string identity, user_group, more;
    words >> identity >> user_group;
    auto who = ReadIdentity(identity);
    if (!who || !IsUserGroupName(user_group) || (words >> more)) {
      return Status::InvalidArgument((path / "groups").string() + " line " +
                                     std::to_string(number) + ": not 'IDENTITY USERGROUP'");
    }
    group.user_groups.emplace_back(std::move(*who), std::move(user_group));
  }
  return group;
}

}  // namespace magent::imip::internal
