#include "magent/text.h"

#include <cctype>

namespace magent {

std::string Text::English() const { return Render(template_); }

std::string Text::Render(const std::string& tmpl) const {
  std::string out;
  out.reserve(tmpl.size());
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
      out += '}';
      ++i;
      continue;
    }
    if (c == '{') {
      std::size_t j = i + 1;
      std::size_t index = 0;
      while (j < tmpl.size() && std::isdigit(static_cast<unsigned char>(tmpl[j])) && j - i <= 6) {
        index = index * 10 + static_cast<std::size_t>(tmpl[j] - '0');
        ++j;
      }
      if (j > i + 1 && j < tmpl.size() && tmpl[j] == '}' && index < args_.size()) {
        out += args_[index];
        i = j;
        continue;
      }
    }
    out += c;
  }
  return out;
}

}  // namespace magent
