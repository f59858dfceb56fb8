#include "archive_command.h"

#include <sysexits.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/format.h"
#include "magent/leveldb_archive.h"
#include "magent/privacy.h"
#include "magent/sentinel.h"
#include "terminal_text.h"

namespace magentctl {

namespace {

namespace po = boost::program_options;
using magent::internal::FormatDuration;
using magent::internal::FormatTime;

constexpr char kUsage[] =
    "usage: magentctl archive --db PATH [filters] [--viewer ID | --unmasked] [--limit N]\n"
    "                         [--cursor C] [--json]\n"
    "Prints the archived events that match every filter given, newest first. Private\n"
    "activants and passivants read \"(private)\" unless --viewer or --unmasked lets them show.\n";

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

// The outcomes an archived event can have: every one OutcomeName names. Its switch has a
// case per enumerator (the build fails on a missing one), so a new outcome is found here
// without anyone listing it again.
const std::vector<magent::Outcome>& PastOutcomes() {
  static const std::vector<magent::Outcome> kAll = [] {
    std::vector<magent::Outcome> all;
    using Number = std::underlying_type_t<magent::Outcome>;
    for (unsigned i = 0; i <= std::numeric_limits<Number>::max(); ++i) {
      const auto o = static_cast<magent::Outcome>(i);
      if (o != magent::Outcome::kNone && magent::OutcomeName(o) != "unknown") all.push_back(o);
    }
    return all;
  }();
  return kAll;
}

std::optional<magent::Outcome> ParseOutcome(std::string_view name) {
  for (magent::Outcome o : PastOutcomes()) {
    if (magent::OutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

// "succeeded, failed, ... or interrupted", for the help.
std::string OutcomeChoices() {
  std::string list;
  const std::vector<magent::Outcome>& all = PastOutcomes();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0) list += i + 1 == all.size() ? " or " : ", ";
    list += magent::OutcomeName(all[i]);
  }
  return list;
}

std::string Time(magent::TimePoint t) { return t == magent::TimePoint{} ? "" : FormatTime(t); }

boost::json::object ToJson(const magent::EventRecord& r) {
  boost::json::array sources, activants, passivants, extensions;
  for (const magent::SourceWeight& s : r.sources) {
    sources.push_back({{"source", s.source.value()}, {"weight", s.weight}});
  }
  for (const magent::Activant& a : r.activants) {
    activants.push_back(
        {{"id", a.id}, {"kind", a.kind}, {"label", a.label}, {"private", a.is_private}});
  }
  for (const magent::Passivant& p : r.passivants) {
    passivants.push_back(
        {{"id", p.id}, {"kind", p.kind}, {"label", p.label}, {"private", p.is_private}});
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

// How many cells `text` takes on a terminal, for text made by TerminalText (valid UTF-8,
// escapes in ASCII): one per code point. A wide (East Asian) character takes two cells and
// counts as one, so a kind that has them pushes its row's later columns to the right.
std::size_t Cells(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// "card Visa 4111, warehouse Lyon": each participant's kind and label, for the table.
template <typename Participant>
std::string Participants(const std::vector<Participant>& participants) {
  std::string list;
  for (const Participant& p : participants) {
    if (!list.empty()) list += ", ";
    list += TerminalText(p.kind) + " " + TerminalText(p.label);
  }
  return list;
}

// For a terminal: archived texts quote mail and preference files, so their control
// characters are shown, not sent (--json escapes them itself). Each column is as wide as
// its widest value on the page, and columns are two spaces apart, so a long kind or
// outcome never runs into the next column; the goal and result come last, unpadded. An
// event with activants or passivants has them on an indented line of its own below it.
void PrintTable(const magent::ArchivePage& page, std::ostream& out) {
  using Row = std::array<std::string, 6>;
  std::vector<Row> rows{{"ID", "FINISHED", "AGENT", "KIND", "OUTCOME", "GOAL -> RESULT"}};
  std::vector<std::string> participants{""};  // Each row's participant line; none for the header.
  for (const magent::EventRecord& r : page.records) {
    rows.push_back({std::to_string(r.id.value()), Time(r.finished), std::to_string(r.agent.value()),
                    TerminalText(r.kind), std::string(magent::OutcomeName(r.outcome)),
                    TerminalText(r.goal.English()) + " -> " + TerminalText(r.result.English())});
    std::string line;
    if (!r.activants.empty()) line += "activants: " + Participants(r.activants);
    if (!r.activants.empty() && !r.passivants.empty()) line += "; ";
    if (!r.passivants.empty()) line += "passivants: " + Participants(r.passivants);
    participants.push_back(std::move(line));
  }
  std::array<std::size_t, 6> width{};
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], Cells(row[c]));
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    for (std::size_t c = 0; c + 1 < row.size(); ++c) {
      out << row[c] << std::string(width[c] - Cells(row[c]) + 2, ' ');
    }
    out << row.back() << '\n';
    if (!participants[i].empty()) out << "    " << participants[i] << '\n';
  }
  out << page.records.size() << (page.records.size() == 1 ? " event" : " events") << '\n';
  if (!page.next_cursor.empty()) out << "more: --cursor " << page.next_cursor << '\n';
}

}  // namespace

int RunArchive(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string db, kind, outcome, from, until, text, cursor;
  std::vector<std::string> not_kinds;
  std::uint64_t agent = 0, source = 0, backed_by = 0, viewer = 0;
  std::size_t limit = 100;
  const std::string outcome_help = OutcomeChoices();
  po::options_description options("options");
  options.add_options()("help,h", "this help")("db", po::value(&db)->value_name("PATH"),
                                               "the archive's LevelDB directory (required)")(
      "agent", po::value(&agent)->value_name("ID"), "events of this agent")(
      "source", po::value(&source)->value_name("ID"), "events of the agents this source owns")(
      "backed-by", po::value(&backed_by)->value_name("ID"),
      "events that list this source among their weighted sources (or, listing none, whose "
      "agent it owns)")("kind", po::value(&kind)->value_name("K"), "events of this kind")(
      "not-kind", po::value(&not_kinds)->value_name("K"),
      "leave out kind K and the kinds under it (K.*); may be repeated")(
      "outcome", po::value(&outcome)->value_name("O"), outcome_help.c_str())(
      "from", po::value(&from)->value_name("T"),
      "finished at or after T (2026-11-22T10:00:00Z or 2026-11-22)")(
      "until", po::value(&until)->value_name("T"), "finished before T")(
      "text", po::value(&text)->value_name("S"), "goal or result contains S (any case)")(
      "limit", po::value(&limit)->value_name("N"), "events per page (default 100)")(
      "cursor", po::value(&cursor)->value_name("C"), "the next page, as printed by the last")(
      "viewer", po::value(&viewer)->value_name("ID"),
      "show private data as this source may see it: that of the events whose agent it owns or "
      "that list it among their sources")(
      "unmasked", "show all private data (for the operator who owns the data directory)")(
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
  if (vm.count("viewer") && vm.count("unmasked")) {
    return usage_error("--viewer and --unmasked exclude each other");
  }

  magent::ArchiveQuery query;
  if (vm.count("agent")) query.agent = magent::AgentId(agent);
  if (vm.count("source")) query.source = magent::SourceId(source);
  if (vm.count("backed-by")) query.backed_by = magent::SourceId(backed_by);
  if (vm.count("kind")) query.kind = kind;
  if (std::find(not_kinds.begin(), not_kinds.end(), "") != not_kinds.end()) {
    return usage_error("--not-kind needs a kind");
  }
  query.not_kinds = not_kinds;
  if (vm.count("outcome")) {
    query.outcome = ParseOutcome(outcome);
    if (!query.outcome)
      return usage_error("unknown outcome '" + outcome + "' (" + outcome_help + ")");
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
  if (!vm.count("unmasked")) {
    // Offline there is no host and so no Sentinel of its own: a viewer sees what the
    // default rule (Sentinel::MaySeePrivate, which AllowAllSentinel keeps) admits.
    const magent::AllowAllSentinel default_rule;
    for (magent::EventRecord& r : page->records) {
      r = vm.count("viewer")
              ? magent::MaskedFor(std::move(r), magent::SourceId(viewer), default_rule)
              : magent::Masked(std::move(r));
    }
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
