// What a durable runtime refuses: a journal it cannot read or that another runtime holds,
// and events whose work it could not rebuild after a restart.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "magent/magent.h"
#include "testing/durable_runtime.h"

namespace magent {
namespace {

using testing::DurableRuntimeTest;

class JournalErrorsTest : public DurableRuntimeTest {
 protected:
  // Overwrites the middle of every file of the journal whose name ends in `suffix`.
  void Damage(const std::string& suffix) {
    for (const auto& entry : std::filesystem::directory_iterator(dir_.root() / "journal")) {
      const std::string name = entry.path().filename().string();
      if (name.size() < suffix.size() ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      const auto size = std::filesystem::file_size(entry.path());
      std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(size / 2));
      const std::string garbage(16, '\x5a');
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
  }
};

TEST_F(JournalErrorsTest, DamagedJournalFailsCreateWithCorruption) {
  Open();
  auto agent = MakeAgent();
  for (int i = 0; i < 100; ++i)
    Tick(*agent, "tick " + std::to_string(i), now() + std::chrono::hours(1));
  Crash();
  Damage(".log");

  auto runtime = TryOpen();
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.status().code(), StatusCode::kCorruption) << runtime.status().ToString();
}

TEST_F(JournalErrorsTest, JournalHeldByAnotherRuntimeFailsCreate) {
  Open();
  auto second = TryOpen();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("journal"), std::string::npos);
}

TEST_F(JournalErrorsTest, NotADirectoryFailsCreate) {
  std::ofstream(dir_.root() / "journal") << "not a database";
  EXPECT_FALSE(TryOpen().ok());
}

TEST_F(JournalErrorsTest, DurableRuntimeRefusesAKindWithoutFactory) {
  Open();
  auto agent = MakeAgent();
  auto id = agent->Schedule(testing::Spec("unregistered", testing::Succeed()));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(id.status().message().find("durable"), std::string::npos);
  // With a factory, work given in the spec is fine: it runs now.
  EXPECT_TRUE(agent->Schedule(testing::Spec("tick", testing::Succeed())).ok());
}

}  // namespace
}  // namespace magent
