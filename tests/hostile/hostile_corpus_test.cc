// The hostile corpus: every case under tests/hostile/cases runs the real imip_resource with
// -d (replies on standard output) in a directory of its own, and holds each run to its
// exit code, replies, store and bounds. See tests/hostile/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hostile/hostile_case.h"
#include "hostile/message_recipe.h"
#include "hostile/program_run.h"
#include "hostile/reply_checks.h"
#include "hostile/store_dump.h"
#include "testing/temp_dir.h"

namespace magent::hostile {
namespace {

namespace fs = std::filesystem;

// How much more CPU and memory a run may take in a sanitizer build than its case allows:
// ASan's build is Debug and keeps shadow memory and a quarantine of freed blocks; TSan
// keeps shadow memory for every word an allocation touches.
struct Scale {
  double cpu = 1;
  double memory = 1;
  double memory_extra_mib = 0;
};

constexpr std::string_view kSanitizers = MAGENT_HOSTILE_SANITIZERS;

Scale BoundScale() {
  if (kSanitizers.find("thread") != std::string_view::npos) return {10, 6, 128};
  if (kSanitizers.find("address") != std::string_view::npos) return {10, 3, 320};
  return {};
}

bool UnderTsan() { return kSanitizers.find("thread") != std::string_view::npos; }

struct CaseFile {
  std::string name;  // Path under cases/ without ".case".
  std::string path;
};

// Failures name the case, not the bytes of its parameter.
void PrintTo(const CaseFile& c, std::ostream* os) { *os << c.name; }

std::vector<CaseFile> ListCases() {
  std::vector<CaseFile> cases;
  const fs::path root = MAGENT_HOSTILE_CASES_DIR;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".case") continue;
    std::string name = fs::relative(entry.path(), root).replace_extension().string();
    // A case that adds nothing under TSan is not instantiated there (its `tsan: skip`).
    if (UnderTsan()) {
      std::string error;
      const auto c = ParseCase(entry.path().string(), name, &error);
      if (c && !c->skip_tsan.empty()) continue;
    }
    cases.push_back({std::move(name), entry.path().string()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const CaseFile& a, const CaseFile& b) { return a.name < b.name; });
  return cases;
}

std::string TestName(const ::testing::TestParamInfo<CaseFile>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A log line carries no control character but its newline, and is UTF-8: message text
// reaching standard error must not forge or garble log lines.
std::string LogProblem(const std::string& err) {
  if (!ValidUtf8(err)) return "standard error is not valid UTF-8";
  for (unsigned char c : err) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      return "standard error has control byte " + std::to_string(int(c));
    }
  }
  return "";
}

class HostileCorpusTest : public ::testing::TestWithParam<CaseFile> {
 protected:
  std::string Path(const std::string& name) const { return dir_ / name; }

  void Lay(const Action& a, const RecipeOptions& recipe) {
    const fs::path path = Path(a.path.empty() ? "store" : a.path);
    fs::create_directories(path.parent_path());
    switch (a.kind) {
      case Action::Kind::kFile: {
        std::string error;
        const auto text = ExpandRecipe(a.text + "\n", recipe, &error);
        ASSERT_TRUE(text) << "line " << a.line << ": " << error;
        fs::remove_all(path);
        std::ofstream(path, std::ios::binary) << *text;
        break;
      }
      case Action::Kind::kSymlink:
        fs::remove_all(path);
        fs::create_symlink(a.target, path);
        break;
      case Action::Kind::kMkdir:
        fs::create_directories(path);
        break;
      case Action::Kind::kRemove:
        fs::remove_all(path);
        break;
      case Action::Kind::kGarbleStore:
        ASSERT_TRUE(GarbleStore(Path("store"))) << "line " << a.line << ": no store to garble";
        break;
      case Action::Kind::kRun:
        break;
    }
  }

  void Run(const HostileCase& c, const Action& a, int n, const RecipeOptions& lines) {
    SCOPED_TRACE("run '" + a.label + "' (line " + std::to_string(a.line) + ")");
    RecipeOptions recipe = lines;
    recipe.crlf = !a.lf_only;
    const std::string in = Path("in" + std::to_string(n));
    {
      std::string error;
      const auto message = ExpandRecipe(a.text + "\n", recipe, &error);
      ASSERT_TRUE(message) << error;
      std::ofstream(in, std::ios::binary) << *message;
    }

    const Expectations& e = a.expect;
    const bool check_store = e.store != Expectations::Store::kAny;
    const StoreDump before = check_store ? DumpStore(Path("store")) : StoreDump{};

    std::vector<std::string> argv = {
        MAGENT_IMIP_RESOURCE, "-d", "-S", Path("store"), "-p", Path("prefs"), "-c",
        Path("config.txt")};
    argv.insert(argv.end(), a.args.begin(), a.args.end());
    const Scale scale = BoundScale();
    const double cpu_bound = c.cpu_seconds * scale.cpu;
    const double memory_bound = c.memory_mib * scale.memory + scale.memory_extra_mib;
    RunLimits limits;
    limits.cpu_seconds = unsigned(cpu_bound * 1.5) + 1;
    // A runaway allocation fails at once; sanitizers reserve terabytes, so not there.
    if (kSanitizers.empty()) {
      limits.address_space =
          (1ull << 30) + (1ull << 20) * 4 * static_cast<unsigned long long>(c.memory_mib);
    }
    const std::string out_path = Path("out" + std::to_string(n));
    const std::string err_path = Path("err" + std::to_string(n));
    const ProgramRun run = RunProgram(argv, in, out_path, err_path, limits);
    ASSERT_TRUE(run.started);
    const std::string out = Slurp(out_path);
    const std::string err = Slurp(err_path);
    const std::string context = "\n--- stderr:\n" + err.substr(0, 4000) +
                                "\n--- stdout (first 4000 bytes):\n" + out.substr(0, 4000);

    EXPECT_EQ(run.signal, 0) << "killed by signal " << run.signal
                             << (run.signal == SIGXCPU ? " (past its CPU limit)" : "") << context;
    EXPECT_EQ(run.exit_code, *e.exit_code) << context;
    EXPECT_LE(run.cpu_seconds, cpu_bound) << "CPU seconds past the case's bound";
    EXPECT_LE(run.max_rss_mib, memory_bound) << "peak RSS (MiB) past the case's bound";
    const std::string log = LogProblem(err);
    EXPECT_TRUE(log.empty()) << log << context;

    std::vector<std::string> violations;
    const std::vector<Reply> replies = ReadReplies(out, &violations);
    for (const std::string& v : violations) ADD_FAILURE() << v << context;
    if (e.replies) {
      EXPECT_EQ(int(replies.size()), *e.replies) << context;
    }
    std::string all;
    for (const Reply& r : replies) {
      if (e.reply_to) {
        EXPECT_EQ(r.to, *e.reply_to) << context;
      }
      if (e.method) {
        EXPECT_EQ(r.method, *e.method) << context;
      }
      if (e.partstat) {
        EXPECT_EQ(r.partstats, std::vector<std::string>{*e.partstat}) << context;
      }
      all += r.raw + "\n" + r.subject + "\n" + r.text + "\n" + r.calendar + "\n";
    }
    for (const std::string& s : e.contains) {
      EXPECT_NE(all.find(s), std::string::npos) << "no reply contains '" << s << "'" << context;
    }
    for (const std::string& s : e.lacks) {
      EXPECT_EQ(all.find(s), std::string::npos) << "a reply contains '" << s << "'" << context;
    }
    for (const std::string& s : e.stderr_contains) {
      EXPECT_NE(err.find(s), std::string::npos) << "standard error lacks '" << s << "'" << context;
    }
    if (check_store) {
      const StoreDump after = DumpStore(Path("store"));
      if (e.store == Expectations::Store::kUnchanged) {
        EXPECT_TRUE(after == before) << "the store changed";
      } else {
        EXPECT_FALSE(after == before) << "the store did not change";
      }
    }
  }

  testing::TempDir dir_;
};

TEST_P(HostileCorpusTest, HoldsItsExpectations) {
  std::string error;
  const auto c = ParseCase(GetParam().path, GetParam().name, &error);
  ASSERT_TRUE(c) << GetParam().path << ": " << error;
  RecordProperty("attack", c->attack);
  SCOPED_TRACE(c->name + ": " + c->attack +
               (c->waits_for.empty() ? "" : " [waits for: " + c->waits_for + "]"));
  fs::create_directories(Path("prefs"));
  std::ofstream(Path("config.txt")) << "STORE_WAIT_SECONDS = 1\n";
  const RecipeOptions recipe{
      .today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  int n = 0;
  for (const Action& a : c->actions) {
    if (a.kind == Action::Kind::kRun) {
      Run(*c, a, n++, recipe);
    } else {
      Lay(a, recipe);
    }
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(n, 0) << "a case runs the program at least once";
}

INSTANTIATE_TEST_SUITE_P(Cases, HostileCorpusTest, ::testing::ValuesIn(ListCases()), TestName);

}  // namespace
}  // namespace magent::hostile
