#include "archive/journal_codec.h"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/level.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/tracking.hpp>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "archive/bounded_loads.h"
#include "archive/byte_streams.h"

namespace magent::internal::journal_wire {

constexpr unsigned kFlags = boost::archive::no_header | boost::archive::no_codecvt;

// Each entry starts with its version. Entries are serialized without Boost's class
// information (object_serializable, never tracked), so one archive serves many entries:
// making a Boost archive costs a std::locale, a microsecond, as much as the entry itself.
template <typename Ar>
void SaveVersion(Ar& ar, std::uint8_t version) {
  ar << version;
}
// The entry's version; throws for one newer than `latest` (written by a later build).
template <typename Ar>
std::uint8_t LoadVersion(Ar& ar, std::uint8_t latest) {
  std::uint8_t version;
  ar >> version;
  if (version == 0 || version > latest) {
    throw std::runtime_error("entry version " + std::to_string(version) +
                             ", this build reads up to " + std::to_string(latest));
  }
  return version;
}

// Collections are written by hand: Boost's std::vector carries class information.
template <typename Ar>
void SaveStrings(Ar& ar, const std::vector<std::string>& list) {
  const std::uint64_t n = list.size();
  ar << n;
  for (const std::string& s : list) ar << s;
}
template <typename Ar>
void LoadStrings(Ar& ar, std::vector<std::string>& list) {
  std::uint64_t n;
  ar >> n;
  LoadList(ar, n, list, LoadString<Ar>);
}

template <typename Ar>
void Save(Ar& ar, const Text& t) {
  ar << t.message_id() << t.english_template();
  SaveStrings(ar, t.args());
}
template <typename Ar>
void Load(Ar& ar, Text& t) {
  std::string id, english;
  std::vector<std::string> args;
  LoadString(ar, id);
  LoadString(ar, english);
  LoadStrings(ar, args);
  t = Text(std::move(id), std::move(english), std::move(args));
}

template <typename Ar>
void SaveTime(Ar& ar, TimePoint t) {
  const std::int64_t ns = t.time_since_epoch().count();
  ar << ns;
}
template <typename Ar>
void LoadTime(Ar& ar, TimePoint& t) {
  std::int64_t ns;
  ar >> ns;
  t = TimePoint(Duration(ns));
}
template <typename Ar>
void SaveDuration(Ar& ar, Duration d) {
  const std::int64_t ns = d.count();
  ar << ns;
}
template <typename Ar>
void LoadDuration(Ar& ar, Duration& d) {
  std::int64_t ns;
  ar >> ns;
  d = Duration(ns);
}
template <typename Ar, typename IdT>
void SaveId(Ar& ar, IdT id) {
  const std::uint64_t v = id.value();
  ar << v;
}
template <typename Ar, typename IdT>
void LoadId(Ar& ar, IdT& id) {
  std::uint64_t v;
  ar >> v;
  id = IdT(v);
}

// Activants and Passivants have the same fields. Version 2 of the entries that hold them
// added is_private (the Sentinel's private data); version 1 reads as not private.
constexpr std::uint8_t kPrivateSince = 2;
template <typename Ar, typename P>
void SaveParticipants(Ar& ar, const std::vector<P>& list) {
  const std::uint64_t n = list.size();
  ar << n;
  for (const P& p : list) ar << p.id << p.kind << p.label << p.is_private;
}
template <typename Ar, typename P>
void LoadParticipants(Ar& ar, std::vector<P>& list, std::uint8_t version) {
  std::uint64_t n;
  ar >> n;
  LoadList(ar, n, list, [version](Ar& a, P& p) {
    LoadString(a, p.id);
    LoadString(a, p.kind);
    LoadString(a, p.label);
    if (version >= kPrivateSince) LoadBool(a, p.is_private);
  });
}

// Clearances and LateSignature values are stored as their enumerators' numbers.
template <typename Ar>
void SaveClearance(Ar& ar, Clearance c) {
  const auto v = static_cast<std::uint8_t>(c);
  ar << v;
}
template <typename Ar>
void LoadClearance(Ar& ar, Clearance& c) {
  std::uint8_t v;
  ar >> v;
  if (v > static_cast<std::uint8_t>(Clearance::kPrivate)) {
    throw std::runtime_error("bad clearance " + std::to_string(v));
  }
  c = static_cast<Clearance>(v);
}

// Version 2 added the source's clearance and whether it signs; version 1 reads as the
// default clearance (what a restart gave it before) and no key.
struct SourceEntry {
  static constexpr std::uint8_t kVersion = 2;
  JournalSource* s;
  template <typename Ar>
  void save(Ar& ar, unsigned) const {
    SaveVersion(ar, kVersion);
    SaveId(ar, s->id);
    ar << s->name << s->anonymous << s->alive;
    SaveClearance(ar, s->clearance);
    ar << s->signs;
  }
  template <typename Ar>
  void load(Ar& ar, unsigned) {
    const std::uint8_t version = LoadVersion(ar, kVersion);
    LoadId(ar, s->id);
    LoadString(ar, s->name);
    LoadBool(ar, s->anonymous);
    LoadBool(ar, s->alive);
    if (version < 2) return;
    LoadClearance(ar, s->clearance);
    LoadBool(ar, s->signs);
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// Version 3 added the clearance its source granted it; version 2 reads as none (the
// source's, as a restart gave it before).
struct AgentEntry {
  static constexpr std::uint8_t kVersion = 3;
  JournalAgent* a;
  template <typename Ar>
  void save(Ar& ar, unsigned) const {
    SaveVersion(ar, kVersion);
    SaveId(ar, a->id);
    SaveId(ar, a->source);
    ar << a->type << a->options.name;
    SaveParticipants(ar, a->options.activants);
    SaveParticipants(ar, a->options.passivants);
    SaveDuration(ar, a->options.extension_policy.max_per_extension);
    SaveDuration(ar, a->options.extension_policy.max_total);
    ar << a->options.extension_policy.max_count << a->options.tracked
       << a->options.interim_report_every;
    const auto state = static_cast<std::uint8_t>(a->state);
    ar << state;
    SaveTime(ar, a->created);
    SaveTime(ar, a->since);
    Save(ar, a->reason);
    ar << a->source_gone << a->frozen_by_source;
    const bool retired = a->retired_reason.has_value();
    ar << retired;
    if (retired) Save(ar, *a->retired_reason);
    const bool cleared = a->options.clearance.has_value();
    ar << cleared;
    if (cleared) SaveClearance(ar, *a->options.clearance);
  }
  template <typename Ar>
  void load(Ar& ar, unsigned) {
    const std::uint8_t version = LoadVersion(ar, kVersion);
    LoadId(ar, a->id);
    LoadId(ar, a->source);
    LoadString(ar, a->type);
    LoadString(ar, a->options.name);
    LoadParticipants(ar, a->options.activants, version);
    LoadParticipants(ar, a->options.passivants, version);
    LoadDuration(ar, a->options.extension_policy.max_per_extension);
    LoadDuration(ar, a->options.extension_policy.max_total);
    ar >> a->options.extension_policy.max_count;
    LoadBool(ar, a->options.tracked);
    ar >> a->options.interim_report_every;
    std::uint8_t state;
    ar >> state;
    if (state > static_cast<std::uint8_t>(AgentState::kRemoved)) {
      throw std::runtime_error("bad agent state " + std::to_string(state));
    }
    a->state = static_cast<AgentState>(state);
    LoadTime(ar, a->created);
    LoadTime(ar, a->since);
    Load(ar, a->reason);
    LoadBool(ar, a->source_gone);
    LoadBool(ar, a->frozen_by_source);
    bool retired;
    LoadBool(ar, retired);
    if (retired) Load(ar, a->retired_reason.emplace());
    if (version < 3) return;
    bool cleared;
    LoadBool(ar, cleared);
    if (cleared) LoadClearance(ar, a->options.clearance.emplace());
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// Saved from the spec as scheduled; loaded into a JournalEvent.
struct EventBodyEntry {
  static constexpr std::uint8_t kVersion = 2;
  const EventSpec* in = nullptr;
  AgentId agent;
  EventId parent;
  TimePoint created{};
  TimePoint due{};
  JournalEvent* out = nullptr;

  template <typename Ar>
  void save(Ar& ar, unsigned) const {
    SaveVersion(ar, kVersion);
    SaveId(ar, agent);
    SaveId(ar, parent);
    SaveTime(ar, created);
    SaveTime(ar, due);
    ar << in->kind;
    Save(ar, in->goal);
    const std::uint64_t n = in->sources.size();
    ar << n;
    for (const SourceWeight& w : in->sources) {
      SaveId(ar, w.source);
      ar << w.weight;
    }
    SaveParticipants(ar, in->activants);
    SaveParticipants(ar, in->passivants);
    ar << in->payload;
    SaveDuration(ar, in->allowable);
    SaveDuration(ar, in->extension_step);
    const bool within = in->start_within.has_value();
    ar << within;
    if (within) SaveDuration(ar, *in->start_within);
  }
  template <typename Ar>
  void load(Ar& ar, unsigned) {
    const std::uint8_t version = LoadVersion(ar, kVersion);
    EventSpec& spec = out->spec;
    LoadId(ar, out->agent);
    LoadId(ar, out->parent);
    LoadTime(ar, out->created);
    LoadTime(ar, out->due);
    spec.due = out->due;
    LoadString(ar, spec.kind);
    Load(ar, spec.goal);
    std::uint64_t n;
    ar >> n;
    LoadList(ar, n, spec.sources, [](Ar& a, SourceWeight& w) {
      LoadId(a, w.source);
      a >> w.weight;
    });
    LoadParticipants(ar, spec.activants, version);
    LoadParticipants(ar, spec.passivants, version);
    LoadString(ar, spec.payload);
    LoadDuration(ar, spec.allowable);
    LoadDuration(ar, spec.extension_step);
    bool within;
    LoadBool(ar, within);
    if (within) LoadDuration(ar, spec.start_within.emplace());
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// An event's history (EventChange), as the state entry keeps it.
template <typename Ar>
void SaveHistory(Ar& ar, const std::vector<EventChange>& history) {
  const std::uint64_t n = history.size();
  ar << n;
  for (const EventChange& c : history) {
    SaveTime(ar, c.at);
    SaveId(ar, c.by);
    const auto field = static_cast<std::uint8_t>(c.field);
    ar << field;
    Save(ar, c.from);
    Save(ar, c.to);
  }
}
template <typename Ar>
void LoadHistory(Ar& ar, std::vector<EventChange>& history) {
  std::uint64_t n;
  ar >> n;
  LoadList(ar, n, history, [](Ar& a, EventChange& c) {
    LoadTime(a, c.at);
    LoadId(a, c.by);
    std::uint8_t field;
    a >> field;
    if (field > static_cast<std::uint8_t>(ChangedField::kMoreTime)) {
      throw std::runtime_error("bad changed field " + std::to_string(field));
    }
    c.field = static_cast<ChangedField>(field);
    Load(a, c.from);
    Load(a, c.to);
  });
}

// Version 2 added what the Sentinel decided (revoked, quorum, signatures); version 1 reads
// as neither revoked nor held. Version 3 added what its source changed (the values now,
// if any) and the history; version 2 reads as unchanged.
struct EventStateEntry {
  static constexpr std::uint8_t kVersion = 3;
  JournalEventState* s;
  template <typename Ar>
  void save(Ar& ar, unsigned) const {
    SaveVersion(ar, kVersion);
    SaveId(ar, s->agent);
    ar << s->frozen_self;
    SaveTime(ar, s->started);
    ar << s->revoked;
    const bool held = s->quorum.has_value();
    ar << held;
    if (held) {
      const auto late = static_cast<std::uint8_t>(s->quorum->late);
      ar << s->quorum->min_weight << late;
    }
    const std::uint64_t n = s->signed_by.size();
    ar << n;
    for (SourceId id : s->signed_by) SaveId(ar, id);
    const bool modified = s->modified.has_value();
    ar << modified;
    if (modified) {
      SaveTime(ar, s->modified->due);
      SaveDuration(ar, s->modified->allowable);
      Save(ar, s->modified->goal);
      ar << s->modified->payload;
    }
    SaveHistory(ar, s->history);
  }
  template <typename Ar>
  void load(Ar& ar, unsigned) {
    const std::uint8_t version = LoadVersion(ar, kVersion);
    LoadId(ar, s->agent);
    LoadBool(ar, s->frozen_self);
    LoadTime(ar, s->started);
    if (version < 2) return;
    LoadBool(ar, s->revoked);
    bool held;
    LoadBool(ar, held);
    if (held) {
      QuorumRule& rule = s->quorum.emplace();
      std::uint8_t late;
      ar >> rule.min_weight >> late;
      // A damaged weight must not read as a quorum every signature reaches (NaN compares
      // false): a journal that cannot say what holds an event is unreadable.
      if (!std::isfinite(rule.min_weight) || rule.min_weight < 0) {
        throw std::runtime_error("bad quorum weight");
      }
      if (late > static_cast<std::uint8_t>(LateSignature::kExpire)) {
        throw std::runtime_error("bad late-signature rule " + std::to_string(late));
      }
      rule.late = static_cast<LateSignature>(late);
    }
    std::uint64_t n;
    ar >> n;
    LoadList(ar, n, s->signed_by, [](Ar& a, SourceId& id) { LoadId(a, id); });
    if (version < 3) return;
    bool modified;
    LoadBool(ar, modified);
    if (modified) {
      JournalModified& m = s->modified.emplace();
      LoadTime(ar, m.due);
      LoadDuration(ar, m.allowable);
      Load(ar, m.goal);
      LoadString(ar, m.payload);
    }
    LoadHistory(ar, s->history);
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// One output archive per thread, reused for every entry it encodes.
struct Encoder {
  StringSink sink;
  boost::archive::binary_oarchive ar{sink, kFlags};
};

template <typename Entry>
std::string Encode(const Entry& entry) {
  thread_local Encoder encoder;
  std::string out;
  encoder.sink.set_target(&out);
  encoder.ar << entry;
  return out;
}

}  // namespace magent::internal::journal_wire

// No class information and no tracking: see SaveVersion. An entry's version is its
// kVersion; raise it when its layout grows, and branch on LoadVersion's answer in load().
#define MAGENT_JOURNAL_ENTRY(T)                                         \
  BOOST_CLASS_IMPLEMENTATION(magent::internal::journal_wire::T,         \
                             boost::serialization::object_serializable) \
  BOOST_CLASS_TRACKING(magent::internal::journal_wire::T, boost::serialization::track_never)
MAGENT_JOURNAL_ENTRY(SourceEntry)
MAGENT_JOURNAL_ENTRY(AgentEntry)
MAGENT_JOURNAL_ENTRY(EventBodyEntry)
MAGENT_JOURNAL_ENTRY(EventStateEntry)
#undef MAGENT_JOURNAL_ENTRY

namespace magent::internal {

using namespace journal_wire;

std::string EncodeSource(const JournalSource& source) {
  return Encode(SourceEntry{const_cast<JournalSource*>(&source)});
}

std::string EncodeAgent(const JournalAgent& agent) {
  return Encode(AgentEntry{const_cast<JournalAgent*>(&agent)});
}

std::string EncodeEventBody(const EventSpec& spec, AgentId agent, EventId parent, TimePoint created,
                            TimePoint due) {
  return Encode(EventBodyEntry{&spec, agent, parent, created, due, nullptr});
}

std::string EncodeEventState(const JournalEventState& state) {
  return Encode(EventStateEntry{const_cast<JournalEventState*>(&state)});
}

struct JournalDecoder::Impl {
  BytesSource source;
  boost::archive::binary_iarchive ar{source, kFlags};

  template <typename Entry>
  Status Decode(std::string_view bytes, Entry& entry, const char* what) {
    try {
      source.set_source(bytes);
      ar >> entry;
    } catch (const std::exception& e) {
      return Status::Corruption(std::string("journal ") + what + " entry unreadable: " + e.what());
    }
    return Status::OK();
  }
};

JournalDecoder::JournalDecoder() : impl_(std::make_unique<Impl>()) {}
JournalDecoder::~JournalDecoder() = default;

Status JournalDecoder::Source(std::string_view bytes, JournalSource& out) {
  SourceEntry entry{&out};
  return impl_->Decode(bytes, entry, "source");
}

Status JournalDecoder::Agent(std::string_view bytes, JournalAgent& out) {
  AgentEntry entry{&out};
  return impl_->Decode(bytes, entry, "agent");
}

Status JournalDecoder::EventBody(std::string_view bytes, JournalEvent& out) {
  EventBodyEntry entry;
  entry.out = &out;
  return impl_->Decode(bytes, entry, "event");
}

void ApplyModified(JournalEvent& event) {
  if (!event.modified) return;
  const JournalModified& m = *event.modified;
  event.due = m.due;
  event.spec.due = m.due;
  event.spec.allowable = m.allowable;
  event.spec.goal = m.goal;
  event.spec.payload = m.payload;
}

Status JournalDecoder::EventState(std::string_view bytes, JournalEventState& out) {
  // Decoded aside: a state that fails to decode leaves `out` as it was.
  JournalEventState state;
  EventStateEntry entry{&state};
  if (Status s = impl_->Decode(bytes, entry, "event state"); !s.ok()) return s;
  out = std::move(state);
  return Status::OK();
}

}  // namespace magent::internal
