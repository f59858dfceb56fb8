// PastEventArchive's default QueryPage(), for archives that only implement Query(): the
// cursor names the last record returned, so pages continue after it whatever arrives.
#include <gtest/gtest.h>

#include "archive/failing_archive.h"
#include "archive/record_fixture.h"

namespace magent {
namespace {

using testing::Ids;
using testing::PastRecord;
using testing::TestEpoch;

// FailingArchive does not override QueryPage, so the default is what answers here.
class DefaultPagingTest : public ::testing::Test {
 protected:
  void Append(std::uint64_t first, std::uint64_t last) {
    std::vector<EventRecord> batch;
    for (std::uint64_t id = first; id <= last; ++id) batch.push_back(PastRecord(id, TestEpoch()));
    ASSERT_TRUE(archive_.Append(batch).ok());
  }
  testing::FailingArchive archive_;
};

TEST_F(DefaultPagingTest, PagesContinueAfterTheCursorWhileRecordsArrive) {
  Append(1, 5);
  Result<ArchivePage> first = archive_.QueryPage({.limit = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Ids(first->records), (std::vector<std::uint64_t>{5, 4}));
  EXPECT_EQ(first->next_cursor, "4");
  Append(6, 7);
  Result<ArchivePage> second = archive_.QueryPage({.cursor = first->next_cursor, .limit = 2});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(second->records), (std::vector<std::uint64_t>{3, 2}));
  Result<ArchivePage> last = archive_.QueryPage({.cursor = second->next_cursor, .limit = 2});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(Ids(last->records), (std::vector<std::uint64_t>{1}));
  EXPECT_TRUE(last->next_cursor.empty());
}

TEST_F(DefaultPagingTest, FiltersApplyAndBadOrStaleCursorsAreErrors) {
  Append(1, 3);
  Result<ArchivePage> page = archive_.QueryPage({.text = "event 2"});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(page->records), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(archive_.QueryPage({.cursor = "x"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(archive_.QueryPage({.cursor = "99"}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace magent
