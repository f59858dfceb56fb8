// The hard archive's record codec: every field survives, damage is reported, and records
// written by earlier versions (frozen under testdata/) still decode.
#include "archive/record_codec.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "archive/record_fixture.h"

namespace magent {
namespace {

std::string FromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(MAGENT_ARCHIVE_TESTDATA_DIR) + "/" + name);
  EXPECT_TRUE(in) << "missing test data " << name;
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(RecordCodecTest, EveryFieldRoundTrips) {
  const EventRecord record = testing::FullRecordV3();
  std::string bytes;
  internal::EncodeRecord(record, bytes);
  Result<EventRecord> decoded = internal::DecodeRecord(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  testing::ExpectSameRecord(*decoded, record);
}

TEST(RecordCodecTest, UnlimitedDurationsAndEpochTimesRoundTrip) {
  EventRecord record;
  record.allowable = Duration::max();
  std::string bytes;
  internal::EncodeRecord(record, bytes);
  Result<EventRecord> decoded = internal::DecodeRecord(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->allowable, Duration::max());
  EXPECT_EQ(decoded->finished, TimePoint{});
}

TEST(RecordCodecTest, EncodeAppendsToWhatIsThere) {
  std::string bytes = "prefix";
  internal::EncodeRecord(testing::FullRecordV1(), bytes);
  EXPECT_EQ(bytes.substr(0, 6), "prefix");
  EXPECT_TRUE(internal::DecodeRecord(std::string_view(bytes).substr(6)).ok());
}

TEST(RecordCodecTest, TruncatedBytesAreCorruption) {
  std::string bytes;
  internal::EncodeRecord(testing::FullRecordV1(), bytes);
  bytes.resize(bytes.size() / 2);
  EXPECT_EQ(internal::DecodeRecord(bytes).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(internal::DecodeRecord("").status().code(), StatusCode::kCorruption);
}

TEST(RecordCodecTest, ARecordOfANewerVersionIsCorruptionNotGarbage) {
  std::string bytes;
  internal::EncodeRecord(testing::FullRecordV1(), bytes);
  bytes[0] = static_cast<char>(internal::kRecordVersion + 1);  // The version comes first.
  Result<EventRecord> decoded = internal::DecodeRecord(bytes);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(decoded.status().message().find("newer"), std::string::npos);
}

TEST(RecordCodecTest, TrailingBytesAreCorruption) {
  std::string bytes;
  internal::EncodeRecord(testing::FullRecordV1(), bytes);
  bytes += "x";
  EXPECT_EQ(internal::DecodeRecord(bytes).status().code(), StatusCode::kCorruption);
}

// Where the encodings of two records differ first: the field in which they differ.
std::size_t FieldAt(const EventRecord& a, const EventRecord& b) {
  std::string x, y;
  internal::EncodeRecord(a, x);
  internal::EncodeRecord(b, y);
  std::size_t at = 0;
  while (x[at] == y[at]) ++at;
  return at;
}

// Overwrites the 8 bytes (a size or count, little-endian) that start at `at`.
void PutSize(std::string& bytes, std::size_t at, std::uint64_t size) {
  for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(size >> (8 * i));
}

// The fuzzer's findings (fuzz/record_codec_fuzzer.cc): damage in a field is Corruption,
// not a value no EventRecord holds.
TEST(RecordCodecTest, AnOutcomeOutOfRangeIsCorruption_Issue15) {
  EventRecord succeeded;
  succeeded.outcome = Outcome::kSucceeded;
  std::string bytes;
  internal::EncodeRecord(EventRecord(), bytes);
  bytes[FieldAt(EventRecord(), succeeded)] = 8;  // kInterrupted (7) is the last.
  EXPECT_EQ(internal::DecodeRecord(bytes).status().code(), StatusCode::kCorruption);
}

TEST(RecordCodecTest, AFlagByteOtherThanZeroOrOneIsCorruption_Issue15) {
  EventRecord frozen;
  frozen.frozen = true;
  std::string bytes;
  internal::EncodeRecord(EventRecord(), bytes);
  bytes[FieldAt(EventRecord(), frozen)] = 2;
  EXPECT_EQ(internal::DecodeRecord(bytes).status().code(), StatusCode::kCorruption);
}

// A damaged size is not allocated before its bytes arrive (under ASan, Boost's load
// asked for 2 TiB at once and the process died).
TEST(RecordCodecTest, AHugeStringSizeIsCorruptionWithoutAllocatingIt_Issue15) {
  EventRecord named;
  named.kind = "x";
  std::string bytes;
  internal::EncodeRecord(EventRecord(), bytes);
  PutSize(bytes, FieldAt(EventRecord(), named), std::uint64_t{1} << 41);
  EXPECT_EQ(internal::DecodeRecord(bytes).status().code(), StatusCode::kCorruption);
}

TEST(RecordCodecTest, AHugeListCountIsCorruptionWithoutAllocatingIt_Issue15) {
  EventRecord with_source;
  with_source.sources.push_back({SourceId(1), 1.0});
  std::string bytes;
  internal::EncodeRecord(EventRecord(), bytes);
  PutSize(bytes, FieldAt(EventRecord(), with_source), std::uint64_t{1} << 41);
  EXPECT_EQ(internal::DecodeRecord(bytes).status().code(), StatusCode::kCorruption);
}

TEST(RecordCodecTest, OneEncoderWritesManyRecordsEachDecodableAlone) {
  internal::RecordEncoder encoder;
  EventRecord second = testing::FullRecordV1();
  second.id = EventId(1);
  second.goal = Text("Another goal");
  std::string a, b;
  encoder.Encode(testing::FullRecordV1(), a);
  encoder.Encode(second, b);
  EXPECT_EQ(a.size(), [] {
    std::string alone;
    internal::EncodeRecord(testing::FullRecordV1(), alone);
    return alone.size();
  }());
  testing::ExpectSameRecord(internal::DecodeRecord(b).value(), second);
  testing::ExpectSameRecord(internal::DecodeRecord(a).value(), testing::FullRecordV1());
}

// The frozen bytes were written by record version 1 (see testdata/README.md); whatever
// the record has grown into since, they must still decode to the same fields.
TEST(RecordCodecTest, DecodesARecordWrittenByVersion1) {
  const std::string bytes = FromHex(ReadTestData("record_v1.hex"));
  ASSERT_FALSE(bytes.empty());
  Result<EventRecord> decoded = internal::DecodeRecord(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  testing::ExpectSameRecord(*decoded, testing::FullRecordV1());
}

// Version 2 (the private flags of activants and passivants), frozen the same way.
TEST(RecordCodecTest, DecodesARecordWrittenByVersion2) {
  const std::string bytes = FromHex(ReadTestData("record_v2.hex"));
  ASSERT_FALSE(bytes.empty());
  Result<EventRecord> decoded = internal::DecodeRecord(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  testing::ExpectSameRecord(*decoded, testing::FullRecordV2());
}

// Version 3 (the history of what its source changed), frozen the same way.
TEST(RecordCodecTest, DecodesARecordWrittenByVersion3) {
  const std::string bytes = FromHex(ReadTestData("record_v3.hex"));
  ASSERT_FALSE(bytes.empty());
  Result<EventRecord> decoded = internal::DecodeRecord(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  testing::ExpectSameRecord(*decoded, testing::FullRecordV3());
}

}  // namespace
}  // namespace magent
