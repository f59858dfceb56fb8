// The in-memory record form (src/archive/compact_record.cc): every record the fuzzer
// makes up encodes within CompactSizeBound and decodes to the same record. The compact
// form is private to a process and never read from outside, so the fuzzer drives the
// records, not the bytes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "archive/compact_record.h"
#include "archive/record_codec.h"

namespace magent {
namespace {

std::string Str(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(64); }

Text MakeText(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return Text(Str(in));
  std::string id = Str(in), english = Str(in);
  std::vector<std::string> args(in.ConsumeIntegralInRange(0, 3));
  for (std::string& a : args) a = Str(in);
  return Text(std::move(id), std::move(english), std::move(args));
}

template <typename P>
std::vector<P> Participants(FuzzedDataProvider& in) {
  std::vector<P> list(in.ConsumeIntegralInRange(0, 3));
  for (P& p : list) p = {Str(in), Str(in), Str(in), in.ConsumeBool()};
  return list;
}

TimePoint Time(FuzzedDataProvider& in) {
  return TimePoint(Duration(in.ConsumeIntegral<Duration::rep>()));
}
Duration Length(FuzzedDataProvider& in) { return Duration(in.ConsumeIntegral<Duration::rep>()); }

EventRecord MakeRecord(FuzzedDataProvider& in) {
  EventRecord r;
  r.id = EventId(in.ConsumeIntegral<std::uint64_t>());
  r.kind = Str(in);
  r.agent = AgentId(in.ConsumeIntegral<std::uint64_t>());
  r.agent_source = SourceId(in.ConsumeIntegral<std::uint64_t>());
  r.parent = EventId(in.ConsumeIntegral<std::uint64_t>());
  r.sources.resize(in.ConsumeIntegralInRange(0, 3));
  for (SourceWeight& w : r.sources) {
    w = {SourceId(in.ConsumeIntegral<std::uint64_t>()), in.ConsumeFloatingPoint<double>()};
  }
  r.activants = Participants<Activant>(in);
  r.passivants = Participants<Passivant>(in);
  if (in.ConsumeBool()) r.goal = MakeText(in);
  r.payload = Str(in);
  r.state = static_cast<EventState>(in.ConsumeIntegralInRange(0, 2));
  r.outcome =
      static_cast<Outcome>(in.ConsumeIntegralInRange(0, static_cast<int>(Outcome::kInterrupted)));
  if (in.ConsumeBool()) r.result = MakeText(in);
  r.frozen = in.ConsumeBool();
  r.orphaned = in.ConsumeBool();
  r.allowable = Length(in);
  r.actual = Length(in);
  r.frozen_for = Length(in);
  r.extensions.resize(in.ConsumeIntegralInRange(0, 3));
  for (Extension& e : r.extensions) e = {Time(in), Length(in), Length(in)};
  r.history.resize(in.ConsumeIntegralInRange(0, 3));
  for (EventChange& c : r.history) {
    c = {Time(in), SourceId(in.ConsumeIntegral<std::uint64_t>()),
         static_cast<ChangedField>(
             in.ConsumeIntegralInRange(0, static_cast<int>(ChangedField::kMoreTime))),
         MakeText(in), MakeText(in)};
  }
  r.created = Time(in);
  r.due = Time(in);
  r.started = Time(in);
  r.finished = Time(in);
  return r;
}

// Records compare through the archive's encoding: it writes every field.
std::string Bytes(const EventRecord& r) {
  std::string out;
  internal::EncodeRecord(r, out);
  return out;
}

}  // namespace
}  // namespace magent

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace magent;
  FuzzedDataProvider in(data, size);
  const EventRecord record = MakeRecord(in);
  const internal::RecordFields fields = internal::FieldsOf(record);
  const std::size_t bound = internal::CompactSizeBound(fields);
  std::vector<char> buffer(bound);
  const char* end = internal::EncodeCompact(fields, buffer.data());
  if (end < buffer.data() || static_cast<std::size_t>(end - buffer.data()) > bound) std::abort();
  if (internal::CompactId(buffer.data()) != record.id ||
      internal::CompactFinished(buffer.data()) != record.finished ||
      internal::CompactState(buffer.data()) != record.state) {
    std::abort();
  }
  EventRecord decoded = MakeRecord(in);  // Overwritten whatever it held.
  internal::DecodeCompact(buffer.data(), decoded);
  EventRecord copied = MakeRecord(in);
  internal::CopyFields(fields, copied);
  const std::string expected = Bytes(record);
  if (Bytes(decoded) != expected || Bytes(copied) != expected) std::abort();
  return 0;
}
