#include "hostile/hostile_case.h"

#include <fstream>
#include <sstream>

namespace magent::hostile {
namespace {

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "key: value" -> {key, value}; no colon: {line, ""}.
std::pair<std::string, std::string> KeyValue(const std::string& line) {
  const auto colon = line.find(':');
  const auto space = line.find(' ');
  if (colon == std::string::npos || (space != std::string::npos && space < colon)) {
    return {line, ""};
  }
  return {line.substr(0, colon), Trim(line.substr(colon + 1))};
}

class Parser {
 public:
  Parser(std::istream& in, std::string* error) : in_(in), error_(error) {}

  bool Fail(const std::string& why) {
    *error_ = "line " + std::to_string(line_) + ": " + why;
    return false;
  }

  bool Next(std::string* line) {
    if (!std::getline(in_, *line)) return false;
    ++line_;
    return true;
  }

  // The lines after "<<MARK" up to a line that is exactly MARK, joined with "\n".
  bool HereDocument(const std::string& opener, std::string* text) {
    const auto at = opener.find("<<");
    if (at == std::string::npos) return Fail("expected <<MARKER");
    const std::string mark = Trim(opener.substr(at + 2));
    if (mark.empty()) return Fail("empty here-document marker");
    text->clear();
    bool first = true;
    for (std::string l; Next(&l);) {
      if (l == mark) return true;
      if (!first) *text += '\n';
      *text += l;
      first = false;
    }
    return Fail("here-document without its end line '" + mark + "'");
  }

  bool Expectation(const std::string& key, const std::string& value, Expectations* e) {
    try {
      if (key == "exit") {
        e->exit_code = std::stoi(value);
      } else if (key == "replies") {
        e->replies = std::stoi(value);
      } else if (key == "reply-to") {
        e->reply_to = value;
      } else if (key == "partstat") {
        e->partstat = value;
      } else if (key == "method") {
        e->method = value;
      } else if (key == "contains") {
        e->contains.push_back(value);
      } else if (key == "lacks") {
        e->lacks.push_back(value);
      } else if (key == "stderr-contains") {
        e->stderr_contains.push_back(value);
      } else if (key == "store") {
        if (value == "unchanged") {
          e->store = Expectations::Store::kUnchanged;
        } else if (value == "changed") {
          e->store = Expectations::Store::kChanged;
        } else if (value == "any") {
          e->store = Expectations::Store::kAny;
        } else {
          return Fail("store: unchanged, changed or any");
        }
      } else {
        return Fail("unknown key '" + key + "'");
      }
    } catch (const std::exception&) {
      return Fail("'" + key + "' needs a number");
    }
    return true;
  }

  bool Parse(HostileCase* c) {
    Action* run = nullptr;
    for (std::string raw; Next(&raw);) {
      const std::string line = Trim(raw);
      if (line.empty() || line[0] == '#') continue;
      const std::vector<std::string> words = Words(line);
      const auto [key, value] = KeyValue(line);
      Action action;
      action.line = line_;
      if (words[0] == "file") {
        if (words.size() < 3) return Fail("file PATH <<MARKER");
        action.kind = Action::Kind::kFile;
        action.path = words[1];
        if (!HereDocument(line, &action.text)) return false;
      } else if (words[0] == "symlink") {
        if (words.size() != 4 || words[2] != "->") return Fail("symlink PATH -> TARGET");
        action.kind = Action::Kind::kSymlink;
        action.path = words[1];
        action.target = words[3];
      } else if (words[0] == "mkdir" || words[0] == "remove") {
        if (words.size() != 2) return Fail(words[0] + " PATH");
        action.kind = words[0] == "mkdir" ? Action::Kind::kMkdir : Action::Kind::kRemove;
        action.path = words[1];
      } else if (line == "garble-store") {
        action.kind = Action::Kind::kGarbleStore;
      } else if (words[0] == "run") {
        action.kind = Action::Kind::kRun;
        action.label = Trim(line.substr(3));
        c->actions.push_back(std::move(action));
        run = &c->actions.back();
        continue;
      } else if (words[0] == "message") {
        if (run == nullptr) return Fail("message before run");
        if (!HereDocument(line, &run->text)) return false;
        continue;
      } else if (line == "lf-only") {
        if (run == nullptr) return Fail("lf-only before run");
        run->lf_only = true;
        continue;
      } else if (key == "attack") {
        c->attack = value;
        continue;
      } else if (key == "waits-for") {
        c->waits_for = value;
        continue;
      } else if (key == "cpu" || key == "memory") {
        try {
          (key == "cpu" ? c->cpu_seconds : c->memory_mib) = std::stod(value);
        } catch (const std::exception&) {
          return Fail(key + " needs a number");
        }
        continue;
      } else if (key == "tsan") {
        if (!value.starts_with("skip ")) return Fail("tsan: skip REASON");
        c->skip_tsan = value.substr(5);
        continue;
      } else if (key == "args") {
        if (run == nullptr) return Fail("args before run");
        run->args = Words(value);
        continue;
      } else {
        if (run == nullptr) return Fail("'" + key + "' outside a run");
        if (!Expectation(key, value, &run->expect)) return false;
        continue;
      }
      c->actions.push_back(std::move(action));
      run = nullptr;
    }
    if (c->attack.empty()) return Fail("no 'attack:' line");
    for (const Action& a : c->actions) {
      if (a.kind == Action::Kind::kRun && !a.expect.exit_code) {
        line_ = a.line;
        return Fail("run '" + a.label + "' has no 'exit:'");
      }
    }
    return true;
  }

 private:
  std::istream& in_;
  std::string* error_;
  int line_ = 0;
};

}  // namespace

std::optional<HostileCase> ParseCase(const std::string& path, const std::string& name,
                                     std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return std::nullopt;
  }
  HostileCase c;
  c.name = name;
  if (!Parser(in, error).Parse(&c)) return std::nullopt;
  return c;
}

}  // namespace magent::hostile
