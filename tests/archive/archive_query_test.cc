// What the query filters mean, asked of every archive alike (MemoryArchive, a
// LevelDbArchive on disk, a TieredArchive over one): `source` is the agent's source,
// `backed_by` the sources an event lists, `not_kinds` leaves kinds out; every page of a
// query, walked by its cursors, holds each match once.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "archive/record_fixture.h"
#include "magent/leveldb_archive.h"
#include "magent/tiered_archive.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

using namespace std::chrono_literals;
using testing::Ids;
using testing::PastRecord;
using testing::TestEpoch;

using ArchiveMaker = std::function<std::shared_ptr<PastEventArchive>(const std::string& dir)>;

struct ArchiveKind {
  std::string name;
  ArchiveMaker make;
};

void PrintTo(const ArchiveKind& kind, std::ostream* os) { *os << kind.name; }

std::shared_ptr<LevelDbArchive> OpenLevelDb(const std::string& dir) {
  auto archive = LevelDbArchive::Open({.path = dir});
  EXPECT_TRUE(archive.ok()) << archive.status().ToString();
  return archive.ok() ? std::shared_ptr<LevelDbArchive>(std::move(archive).value()) : nullptr;
}

class ArchiveQueryTest : public ::testing::TestWithParam<ArchiveKind> {
 protected:
  // Eight records, finished a minute apart in id order:
  //   id  kind                 agent  agent's source  sources (empty: the agent's)
  //   1   find                 1      1
  //   2   sentinel.decision    1      1
  //   3   buy                  2      2               2, and 1 with weight 2
  //   4   sentinel             1      1
  //   5   sentinels            1      1
  //   6   find                 3      2
  //   7   buy                  1      1               3 alone
  //   8   sentinel.decision.x  2      2               1 alone
  void SetUp() override {
    archive_ = GetParam().make(dir_.path());
    ASSERT_NE(archive_, nullptr);
    const struct {
      const char* kind;
      std::uint64_t agent, agent_source;
      std::vector<SourceWeight> sources;
    } rows[] = {
        {"find", 1, 1, {}},
        {"sentinel.decision", 1, 1, {}},
        {"buy", 2, 2, {{SourceId(2), 1.0}, {SourceId(1), 2.0}}},
        {"sentinel", 1, 1, {}},
        {"sentinels", 1, 1, {}},
        {"find", 3, 2, {}},
        {"buy", 1, 1, {{SourceId(3), 1.0}}},
        {"sentinel.decision.x", 2, 2, {{SourceId(1), 1.0}}},
    };
    std::vector<EventRecord> records;
    std::uint64_t id = 0;
    for (const auto& row : rows) {
      ++id;
      EventRecord r = PastRecord(id, TestEpoch() + id * 1min, row.kind);
      r.agent = AgentId(row.agent);
      r.agent_source = SourceId(row.agent_source);
      r.sources = row.sources;
      records.push_back(std::move(r));
    }
    ASSERT_TRUE(archive_->Append(records).ok());
  }

  // The ids `query` finds, in one page and walked in pages of two; both must agree.
  std::vector<std::uint64_t> Find(ArchiveQuery query) const {
    Result<ArchivePage> whole = archive_->QueryPage(query);
    EXPECT_TRUE(whole.ok()) << whole.status().ToString();
    if (!whole.ok()) return {};
    EXPECT_TRUE(whole->next_cursor.empty());
    std::vector<std::uint64_t> paged;
    query.limit = 2;
    for (int pages = 0; pages < 10; ++pages) {
      Result<ArchivePage> page = archive_->QueryPage(query);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (std::uint64_t id : Ids(page->records)) paged.push_back(id);
      if (page->next_cursor.empty()) break;
      EXPECT_EQ(page->records.size(), 2u) << "a page with a cursor is full";
      query.cursor = page->next_cursor;
    }
    EXPECT_EQ(paged, Ids(whole->records)) << "pages of two disagree with one page";
    return Ids(whole->records);
  }

  testing::TempDir dir_;
  std::shared_ptr<PastEventArchive> archive_;
};

using Expected = std::vector<std::uint64_t>;

TEST_P(ArchiveQueryTest, SourceMeansTheEventsOfItsAgentsIssue16) {
  // Not 8, whose only event source is 1: it is an event of source 2's agent.
  EXPECT_EQ(Find({.source = SourceId(1)}), (Expected{7, 5, 4, 2, 1}));
  EXPECT_EQ(Find({.source = SourceId(2)}), (Expected{8, 6, 3}));
  EXPECT_EQ(Find({.source = SourceId(3)}), Expected{});  // It owns no agent.
}

TEST_P(ArchiveQueryTest, BackedByMeansTheEventsThatListTheSourceIssue16) {
  // Not 7: its agent is source 1's, but it lists source 3 alone.
  EXPECT_EQ(Find({.backed_by = SourceId(1)}), (Expected{8, 5, 4, 3, 2, 1}));
  EXPECT_EQ(Find({.backed_by = SourceId(2)}), (Expected{6, 3}));
  EXPECT_EQ(Find({.backed_by = SourceId(3)}), (Expected{7}));
  EXPECT_EQ(Find({.source = SourceId(2), .backed_by = SourceId(1)}), (Expected{8, 3}));
  EXPECT_EQ(Find({.agent = AgentId(1), .backed_by = SourceId(3)}), (Expected{7}));
}

TEST_P(ArchiveQueryTest, NotKindsLeaveKindsAndTheKindsUnderThemOutIssue16) {
  EXPECT_EQ(Find({.not_kinds = {"sentinel"}}), (Expected{7, 6, 5, 3, 1}));
  EXPECT_EQ(Find({.not_kinds = {"sentinel.decision", "buy"}}), (Expected{6, 5, 4, 1}));
  EXPECT_EQ(Find({.agent = AgentId(1), .not_kinds = {"sentinel"}}), (Expected{7, 5, 1}));
  EXPECT_EQ(Find({.kind = "find", .not_kinds = {"find"}}), Expected{});
  // Neither a prefix that stops inside a word nor one of the kinds under another.
  EXPECT_EQ(Find({.not_kinds = {"sent", "sentinel.decision.x.y", "fin"}}),
            (Expected{8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST_P(ArchiveQueryTest, PagesWithTheNewFiltersNeitherRepeatNorSkipIssue16) {
  // Find() walks every query in pages of two; here the matches are far apart.
  EXPECT_EQ(Find({.source = SourceId(1), .not_kinds = {"sentinel", "sentinels"}}),
            (Expected{7, 1}));
  EXPECT_EQ(Find({.backed_by = SourceId(1), .not_kinds = {"sentinel"}}), (Expected{5, 3, 1}));
  EXPECT_EQ(Find({.not_kinds = {"buy", "find"},
                  .finished_from = TestEpoch() + 2min,
                  .finished_until = TestEpoch() + 8min}),
            (Expected{5, 4, 2}));
}

INSTANTIATE_TEST_SUITE_P(
    EveryArchive, ArchiveQueryTest,
    ::testing::Values(
        ArchiveKind{"Memory",
                    [](const std::string&) -> std::shared_ptr<PastEventArchive> {
                      return std::make_shared<MemoryArchive>();
                    }},
        ArchiveKind{"LevelDb",
                    [](const std::string& dir) -> std::shared_ptr<PastEventArchive> {
                      return OpenLevelDb(dir);
                    }},
        // Nothing handed over before the first query: it must hand over, then ask LevelDB.
        ArchiveKind{"Tiered",
                    [](const std::string& dir) -> std::shared_ptr<PastEventArchive> {
                      auto hard = OpenLevelDb(dir);
                      if (!hard) return nullptr;
                      return std::make_shared<TieredArchive>(
                          MemoryArchiveOptions{.hand_over_count = 1000}, hard);
                    }}),
    [](const ::testing::TestParamInfo<ArchiveKind>& param) { return param.param.name; });

}  // namespace
}  // namespace magent
