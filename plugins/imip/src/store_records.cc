#include "store_records.h"

#include <chrono>
#include <cstdint>
#include <limits>

namespace magent::imip::internal {

using std::chrono::seconds;

namespace {

// The layout of every value; stored first in each. Never reuse a number for another layout.
constexpr char kFormat = 1;
// kFormat with `sent_by` after `organizer` in objects: the layout of O, C and K values.
constexpr char kObjectFormat = 2;

std::int64_t Seconds(UtcTime t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}
UtcTime FromSeconds(std::int64_t s) { return UtcTime(seconds(s)); }

void AppendInt(std::string& out, std::int64_t n) {
  const auto biased = static_cast<std::uint64_t>(n) ^ (std::uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((biased >> shift) & 0xff));
  }
}

}  // namespace

void AppendTime(std::string& key, UtcTime t) { AppendInt(key, Seconds(t)); }

namespace {

void AppendOptionalTime(std::string& out, std::optional<UtcTime> t) {
  out.push_back(t ? 1 : 0);
  if (t) AppendTime(out, *t);
}

void AppendString(std::string& out, std::string_view s) {
  for (std::size_t n = s.size();; n >>= 7) {
    out.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
  out.append(s);
}

// Reads a value's fields in the order they were appended; each read fails (false) past the
// end, and so does every read after it.
class FieldReader {
 public:
  FieldReader(std::string_view in, char format) : in_(in), format_(format) {}

  // The value's format byte.
  char format() const { return format_; }

  bool Int(std::int64_t& n) {
    if (!ok_ || in_.size() < 8) return ok_ = false;
    std::uint64_t biased = 0;
    for (int i = 0; i < 8; ++i) biased = biased << 8 | static_cast<unsigned char>(in_[i]);
    in_.remove_prefix(8);
    n = static_cast<std::int64_t>(biased ^ (std::uint64_t{1} << 63));
    return true;
  }
  bool Time(UtcTime& t) {
    std::int64_t s = 0;
    if (!Int(s)) return false;
    t = FromSeconds(s);
    return true;
  }
  bool Flag(bool& flag) {
    if (!ok_ || in_.empty() || static_cast<unsigned char>(in_[0]) > 1) return ok_ = false;
    flag = in_[0] == 1;
    in_.remove_prefix(1);
    return true;
  }
  bool OptionalTime(std::optional<UtcTime>& t) {
    bool present = false;
    if (!Flag(present)) return false;
    if (!present) {
      t.reset();
      return true;
    }
    return Time(t.emplace());
  }
  bool String(std::string& s) {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
      if (!ok_ || in_.empty() || shift > 35) return ok_ = false;
      const auto byte = static_cast<unsigned char>(in_[0]);
      in_.remove_prefix(1);
      n |= std::size_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) break;
    }
    if (in_.size() < n) return ok_ = false;
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  // All fields read and nothing left over.
  bool Done() const { return ok_ && in_.empty(); }

 private:
  std::string_view in_;
  char format_;
  bool ok_ = true;
};

// A reader past the format byte, or the reason the value cannot be read. Formats from
// kFormat to `newest` are read.
Result<FieldReader> OpenValue(std::string_view value, std::string_view what,
                              char newest = kFormat) {
  if (value.empty() || value[0] < kFormat || value[0] > newest) {
    return Status::Corruption(
        "a stored " + std::string(what) + " is in an unknown format" +
        (value.empty() ? std::string(" (empty)") : " (" + std::to_string(int{value[0]}) + ")"));
  }
  return FieldReader(value.substr(1), value[0]);
}

void AppendObject(std::string& out, const StoredObject& o) {
  AppendString(out, o.uid);
  AppendOptionalTime(out, o.recurrence_id);
  AppendInt(out, o.sequence);
  AppendTime(out, o.dtstamp);
  AppendString(out, o.summary);
  AppendString(out, o.organizer);
  AppendString(out, o.sent_by);
  AppendString(out, o.partstat);
  AppendString(out, o.calendar);
}

}  // namespace

std::string Encode(const StoredObject& o) {
  std::string out(1, kObjectFormat);
  AppendObject(out, o);
  return out;
}

std::string Encode(const StoredCounter& c) {
  std::string out(1, kObjectFormat);
  AppendObject(out, c.object);
  AppendTime(out, c.proposed.start);
  AppendTime(out, c.proposed.end);
  AppendOptionalTime(out, c.expires);
  return out;
}

std::string Encode(const QuotaEntry& e) {
  std::string out(1, kFormat);
  AppendString(out, e.resource);
  AppendString(out, e.organizer);
  AppendString(out, e.uid);
  AppendTime(out, e.occurrence);
  AppendTime(out, e.period.start);
  AppendTime(out, e.period.end);
  AppendString(out, e.summary);
  return out;
}

std::string Encode(const BusyPeriod& b) {
  std::string out(1, kFormat);
  AppendTime(out, b.period.start);
  AppendTime(out, b.period.end);
  AppendString(out, b.uid);
  AppendOptionalTime(out, b.recurrence_id);
  AppendString(out, b.summary);
  out.push_back(b.offer ? 1 : 0);
  AppendTime(out, b.expires);
  return out;
}

namespace {

bool ReadObject(FieldReader& in, StoredObject& out) {
  std::int64_t sequence = 0;
  if (!in.String(out.uid) || !in.OptionalTime(out.recurrence_id) || !in.Int(sequence) ||
      !in.Time(out.dtstamp) || !in.String(out.summary) || !in.String(out.organizer) ||
      (in.format() >= kObjectFormat && !in.String(out.sent_by)) || !in.String(out.partstat) ||
      !in.String(out.calendar) || sequence < std::numeric_limits<int>::min() ||
      sequence > std::numeric_limits<int>::max()) {
    return false;
  }
  out.sequence = static_cast<int>(sequence);
  return true;
}

}  // namespace

Result<StoredObject> DecodeObject(std::string_view value, std::string_view what) {
  auto in = OpenValue(value, what, kObjectFormat);
  if (!in.ok()) return in.status();
  StoredObject out;
  if (!ReadObject(*in, out) || !in->Done()) {
    return Status::Corruption("a stored " + std::string(what) + " is damaged");
  }
  return out;
}

Result<StoredCounter> DecodeCounter(std::string_view value) {
  auto in = OpenValue(value, "counter-proposal", kObjectFormat);
  if (!in.ok()) return in.status();
  StoredCounter out;
  if (!ReadObject(*in, out.object) || !in->Time(out.proposed.start) ||
      !in->Time(out.proposed.end) || !in->OptionalTime(out.expires) || !in->Done()) {
    return Status::Corruption("a stored counter-proposal is damaged");
  }
  return out;
}

Result<QuotaEntry> DecodeQuotaEntry(std::string_view value) {
  auto in = OpenValue(value, "quota journal entry");
  if (!in.ok()) return in.status();
  QuotaEntry out;
  if (!in->String(out.resource) || !in->String(out.organizer) || !in->String(out.uid) ||
      !in->Time(out.occurrence) || !in->Time(out.period.start) || !in->Time(out.period.end) ||
      !in->String(out.summary) || !in->Done()) {
    return Status::Corruption("a stored quota journal entry is damaged");
  }
  return out;
}

Result<BusyPeriod> DecodeBusy(std::string_view value) {
  auto in = OpenValue(value, "busy period");
  if (!in.ok()) return in.status();
  BusyPeriod out;
  if (!in->Time(out.period.start) || !in->Time(out.period.end) || !in->String(out.uid) ||
      !in->OptionalTime(out.recurrence_id) || !in->String(out.summary) || !in->Flag(out.offer) ||
      !in->Time(out.expires) || !in->Done()) {
    return Status::Corruption("a stored busy period is damaged");
  }
  return out;
}

std::string Encode(const std::vector<BusyPlace>& places) {
  std::string out(1, kFormat);
  for (const BusyPlace& p : places) {
    AppendOptionalTime(out, p.rid);
    AppendTime(out, p.end);
    AppendTime(out, p.start);
  }
  return out;
}

Result<std::vector<BusyPlace>> DecodePlaces(std::string_view value) {
  auto in = OpenValue(value, "busy index");
  if (!in.ok()) return in.status();
  std::vector<BusyPlace> out;
  while (!in->Done()) {
    BusyPlace& p = out.emplace_back();
    if (!in->OptionalTime(p.rid) || !in->Time(p.end) || !in->Time(p.start)) {
      return Status::Corruption("a stored busy index is damaged");
    }
  }
  return out;
}

std::string Encode(const std::vector<std::string>& groups) {
  std::string out(1, kFormat);
  for (const std::string& g : groups) AppendString(out, g);
  return out;
}

Result<std::vector<std::string>> DecodeGroups(std::string_view value) {
  auto in = OpenValue(value, "quota group list");
  if (!in.ok()) return in.status();
  std::vector<std::string> out;
  while (!in->Done()) {
    if (!in->String(out.emplace_back())) {
      return Status::Corruption("a stored quota group list is damaged");
    }
  }
  return out;
}

}  // namespace magent::imip::internal
