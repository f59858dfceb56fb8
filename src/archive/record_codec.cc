#include "archive/record_codec.h"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <type_traits>
#include <vector>

#include "archive/bounded_loads.h"
#include "archive/byte_streams.h"

namespace magent::internal {
namespace {

// A record is its version (an unsigned int) and then its fields, written through a Boost
// binary archive as plain numbers and strings. The version is ours rather than Boost's
// class information because Boost writes that once per archive, and one archive encodes
// a whole batch: setting an archive up costs more than a record. Each Field() both saves
// and loads.
// Times and durations are signed nanoseconds whatever the clock's tick; ids and enums
// their numbers (every stored enum says "never renumber"); a vector its size, then its
// elements.

template <class Ar>
constexpr bool kLoading = Ar::is_loading::value;

template <class Ar>
void Field(Ar& ar, std::string& s) {
  if constexpr (kLoading<Ar>) {
    LoadString(ar, s);
  } else {
    ar << s;
  }
}
template <class Ar>
void Field(Ar& ar, bool& b) {
  if constexpr (kLoading<Ar>) {
    LoadBool(ar, b);
  } else {
    ar << b;
  }
}
template <class Ar>
void Field(Ar& ar, double& d) {
  ar& d;
}
template <class Ar, class Tag>
void Field(Ar& ar, Id<Tag>& id) {
  std::uint64_t v = id.value();
  ar& v;
  if constexpr (kLoading<Ar>) id = Id<Tag>(v);
}
template <class Ar>
void Field(Ar& ar, Duration& d) {
  std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  ar& ns;
  if constexpr (kLoading<Ar>) {
    d = std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(ns));
  }
}
template <class Ar>
void Field(Ar& ar, TimePoint& t) {
  Duration since_epoch = t.time_since_epoch();
  Field(ar, since_epoch);
  if constexpr (kLoading<Ar>) t = TimePoint(since_epoch);
}
// The largest value each stored enum has; a record with a larger one is damaged.
constexpr unsigned char Largest(EventState) {
  return static_cast<unsigned char>(EventState::kPast);
}
constexpr unsigned char Largest(Outcome) {
  return static_cast<unsigned char>(Outcome::kInterrupted);
}
constexpr unsigned char Largest(ChangedField) {
  return static_cast<unsigned char>(ChangedField::kMoreTime);
}
template <class Ar, class Enum>
requires std::is_enum_v<Enum>
void Field(Ar& ar, Enum& e) {
  auto v = static_cast<unsigned char>(e);
  ar& v;
  if constexpr (kLoading<Ar>) {
    if (v > Largest(Enum{})) throw std::runtime_error("bad enum value " + std::to_string(v));
    e = static_cast<Enum>(v);
  }
}
// Defined last, so that it sees the element overloads.
template <class Ar, class T>
void Field(Ar& ar, std::vector<T>& v);
template <class Ar>
void Field(Ar& ar, Text& t) {
  std::string message_id = t.message_id(), english = t.english_template();
  std::vector<std::string> args = t.args();
  Field(ar, message_id);
  Field(ar, english);
  Field(ar, args);
  if constexpr (kLoading<Ar>) t = Text(std::move(message_id), std::move(english), std::move(args));
}
template <class Ar>
void Field(Ar& ar, SourceWeight& s) {
  Field(ar, s.source);
  Field(ar, s.weight);
}
template <class Ar, class Participant>
requires std::is_same_v<Participant, Activant> || std::is_same_v<Participant, Passivant>
void Field(Ar& ar, Participant& p) {
  Field(ar, p.id);
  Field(ar, p.kind);
  Field(ar, p.label);
}
template <class Ar>
void Field(Ar& ar, Extension& e) {
  Field(ar, e.at);
  Field(ar, e.requested);
  Field(ar, e.granted);
}
template <class Ar>
void Field(Ar& ar, EventChange& c) {
  Field(ar, c.at);
  Field(ar, c.by);
  Field(ar, c.field);
  Field(ar, c.from);
  Field(ar, c.to);
}

template <class Ar, class T>
void Field(Ar& ar, std::vector<T>& v) {
  std::uint64_t n = v.size();
  ar& n;
  if constexpr (kLoading<Ar>) {
    LoadList(ar, n, v, [](Ar& a, T& e) { Field(a, e); });
  } else {
    for (T& e : v) Field(ar, e);
  }
}

template <class Ar, class... Ts>
void Fields(Ar& ar, Ts&... fields) {
  (Field(ar, fields), ...);
}

// Version 1: every field of EventRecord as of issue 4. A field added later is read only
// `if (version >= N)`, so older records keep their defaults for it.
// Version 2: whether each activant and passivant is private (the Sentinel's private data),
// after the version-1 fields, in list order.
// Version 3: the history (what its source changed), after the version-2 fields.
template <class Ar>
void SerializeRecord(Ar& ar, EventRecord& r, unsigned version) {
  Fields(ar, r.id, r.kind, r.agent, r.agent_source, r.parent, r.sources, r.activants, r.passivants,
         r.goal, r.payload, r.state, r.outcome, r.result, r.frozen, r.orphaned, r.allowable,
         r.actual, r.frozen_for, r.extensions, r.created, r.due, r.started, r.finished);
  if (version >= 2) {
    for (Activant& a : r.activants) Field(ar, a.is_private);
    for (Passivant& p : r.passivants) Field(ar, p.is_private);
  }
  if (version >= 3) Field(ar, r.history);
}

constexpr unsigned kArchiveFlags = boost::archive::no_header | boost::archive::no_codecvt;

}  // namespace

struct RecordEncoder::Impl {
  StringSink sink;
  boost::archive::binary_oarchive archive{sink, kArchiveFlags};
};

RecordEncoder::RecordEncoder() : impl_(std::make_unique<Impl>()) {}
RecordEncoder::~RecordEncoder() = default;

void RecordEncoder::Encode(const EventRecord& record, std::string& out) {
  impl_->sink.set_target(&out);
  unsigned version = kRecordVersion;
  impl_->archive << version;
  // Saving only reads the record.
  SerializeRecord(impl_->archive, const_cast<EventRecord&>(record), version);
  impl_->sink.set_target(nullptr);
}

void EncodeRecord(const EventRecord& record, std::string& out) {
  RecordEncoder().Encode(record, out);
}

struct RecordDecoder::Impl {
  BytesSource source;
  boost::archive::binary_iarchive archive{source, kArchiveFlags};
};

RecordDecoder::RecordDecoder() : impl_(std::make_unique<Impl>()) {}
RecordDecoder::~RecordDecoder() = default;

Result<EventRecord> RecordDecoder::Decode(std::string_view bytes) {
  impl_->source.set_source(bytes);
  EventRecord record;
  try {
    unsigned version = 0;
    impl_->archive >> version;
    if (version == 0 || version > kRecordVersion) {
      return Status::Corruption("archived record of version " + std::to_string(version) +
                                ", newer than this magent reads (" +
                                std::to_string(kRecordVersion) + ")");
    }
    SerializeRecord(impl_->archive, record, version);
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("archived record does not decode: ") + e.what());
  }
  if (!impl_->source.exhausted()) return Status::Corruption("archived record has trailing bytes");
  return record;
}

Result<EventRecord> DecodeRecord(std::string_view bytes) { return RecordDecoder().Decode(bytes); }

}  // namespace magent::internal
