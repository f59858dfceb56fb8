// A fresh directory for one test, removed with everything in it when the test ends.
#ifndef MAGENT_TESTS_TESTING_TEMP_DIR_H_
#define MAGENT_TESTS_TESTING_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace magent::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "magent-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory, or `name` inside it.
  std::string path(const std::string& name = "") const {
    return name.empty() ? path_.string() : (path_ / name).string();
  }
  const std::filesystem::path& root() const { return path_; }
  std::string operator/(const std::string& name) const { return path(name); }

 private:
  std::filesystem::path path_;
};

}  // namespace magent::testing

#endif  // MAGENT_TESTS_TESTING_TEMP_DIR_H_
