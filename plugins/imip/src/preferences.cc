#include "magent/imip/preferences.h"

#include <filesystem>
#include <sstream>

#include "config_file.h"
#include "file_names.h"

namespace magent::imip {
namespace {

using internal::SafeFileName;

std::string_view Trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<SystemConfig> SystemConfig::Load(const std::string& path) {
  auto text = internal::ReadConfigFile(path);
  if (text.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("no configuration file '" + path + "'");
  }
  if (!text.ok()) return text.status();
  auto config = Parse(*text);
  if (!config.ok()) return Status::InvalidArgument(path + ": " + config.status().message());
  return config;
}

Result<SystemConfig> SystemConfig::Parse(std::string_view text) {
  SystemConfig config;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) continue;
    const auto equals = line.find('=');
    const std::string_view name = Trim(line.substr(0, equals));
    if (equals == std::string_view::npos || name.empty() ||
        name.find_first_of(" \t") != std::string_view::npos) {
      return Status::InvalidArgument("line " + std::to_string(number) +
                                     ": expected NAME = value, got '" + std::string(line) + "'");
    }
    std::string_view value = Trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    config.values_[std::string(name)] = std::string(value);
  }
  return config;
}

std::optional<std::string> SystemConfig::Get(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Result<Preferences> Preferences::Open(const std::string& dir, std::string_view user,
                                      const SystemConfig& config) {
  const std::string uri = "mailto:" + std::string(user);
  if (!SafeFileName(user) || !SafeFileName(uri)) {
    // Appended, not "'" + std::string(user): GCC 12 at -O3 warns (-Wrestrict) on
    // inserting before a moved string, falsely.
    return Status::InvalidArgument(
        std::string("'").append(user).append("' cannot name a preferences directory"));
  }
  Preferences prefs;
  prefs.config_ = &config;
  if (dir.empty()) return prefs;
  namespace fs = std::filesystem;
  prefs.path_ = (fs::path(dir) / uri).string();
  std::error_code ec;
  // Only nothing at all is "no preferences" (nothing there, or a name longer than any
  // directory's can be): a dangling link is an error, as is a file in place of the
  // directory or of the root (ENOTDIR), or a directory that cannot be listed.
  (void)fs::symlink_status(prefs.path_, ec);
  if (ec == std::errc::no_such_file_or_directory || ec == std::errc::filename_too_long) {
    return prefs;
  }
  for (fs::directory_iterator it(prefs.path_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with('.')) continue;  // No setting's name does.
    auto text = internal::ReadConfigFile(it->path().string());
    if (text.status().code() == StatusCode::kNotFound) continue;  // Removed since listed.
    if (!text.ok()) return internal::ConfigurationError("preference " + text.status().message());
    prefs.files_.emplace(std::move(name), std::string(Trim(*text)));
  }
  if (ec) {
    return internal::ConfigurationError("preferences '" + prefs.path_ +
                                        "' cannot be read: " + ec.message());
  }
  prefs.exists_ = true;
  return prefs;
}

std::string Preferences::Get(std::string_view name, std::string_view default_name,
                             std::string_view fallback) const {
  if (auto it = files_.find(name); it != files_.end()) return it->second;
  if (!default_name.empty() && config_ != nullptr) {
    if (auto value = config_->Get(default_name)) return *value;
  }
  return std::string(fallback);
}

std::vector<std::string> Preferences::Lines(std::string_view name, std::string_view default_name,
                                            std::string_view fallback) const {
  std::vector<std::string> lines;
  std::istringstream in(Get(name, default_name, fallback));
  for (std::string line; std::getline(in, line);) {
    if (std::string_view trimmed = Trim(line); !trimmed.empty()) lines.emplace_back(trimmed);
  }
  return lines;
}

std::string Preferences::Origin(std::string_view name) const {
  if (!files_.contains(name)) return "the default";
  return "'" + (std::filesystem::path(path_) / std::string(name)).string() + "'";
}

}  // namespace magent::imip
