#include "magent/imip/safe_text.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace magent::imip {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD.

// One step through UTF-8 (Unicode 15, table 3-7): the code point at the start of `text`
// and the bytes it takes, or kInvalid and the length of the maximal ill-formed subpart.
struct Step {
  static constexpr std::uint32_t kInvalid = 0xFFFFFFFF;
  std::uint32_t code_point;
  std::size_t length;
};

Step Decode(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  unsigned char low = 0x80;  // The second byte's range; later ones are always 80..BF.
  unsigned char high = 0xBF;
  std::uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // Overlong below U+0800.
    if (lead == 0xED) high = 0x9F;  // Surrogates U+D800..U+DFFF.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // Overlong below U+10000.
    if (lead == 0xF4) high = 0x8F;  // Above U+10FFFF.
  } else {
    return {Step::kInvalid, 1};  // A continuation byte, C0, C1 or F5..FF.
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (i >= text.size() || byte(i) < low || byte(i) > high) return {Step::kInvalid, i};
    code_point = (code_point << 6) | (byte(i) & 0x3F);
    low = 0x80;
    high = 0xBF;
  }
  return {code_point, length};
}

bool IsControl(std::uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

}  // namespace

std::string RepairUtf8(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text[copied, i) is valid and not yet in `out`.
  for (std::size_t i = 0; i < text.size();) {
    const Step step = Decode(text.substr(i));
    if (step.code_point != Step::kInvalid && step.code_point != 0) {
      i += step.length;
      continue;
    }
    if (out.empty()) out.reserve(text.size() + 16);
    out.append(text.substr(copied, i - copied));
    out.append(kReplacement);
    i += step.length;
    copied = i;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

std::string OneLine(std::string_view text) {
  // Most texts (an address, a plain subject) are printable ASCII: nothing to do.
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; })) {
    return std::string(text);
  }
  const std::string repaired = RepairUtf8(text);
  const std::string_view valid = repaired;
  std::string out;
  out.reserve(valid.size());
  bool pending_space = false;  // A run of control characters was seen after some text.
  for (std::size_t i = 0; i < valid.size();) {
    const Step step = Decode(valid.substr(i));
    if (IsControl(step.code_point)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(valid.substr(i, step.length));
    }
    i += step.length;
  }
  return out;
}

}  // namespace magent::imip
