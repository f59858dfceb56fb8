#include "archive_command.h"

#include <sysexits.h>

#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <cstdint>
#include <iomanip>
#include <optional>
#include <string_view>

#include "core/format.h"
#include "magent/leveldb_archive.h"
#include "terminal_text.h"

namespace magentctl {

namespace {

namespace po = boost::program_options;
using magent::internal::FormatDuration;
using magent::internal::FormatTime;

constexpr char kUsage[] =
    "usage: magentctl archive --db PATH [filters] [--limit N] [--cursor C] [--json]\n"
    "Prints the archived events that match every filter given, newest first.\n";

int ExitCodeFor(const magent::Status& s) {
  switch (s.code()) {
    case magent::StatusCode::kNotFound:
      return EX_NOINPUT;
    case magent::StatusCode::kInvalidArgument:
      return EX_USAGE;
    case magent::StatusCode::kCorruption:
      return EX_DATAERR;
    default:
      return EX_TEMPFAIL;
  }
}

std::optional<magent::Outcome> ParseOutcome(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(magent::Outcome::kExpired); ++i) {
    const auto o = static_cast<magent::Outcome>(i);
    if (magent::OutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

std::string Time(magent::TimePoint t) { return t == magent::TimePoint{} ? "" : FormatTime(t); }

boost::json::object ToJson(const magent::EventRecord& r) {
  boost::json::array sources, activants, passivants, extensions;
  for (const magent::SourceWeight& s : r.sources) {
    sources.push_back({{"source", s.source.value()}, {"weight", s.weight}});
  }
  for (const magent::Activant& a : r.activants) {
    activants.push_back({{"id", a.id}, {"kind", a.kind}, {"label", a.label}});
  }
  for (const magent::Passivant& p : r.passivants) {
    passivants.push_back({{"id", p.id}, {"kind", p.kind}, {"label", p.label}});
  }
  for (const magent::Extension& e : r.extensions) {
    extensions.push_back({{"at", FormatTime(e.at)},
                          {"requested", FormatDuration(e.requested)},
                          {"granted", FormatDuration(e.granted)}});
  }
  return {
      {"id", r.id.value()},
      {"kind", r.kind},
      {"agent", r.agent.value()},
      {"agent_source", r.agent_source.value()},
      {"parent", r.parent.value()},
      {"sources", std::move(sources)},
      {"activants", std::move(activants)},
      {"passivants", std::move(passivants)},
      {"goal", r.goal.English()},
      {"result", r.result.English()},
      {"payload", r.payload},
      {"outcome", magent::OutcomeName(r.outcome)},
      {"frozen", r.frozen},
      {"orphaned", r.orphaned},
      {"allowable", FormatDuration(r.allowable)},
      {"actual", FormatDuration(r.actual)},
      {"frozen_for", FormatDuration(r.frozen_for)},
      {"extensions", std::move(extensions)},
      {"created", Time(r.created)},
      {"due", Time(r.due)},
      {"started", Time(r.started)},
      {"finished", Time(r.finished)},
  };
}

// For a terminal: archived texts quote mail and preference files, so their control
// characters are shown, not sent (--json escapes them itself).
void PrintTable(const magent::ArchivePage& page, std::ostream& out) {
  out << std::left << std::setw(10) << "ID" << std::setw(22) << "FINISHED" << std::setw(8)
      << "AGENT" << std::setw(14) << "KIND" << std::setw(11) << "OUTCOME"
      << "GOAL -> RESULT\n";
  for (const magent::EventRecord& r : page.records) {
    out << std::setw(10) << r.id.value() << std::setw(22) << Time(r.finished) << std::setw(8)
        << r.agent.value() << std::setw(14) << TerminalText(r.kind) << std::setw(11)
        << magent::OutcomeName(r.outcome) << TerminalText(r.goal.English()) << " -> "
        << TerminalText(r.result.English()) << '\n';
  }
  out << page.records.size() << (page.records.size() == 1 ? " event" : " events") << '\n';
  if (!page.next_cursor.empty()) out << "more: --cursor " << page.next_cursor << '\n';
}

}  // namespace

int RunArchive(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string db, kind, outcome, from, until, text, cursor;
  std::uint64_t agent = 0, source = 0;
  std::size_t limit = 100;
  po::options_description options("options");
  options.add_options()("help,h", "this help")("db", po::value(&db)->value_name("PATH"),
                                               "the archive's LevelDB directory (required)")(
      "agent", po::value(&agent)->value_name("ID"), "events of this agent")(
      "source", po::value(&source)->value_name("ID"),
      "events of this source (the agent's or any event source)")(
      "kind", po::value(&kind)->value_name("K"), "events of this kind")(
      "outcome", po::value(&outcome)->value_name("O"),
      "succeeded, failed, killed, timed-out, cancelled or expired")(
      "from", po::value(&from)->value_name("T"),
      "finished at or after T (2026-11-22T10:00:00Z or 2026-11-22)")(
      "until", po::value(&until)->value_name("T"), "finished before T")(
      "text", po::value(&text)->value_name("S"), "goal or result contains S (any case)")(
      "limit", po::value(&limit)->value_name("N"), "events per page (default 100)")(
      "cursor", po::value(&cursor)->value_name("C"), "the next page, as printed by the last")(
      "json", "print JSON");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    err << "magentctl archive: " << e.what() << '\n' << kUsage << options;
    return EX_USAGE;
  }
  if (vm.count("help")) {
    out << kUsage << options;
    return 0;
  }
  auto usage_error = [&](const std::string& what) {
    err << "magentctl archive: " << what << '\n' << kUsage;
    return EX_USAGE;
  };
  if (db.empty()) return usage_error("--db PATH is required");

  magent::ArchiveQuery query;
  if (vm.count("agent")) query.agent = magent::AgentId(agent);
  if (vm.count("source")) query.source = magent::SourceId(source);
  if (vm.count("kind")) query.kind = kind;
  if (vm.count("outcome")) {
    query.outcome = ParseOutcome(outcome);
    if (!query.outcome) return usage_error("unknown outcome '" + outcome + "'");
  }
  for (auto [name, value, field] : {std::tuple{"--from", &from, &query.finished_from},
                                    std::tuple{"--until", &until, &query.finished_until}}) {
    if (value->empty()) continue;
    *field = magent::internal::ParseTime(*value);
    if (!*field) return usage_error(std::string("bad time for ") + name + ": '" + *value + "'");
  }
  if (vm.count("text")) query.text = text;
  query.limit = limit;
  query.cursor = cursor;

  auto archive = magent::LevelDbArchive::Open({.path = db, .create_if_missing = false});
  if (!archive.ok()) {
    err << "magentctl archive: " << archive.status().ToString() << '\n';
    return ExitCodeFor(archive.status());
  }
  magent::Result<magent::ArchivePage> page = (*archive)->QueryPage(query);
  if (!page.ok()) {
    err << "magentctl archive: " << page.status().ToString() << '\n';
    return ExitCodeFor(page.status());
  }
  if (vm.count("json")) {
    boost::json::array records;
    for (const magent::EventRecord& r : page->records) records.push_back(ToJson(r));
    boost::json::object doc{{"events", std::move(records)}, {"next_cursor", page->next_cursor}};
    out << boost::json::serialize(doc) << '\n';
  } else {
    PrintTable(*page, out);
  }
  return 0;
}

}  // namespace magentctl
