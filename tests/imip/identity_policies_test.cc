// same_domain_membership and access_control_list, through the resource's decisions.
#include <gtest/gtest.h>

#include "imip/resource_fixture.h"

namespace magent::imip {
namespace {

using namespace std::chrono;
using testing::kNow;

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

TEST_F(IdentityPoliciesTest, AnAclAcceptsByDefault) {
  Prefer("scheduling_function", "access_control_list");
  Prefer("acl", "reject organiser *@example.net");  // No such identity form: never matches.
  EXPECT_EQ(Decide(Invitation("a", "eve@example.net"), "eve@example.net").verdict,
            Verdict::kAccepted);
}

// An acl the resource cannot read decides nothing, either way: not even a rule before the
// malformed line applies. The message waits for the site to mend the file.
TEST_F(IdentityPoliciesTest, AMalformedAclIsAConfigurationErrorIssue15) {
  Prefer("scheduling_function", "access_control_list");
  const std::string file = (dir_.root() / "prefs" / "mailto:room1@example.com" / "acl").string();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"accept organiser", "line 1 ('accept organiser')"},
      {"reject organiser mallory@example.net\nallow organiser @example.com",
       "line 2 ('allow organiser @example.com')"},
      {"accept organiser @example.com\ndecline", "line 2 ('decline')"},
      {"accept sender @example.com", "line 1 ('accept sender @example.com')"},
      {"accept organiser @example.com now", "line 1 ('accept organiser @example.com now')"}};
  for (const auto& [acl, line] : bad) {
    Prefer("acl", acl);
    for (const std::string organizer : {"alice@example.com", "mallory@example.net"}) {
      auto handled = TryHandle(Invitation("a", organizer), kNow, organizer);
      EXPECT_EQ(handled.status().code(), StatusCode::kFailedPrecondition) << acl;
      EXPECT_EQ(handled.status().message(),
                "the preference acl in '" + file + "': " + line + " is not a rule");
    }
  }
  // Nothing was decided: once mended, the same request is accepted.
  Prefer("acl", "accept organiser @example.com");
  EXPECT_EQ(Decide(Invitation("a", "alice@example.com")).verdict, Verdict::kAccepted);
}

}  // namespace
}  // namespace magent::imip
