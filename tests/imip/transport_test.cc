// The transports refuse an envelope that would smuggle commands, before anything is sent.
#include "magent/imip/transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

namespace magent::imip {
namespace {

const TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1};
constexpr const char* kMessage = "From: calendar@example.com\r\n\r\nhello\r\n";

const Envelope kSmuggling[] = {
    {.from = "calendar@example.com", .to = {"alice@example.com>\r\nRCPT TO:<victim@example.net"}},
    {.from = "calendar@example.com\r\nRCPT TO:<victim@example.net", .to = {"alice@example.com"}},
    {.from = "calendar@example.com", .to = {"alice@example.com", "bob@example.com\n"}},
    {.from = "calendar@example.com", .to = {"alice@example.com> NOTIFY=NEVER"}},
    {.from = "calendar@example.com", .to = {"alice\r@example.com"}},
    // Not one mail address: two recipients in one, or a header's syntax.
    {.from = "calendar@example.com", .to = {"alice@x.example,bob@evil.example"}},
    {.from = "calendar@example.com", .to = {"\"alice\"@x.example"}},
    {.from = "calendar@example.com", .to = {"alice@x.example;bob@evil.example"}},
    {.from = "calendar@example.com", .to = {"alice@x.example(bob@evil.example)"}},
    {.from = "calendar@example.com,bob@evil.example", .to = {"alice@example.com"}},
};

// Nothing listens on port 1: a transport that got as far as connecting says Unavailable.
TEST(TransportTest, AnEnvelopeAddressThatWouldEndItsCommandIsRefusedIssue15) {
  for (const Envelope& envelope : kSmuggling) {
    auto smtp = SmtpTransport({.host = "127.0.0.1", .port = "1"});
    const Status s = smtp->Send(envelope, kMessage);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
    EXPECT_EQ(s.message().find_first_of("\r\n"), std::string::npos) << s.message();
    auto lmtp = LmtpTransport("/nonexistent/lmtp");
    EXPECT_EQ(lmtp->Send(envelope, kMessage).code(), StatusCode::kInvalidArgument);
  }
}

TEST(TransportTest, TheMboxTransportWritesNothingForSuchAnEnvelopeIssue15) {
  for (const Envelope& envelope : kSmuggling) {
    std::ostringstream out;
    auto mbox = MboxTransport(out, kNow);
    EXPECT_EQ(mbox->Send(envelope, kMessage).code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(out.str().empty()) << out.str();
  }
  std::ostringstream out;
  EXPECT_TRUE(MboxTransport(out, kNow)
                  ->Send({.from = "calendar@example.com", .to = {"alice@example.com"}}, kMessage)
                  .ok());
  EXPECT_TRUE(out.str().starts_with("From calendar@example.com ")) << out.str();
}

}  // namespace
}  // namespace magent::imip
