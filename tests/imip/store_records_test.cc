// The calendar store's values (store_records.h): each record type survives the trip to
// bytes and back, and bytes that are no such value are Corruption.
#include "store_records.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace magent::imip::internal {
namespace {

// Whole seconds, which every calendar time type holds. 2026-12-02 10:00 UTC.
const std::chrono::sys_seconds kStart{std::chrono::seconds(1796205600)};

StoredObject Object() {
  return {.uid = "sync-1@example.com",
          .recurrence_id = kStart,
          .sequence = -3,
          .dtstamp = kStart - std::chrono::hours(26),
          .summary = std::string(200, 's'),  // A length of two varint bytes.
          .organizer = "alice@example.com",
          .partstat = "ACCEPTED",
          .calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
}

TEST(StoreRecordsTest, EveryRecordTypeRoundTrips) {
  const StoredObject object = Object();
  auto decoded_object = DecodeObject(Encode(object));
  ASSERT_TRUE(decoded_object.ok()) << decoded_object.status().ToString();
  EXPECT_EQ(Encode(*decoded_object), Encode(object));
  EXPECT_EQ(decoded_object->summary, object.summary);
  EXPECT_EQ(decoded_object->sequence, -3);
  EXPECT_EQ(decoded_object->recurrence_id, kStart);

  const StoredCounter counter{.object = object,
                              .proposed = {kStart, kStart + std::chrono::hours(1)},
                              .expires = std::nullopt};
  auto decoded_counter = DecodeCounter(Encode(counter));
  ASSERT_TRUE(decoded_counter.ok());
  EXPECT_EQ(decoded_counter->proposed.end, kStart + std::chrono::hours(1));
  EXPECT_FALSE(decoded_counter->expires);

  const QuotaEntry entry{.resource = "car1@example.com",
                         .organizer = "alice@example.com",
                         .uid = "u",
                         .occurrence = kStart,
                         .period = {kStart, kStart + std::chrono::hours(2)},
                         .summary = "trip"};
  auto decoded_entry = DecodeQuotaEntry(Encode(entry));
  ASSERT_TRUE(decoded_entry.ok());
  EXPECT_EQ(Encode(*decoded_entry), Encode(entry));

  const BusyPeriod busy{.period = {kStart, kStart + std::chrono::hours(1)},
                        .uid = "u",
                        .recurrence_id = std::nullopt,
                        .summary = "x",
                        .offer = true,
                        .expires = kStart};
  auto decoded_busy = DecodeBusy(Encode(busy));
  ASSERT_TRUE(decoded_busy.ok());
  EXPECT_TRUE(decoded_busy->offer);
  EXPECT_EQ(Encode(*decoded_busy), Encode(busy));

  const std::vector<BusyPlace> places = {{std::nullopt, kStart, kStart}, {kStart, kStart, kStart}};
  auto decoded_places = DecodePlaces(Encode(places));
  ASSERT_TRUE(decoded_places.ok());
  ASSERT_EQ(decoded_places->size(), 2u);
  EXPECT_EQ((*decoded_places)[1].rid, kStart);

  const std::vector<std::string> groups = {"cars", "rooms"};
  auto decoded_groups = DecodeGroups(Encode(groups));
  ASSERT_TRUE(decoded_groups.ok());
  EXPECT_EQ(*decoded_groups, groups);
}

TEST(StoreRecordsTest, DamagedValuesAreCorruptionNamingTheRecord) {
  const std::string bytes = Encode(Object());
  auto cut = DecodeObject(bytes.substr(0, bytes.size() - 1), "cancellation");
  EXPECT_EQ(cut.status().code(), StatusCode::kCorruption);
  EXPECT_NE(cut.status().message().find("cancellation"), std::string::npos);
  EXPECT_EQ(DecodeObject(bytes + "x").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeObject("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeBusy("{\"uid\":\"u\"}").status().code(), StatusCode::kCorruption);  // JSON.
  EXPECT_EQ(DecodeGroups(std::string(1, '\1') + "\x05" + "ab").status().code(),
            StatusCode::kCorruption);  // A length past the end.
}

}  // namespace
}  // namespace magent::imip::internal
