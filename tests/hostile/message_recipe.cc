#include "hostile/message_recipe.h"

#include <cstdio>
#include <memory>
#include <sstream>
#include <vector>

namespace magent::hostile {
namespace {

// A parsed recipe: literal text, directives, and repeat blocks holding their own nodes.
struct Node {
  enum class Kind { kText, kByte, kIndex, kDay, kMinute, kRepeat, kEof };
  Kind kind = Kind::kText;
  std::string text;        // kText: the literal; kIndex/kDay/kMinute: the expression.
  long long count = 0;     // kRepeat
  std::vector<Node> body;  // kRepeat
};

struct Loop {
  long long i;
  long long n;
};

class Expander {
 public:
  Expander(const RecipeOptions& options, std::string* error) : options_(options), error_(error) {}

  bool Fail(const std::string& why) {
    *error_ = why;
    return false;
  }

  // Parses from `at` until the end or an {{end}} (when `inside` a repeat).
  bool Parse(const std::string& s, std::size_t* at, bool inside, std::vector<Node>* out) {
    while (*at < s.size()) {
      const std::size_t open = s.find("{{", *at);
      const std::size_t literal_end = open == std::string::npos ? s.size() : open;
      if (literal_end > *at) {
        out->push_back(
            {.kind = Node::Kind::kText, .text = Lines(s.substr(*at, literal_end - *at))});
      }
      if (open == std::string::npos) {
        *at = s.size();
        break;
      }
      const std::size_t close = s.find("}}", open);
      if (close == std::string::npos) return Fail("'{{' without '}}'");
      const std::string d = s.substr(open + 2, close - open - 2);
      *at = close + 2;
      if (d == "end") {
        if (!inside) return Fail("{{end}} without {{repeat}}");
        return true;
      }
      if (d == "eof") {
        out->push_back({.kind = Node::Kind::kEof});
      } else if (d.size() == 3 && d[0] == 'x') {
        out->push_back({.kind = Node::Kind::kByte,
                        .text = std::string(1, char(std::stoi(d.substr(1), nullptr, 16)))});
      } else if (d.starts_with("repeat ")) {
        Node r{.kind = Node::Kind::kRepeat, .count = std::stoll(d.substr(7))};
        if (!Parse(s, at, true, &r.body)) return false;
        out->push_back(std::move(r));
      } else if (d.starts_with("day ")) {
        out->push_back({.kind = Node::Kind::kDay, .text = d.substr(4)});
      } else if (d.starts_with("minute ")) {
        out->push_back({.kind = Node::Kind::kMinute, .text = d.substr(7)});
      } else if (d == "i" || d == "rev" || d.starts_with("num ")) {
        out->push_back(
            {.kind = Node::Kind::kIndex, .text = d == "i" || d == "rev" ? d : d.substr(4)});
      } else {
        return Fail("unknown directive {{" + d + "}}");
      }
    }
    if (inside) return Fail("{{repeat}} without {{end}}");
    return true;
  }

  // Sums of products of integers, `i` (the innermost repeat's index from 0) and `rev`
  // (its index counting down to 0): "3", "i", "i*1440+600", "rev-1".
  bool Evaluate(const std::string& expr, long long* value) {
    long long sum = 0;
    long long product = 1;
    int sign = 1;
    std::string token;
    const auto factor = [&]() -> bool {
      if (token.empty()) return Fail("bad expression '" + expr + "'");
      long long f = 0;
      if (token == "i" || token == "rev") {
        if (loops_.empty()) return Fail("'" + token + "' outside {{repeat}}");
        f = token == "i" ? loops_.back().i : loops_.back().n - 1 - loops_.back().i;
      } else {
        try {
          f = std::stoll(token);
        } catch (const std::exception&) {
          return Fail("bad number '" + token + "' in '" + expr + "'");
        }
      }
      product *= f;
      token.clear();
      return true;
    };
    for (char c : expr + "+") {
      if (c == ' ') continue;
      if (c == '*') {
        if (!factor()) return false;
      } else if (c == '+' || c == '-') {
        if (token.empty() && product == 1 && c == '-') {  // A leading minus.
          sign = -sign;
          continue;
        }
        if (!factor()) return false;
        sum += sign * product;
        product = 1;
        sign = c == '-' ? -1 : 1;
      } else {
        token += c;
      }
    }
    *value = sum;
    return true;
  }

  bool Expand(const std::vector<Node>& nodes, std::string* out) {
    for (const Node& n : nodes) {
      if (eof_) return true;
      long long v = 0;
      switch (n.kind) {
        case Node::Kind::kText:
        case Node::Kind::kByte:
          *out += n.text;
          break;
        case Node::Kind::kEof:
          eof_ = true;
          return true;
        case Node::Kind::kIndex:
          if (!Evaluate(n.text, &v)) return false;
          *out += std::to_string(v);
          break;
        case Node::Kind::kDay:
        case Node::Kind::kMinute: {
          if (!Evaluate(n.text, &v)) return false;
          const auto t = std::chrono::sys_seconds(options_.today) +
                         (n.kind == Node::Kind::kDay ? std::chrono::minutes(v * 1440)
                                                     : std::chrono::minutes(v));
          const std::chrono::year_month_day ymd(std::chrono::floor<std::chrono::days>(t));
          const std::chrono::hh_mm_ss hms(t - std::chrono::floor<std::chrono::days>(t));
          char text[32];
          if (n.kind == Node::Kind::kDay) {
            std::snprintf(text, sizeof text, "%04d%02u%02u", int(ymd.year()), unsigned(ymd.month()),
                          unsigned(ymd.day()));
          } else {
            std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", int(ymd.year()),
                          unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                          int(hms.minutes().count()), int(hms.seconds().count()));
          }
          *out += text;
          break;
        }
        case Node::Kind::kRepeat:
          loops_.push_back({0, n.count});
          for (; loops_.back().i < n.count && !eof_; ++loops_.back().i) {
            if (!Expand(n.body, out)) return false;
          }
          loops_.pop_back();
          break;
      }
    }
    return true;
  }

 private:
  std::string Lines(const std::string& literal) const {
    if (!options_.crlf) return literal;
    std::string out;
    out.reserve(literal.size() + literal.size() / 32);
    for (char c : literal) {
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  }

  const RecipeOptions& options_;
  std::string* error_;
  std::vector<Loop> loops_;
  bool eof_ = false;
};

}  // namespace

std::optional<std::string> ExpandRecipe(const std::string& recipe, const RecipeOptions& options,
                                        std::string* error) {
  Expander expander(options, error);
  std::vector<Node> nodes;
  std::size_t at = 0;
  try {
    if (!expander.Parse(recipe, &at, false, &nodes)) return std::nullopt;
  } catch (const std::exception&) {
    *error = "bad number in a directive";
    return std::nullopt;
  }
  std::string out;
  if (!expander.Expand(nodes, &out)) return std::nullopt;
  return out;
}

}  // namespace magent::hostile
