#include "magent/imip/address.h"

#include <gtest/gtest.h>

namespace magent::imip {
namespace {

TEST(CanonicalAddressTest, DropsTheSchemeInAnyCaseAndLowersTheAddress) {
  EXPECT_EQ(CanonicalAddress("MAILTO:Karim@Example.COM"), "karim@example.com");
  EXPECT_EQ(CanonicalAddress("mailto:room1@example.com"), "room1@example.com");
  EXPECT_EQ(CanonicalAddress("  <Room1@example.com> "), "room1@example.com");
  EXPECT_EQ(CanonicalAddress("room1@example.com"), "room1@example.com");
}

TEST(CanonicalAddressTest, IsEmptyForWhatIsNoMailAddress) {
  EXPECT_EQ(CanonicalAddress("urn:uuid:1234"), "");
  EXPECT_EQ(CanonicalAddress("mailto:"), "");
  EXPECT_EQ(CanonicalAddress("mailto:@example.com"), "");
  EXPECT_EQ(CanonicalAddress("mailto:room1@"), "");
  EXPECT_EQ(CanonicalAddress("mailto:room 1@example.com"), "");
  EXPECT_EQ(CanonicalAddress("mailto:room1@example.com\x01"), "");
}

}  // namespace
}  // namespace magent::imip
