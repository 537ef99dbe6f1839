// what-if: the command on the story of replay_fixture.h, the policy file's checks, and the hold
// replay on hand-made histories.
#include <fstream>
#include <nlohmann/json.hpp>

#include "replay/hold_replay.h"
#include "replay/replay_fixture.h"
#include "replay/time_format.h"
#include "replay/what_if_policy.h"
#include "testutil/status_matchers.h"

namespace crm::testutil {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace replay_what_if_test {

using Json = nlohmann::ordered_json;
using replay::FateChange;
using replay::HoldOutcome;

class ReplayWhatIfTest : public ReplayTest {
 protected:
  void SetUp() override {
    ReplayTest::SetUp();
    BuildStory();
  }

  std::string PolicyFile(const std::string& json) {
    const std::string path = dir_.Sub("policy-" + std::to_string(files_++) + ".json");
    std::ofstream(path) << json;
    return path;
  }

  // The differences of `what-if --json` by customer id.
  std::map<std::string, Json> Differences(const std::string& policy_json, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"what-if", "--policy", PolicyFile(policy_json), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    last_ = Json::parse(result.out);
    std::map<std::string, Json> by_customer;
    for (const Json& difference : last_["differences"]) by_customer[difference["customerId"]] = difference;
    return by_customer;
  }

  int files_ = 0;
  Json last_;
};

TEST_F(ReplayWhatIfTest, NoAlternativeValuesChangeNothing) {
  EXPECT_TRUE(Differences("{}").empty()) << last_.dump();
  EXPECT_EQ(last_["holdsCompared"], 5);
  EXPECT_EQ(last_["totals"]["releasesActual"], last_["totals"]["releasesAlternative"]);
}

TEST_F(ReplayWhatIfTest, ShorterPotentialDaysReleasesHoldsThatWereKept) {
  const auto differences = Differences(R"({"potentialDays": 20})");
  ASSERT_TRUE(differences.contains(promoted_)) << last_.dump();
  const Json& promoted = differences.at(promoted_);
  EXPECT_EQ(promoted["change"], "released_instead_of_kept");
  EXPECT_EQ(promoted["actual"]["fate"], "kept");
  EXPECT_EQ(promoted["alternative"]["fate"], "released");
  EXPECT_EQ(promoted["alternative"]["how"], "expired");
  EXPECT_EQ(promoted["alternative"]["at"], replay::FormatTimeMs(kStoryStartMs + 4 * kHourMs + 20 * kDayMs));
  EXPECT_EQ(promoted["alternative"]["before"]["type"], "CustomerPromoted");

  // 20 days plus the 10 granted end before the log's last event: released by time, unswept.
  ASSERT_TRUE(differences.contains(reassigned_));
  EXPECT_EQ(differences.at(reassigned_)["change"], "released_instead_of_kept");

  ASSERT_TRUE(differences.contains(expired_));
  EXPECT_EQ(differences.at(expired_)["change"], "release_moved");
  EXPECT_EQ(differences.at(expired_)["alternative"]["at"], replay::FormatTimeMs(kStoryStartMs + kHourMs + 20 * kDayMs));

  EXPECT_FALSE(differences.contains(formal_)) << "signed on its first day";
  EXPECT_FALSE(differences.contains(pooled_)) << "abandoned at once";
  EXPECT_EQ(last_["totals"]["moreReleases"], 2);
  EXPECT_EQ(last_["totals"]["fewerReleases"], 0);
  EXPECT_EQ(last_["totals"]["releasesMoved"], 1);
  EXPECT_EQ(last_["totals"]["releasesAlternative"].get<int>() - last_["totals"]["releasesActual"].get<int>(), 2);
}

TEST_F(ReplayWhatIfTest, LongerPotentialDaysKeepsAHoldThatExpired) {
  const auto differences = Differences(R"({"potentialDays": 45})");
  ASSERT_EQ(differences.size(), 1u) << last_.dump();
  const Json& expired = differences.at(expired_);
  EXPECT_EQ(expired["change"], "kept_instead_of_released");
  EXPECT_EQ(expired["actual"]["fate"], "released");
  EXPECT_EQ(expired["actual"]["how"], "expired");
  EXPECT_EQ(expired["alternative"]["fate"], "kept");
  EXPECT_EQ(last_["totals"]["fewerReleases"], 1);
}

TEST_F(ReplayWhatIfTest, WindowSelectsWhereFatesDiverge) {
  const std::string before_any = replay::FormatTime(kStoryStartMs + 10 * kDayMs);
  EXPECT_TRUE(Differences(R"({"potentialDays": 20})", {"--to", before_any}).empty()) << last_.dump();
  const std::string day_20 = replay::FormatTime(kStoryStartMs + 20 * kDayMs);
  const auto late = Differences(R"({"potentialDays": 20})", {"--from", day_20});
  EXPECT_EQ(late.size(), 3u) << last_.dump();
}

TEST_F(ReplayWhatIfTest, TableNamesTheCustomersAndTotals) {
  const RunResult result = Run({"what-if", "--policy", PolicyFile(R"({"potentialDays": 20, "maxProtected": 5})")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("3 holds of 3 customers differ"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("before CustomerPromoted at seq"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("not replayed (they change what people could do, not when holds end): maxProtected"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("totals: more releases 2 "), std::string::npos) << result.out;
}

TEST_F(ReplayWhatIfTest, BadPolicyFilesAreRefused) {
  for (const std::string json :
       {R"({"potentialDays": "20"})", R"({"potentialDays": -1})", R"({"potentialDays": 0})",
        R"({"potentialDays": 2.5})", R"({"potentialDayz": 20})", R"({"holidays": ["2026-13-01"]})",
        R"({"timeZone": "Mars/Olympus"})", R"([1, 2])", R"({"potentialDays": )"}) {
    const RunResult result = Run({"what-if", "--policy", PolicyFile(json)});
    EXPECT_EQ(result.exit_code, 2) << json;
    EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
    EXPECT_TRUE(result.out.empty());
  }
  const RunResult missing = Run({"what-if", "--policy", dir_.Sub("no-such.json")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read the policy file"), std::string::npos);
}

TEST(WhatIfPolicyTest, ParsesEveryApiField) {
  ASSERT_OK_AND_ASSIGN(const replay::PolicyOverrides overrides, replay::ParsePolicyOverrides(R"({
      "potentialDays": 20, "intentionDays": 10, "abandonCooldownDays": 0, "reviewWorkingDays": 5,
      "maxProtected": 100, "maxClaimsPerDay": 10, "maxExtensions": 2, "maxExtensionDays": 15,
      "promotionNeedsApproval": false, "maskPoolContacts": true, "holidays": ["2026-10-01"],
      "timeZone": "Asia/Urumqi", "defaultAftersalesOwnerId": "a1"})"));
  const events::Policy policy = overrides.Apply(events::Policy());
  EXPECT_EQ(policy.potential_days, 20u);
  EXPECT_EQ(policy.intention_days, 10u);
  EXPECT_EQ(policy.abandon_cooldown_days, 0u);
  EXPECT_EQ(policy.review_working_days, 5u);
  EXPECT_EQ(policy.max_protected, 100u);
  EXPECT_EQ(policy.max_claims_per_day, 10u);
  EXPECT_EQ(policy.max_extensions, 2u);
  EXPECT_EQ(policy.max_extension_days, 15u);
  EXPECT_FALSE(policy.promotion_needs_approval);
  EXPECT_TRUE(policy.mask_pool_contacts);
  EXPECT_EQ(policy.holidays, std::vector<std::string>{"2026-10-01"});
  EXPECT_EQ(policy.time_zone, "Asia/Urumqi");
  EXPECT_EQ(policy.default_aftersales_owner_id, "a1");
  EXPECT_TRUE(overrides.ChangesReviewDeadline());
  EXPECT_EQ(overrides.ToJson().size(), 13u);
}

// Hand-made histories for the replay itself.
class HoldReplayTest : public ::testing::Test {
 protected:
  events::RecordedEvent At(events::TimeMs at_ms, events::Event event, events::TimeMs effective_ms = 0) {
    events::RecordedEvent recorded;
    recorded.envelope.seq = ++seq_;
    recorded.envelope.recorded_at_ms = at_ms;
    recorded.envelope.effective_at_ms = effective_ms != 0 ? effective_ms : at_ms;
    recorded.envelope.actor_id = "s1";
    recorded.event = std::move(event);
    return recorded;
  }
  events::CustomerProtected Protected(events::TimeMs at_ms) {
    return events::CustomerProtected{.customer_id = "C1",
                                     .owner_id = "s1",
                                     .source = events::ProtectionSource::kRegistration,
                                     .deadline_ms = at_ms + 30 * kDayMs,
                                     .review_deadline_ms = at_ms + 2 * kDayMs};  // Monday + 3 working days
  }
  std::vector<HoldOutcome> Replay(const replay::PolicyOverrides& overrides, events::TimeMs as_of_ms,
                                  const std::vector<events::RecordedEvent>& history) {
    std::vector<HoldOutcome> outcomes;
    replay::HoldReplayer replayer(overrides, as_of_ms, [&](const HoldOutcome& o) { outcomes.push_back(o); });
    for (const events::RecordedEvent& recorded : history) EXPECT_OK(replayer.Apply(recorded));
    replayer.Finish();
    return outcomes;
  }
  events::Seq seq_ = 0;
};

TEST_F(HoldReplayTest, FewerReviewDaysTimeOutAReviewThatWasApprovedLate) {
  const events::TimeMs t0 = kMonday10am;
  const std::vector<events::RecordedEvent> history = {
      At(t0, Protected(t0)),
      // Approved on Wednesday 09:00, before the real review deadline (Thursday 10:00).
      At(t0 + 2 * kDayMs - kHourMs, events::ProtectionApproved{.customer_id = "C1", .owner_id = "s1", .reason = ""}),
  };
  replay::PolicyOverrides overrides;
  overrides.review_working_days = 1;  // Tuesday 10:00
  const auto outcomes = Replay(overrides, t0 + 3 * kDayMs, history);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].change, FateChange::kMoreRelease);
  EXPECT_EQ(outcomes[0].alternative.how, "review_timed_out");
  EXPECT_EQ(outcomes[0].alternative.at_ms, t0 + kDayMs);
  ASSERT_TRUE(outcomes[0].preempted.has_value());
  EXPECT_EQ(outcomes[0].preempted->type, "ProtectionApproved");
}

TEST_F(HoldReplayTest, HolidaysPushTheReviewDeadlinePastARealTimeOut) {
  const events::TimeMs t0 = kMonday10am;  // 2026-03-02
  events::CustomerProtected protected_ = Protected(t0);
  protected_.review_deadline_ms = t0 + 3 * kDayMs;  // Thursday 10:00
  const std::vector<events::RecordedEvent> history = {
      At(t0, protected_),
      At(t0 + 4 * kDayMs,
         events::ProtectionReviewTimedOut{
             .customer_id = "C1", .owner_id = "s1", .review_deadline_ms = protected_.review_deadline_ms},
         protected_.review_deadline_ms),
  };
  replay::PolicyOverrides overrides;
  overrides.holidays = std::vector<std::string>{"2026-03-03", "2026-03-04"};  // Tuesday, Wednesday
  const auto outcomes = Replay(overrides, t0 + 10 * kDayMs, history);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].change, FateChange::kReleaseMoved);
  EXPECT_EQ(outcomes[0].actual.at_ms, t0 + 3 * kDayMs);
  EXPECT_EQ(outcomes[0].alternative.at_ms, t0 + 7 * kDayMs) << "Thu, Fri, then Monday";
  EXPECT_EQ(outcomes[0].alternative.how, "review_timed_out");
}

TEST_F(HoldReplayTest, AGrantedExtensionAddsItsDaysToTheAlternativeDeadline) {
  const events::TimeMs t0 = kMonday10am;
  const std::vector<events::RecordedEvent> history = {
      At(t0, Protected(t0)),
      At(t0 + 1, events::ProtectionApproved{.customer_id = "C1", .owner_id = "s1", .reason = ""}),
      At(t0 + 5 * kDayMs,
         events::ExtensionGranted{
             .customer_id = "C1", .request_id = "x1", .days = 10, .deadline_ms = t0 + 40 * kDayMs, .reason = ""}),
  };
  replay::PolicyOverrides overrides;
  overrides.potential_days = 20;
  const auto held = Replay(overrides, t0 + 29 * kDayMs, history);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].change, FateChange::kSame) << "20 + 10 days: still held at day 29";
  seq_ = 0;
  const auto released = Replay(overrides, t0 + 30 * kDayMs, history);
  EXPECT_EQ(released[0].change, FateChange::kMoreRelease);
  EXPECT_EQ(released[0].alternative.at_ms, t0 + 30 * kDayMs);
}

}  // namespace replay_what_if_test
}  // namespace crm::testutil
