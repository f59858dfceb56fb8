// The journal's entries survive the trip to bytes and back, and bytes this build cannot
// read (cut short, or written by a newer build) are Corruption, never a guess.
#include "archive/journal_codec.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "magent/magent.h"
#include "testing/manual_runtime.h"

namespace magent::internal {
namespace {

using namespace std::chrono_literals;

TEST(JournalCodecTest, AgentRoundTripsEveryField) {
  JournalAgent a;
  a.id = AgentId(7);
  a.source = SourceId(3);
  a.type = "buyer";
  a.options.name = "bookbuyer";
  a.options.activants = {{"card:1", "card", "Visa"}};
  a.options.passivants = {{"book:1", "book", "A book"}, {"addr:1", "address", "Home", true}};
  a.options.extension_policy = {.max_per_extension = 1min, .max_total = 1h, .max_count = 4};
  a.options.tracked = false;
  a.options.interim_report_every = 9;
  a.state = AgentState::kFrozen;
  a.created = testing::TestEpoch();
  a.since = testing::TestEpoch() + 1h;
  a.reason = Text("magent.source_gone", "Suspended: {0}", {"gone"});
  a.source_gone = true;
  a.frozen_by_source = true;
  a.retired_reason = Text("done");

  JournalAgent b;
  JournalDecoder decode;
  ASSERT_TRUE(decode.Agent(EncodeAgent(a), b).ok());
  EXPECT_EQ(b.id, a.id);
  EXPECT_EQ(b.source, a.source);
  EXPECT_EQ(b.type, a.type);
  EXPECT_EQ(b.options.name, a.options.name);
  EXPECT_EQ(b.options.activants, a.options.activants);
  EXPECT_EQ(b.options.passivants, a.options.passivants);
  EXPECT_EQ(b.options.extension_policy.max_per_extension, 1min);
  EXPECT_EQ(b.options.extension_policy.max_total, 1h);
  EXPECT_EQ(b.options.extension_policy.max_count, 4);
  EXPECT_FALSE(b.options.tracked);
  EXPECT_EQ(b.options.interim_report_every, 9u);
  EXPECT_EQ(b.state, a.state);
  EXPECT_EQ(b.created, a.created);
  EXPECT_EQ(b.since, a.since);
  EXPECT_EQ(b.reason, a.reason);
  EXPECT_TRUE(b.source_gone);
  EXPECT_TRUE(b.frozen_by_source);
  EXPECT_EQ(b.retired_reason, a.retired_reason);
}

TEST(JournalCodecTest, SourceAndEventStateRoundTrip) {
  JournalDecoder decode;
  JournalSource s;
  ASSERT_TRUE(decode
                  .Source(EncodeSource({.id = SourceId(4),
                                        .name = "board",
                                        .anonymous = true,
                                        .alive = false,
                                        .clearance = Clearance::kLow,
                                        .signs = true}),
                          s)
                  .ok());
  EXPECT_EQ(s.id, SourceId(4));
  EXPECT_EQ(s.name, "board");
  EXPECT_TRUE(s.anonymous);
  EXPECT_FALSE(s.alive);
  EXPECT_EQ(s.clearance, Clearance::kLow);
  EXPECT_TRUE(s.signs);

  JournalEvent e;
  const TimePoint started = testing::TestEpoch() + 5s;
  ASSERT_TRUE(
      decode
          .EventState(
              EncodeEventState({.agent = AgentId(9), .frozen_self = true, .started = started}), e)
          .ok());
  EXPECT_EQ(e.agent, AgentId(9));
  EXPECT_TRUE(e.frozen_self);
  EXPECT_EQ(e.started, started);
  EXPECT_FALSE(e.revoked);
  EXPECT_FALSE(e.quorum);
}

TEST(JournalCodecTest, EventStateKeepsWhatTheSentinelDecided) {
  JournalEventState state{.agent = AgentId(9), .revoked = true};
  state.quorum = QuorumRule{.min_weight = 2.5, .late = LateSignature::kExpire};
  state.signed_by = {SourceId(4), SourceId(6)};
  JournalEventState back;
  JournalDecoder decode;
  ASSERT_TRUE(decode.EventState(EncodeEventState(state), back).ok());
  EXPECT_TRUE(back.revoked);
  ASSERT_TRUE(back.quorum);
  EXPECT_EQ(back.quorum->min_weight, 2.5);
  EXPECT_EQ(back.quorum->late, LateSignature::kExpire);
  EXPECT_EQ(back.signed_by, state.signed_by);
}

std::string FromHex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

// What its source changed (AgentSource::ModifyEvent) and the history come back, and
// replace the body's values at the restore.
TEST(JournalCodecTest, EventStateKeepsWhatItsSourceChanged) {
  JournalEventState state{.agent = AgentId(9)};
  state.modified = JournalModified{.due = testing::TestEpoch() + 1h,
                                   .allowable = 5min,
                                   .goal = Text("Sooner"),
                                   .payload = std::string("\0b", 2)};
  state.history = {
      {testing::TestEpoch(), SourceId(3), ChangedField::kPayload,
       Text("magent.payload", "{0}", {"a"}), Text("magent.payload", "{0}", {"b"})},
      {testing::TestEpoch() + 1s, SourceId(3), ChangedField::kMoreTime,
       Text("magent.duration", "{0}", {"5m"}), Text("magent.duration", "{0}", {"6m"})}};
  JournalEvent back;
  back.spec.payload = "a";
  back.due = back.spec.due = testing::TestEpoch() + 2h;
  JournalDecoder decode;
  ASSERT_TRUE(decode.EventState(EncodeEventState(state), back).ok());
  ASSERT_TRUE(back.modified);
  EXPECT_EQ(back.history, state.history);
  ApplyModified(back);
  EXPECT_EQ(back.due, testing::TestEpoch() + 1h);
  EXPECT_EQ(back.spec.due, back.due);
  EXPECT_EQ(back.spec.allowable, 5min);
  EXPECT_EQ(back.spec.goal, Text("Sooner"));
  EXPECT_EQ(back.spec.payload, std::string("\0b", 2));
}

// An event state of version 2 (before sources could change events) reads as unchanged.
TEST(JournalCodecTest, AnEventStateOfVersion2ReadsAsUnchanged) {
  JournalEvent e;
  e.due = testing::TestEpoch();
  JournalDecoder decode;
  ASSERT_TRUE(decode
                  .EventState(FromHex("02"
                                      "0900000000000000"
                                      "01"
                                      "0092c8476752ea18"
                                      "01"
                                      "00"
                                      "0000000000000000"),
                              e)
                  .ok());
  EXPECT_EQ(e.agent, AgentId(9));
  EXPECT_TRUE(e.revoked);
  EXPECT_FALSE(e.modified);
  EXPECT_TRUE(e.history.empty());
  ApplyModified(e);
  EXPECT_EQ(e.due, testing::TestEpoch());
}

TEST(JournalCodecTest, AgentKeepsTheClearanceItsSourceGranted) {
  JournalAgent a;
  a.id = AgentId(7);
  a.options.clearance = Clearance::kLow;
  JournalAgent b;
  JournalDecoder decode;
  ASSERT_TRUE(decode.Agent(EncodeAgent(a), b).ok());
  EXPECT_EQ(b.options.clearance, Clearance::kLow);
}

// Entries as the build before the Sentinel's state was journaled wrote them (source and
// event state version 1, agent version 2) still read, as it restored them: the default
// clearances, no key, neither held nor revoked.
TEST(JournalCodecTest, EntriesOfEarlierVersionsStillRead) {
  JournalDecoder decode;
  JournalSource s;
  ASSERT_TRUE(decode.Source(FromHex("0104000000000000000500000000000000416c6963650001"), s).ok());
  EXPECT_EQ(s.id, SourceId(4));
  EXPECT_EQ(s.name, "Alice");
  EXPECT_TRUE(s.alive);
  EXPECT_EQ(s.clearance, Clearance::kHigh);
  EXPECT_FALSE(s.signs);

  JournalEvent e;
  ASSERT_TRUE(decode.EventState(FromHex("010900000000000000010092c8476752ea18"), e).ok());
  EXPECT_EQ(e.agent, AgentId(9));
  EXPECT_TRUE(e.frozen_self);
  EXPECT_EQ(e.started, testing::TestEpoch() + 5s);
  EXPECT_FALSE(e.revoked);
  EXPECT_FALSE(e.quorum);
  EXPECT_TRUE(e.signed_by.empty());

  JournalAgent a;
  ASSERT_TRUE(decode
                  .Agent(FromHex("0207000000000000000400000000000000000000000000000007000000000000"
                                 "0062726f77736572000000000000000000000000000000000000000000000000"
                                 "0000000000000000ffffff7f01000000000000a0c21d6652ea1800a0c21d6652"
                                 "ea18000000000000000000000000000000000000000000000000000000"),
                         a)
                  .ok());
  EXPECT_EQ(a.id, AgentId(7));
  EXPECT_EQ(a.source, SourceId(4));
  EXPECT_EQ(a.options.name, "browser");
  EXPECT_FALSE(a.options.clearance);
}

// A damaged quorum must not read as one that any signature reaches.
TEST(JournalCodecTest, ADamagedQuorumIsCorruption) {
  JournalEventState state{.agent = AgentId(9)};
  state.quorum = QuorumRule{.min_weight = 3};
  std::string bytes = EncodeEventState(state);
  // Version, agent, frozen, started, revoked, held (1 + 8 + 1 + 8 + 1 + 1), then the
  // weight (8), the late-signature rule (1), the count of signatures (8), modified (1) and
  // the count of changes (8).
  constexpr std::size_t kWeightAt = 20;
  ASSERT_EQ(bytes.size(), kWeightAt + 8 + 1 + 8 + 1 + 8);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::memcpy(bytes.data() + kWeightAt, &nan, sizeof nan);
  JournalEventState back;
  JournalDecoder decode;
  EXPECT_EQ(decode.EventState(bytes, back).code(), StatusCode::kCorruption);
  bytes = EncodeEventState(state);
  bytes[kWeightAt + 8] = 2;  // The late-signature rule: no such value.
  EXPECT_EQ(decode.EventState(bytes, back).code(), StatusCode::kCorruption);
}

TEST(JournalCodecTest, EventBodyRoundTripsEveryStoredField) {
  EventSpec spec;
  spec.kind = "buy";
  spec.goal = Text("buy.goal", "Buy {0}", {"a book"});
  spec.sources = {{SourceId(2), 0.5}, {SourceId(3), 2.0}};
  spec.activants = {{"card:1", "card", "Visa", true}};  // Private data stays private.
  spec.passivants = {{"book:1", "book", "A book"}};
  spec.payload = std::string("\0\1\2", 3);
  spec.allowable = 10min;
  spec.extension_step = 1min;
  spec.start_within = 2h;
  const TimePoint created = testing::TestEpoch();
  const TimePoint due = created + 1h;

  JournalEvent e;
  JournalDecoder decode;
  ASSERT_TRUE(
      decode.EventBody(EncodeEventBody(spec, AgentId(5), EventId(11), created, due), e).ok());
  EXPECT_EQ(e.agent, AgentId(5));
  EXPECT_EQ(e.parent, EventId(11));
  EXPECT_EQ(e.created, created);
  EXPECT_EQ(e.due, due);
  EXPECT_EQ(e.spec.due, due);
  EXPECT_EQ(e.spec.kind, spec.kind);
  EXPECT_EQ(e.spec.goal, spec.goal);
  EXPECT_EQ(e.spec.sources, spec.sources);
  EXPECT_EQ(e.spec.activants, spec.activants);
  EXPECT_EQ(e.spec.passivants, spec.passivants);
  EXPECT_EQ(e.spec.payload, spec.payload);
  EXPECT_EQ(e.spec.allowable, spec.allowable);
  EXPECT_EQ(e.spec.extension_step, spec.extension_step);
  EXPECT_EQ(e.spec.start_within, spec.start_within);
}

TEST(JournalCodecTest, CutShortIsCorruption) {
  const std::string bytes = EncodeSource({SourceId(4), "board", true, false});
  JournalSource s;
  JournalDecoder decode;
  const Status status = decode.Source(bytes.substr(0, bytes.size() - 5), s);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
}

TEST(JournalCodecTest, EntryOfANewerVersionIsCorruption) {
  std::string bytes = EncodeEventState({.agent = AgentId(9)});
  ASSERT_EQ(bytes[0], 3);  // The version comes first.
  bytes[0] = 4;
  JournalEvent e;
  JournalDecoder decode;
  const Status status = decode.EventState(bytes, e);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("version 4"), std::string::npos) << status.ToString();
}

// The fuzzer's findings (fuzz/journal_codec_fuzzer.cc): damage in a field is Corruption.
TEST(JournalCodecTest, AFlagByteOtherThanZeroOrOneIsCorruption_Issue15) {
  std::string bytes = EncodeSource({SourceId(4), "board", false, true});
  ASSERT_EQ(bytes.back(), 0);  // `signs` comes last.
  bytes.back() = 2;
  JournalSource s;
  JournalDecoder decode;
  EXPECT_EQ(decode.Source(bytes, s).code(), StatusCode::kCorruption);
}

// A damaged size is not allocated before its bytes arrive (under ASan, Boost's load asked
// for 2 TiB at once and the process died).
TEST(JournalCodecTest, AHugeStringSizeIsCorruptionWithoutAllocatingIt_Issue15) {
  std::string bytes = EncodeSource({SourceId(4), "board", false, true});
  // Version (1 byte), id (8), then the name's size (8, little-endian) and its bytes.
  const std::uint64_t size = std::uint64_t{1} << 41;
  for (int i = 0; i < 8; ++i) bytes[9 + i] = static_cast<char>(size >> (8 * i));
  JournalSource s;
  JournalDecoder decode;
  EXPECT_EQ(decode.Source(bytes, s).code(), StatusCode::kCorruption);
}

TEST(JournalCodecTest, AHugeListCountIsCorruptionWithoutAllocatingIt_Issue15) {
  EventSpec spec;
  const std::string plain = EncodeEventBody(spec, AgentId(1), EventId(), TimePoint{}, TimePoint{});
  spec.sources.push_back({SourceId(2), 1.0});
  const std::string with_source =
      EncodeEventBody(spec, AgentId(1), EventId(), TimePoint{}, TimePoint{});
  std::size_t at = 0;
  while (plain[at] == with_source[at]) ++at;  // The count of sources.
  std::string bytes = plain;
  const std::uint64_t count = std::uint64_t{1} << 41;
  for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(count >> (8 * i));
  JournalEvent e;
  JournalDecoder decode;
  EXPECT_EQ(decode.EventBody(bytes, e).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace magent::internal
