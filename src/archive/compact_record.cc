#include "archive/compact_record.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
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
// Bit 0: frozen; bit 1: orphaned. The others say which variable fields follow (kHas...):
// most records have none of them, and an absent one costs nothing to write or read.
constexpr std::size_t kFlagsAt = 90;
constexpr std::size_t kMoreFlagsAt = 91;  // Bit 0: kDefaultResult; bit 1: kHasHistory.
constexpr std::size_t kFixedSize = 92;

constexpr unsigned kFrozen = 1u << 0;
constexpr unsigned kOrphaned = 1u << 1;
constexpr unsigned kHasGoal = 1u << 2;
constexpr unsigned kHasPayload = 1u << 3;
constexpr unsigned kHasSources = 1u << 4;
constexpr unsigned kHasActivants = 1u << 5;
constexpr unsigned kHasPassivants = 1u << 6;
constexpr unsigned kHasExtensions = 1u << 7;
constexpr unsigned kDefaultResult = 1u << 0;  // The result is DefaultResult(outcome).
constexpr unsigned kHasHistory = 1u << 1;

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
  void String(std::string_view s) {
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

std::size_t StringBound(std::string_view s) { return kMaxVarint + s.size(); }

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

bool IsEmpty(const Text* t) {
  return t == nullptr ||
         (t->message_id().empty() && t->english_template().empty() && t->args().empty());
}
template <typename T>
bool IsEmpty(const T* list) {
  return list == nullptr || list->empty();
}

// What a record says when nothing said why it ended: built once (and never destroyed, so
// a record decoded while the process exits still finds it).
const Text& DefaultResult(Outcome outcome) {
  // Indexed by the Outcome's value (kNone = 0 ... kInterrupted = 7, fixed in event.h).
  static const auto* const kTexts = new std::array<Text, 8>{
      Text(),
      Text("succeeded", "Succeeded.", {}),
      Text("failed", "Failed.", {}),
      Text("killed", "Killed.", {}),
      Text("timed-out", "Timed out.", {}),
      Text("cancelled", "Cancelled before it ran.", {}),
      Text("expired", "Expired before it could run.", {}),
      Text("interrupted", "Interrupted: the process stopped while it ran.", {}),
  };
  const auto index = static_cast<std::size_t>(outcome);
  return index < kTexts->size() ? (*kTexts)[index] : (*kTexts)[0];
}

// Which variable fields `f` has (the kHas... bits).
unsigned PresentFields(const RecordFields& f) {
  return (IsEmpty(f.goal) ? 0 : kHasGoal) | (IsEmpty(f.payload) ? 0 : kHasPayload) |
         (IsEmpty(f.sources) ? 0 : kHasSources) | (IsEmpty(f.activants) ? 0 : kHasActivants) |
         (IsEmpty(f.passivants) ? 0 : kHasPassivants) |
         (IsEmpty(f.extensions) ? 0 : kHasExtensions);
}

}  // namespace

RecordFields FieldsOf(const EventRecord& r) {
  return {.id = r.id,
          .kind = r.kind,
          .agent = r.agent,
          .agent_source = r.agent_source,
          .parent = r.parent,
          .sources = &r.sources,
          .activants = &r.activants,
          .passivants = &r.passivants,
          .goal = &r.goal,
          .payload = &r.payload,
          .state = r.state,
          .outcome = r.outcome,
          .result = &r.result,
          .frozen = r.frozen,
          .orphaned = r.orphaned,
          .allowable = r.allowable,
          .actual = r.actual,
          .frozen_for = r.frozen_for,
          .extensions = &r.extensions,
          .history = &r.history,
          .created = r.created,
          .due = r.due,
          .started = r.started,
          .finished = r.finished};
}

// A list or text given but empty is not written; counting it anyway keeps this to null
// checks.
std::size_t CompactSizeBound(const RecordFields& f) {
  std::size_t n = kFixedSize + StringBound(f.kind);
  if (f.result) n += TextBound(*f.result);
  if (f.goal) n += TextBound(*f.goal);
  if (f.payload) n += StringBound(*f.payload);
  if (f.sources) n += kMaxVarint + f.sources->size() * (sizeof(std::uint64_t) + sizeof(double));
  if (f.activants) n += ParticipantsBound(*f.activants);
  if (f.passivants) n += ParticipantsBound(*f.passivants);
  if (f.extensions) n += kMaxVarint + f.extensions->size() * 3 * sizeof(Duration::rep);
  if (f.history) {
    n += kMaxVarint;
    for (const EventChange& c : *f.history) {
      n += sizeof(Duration::rep) + sizeof(std::uint64_t) + 1 + TextBound(c.from) + TextBound(c.to);
    }
  }
  return n;
}

char* EncodeCompact(const RecordFields& f, char* out) {
  const unsigned present = PresentFields(f);
  Put(out + kIdAt, f.id.value());
  PutTime(out + kFinishedAt, f.finished);
  Put(out + kAgentAt, f.agent.value());
  Put(out + kAgentSourceAt, f.agent_source.value());
  Put(out + kParentAt, f.parent.value());
  PutDuration(out + kAllowableAt, f.allowable);
  PutDuration(out + kActualAt, f.actual);
  PutDuration(out + kFrozenForAt, f.frozen_for);
  PutTime(out + kCreatedAt, f.created);
  PutTime(out + kDueAt, f.due);
  PutTime(out + kStartedAt, f.started);
  out[kStateAt] = static_cast<char>(f.state);
  out[kOutcomeAt] = static_cast<char>(f.outcome);
  out[kFlagsAt] =
      static_cast<char>(present | (f.frozen ? kFrozen : 0) | (f.orphaned ? kOrphaned : 0));
  out[kMoreFlagsAt] =
      static_cast<char>((f.result ? 0 : kDefaultResult) | (IsEmpty(f.history) ? 0 : kHasHistory));

  Writer w(out + kFixedSize);
  w.String(f.kind);
  if (f.result) w.TextValue(*f.result);
  if (present & kHasGoal) w.TextValue(*f.goal);
  if (present & kHasPayload) w.String(*f.payload);
  if (present & kHasSources) {
    w.Count(f.sources->size());
    for (const SourceWeight& s : *f.sources) {
      w.Fixed(s.source.value());
      w.Fixed(s.weight);
    }
  }
  if (present & kHasActivants) w.Participants(*f.activants);
  if (present & kHasPassivants) w.Participants(*f.passivants);
  if (present & kHasExtensions) {
    w.Count(f.extensions->size());
    for (const Extension& e : *f.extensions) {
      w.Fixed(e.at.time_since_epoch().count());
      w.Fixed(e.requested.count());
      w.Fixed(e.granted.count());
    }
  }
  if (!IsEmpty(f.history)) {
    w.Count(f.history->size());
    for (const EventChange& c : *f.history) {
      w.Fixed(c.at.time_since_epoch().count());
      w.Fixed(c.by.value());
      w.Fixed(static_cast<unsigned char>(c.field));
      w.TextValue(c.from);
      w.TextValue(c.to);
    }
  }
  return w.end();
}

void DecodeCompact(const char* in, EventRecord& r) {
  const auto flags = static_cast<unsigned char>(in[kFlagsAt]);
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
  r.state = CompactState(in);
  r.outcome = static_cast<Outcome>(in[kOutcomeAt]);
  r.frozen = (flags & kFrozen) != 0;
  r.orphaned = (flags & kOrphaned) != 0;

  Reader reader(in + kFixedSize);
  reader.String(r.kind);
  if (in[kMoreFlagsAt] & kDefaultResult) {
    r.result = DefaultResult(r.outcome);
  } else {
    r.result = reader.TextValue();
  }
  r.goal = (flags & kHasGoal) ? reader.TextValue() : Text();
  if (flags & kHasPayload) {
    reader.String(r.payload);
  } else {
    r.payload.clear();
  }
  r.sources.resize((flags & kHasSources) ? reader.Count() : 0);
  for (SourceWeight& s : r.sources) {
    s.source = SourceId(reader.Fixed<std::uint64_t>());
    s.weight = reader.Fixed<double>();
  }
  if (flags & kHasActivants) {
    reader.Participants(r.activants);
  } else {
    r.activants.clear();
  }
  if (flags & kHasPassivants) {
    reader.Participants(r.passivants);
  } else {
    r.passivants.clear();
  }
  r.extensions.resize((flags & kHasExtensions) ? reader.Count() : 0);
  for (Extension& e : r.extensions) {
    e.at = TimePoint(Duration(reader.Fixed<Duration::rep>()));
    e.requested = Duration(reader.Fixed<Duration::rep>());
    e.granted = Duration(reader.Fixed<Duration::rep>());
  }
  r.history.resize((in[kMoreFlagsAt] & kHasHistory) ? reader.Count() : 0);
  for (EventChange& c : r.history) {
    c.at = TimePoint(Duration(reader.Fixed<Duration::rep>()));
    c.by = SourceId(reader.Fixed<std::uint64_t>());
    c.field = static_cast<ChangedField>(reader.Fixed<unsigned char>());
    c.from = reader.TextValue();
    c.to = reader.TextValue();
  }
}

void CopyFields(const RecordFields& fields, EventRecord& record) {
  const auto bytes = std::make_unique_for_overwrite<char[]>(CompactSizeBound(fields));
  EncodeCompact(fields, bytes.get());
  DecodeCompact(bytes.get(), record);
}

EventId CompactId(const char* in) { return EventId(Read<std::uint64_t>(in + kIdAt)); }

TimePoint CompactFinished(const char* in) { return ReadTime(in + kFinishedAt); }

EventState CompactState(const char* in) { return static_cast<EventState>(in[kStateAt]); }

}  // namespace magent::internal
