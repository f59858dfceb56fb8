// Authentication-Results (RFC 8601): reading fields as verifiers write them, refusing
// malformed ones, and believing only the site's MTA.
#include "authentication_results.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace magent::imip::internal {
namespace {

// As OpenDKIM and OpenDMARC write them, folded.
const std::string kOpenDkim =
    " mx.example.com;\r\n\tdkim=pass (2048-bit key; unprotected) header.d=example.com "
    "header.i=@example.com header.a=rsa-sha256 header.s=mail header.b=AbC/dE+f";
const std::string kOpenDmarc =
    " mx.example.com; dmarc=pass (p=reject dis=none) header.from=Example.COM";

TEST(AuthenticationResultsTest, ReadsFieldsAsVerifiersWriteThem) {
  auto dkim = ParseAuthenticationResults(kOpenDkim);
  ASSERT_TRUE(dkim.ok()) << dkim.status().message();
  EXPECT_EQ(dkim->authserv_id, "mx.example.com");
  ASSERT_EQ(dkim->results.size(), 1u);
  EXPECT_EQ(dkim->results[0].method, "dkim");
  EXPECT_EQ(dkim->results[0].result, "pass");
  ASSERT_NE(dkim->results[0].Property("header.d"), nullptr);
  EXPECT_EQ(*dkim->results[0].Property("header.d"), "example.com");
  EXPECT_EQ(*dkim->results[0].Property("header.i"), "@example.com");
  EXPECT_EQ(*dkim->results[0].Property("header.b"), "AbC/dE+f");

  // Several results, a version, a quoted id, a reason, a method version, nested comments.
  auto many = ParseAuthenticationResults(
      "\"MX.Example.com\" 1; spf=pass smtp.mailfrom=bounce@cal.example.org; "
      "dkim/1=fail reason=\"bad signature\" header.d=example.net (a (nested) comment); "
      "DMARC=Pass header.from=example.org");
  ASSERT_TRUE(many.ok()) << many.status().message();
  EXPECT_EQ(many->authserv_id, "mx.example.com");
  ASSERT_EQ(many->results.size(), 3u);
  EXPECT_EQ(*many->results[0].Property("smtp.mailfrom"), "bounce@cal.example.org");
  EXPECT_EQ(many->results[1].method, "dkim");
  EXPECT_EQ(many->results[1].result, "fail");
  EXPECT_EQ(many->results[2].method, "dmarc");
  EXPECT_EQ(many->results[2].result, "pass");

  auto none = ParseAuthenticationResults("mx.example.com; none");
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_TRUE(none->results.empty());
}

TEST(AuthenticationResultsTest, RefusesWhatBreaksTheGrammar) {
  for (const char* bad : {
           "",                                         // No authserv-id.
           "; dkim=pass header.d=example.com",         // No authserv-id either.
           "mx.example.com",                           // Nothing said.
           "mx.example.com dkim=pass",                 // No ';'.
           "mx.example.com; dkim pass",                // No '='.
           "mx.example.com; dkim=",                    // No result.
           "mx.example.com; dkim=pass header.d",       // A property without a value.
           "mx.example.com; dkim=pass header.d=",      // Empty value.
           "mx.example.com; dkim=pass d=example.com",  // A property without its type.
           "mx.example.com; dkim=pass (unterminated",  // A comment that never ends.
           "mx.example.com; dkim=pass header.d=\"x",   // A quote that never ends.
           "mx.example.com 2; dkim=pass",              // A version nobody wrote.
           "mx.example.com; none; dkim=pass",          // "none" is all or nothing.
           "mx.example.com; dkim=pass header.d=a;;",   // An empty resinfo.
           "mx.example.com; dkim=pass \x01",           // A control character.
       }) {
    EXPECT_FALSE(ParseAuthenticationResults(bad).ok()) << "'" << bad << "'";
  }
}

TEST(AuthenticationResultsTest, HostileNestingAndLengthsCostLinearTime) {
  // 100,000 nested comment openings and a megabyte of one token: refused or read in one pass.
  EXPECT_FALSE(ParseAuthenticationResults("mx.example.com; " + std::string(100000, '(')).ok());
  auto long_value =
      ParseAuthenticationResults("mx.example.com; dkim=pass header.d=" + std::string(1 << 20, 'a'));
  ASSERT_TRUE(long_value.ok());
  EXPECT_EQ(long_value->results[0].Property("header.d")->size(), 1u << 20);
}

TEST(AuthenticationResultsTest, OnlyTheTopmostFieldsWithATrustedIdCount) {
  const std::vector<std::string> trusted = {"mx.example.com"};
  // The MTA's two fields at the top; a field the sender wrote below them, with the MTA's
  // id, does not override the verdicts above it.
  auto results = TrustedResults(
      {kOpenDkim, kOpenDmarc, "mx.example.com; dkim=pass header.d=example.net"}, trusted);
  EXPECT_TRUE(AuthenticatesAuthorDomain(results, "example.com"));
  EXPECT_FALSE(AuthenticatesAuthorDomain(results, "example.net"));
  EXPECT_FALSE(DkimSignedBy(results, "example.net"));

  // A field with another id on top (the sender's own, or another host's): nothing below it
  // is the MTA's word.
  EXPECT_TRUE(
      TrustedResults({"evil.example.net; dkim=pass header.d=example.com", kOpenDkim}, trusted)
          .empty());
  // A malformed field on top stops the run too.
  EXPECT_TRUE(TrustedResults({"mx.example.com; dkim pass", kOpenDkim}, trusted).empty());
  // No trusted id configured: nothing is believed.
  EXPECT_TRUE(TrustedResults({kOpenDkim}, {}).empty());
}

TEST(AuthenticationResultsTest, TheAuthorDomainNeedsAPassForItself) {
  const auto results = [](const std::string& field) {
    return TrustedResults({field}, {"mx.example.com"});
  };
  EXPECT_TRUE(AuthenticatesAuthorDomain(results(kOpenDmarc), "example.com"));
  EXPECT_TRUE(AuthenticatesAuthorDomain(
      results("mx.example.com; dkim=pass header.i=alice@example.com"), "example.com"));
  // A signature by another domain, a failed one, dmarc=pass about another domain or
  // without saying which: none of them is about example.com.
  EXPECT_FALSE(AuthenticatesAuthorDomain(
      results("mx.example.com; dkim=pass header.d=mallory.example.net"), "example.com"));
  EXPECT_FALSE(AuthenticatesAuthorDomain(results("mx.example.com; dkim=fail header.d=example.com"),
                                         "example.com"));
  EXPECT_FALSE(AuthenticatesAuthorDomain(
      results("mx.example.com; dmarc=pass header.from=example.net"), "example.com"));
  EXPECT_FALSE(AuthenticatesAuthorDomain(results("mx.example.com; dmarc=pass"), "example.com"));
  // Strict alignment: a parent domain's signature is not the subdomain's, nor the reverse.
  EXPECT_FALSE(AuthenticatesAuthorDomain(results("mx.example.com; dkim=pass header.d=example.com"),
                                         "eu.example.com"));
  EXPECT_FALSE(AuthenticatesAuthorDomain(
      results("mx.example.com; dkim=pass header.d=eu.example.com"), "example.com"));
  // The verifier's dmarc=fail decides, whatever dkim=pass a field below it claims; its
  // dkim=fail is not undone by a dkim=pass below it either.
  const auto two = [](const std::string& top, const std::string& below) {
    return TrustedResults({top, below}, {"mx.example.com"});
  };
  EXPECT_FALSE(AuthenticatesAuthorDomain(two("mx.example.com; dmarc=fail header.from=example.com",
                                             "mx.example.com; dkim=pass header.d=example.com"),
                                         "example.com"));
  EXPECT_FALSE(AuthenticatesAuthorDomain(two("mx.example.com; dkim=fail header.d=example.com",
                                             "mx.example.com; dkim=pass header.d=example.com"),
                                         "example.com"));
  // dmarc=none (no policy published) leaves it to an aligned signature.
  EXPECT_TRUE(AuthenticatesAuthorDomain(
      results("mx.example.com; dkim=pass header.d=example.com; dmarc=none "
              "header.from=example.com"),
      "example.com"));
  // DKIM covers a Sender's domain; DMARC only the From's.
  EXPECT_TRUE(DkimSignedBy(results(kOpenDkim), "example.com"));
  EXPECT_FALSE(DkimSignedBy(results(kOpenDmarc), "example.com"));
}

}  // namespace
}  // namespace magent::imip::internal
