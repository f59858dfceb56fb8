// same_domain_membership and access_control_list, through the resource's decisions.
#include <gtest/gtest.h>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;

std::string Invitation(const std::string& uid, const std::string& organizer,
                       const std::string& others = "") {
  return "BEGIN:VCALENDAR\r\nPRODID:-//tests//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid +
         "\r\nDTSTAMP:20261201T070000Z\r\n"
         "DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\nSUMMARY:Sync\r\n"
         "ORGANIZER:mailto:" +
         organizer + "\r\n" + others +
         "ATTENDEE:mailto:room1@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class IdentityPoliciesTest : public testing::ResourceFixture {};

TEST_F(IdentityPoliciesTest, SameDomainMembershipRefusesOutsiders) {
  Prefer("scheduling_function", "same_domain_membership\nschedule_in_freebusy");
  EXPECT_EQ(Decide(Invitation("a", "alice@Example.com"), "alice@example.com").verdict,
            Verdict::kAccepted);
  const Decision outsider = Decide(Invitation("b", "eve@example.net"), "eve@example.net");
  EXPECT_EQ(outsider.verdict, Verdict::kDeclined);
  EXPECT_EQ(outsider.why.English(),
            "Declined: the organizer eve@example.net is not in example.com.");
}

TEST_F(IdentityPoliciesTest, SameDomainMembershipTakesAnotherDomain) {
  Prefer("scheduling_function", "same_domain_membership partner.org");
  EXPECT_EQ(Decide(Invitation("a", "alice@example.com"), "alice@example.com").verdict,
            Verdict::kDeclined);
  EXPECT_EQ(Decide(Invitation("b", "bob@partner.org"), "bob@partner.org").verdict,
            Verdict::kAccepted);
}

TEST_F(IdentityPoliciesTest, AnAclAppliesItsRulesInOrder) {
  Prefer("scheduling_function", "access_control_list\nschedule_in_freebusy 10");
  Prefer("acl",
         "decline\n"
         "accept organiser @example.com\n"
         "decline organiser mailto:intern@example.com\n"
         "reject attendee blocked@example.org\n");
  EXPECT_EQ(Decide(Invitation("a", "alice@example.com"), "alice@example.com").verdict,
            Verdict::kAccepted);
  const Decision stranger = Decide(Invitation("b", "eve@example.net"), "eve@example.net");
  EXPECT_EQ(stranger.verdict, Verdict::kDeclined);
  EXPECT_EQ(stranger.why.English(), "Declined by the access control list: no rule matched.");
  EXPECT_EQ(Decide(Invitation("c", "intern@example.com"), "intern@example.com").verdict,
            Verdict::kDeclined);
  const Decision blocked =
      Decide(Invitation("d", "alice@example.com", "ATTENDEE:mailto:blocked@example.org\r\n"),
             "alice@example.com");
  EXPECT_EQ(blocked.verdict, Verdict::kDeclined);
  EXPECT_EQ(blocked.why.English(),
            "Declined: the access control list rejects attendee blocked@example.org.");
}

TEST_F(IdentityPoliciesTest, AnAclAcceptsByDefaultAndRefusesWhenMalformed) {
  Prefer("scheduling_function", "access_control_list");
  Prefer("acl", "reject organiser *@example.net");  // No such identity form: never matches.
  EXPECT_EQ(Decide(Invitation("a", "eve@example.net"), "eve@example.net").verdict,
            Verdict::kAccepted);
  Prefer("acl", "accept organiser\n");
  const Decision bad = Decide(Invitation("b", "alice@example.com"), "alice@example.com");
  EXPECT_EQ(bad.verdict, Verdict::kDeclined);
  EXPECT_NE(bad.why.English().find("acl line 1"), std::string::npos);
}

}  // namespace
}  // namespace magent::imip
