#include "archive/record_codec.h"

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/stream.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>
#include <chrono>
#include <cstdint>

// Times and durations are stored as signed nanoseconds, whatever the clock's tick; ids
// and enums as their numbers (every stored enum says "never renumber").
namespace boost::serialization {

template <class Ar, class Tag>
void save(Ar& ar, const magent::Id<Tag>& id, unsigned) {
  const std::uint64_t v = id.value();
  ar << v;
}
template <class Ar, class Tag>
void load(Ar& ar, magent::Id<Tag>& id, unsigned) {
  std::uint64_t v = 0;
  ar >> v;
  id = magent::Id<Tag>(v);
}
template <class Ar, class Tag>
void serialize(Ar& ar, magent::Id<Tag>& id, unsigned version) {
  split_free(ar, id, version);
}

template <class Ar>
void save(Ar& ar, const magent::Duration& d, unsigned) {
  const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  ar << ns;
}
template <class Ar>
void load(Ar& ar, magent::Duration& d, unsigned) {
  std::int64_t ns = 0;
  ar >> ns;
  d = std::chrono::duration_cast<magent::Duration>(std::chrono::nanoseconds(ns));
}
template <class Ar>
void serialize(Ar& ar, magent::Duration& d, unsigned version) {
  split_free(ar, d, version);
}

template <class Ar>
void serialize(Ar& ar, magent::TimePoint& t, unsigned) {
  magent::Duration since_epoch = t.time_since_epoch();
  ar & since_epoch;
  t = magent::TimePoint(since_epoch);
}

template <class Ar>
void save(Ar& ar, const magent::Text& t, unsigned) {
  ar << t.message_id() << t.english_template() << t.args();
}
template <class Ar>
void load(Ar& ar, magent::Text& t, unsigned) {
  std::string message_id, english;
  std::vector<std::string> args;
  ar >> message_id >> english >> args;
  t = magent::Text(std::move(message_id), std::move(english), std::move(args));
}
template <class Ar>
void serialize(Ar& ar, magent::Text& t, unsigned version) {
  split_free(ar, t, version);
}

template <class Ar>
void serialize(Ar& ar, magent::SourceWeight& s, unsigned) {
  ar & s.source & s.weight;
}
template <class Ar>
void serialize(Ar& ar, magent::Activant& a, unsigned) {
  ar & a.id & a.kind & a.label;
}
template <class Ar>
void serialize(Ar& ar, magent::Passivant& p, unsigned) {
  ar & p.id & p.kind & p.label;
}
template <class Ar>
void serialize(Ar& ar, magent::Extension& e, unsigned) {
  ar & e.at & e.requested & e.granted;
}

template <class Ar, class Enum>
void SerializeEnum(Ar& ar, Enum& e) {
  auto v = static_cast<unsigned char>(e);
  ar & v;
  e = static_cast<Enum>(v);
}

// Version 1: every field of EventRecord as of issue 4. A field added later is read only
// `if (version >= 2)`, so version-1 records keep their defaults for it.
template <class Ar>
void serialize(Ar& ar, magent::EventRecord& r, unsigned /*version*/) {
  ar & r.id & r.kind & r.agent & r.agent_source & r.parent & r.sources & r.activants &
      r.passivants & r.goal & r.payload;
  SerializeEnum(ar, r.state);
  SerializeEnum(ar, r.outcome);
  ar & r.result & r.frozen & r.orphaned & r.allowable & r.actual & r.frozen_for &
      r.extensions & r.created & r.due & r.started & r.finished;
}

}  // namespace boost::serialization

BOOST_CLASS_VERSION(magent::EventRecord, magent::internal::kRecordVersion)

namespace magent::internal {

namespace {
constexpr unsigned kArchiveFlags = boost::archive::no_header | boost::archive::no_codecvt;
}  // namespace

void EncodeRecord(const EventRecord& record, std::string& out) {
  boost::iostreams::stream<boost::iostreams::back_insert_device<std::string>> os(out);
  {
    boost::archive::binary_oarchive ar(os, kArchiveFlags);
    ar << record;
  }
  os.flush();
}

Result<EventRecord> DecodeRecord(std::string_view bytes) {
  boost::iostreams::stream<boost::iostreams::array_source> is(bytes.data(), bytes.size());
  EventRecord record;
  try {
    boost::archive::binary_iarchive ar(is, kArchiveFlags);
    ar >> record;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("archived record does not decode: ") + e.what());
  }
  return record;
}

}  // namespace magent::internal
