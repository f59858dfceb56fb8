// What the Sentinel crash test (archive/journal_sentinel_crash_test.cc) and its child
// process (archive/sentinel_crash_child.cc) share: the runtime both open on one journal.
//
// Three sources sign "buy" events, each of weight 1; a buy needs weight 2 and clearance
// high. One agent of the first source schedules them, due long after the test's clock, so
// none runs until the test moves its clock there.
#ifndef MAGENT_TESTS_TESTING_SENTINEL_CRASH_H_
#define MAGENT_TESTS_TESTING_SENTINEL_CRASH_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "magent/magent.h"

namespace magent::testing {

inline constexpr int kSigners = 3;
inline constexpr double kQuorum = 2;
inline const TimePoint kCrashStart{std::chrono::seconds(1'800'000'000)};
inline const TimePoint kCrashDue = kCrashStart + std::chrono::hours(24 * 365);

inline std::string SignerName(int i) { return "signer" + std::to_string(i); }
inline std::string SignerKey(int i) { return "key of signer " + std::to_string(i); }

inline RuntimeOptions SentinelCrashOptions(const std::string& journal,
                                           std::shared_ptr<Clock> clock) {
  RuntimeOptions options;
  options.clock = std::move(clock);
  options.threads = 0;
  options.journal = JournalOptions{.path = journal};
  options.sentinel = std::make_shared<SentinelChain>(std::vector<std::shared_ptr<Sentinel>>{
      std::make_shared<ClearanceSentinel>(ClearanceOptions{.levels = {{"buy", Clearance::kHigh}}}),
      std::make_shared<QuorumSentinel>(
          std::map<std::string, QuorumRule, std::less<>>{{"buy", {.min_weight = kQuorum}}})});
  options.kinds.push_back(KindSpec{
      .name = "buy", .factory = [](const std::string&) {
        return Result<Work>(PlainWork([](EventContext&) { return Result<Text>(Text("bought")); }));
      }});
  return options;
}

}  // namespace magent::testing

#endif  // MAGENT_TESTS_TESTING_SENTINEL_CRASH_H_
