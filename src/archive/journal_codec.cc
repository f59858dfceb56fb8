#include "archive/journal_codec.h"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

namespace magent::internal::journal_wire {

// Appends to a string: no stream state, no copy at the end.
class StringSink final : public std::streambuf {
 public:
  explicit StringSink(std::string& out) : out_(out) {}

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_.append(s, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

 private:
  std::string& out_;
};

// Reads a byte range in place.
class BytesSource final : public std::streambuf {
 public:
  explicit BytesSource(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());  // Only read: the get area is never written.
    setg(p, p, p + bytes.size());
  }
};

constexpr unsigned kFlags = boost::archive::no_header | boost::archive::no_codecvt;

template <typename Ar>
void Save(Ar& ar, const Text& t) {
  ar << t.message_id() << t.english_template() << t.args();
}
template <typename Ar>
void Load(Ar& ar, Text& t) {
  std::string id, english;
  std::vector<std::string> args;
  ar >> id >> english >> args;
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

// Activants and Passivants have the same three fields.
template <typename Ar, typename P>
void SaveParticipants(Ar& ar, const std::vector<P>& list) {
  const std::uint64_t n = list.size();
  ar << n;
  for (const P& p : list) ar << p.id << p.kind << p.label;
}
template <typename Ar, typename P>
void LoadParticipants(Ar& ar, std::vector<P>& list) {
  std::uint64_t n;
  ar >> n;
  list.resize(n);
  for (P& p : list) ar >> p.id >> p.kind >> p.label;
}

struct SourceEntry {
  JournalSource* s;
  template <typename Ar>
  void save(Ar& ar, unsigned) const {
    SaveId(ar, s->id);
    ar << s->name << s->anonymous << s->alive;
  }
  template <typename Ar>
  void load(Ar& ar, unsigned) {
    LoadId(ar, s->id);
    ar >> s->name >> s->anonymous >> s->alive;
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

struct AgentEntry {
  JournalAgent* a;
  template <typename Ar>
  void save(Ar& ar, unsigned) const {
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
  }
  template <typename Ar>
  void load(Ar& ar, unsigned) {
    LoadId(ar, a->id);
    LoadId(ar, a->source);
    ar >> a->type >> a->options.name;
    LoadParticipants(ar, a->options.activants);
    LoadParticipants(ar, a->options.passivants);
    LoadDuration(ar, a->options.extension_policy.max_per_extension);
    LoadDuration(ar, a->options.extension_policy.max_total);
    ar >> a->options.extension_policy.max_count >> a->options.tracked >>
        a->options.interim_report_every;
    std::uint8_t state;
    ar >> state;
    if (state > static_cast<std::uint8_t>(AgentState::kRemoved)) {
      throw std::runtime_error("bad agent state " + std::to_string(state));
    }
    a->state = static_cast<AgentState>(state);
    LoadTime(ar, a->created);
    LoadTime(ar, a->since);
    Load(ar, a->reason);
    ar >> a->source_gone >> a->frozen_by_source;
    bool retired;
    ar >> retired;
    if (retired) Load(ar, a->retired_reason.emplace());
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// Saved from the spec as scheduled; loaded into a JournalEvent.
struct EventBodyEntry {
  const EventSpec* in = nullptr;
  AgentId agent;
  EventId parent;
  TimePoint created{};
  TimePoint due{};
  JournalEvent* out = nullptr;

  template <typename Ar>
  void save(Ar& ar, unsigned) const {
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
    EventSpec& spec = out->spec;
    LoadId(ar, out->agent);
    LoadId(ar, out->parent);
    LoadTime(ar, out->created);
    LoadTime(ar, out->due);
    spec.due = out->due;
    ar >> spec.kind;
    Load(ar, spec.goal);
    std::uint64_t n;
    ar >> n;
    spec.sources.resize(n);
    for (SourceWeight& w : spec.sources) {
      LoadId(ar, w.source);
      ar >> w.weight;
    }
    LoadParticipants(ar, spec.activants);
    LoadParticipants(ar, spec.passivants);
    ar >> spec.payload;
    LoadDuration(ar, spec.allowable);
    LoadDuration(ar, spec.extension_step);
    bool within;
    ar >> within;
    if (within) LoadDuration(ar, spec.start_within.emplace());
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

struct EventStateEntry {
  AgentId agent;
  bool frozen_self = false;
  TimePoint started{};
  template <typename Ar>
  void serialize(Ar& ar, unsigned) {
    std::uint64_t id = agent.value();
    std::int64_t ns = started.time_since_epoch().count();
    ar& id& frozen_self& ns;
    agent = AgentId(id);
    started = TimePoint(Duration(ns));
  }
};

template <typename Entry>
std::string Encode(const Entry& entry) {
  std::string out;
  StringSink sink(out);
  boost::archive::binary_oarchive ar(sink, kFlags);
  ar << entry;
  return out;
}

template <typename Entry>
Status Decode(std::string_view bytes, Entry& entry, const char* what) {
  try {
    BytesSource source(bytes);
    boost::archive::binary_iarchive ar(source, kFlags);
    ar >> entry;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("journal ") + what + " entry unreadable: " + e.what());
  }
  return Status::OK();
}

}  // namespace magent::internal::journal_wire

// Entry versions: raise one when its layout grows, and branch on `version` in load().
BOOST_CLASS_VERSION(magent::internal::journal_wire::SourceEntry, 1)
BOOST_CLASS_VERSION(magent::internal::journal_wire::AgentEntry, 1)
BOOST_CLASS_VERSION(magent::internal::journal_wire::EventBodyEntry, 1)
BOOST_CLASS_VERSION(magent::internal::journal_wire::EventStateEntry, 1)

namespace magent::internal {

using namespace journal_wire;

std::string EncodeSource(const JournalSource& source) {
  return Encode(SourceEntry{const_cast<JournalSource*>(&source)});
}

std::string EncodeAgent(const JournalAgent& agent) {
  return Encode(AgentEntry{const_cast<JournalAgent*>(&agent)});
}

std::string EncodeEventBody(const EventSpec& spec, AgentId agent, EventId parent,
                            TimePoint created, TimePoint due) {
  return Encode(EventBodyEntry{&spec, agent, parent, created, due, nullptr});
}

std::string EncodeEventState(AgentId agent, bool frozen_self, TimePoint started) {
  return Encode(EventStateEntry{agent, frozen_self, started});
}

Status DecodeSource(std::string_view bytes, JournalSource& out) {
  SourceEntry entry{&out};
  return Decode(bytes, entry, "source");
}

Status DecodeAgent(std::string_view bytes, JournalAgent& out) {
  AgentEntry entry{&out};
  return Decode(bytes, entry, "agent");
}

Status DecodeEventBody(std::string_view bytes, JournalEvent& out) {
  EventBodyEntry entry;
  entry.out = &out;
  return Decode(bytes, entry, "event");
}

Status DecodeEventState(std::string_view bytes, JournalEvent& out) {
  EventStateEntry entry;
  if (Status s = Decode(bytes, entry, "event state"); !s.ok()) return s;
  out.agent = entry.agent;
  out.frozen_self = entry.frozen_self;
  out.started = entry.started;
  return Status::OK();
}

}  // namespace magent::internal
