#include "archive/compact_record.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace magent::internal {
namespace {

// The fixed part's layout. Ids and times are 8 bytes each, copied as they are.
constexpr std::size_t kIdAt = 0;
constexpr std::size_t kFinishedAt = 8;
constexpr std::size_t kAgentAt = 16;
constexpr std::size_t kAgentSourceAt = 24;
constexpr std::size_t kParentAt = 32;
constexpr std::size_t kAllowableAt = 40;
constexpr std::size_t kActualAt = 48;
constexpr std::size_t kFrozenForAt = 56;
constexpr std::size_t kCreatedAt = 64;
constexpr std::size_t kDueAt = 72;
constexpr std::size_t kStartedAt = 80;
constexpr std::size_t kStateAt = 88;
constexpr std::size_t kOutcomeAt = 89;
constexpr std::size_t kFlagsAt = 90;  // Bit 0: frozen; bit 1: orphaned.
constexpr std::size_t kFixedSize = 91;

constexpr std::size_t kMaxVarint = 10;  // Bytes of the longest 64-bit varint.

template <typename T>
void Put(char* at, T value) {
  std::memcpy(at, &value, sizeof value);
}

template <typename T>
T Read(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

void PutTime(char* at, TimePoint t) { Put(at, t.time_since_epoch().count()); }
void PutDuration(char* at, Duration d) { Put(at, d.count()); }
TimePoint ReadTime(const char* at) { return TimePoint(Duration(Read<Duration::rep>(at))); }
Duration ReadDuration(const char* at) { return Duration(Read<Duration::rep>(at)); }

// Writes the variable part in order; lengths and counts as LEB128 varints (one byte below
// 128, which almost every length is).
class Writer {
 public:
  explicit Writer(char* out) : out_(out) {}
  char* end() const { return out_; }

  void Count(std::uint64_t n) {
    while (n >= 0x80) {
      *out_++ = static_cast<char>(n | 0x80);
      n >>= 7;
    }
    *out_++ = static_cast<char>(n);
  }
  void Bytes(const void* data, std::size_t size) {
    if (size != 0) std::memcpy(out_, data, size);
    out_ += size;
  }
  void String(const std::string& s) {
    Count(s.size());
    Bytes(s.data(), s.size());
  }
  template <typename T>
  void Fixed(T value) {
    Bytes(&value, sizeof value);
  }
  void TextValue(const Text& t) {
    String(t.message_id());
    String(t.english_template());
    Count(t.args().size());
    for (const std::string& arg : t.args()) String(arg);
  }
  template <typename Participant>
  void Participants(const std::vector<Participant>& list) {
    Count(list.size());
    for (const Participant& p : list) {
      String(p.id);
      String(p.kind);
      String(p.label);
      Fixed<unsigned char>(p.is_private ? 1 : 0);
    }
  }

 private:
  char* out_;
};

class Reader {
 public:
  explicit Reader(const char* in) : in_(in) {}

  std::uint64_t Count() {
    std::uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*in_++);
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return n;
    }
  }
  void String(std::string& s) {
    const std::size_t size = Count();
    s.assign(in_, size);
    in_ += size;
  }
  template <typename T>
  T Fixed() {
    const T value = Read<T>(in_);
    in_ += sizeof value;
    return value;
  }
  Text TextValue() {
    std::string message_id;
    std::string english;
    std::vector<std::string> args;
    String(message_id);
    String(english);
    args.resize(Count());
    for (std::string& arg : args) String(arg);
    return Text(std::move(message_id), std::move(english), std::move(args));
  }
  template <typename Participant>
  void Participants(std::vector<Participant>& list) {
    list.resize(Count());
    for (Participant& p : list) {
      String(p.id);
      String(p.kind);
      String(p.label);
      p.is_private = Fixed<unsigned char>() != 0;
    }
  }

 private:
  const char* in_;
};

std::size_t StringBound(const std::string& s) { return kMaxVarint + s.size(); }

std::size_t TextBound(const Text& t) {
  std::size_t n = StringBound(t.message_id()) + StringBound(t.english_template()) + kMaxVarint;
  for (const std::string& arg : t.args()) n += StringBound(arg);
  return n;
}

template <typename Participant>
std::size_t ParticipantsBound(const std::vector<Participant>& list) {
  std::size_t n = kMaxVarint;
  for (const Participant& p : list) {
    n += StringBound(p.id) + StringBound(p.kind) + StringBound(p.label) + 1;
  }
  return n;
}

}  // namespace

std::size_t CompactSizeBound(const EventRecord& r) {
  return kFixedSize + StringBound(r.kind) + TextBound(r.goal) + TextBound(r.result) +
         StringBound(r.payload) + kMaxVarint +
         r.sources.size() * (sizeof(std::uint64_t) + sizeof(double)) +
         ParticipantsBound(r.activants) + ParticipantsBound(r.passivants) + kMaxVarint +
         r.extensions.size() * 3 * sizeof(Duration::rep);
}

char* EncodeCompact(const EventRecord& r, char* out) {
  Put(out + kIdAt, r.id.value());
  PutTime(out + kFinishedAt, r.finished);
  Put(out + kAgentAt, r.agent.value());
  Put(out + kAgentSourceAt, r.agent_source.value());
  Put(out + kParentAt, r.parent.value());
  PutDuration(out + kAllowableAt, r.allowable);
  PutDuration(out + kActualAt, r.actual);
  PutDuration(out + kFrozenForAt, r.frozen_for);
  PutTime(out + kCreatedAt, r.created);
  PutTime(out + kDueAt, r.due);
  PutTime(out + kStartedAt, r.started);
  out[kStateAt] = static_cast<char>(r.state);
  out[kOutcomeAt] = static_cast<char>(r.outcome);
  out[kFlagsAt] = static_cast<char>((r.frozen ? 1 : 0) | (r.orphaned ? 2 : 0));

  Writer w(out + kFixedSize);
  w.String(r.kind);
  w.TextValue(r.goal);
  w.TextValue(r.result);
  w.String(r.payload);
  w.Count(r.sources.size());
  for (const SourceWeight& s : r.sources) {
    w.Fixed(s.source.value());
    w.Fixed(s.weight);
  }
  w.Participants(r.activants);
  w.Participants(r.passivants);
  w.Count(r.extensions.size());
  for (const Extension& e : r.extensions) {
    w.Fixed(e.at.time_since_epoch().count());
    w.Fixed(e.requested.count());
    w.Fixed(e.granted.count());
  }
  return w.end();
}

void DecodeCompact(const char* in, EventRecord& r) {
  r.id = CompactId(in);
  r.finished = CompactFinished(in);
  r.agent = AgentId(Read<std::uint64_t>(in + kAgentAt));
  r.agent_source = SourceId(Read<std::uint64_t>(in + kAgentSourceAt));
  r.parent = EventId(Read<std::uint64_t>(in + kParentAt));
  r.allowable = ReadDuration(in + kAllowableAt);
  r.actual = ReadDuration(in + kActualAt);
  r.frozen_for = ReadDuration(in + kFrozenForAt);
  r.created = ReadTime(in + kCreatedAt);
  r.due = ReadTime(in + kDueAt);
  r.started = ReadTime(in + kStartedAt);
  r.state = static_cast<EventState>(in[kStateAt]);
  r.outcome = static_cast<Outcome>(in[kOutcomeAt]);
  r.frozen = (in[kFlagsAt] & 1) != 0;
  r.orphaned = (in[kFlagsAt] & 2) != 0;

  Reader reader(in + kFixedSize);
  reader.String(r.kind);
  r.goal = reader.TextValue();
  r.result = reader.TextValue();
  reader.String(r.payload);
  r.sources.resize(reader.Count());
  for (SourceWeight& s : r.sources) {
    s.source = SourceId(reader.Fixed<std::uint64_t>());
    s.weight = reader.Fixed<double>();
  }
  reader.Participants(r.activants);
  reader.Participants(r.passivants);
  r.extensions.resize(reader.Count());
  for (Extension& e : r.extensions) {
    e.at = TimePoint(Duration(reader.Fixed<Duration::rep>()));
    e.requested = Duration(reader.Fixed<Duration::rep>());
    e.granted = Duration(reader.Fixed<Duration::rep>());
  }
}

EventId CompactId(const char* in) { return EventId(Read<std::uint64_t>(in + kIdAt)); }

TimePoint CompactFinished(const char* in) { return ReadTime(in + kFinishedAt); }

}  // namespace magent::internal
