// The hard archive's record codec: every field survives, damage is reported, and records
// written by earlier versions (frozen under testdata/) still decode.
#include "archive/record_codec.h"

#include <gtest/gtest.h>

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
  const EventRecord record = testing::FullRecordV1();
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

}  // namespace
}  // namespace magent
