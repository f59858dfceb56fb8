// magentctl archive, run as a program against a LevelDB archive the test filled: what it
// prints (table and JSON), its filters and pages, and its errors and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <sysexits.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "magent/leveldb_archive.h"
#include "testing/manual_runtime.h"
#include "testing/temp_dir.h"

namespace magent {
namespace {

using namespace std::chrono_literals;

struct Exit {
  int code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class MagentctlTest : public ::testing::Test {
 protected:
  // Ten events of agents 1 and 2, finished a minute apart from the test epoch on:
  // event i has kind "find" when even, "buy" when odd; event 7 failed.
  void SetUp() override {
    auto archive = LevelDbArchive::Open({.path = db()});
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    std::vector<EventRecord> records;
    for (std::uint64_t i = 1; i <= 10; ++i) {
      EventRecord r;
      r.id = EventId(i);
      r.kind = i % 2 == 0 ? "find" : "buy";
      r.agent = AgentId(i <= 5 ? 1 : 2);
      r.agent_source = SourceId(1);
      r.state = EventState::kPast;
      r.outcome = i == 7 ? Outcome::kFailed : Outcome::kSucceeded;
      r.goal = Text(i == 4 ? "Find a copy of 'Java in a Nutshell'" : "Event " + std::to_string(i));
      r.result = Text("Done");
      r.finished = testing::TestEpoch() + i * 1min;
      records.push_back(r);
    }
    ASSERT_TRUE((*archive)->Append(records).ok());
  }

  std::string db() const { return dir_.path("archive"); }

  // Appends `r`, a Past record, to the archive the test filled.
  void Add(EventRecord r) const {
    auto archive = LevelDbArchive::Open({.path = db()});
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    r.state = EventState::kPast;
    std::vector<EventRecord> records{std::move(r)};
    ASSERT_TRUE((*archive)->Append(records).ok());
  }

  static EventRecord Record(std::uint64_t id, std::string kind, std::uint64_t agent,
                            std::uint64_t agent_source, Outcome outcome = Outcome::kSucceeded) {
    EventRecord r;
    r.id = EventId(id);
    r.kind = std::move(kind);
    r.agent = AgentId(agent);
    r.agent_source = SourceId(agent_source);
    r.outcome = outcome;
    r.goal = Text("Event " + std::to_string(id));
    r.result = Text("Done");
    r.finished = testing::TestEpoch() + id * 1min;
    return r;
  }

  Exit Magentctl(const std::vector<std::string>& args) const {
    std::string command = MAGENTCTL_PATH;
    for (const std::string& a : args) command += " " + Quote(a);
    const std::string out = dir_.path("out"), err = dir_.path("err");
    const int status = std::system((command + " >" + out + " 2>" + err).c_str());
    Exit run;
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = Slurp(out);
    run.err = Slurp(err);
    return run;
  }

  // The ids in a JSON answer, in order.
  static std::vector<std::uint64_t> Ids(const Exit& run) {
    std::vector<std::uint64_t> ids;
    const boost::json::value doc = boost::json::parse(run.out);
    for (const auto& e : doc.at("events").as_array())
      ids.push_back(e.at("id").to_number<std::uint64_t>());
    return ids;
  }

  testing::TempDir dir_;
};

TEST_F(MagentctlTest, PrintsATableNewestFirst) {
  const Exit run = Magentctl({"archive", "--db", db(), "--limit", "3"});
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_NE(header.find("OUTCOME"), std::string::npos);
  EXPECT_EQ(first.rfind("10 ", 0), 0u) << first;
  EXPECT_NE(first.find("2026-11-22T09:10:00Z"), std::string::npos) << first;
  EXPECT_NE(first.find("Event 10 -> Done"), std::string::npos) << first;
  EXPECT_EQ(second.rfind("9 ", 0), 0u) << second;
  EXPECT_NE(run.out.find("3 events\nmore: --cursor "), std::string::npos) << run.out;
}

TEST_F(MagentctlTest, TheTableShowsControlCharactersInsteadOfSendingThemIssue15) {
  {
    auto archive = LevelDbArchive::Open({.path = db()});
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    EventRecord r;
    r.id = EventId(11);
    r.kind = "imip.request";
    r.agent = AgentId(1);
    r.agent_source = SourceId(1);
    r.state = EventState::kPast;
    r.outcome = Outcome::kSucceeded;
    // A retitle (OSC), a colour (CSI), a C1 CSI, a lone Latin-1 CSI byte, a bidi override
    // and a forged table row.
    r.goal = Text(
        "Handle '\x1b]2;owned\x07\x1b[31mred\xc2\x9b"
        "2J\x9b\xe2\x80\xae"
        "evil'");
    r.result = Text("Done\n12        2026-11-22T10:00:00Z  1       forged");
    r.finished = testing::TestEpoch() + 11min;
    std::vector<EventRecord> records{r};
    ASSERT_TRUE((*archive)->Append(records).ok());
  }
  const Exit run = Magentctl({"archive", "--db", db(), "--limit", "1"});
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header, row, count;
  std::getline(lines, header);
  std::getline(lines, row);
  std::getline(lines, count);
  EXPECT_EQ(count, "1 event") << run.out;
  EXPECT_NE(row.find(R"(Handle '\x1b]2;owned\x07\x1b[31mred\u009b2J\x9b\u202eevil' -> Done\n12 )"),
            std::string::npos)
      << row;
  EXPECT_EQ(run.out.find_first_of("\x1b\x07\r\x9b"), std::string::npos) << run.out;
}

TEST_F(MagentctlTest, PrintsJsonWithEveryField) {
  const Exit run = Magentctl({"archive", "--db", db(), "--json", "--limit", "1"});
  ASSERT_EQ(run.code, 0) << run.err;
  const boost::json::value doc = boost::json::parse(run.out);
  const auto& e = doc.at("events").as_array().at(0).as_object();
  EXPECT_EQ(e.at("id").to_number<int>(), 10);
  EXPECT_EQ(e.at("kind").as_string(), "find");
  EXPECT_EQ(e.at("agent").to_number<int>(), 2);
  EXPECT_EQ(e.at("outcome").as_string(), "succeeded");
  EXPECT_EQ(e.at("goal").as_string(), "Event 10");
  EXPECT_EQ(e.at("finished").as_string(), "2026-11-22T09:10:00Z");
  EXPECT_EQ(e.at("allowable").as_string(), "unlimited");
  EXPECT_FALSE(doc.at("next_cursor").as_string().empty());
}

TEST_F(MagentctlTest, FiltersCombine) {
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--agent", "1", "--kind", "buy"})),
            (std::vector<std::uint64_t>{5, 3, 1}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--outcome", "failed"})),
            (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--source", "1", "--text", "JAVA"})),
            (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--from", "2026-11-22T09:03:00Z",
                           "--until", "2026-11-22T09:05:00Z"})),
            (std::vector<std::uint64_t>{4, 3}));
  EXPECT_TRUE(Ids(Magentctl({"archive", "--db", db(), "--json", "--from", "2026-11-23"})).empty());
}

TEST_F(MagentctlTest, CursorsWalkEveryEventOnce) {
  std::vector<std::uint64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    std::vector<std::string> args{"archive", "--db", db(), "--json", "--limit", "4"};
    if (!cursor.empty()) args.insert(args.end(), {"--cursor", cursor});
    const Exit run = Magentctl(args);
    ASSERT_EQ(run.code, 0) << run.err;
    for (std::uint64_t id : Ids(run)) seen.push_back(id);
    cursor = boost::json::parse(run.out).at("next_cursor").as_string().c_str();
    if (cursor.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

// Each outcome an event can end with, as the help names it.
std::vector<Outcome> EveryPastOutcome() {
  std::vector<Outcome> all;
  for (int i = 1; i <= 255; ++i) {
    if (OutcomeName(static_cast<Outcome>(i)) != "unknown") all.push_back(static_cast<Outcome>(i));
  }
  return all;
}

TEST_F(MagentctlTest, EveryOutcomeCanBeAskedForIssue16) {
  const std::vector<Outcome> outcomes = EveryPastOutcome();
  ASSERT_EQ(outcomes.back(), Outcome::kInterrupted);
  std::uint64_t id = 100;
  for (Outcome o : outcomes) Add(Record(++id, "find", 3, 1, o));
  const Exit help = Magentctl({"archive", "--help"});
  id = 100;
  for (Outcome o : outcomes) {
    const std::string name(OutcomeName(o));
    const Exit run =
        Magentctl({"archive", "--db", db(), "--json", "--agent", "3", "--outcome", name});
    ASSERT_EQ(run.code, 0) << name << ": " << run.err;
    EXPECT_EQ(Ids(run), (std::vector<std::uint64_t>{++id})) << name;
    EXPECT_NE(help.out.find(name), std::string::npos) << name << " missing from\n" << help.out;
  }
}

// Where each column of the header starts.
std::vector<std::size_t> ColumnStarts(const std::string& header) {
  std::vector<std::size_t> starts;
  for (const char* title : {"ID", "FINISHED", "AGENT", "KIND", "OUTCOME", "GOAL"}) {
    starts.push_back(header.find(title));
  }
  return starts;
}

TEST_F(MagentctlTest, TheTableKeepsLongValuesInTheirColumnsIssue16) {
  EventRecord decision_event = Record(12345678901234, "sentinel.decision", 98765432109876, 1);
  decision_event.finished = testing::TestEpoch() + 11min;
  Add(decision_event);
  EventRecord interrupted_event = Record(12345678901235, "find", 2, 1, Outcome::kInterrupted);
  interrupted_event.finished = testing::TestEpoch() + 12min;
  Add(interrupted_event);
  const Exit run = Magentctl({"archive", "--db", db(), "--limit", "3"});
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header, interrupted, decision, plain;
  std::getline(lines, header);
  std::getline(lines, interrupted);
  std::getline(lines, decision);
  std::getline(lines, plain);
  const std::vector<std::size_t> starts = ColumnStarts(header);
  for (const std::string& row : std::vector<std::string>{interrupted, decision, plain}) {
    // Each value starts where its title does, after a blank.
    std::istringstream words(row);
    std::size_t at = 0;
    for (std::size_t column = 0; column < starts.size(); ++column) {
      std::string word;
      words >> word;
      at = row.find(word, at);
      EXPECT_EQ(at, starts[column]) << "column " << column << " of\n" << header << '\n' << row;
      if (at > 0) {
        EXPECT_EQ(row[at - 1], ' ') << row;
      }
      at += word.size();
    }
  }
  EXPECT_NE(decision.find("sentinel.decision  succeeded"), std::string::npos) << decision;
  EXPECT_NE(interrupted.find("interrupted  Event 12345678901235 -> Done"), std::string::npos)
      << interrupted;
}

TEST_F(MagentctlTest, NotKindLeavesKindsAndTheKindsUnderThemOutIssue16) {
  Add(Record(11, "sentinel.decision", 1, 1));
  Add(Record(12, "sentinel", 1, 1, Outcome::kFailed));
  Add(Record(13, "sentinels", 1, 1));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--agent", "1", "--limit", "4"})),
            (std::vector<std::uint64_t>{13, 12, 11, 5}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--agent", "1", "--not-kind",
                           "sentinel", "--limit", "4"})),
            (std::vector<std::uint64_t>{13, 5, 4, 3}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--agent", "1", "--not-kind",
                           "sentinel.decision", "--not-kind", "buy", "--not-kind", "sentinels"})),
            (std::vector<std::uint64_t>{12, 4, 2}));
  const Exit help = Magentctl({"archive", "--help"});
  EXPECT_NE(help.out.find("--not-kind"), std::string::npos) << help.out;
}

TEST_F(MagentctlTest, NotKindPagesNeitherRepeatNorSkipIssue16) {
  for (std::uint64_t id = 11; id <= 20; ++id) Add(Record(id, "sentinel.decision", 1, 1));
  std::vector<std::uint64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    std::vector<std::string> args{"archive",    "--db",     db(),      "--json",
                                  "--not-kind", "sentinel", "--limit", "3"};
    if (!cursor.empty()) args.insert(args.end(), {"--cursor", cursor});
    const Exit run = Magentctl(args);
    ASSERT_EQ(run.code, 0) << run.err;
    for (std::uint64_t id : Ids(run)) seen.push_back(id);
    cursor = boost::json::parse(run.out).at("next_cursor").as_string().c_str();
    if (cursor.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST_F(MagentctlTest, SourceMeansItsAgentsAndBackedByTheEventsItStandsBehindIssue16) {
  // Agent 3 of source 2: one event backed by sources 2 and 1, one by its source alone.
  EventRecord cosigned = Record(11, "buy", 3, 2);
  cosigned.sources = {{SourceId(2), 1.0}, {SourceId(1), 2.0}};
  Add(cosigned);
  Add(Record(12, "find", 3, 2));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--source", "1", "--limit", "2"})),
            (std::vector<std::uint64_t>{10, 9}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--source", "2"})),
            (std::vector<std::uint64_t>{12, 11}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--backed-by", "1", "--limit", "2"})),
            (std::vector<std::uint64_t>{11, 10}));
  EXPECT_EQ(Ids(Magentctl({"archive", "--db", db(), "--json", "--backed-by", "2"})),
            (std::vector<std::uint64_t>{12, 11}));
  EXPECT_EQ(
      Ids(Magentctl({"archive", "--db", db(), "--json", "--source", "2", "--backed-by", "1"})),
      (std::vector<std::uint64_t>{11}));
}

// Event 11: agent 3 of source 2, backed by sources 2 and 4, paid with a private card
// from a public warehouse to a private address.
EventRecord PrivateShipment() {
  EventRecord r;
  r.id = EventId(11);
  r.kind = "ship-to";
  r.agent = AgentId(3);
  r.agent_source = SourceId(2);
  r.sources = {{SourceId(2), 1.0}, {SourceId(4), 1.0}};
  r.activants = {{.id = "card:4111", .kind = "card", .label = "Visa 4111", .is_private = true},
                 {.id = "warehouse:lyon", .kind = "warehouse", .label = "Lyon"}};
  r.passivants = {
      {.id = "address:home", .kind = "address", .label = "12 rue des Lilas", .is_private = true}};
  r.outcome = Outcome::kSucceeded;
  r.goal = Text("Ship");
  r.result = Text("Shipped");
  r.finished = testing::TestEpoch() + 11min;
  return r;
}

// The labels of the event's activants and passivants in a JSON answer of one event.
std::vector<std::string> Labels(const Exit& run) {
  std::vector<std::string> labels;
  const boost::json::value doc = boost::json::parse(run.out);
  const auto& e = doc.at("events").as_array().at(0).as_object();
  for (const char* list : {"activants", "passivants"}) {
    for (const auto& p : e.at(list).as_array()) labels.emplace_back(p.at("label").as_string());
  }
  return labels;
}

TEST_F(MagentctlTest, PrivateDataIsMaskedByDefaultIssue16) {
  Add(PrivateShipment());
  const Exit json = Magentctl({"archive", "--db", db(), "--json", "--kind", "ship-to"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(Labels(json), (std::vector<std::string>{"(private)", "Lyon", "(private)"}));
  const boost::json::value doc = boost::json::parse(json.out);
  const auto& card = doc.at("events").at(0).at("activants").at(0).as_object();
  EXPECT_EQ(card.at("id").as_string(), "(private)");
  EXPECT_EQ(card.at("kind").as_string(), "card") << "the kind stays";
  EXPECT_TRUE(card.at("private").as_bool());
  EXPECT_EQ(json.out.find("4111"), std::string::npos) << json.out;
  const Exit table = Magentctl({"archive", "--db", db(), "--kind", "ship-to"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("\n    activants: card (private), warehouse Lyon; passivants: address "
                           "(private)\n1 event\n"),
            std::string::npos)
      << table.out;
  EXPECT_EQ(table.out.find("4111"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("Lilas"), std::string::npos) << table.out;
}

TEST_F(MagentctlTest, UnmaskedShowsEverythingIssue16) {
  Add(PrivateShipment());
  const Exit json =
      Magentctl({"archive", "--db", db(), "--json", "--kind", "ship-to", "--unmasked"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(Labels(json), (std::vector<std::string>{"Visa 4111", "Lyon", "12 rue des Lilas"}));
  const Exit table = Magentctl({"archive", "--db", db(), "--kind", "ship-to", "--unmasked"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("    activants: card Visa 4111, warehouse Lyon; passivants: address "
                           "12 rue des Lilas\n"),
            std::string::npos)
      << table.out;
  const Exit help = Magentctl({"archive", "--help"});
  EXPECT_NE(help.out.find("--unmasked"), std::string::npos) << help.out;
}

TEST_F(MagentctlTest, AViewerSeesWhatTheDefaultRuleAdmitsIssue16) {
  Add(PrivateShipment());
  for (const char* owner_or_backer : {"2", "4"}) {
    const Exit run = Magentctl(
        {"archive", "--db", db(), "--json", "--kind", "ship-to", "--viewer", owner_or_backer});
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_EQ(Labels(run), (std::vector<std::string>{"Visa 4111", "Lyon", "12 rue des Lilas"}))
        << "source " << owner_or_backer;
  }
  const Exit stranger =
      Magentctl({"archive", "--db", db(), "--json", "--kind", "ship-to", "--viewer", "1"});
  ASSERT_EQ(stranger.code, 0) << stranger.err;
  EXPECT_EQ(Labels(stranger), (std::vector<std::string>{"(private)", "Lyon", "(private)"}));
  const Exit table = Magentctl({"archive", "--db", db(), "--kind", "ship-to", "--viewer", "1"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.find("4111"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("address (private)"), std::string::npos) << table.out;
}

TEST_F(MagentctlTest, UsageErrorsExit64) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"archive"},
        {"archive", "--db", db(), "--outcome", "great"},
        {"archive", "--db", db(), "--outcome", "none"},
        {"archive", "--db", db(), "--not-kind", ""},
        {"archive", "--db", db(), "--backed-by", "alice"},
        {"archive", "--db", db(), "--from", "yesterday"},
        {"archive", "--db", db(), "--cursor", "not-a-cursor"},
        {"archive", "--db", db(), "--limit", "many"},
        {"archive", "--db", db(), "--viewer", "alice"},
        {"archive", "--db", db(), "--viewer", "2", "--unmasked"},
        {"archive", "--db", db(), "--bogus"},
        {"frobnicate"},
        {}}) {
    const Exit run = Magentctl(args);
    EXPECT_EQ(run.code, EX_USAGE) << run.out;
    EXPECT_FALSE(run.err.empty());
  }
}

TEST_F(MagentctlTest, MissingArchiveExits66AndCreatesNothing) {
  const Exit run = Magentctl({"archive", "--db", dir_.path("nothing-here")});
  EXPECT_EQ(run.code, EX_NOINPUT);
  EXPECT_NE(run.err.find("no archive at"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path("nothing-here")));
}

TEST_F(MagentctlTest, ArchiveHeldByAnotherOwnerExits75) {
  auto holder = LevelDbArchive::Open({.path = db()});
  ASSERT_TRUE(holder.ok());
  const Exit run = Magentctl({"archive", "--db", db()});
  EXPECT_EQ(run.code, EX_TEMPFAIL);
  EXPECT_NE(run.err.find("Unavailable"), std::string::npos) << run.err;
}

TEST_F(MagentctlTest, HelpExitsZero) {
  const Exit run = Magentctl({"archive", "--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("--cursor"), std::string::npos);
}

}  // namespace
}  // namespace magent
