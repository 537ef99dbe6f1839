#include "server/demo/demo_stories.h"

#include <algorithm>
#include <map>

#include "server/demo/demo_people.h"

namespace crm::demo {
namespace {

using aggregates::RequestKind;
using events::TimeMs;

constexpr TimeMs kDay = kDayMs;
constexpr TimeMs kHour = kHourMs;

enum class Fate {
  kSigned,            // formal at now, with contracts and payments
  kIntention,         // promoted less than 15 days ago; some ask for more time
  kPotential,         // held and approved; some reassigned, some promotions denied
  kPromotionPending,  // a manager has a promotion to decide
  kExtensionPending,  // deadline within days, a manager has an extension to decide
  kExtended,          // an extension granted: still held past 30 days
  kReviewPending,     // registered in the last day, the reviewer has it
  kExpired,           // rule 6: 30 days passed
  kIntentionExpired,  // rule 8: 15 days passed without a contract
  kAbandoned,         // rule 9
  kRejected,          // rule 4, rejected
  kReviewTimedOut,    // rule 4, nobody reviewed it in 3 working days
};

struct FateShare {
  Fate fate;
  int percent;
  bool ends_in_pool;  // and so may be reclaimed by a colleague
};

constexpr FateShare kDeck[] = {
    {Fate::kSigned, 22, false},          {Fate::kIntention, 7, false},        {Fate::kPotential, 14, false},
    {Fate::kPromotionPending, 5, false}, {Fate::kExtensionPending, 4, false}, {Fate::kExtended, 4, false},
    {Fate::kReviewPending, 3, false},    {Fate::kExpired, 12, true},          {Fate::kIntentionExpired, 4, true},
    {Fate::kAbandoned, 10, true},        {Fate::kRejected, 7, true},          {Fate::kReviewTimedOut, 8, true},
};
// One in three pool customers is claimed again by a colleague; the first of each fate never
// is, so every pool reason is in the pool at now.
constexpr std::size_t kReclaimEvery = 3;
constexpr int kFollowOnContractPercent = 12;

class Stories {
 public:
  explicit Stories(DemoPlanner& planner) : p_(planner), t_(planner.timeline()) {}

  // Plans customer `i`'s story; returns when it entered the pool, for a reclaim, or 0.
  Result<TimeMs> Plan(std::size_t i, const DemoCustomerProfile& c, Fate fate) {
    switch (fate) {
      case Fate::kSigned: return Signed(i, c);
      case Fate::kIntention: return Intention(i, c);
      case Fate::kPotential: return Potential(i, c);
      case Fate::kPromotionPending: return PromotionPending(i, c);
      case Fate::kExtensionPending: return ExtensionPending(i, c);
      case Fate::kExtended: return Extended(i, c);
      case Fate::kReviewPending: return ReviewPending(i, c);
      case Fate::kExpired: return Expired(i, c);
      case Fate::kIntentionExpired: return IntentionExpired(i, c);
      case Fate::kAbandoned: return Abandoned(i, c);
      case Fate::kRejected: return Rejected(i, c);
      case Fate::kReviewTimedOut: return ReviewTimedOut(i, c);
    }
    return Status::Internal("demo_unknown_fate", "unknown demo fate");
  }

 private:
  struct Approval {
    TimeMs registered;
    TimeMs reviewed;
  };
  // Registered in [lo, hi] and approved by the reviewer within a day.
  Approval Approved(std::size_t i, const DemoCustomerProfile& c, TimeMs lo, TimeMs hi) {
    const TimeMs registered = p_.Register(i, c, lo, hi);
    return Approval{.registered = registered, .reviewed = p_.Review(i, registered, true)};
  }

  // ...then worked and promoted at the holder's request, asked 3 days to `ask_within` after
  // registering (inside the 30 days); returns when the manager approved.
  TimeMs Promoted(std::size_t i, const DemoCustomerProfile& c, TimeMs lo, TimeMs hi, TimeMs ask_within) {
    const auto [registered, reviewed] = Approved(i, c, lo, hi);
    const TimeMs asked = p_.Within(registered + 3 * kDay, registered + ask_within);
    p_.FollowUps(i, c, PotentialNotes(), 1, 3, reviewed, asked);
    p_.AskPromotion(i, asked);
    const TimeMs promoted = p_.Within(asked + kHour, asked + kDay);
    p_.Decide(i, RequestKind::kPromotion, true, promoted);
    return promoted;
  }

  // Registered, approved, worked; promoted by the manager; signed within the 15 days; paid.
  TimeMs Signed(std::size_t i, const DemoCustomerProfile& c) {
    const TimeMs promoted = Promoted(i, c, t_.start_ms + kDay, t_.now_ms - 30 * kDay, 16 * kDay);
    const TimeMs signed_at = p_.Within(promoted + 2 * kDay, promoted + 13 * kDay);
    p_.FollowUps(i, c, IntentionNotes(), 1, 2, promoted, signed_at);
    // 华南's contracts name their after-sales owner; 华东's take the policy's default.
    const std::string aftersales(c.sales_team == 2 ? kSouthAftersalesId : "");
    p_.Sign(i, FirstContract(c, p_.NextContractNo(signed_at), signed_at, aftersales, p_.random()));
    if (p_.random().Percent(60)) p_.FollowUps(i, c, AftersalesNotes(), 1, 2, signed_at + kDay, t_.now_ms);
    if (p_.random().Percent(kFollowOnContractPercent) && p_.Fits(signed_at + 15 * kDay, t_.now_ms)) {
      const TimeMs renewed = p_.Within(signed_at + 15 * kDay, t_.now_ms);
      p_.Sign(i, MaintenanceContract(c, p_.NextContractNo(renewed), renewed));
    }
    return 0;
  }

  // Promoted 1-13 days before now, so still within the 15 days; some ask for more time.
  TimeMs Intention(std::size_t i, const DemoCustomerProfile& c) {
    const TimeMs promoted = p_.Within(t_.now_ms - 13 * kDay, t_.now_ms - kDay);
    const TimeMs asked = p_.Within(promoted - 2 * kDay, promoted - kHour);
    const auto [registered, reviewed] = Approved(i, c, asked - 20 * kDay, asked - 4 * kDay);
    p_.FollowUps(i, c, PotentialNotes(), 1, 3, reviewed, asked);
    p_.AskPromotion(i, asked);
    p_.Decide(i, RequestKind::kPromotion, true, promoted);
    p_.FollowUps(i, c, IntentionNotes(), 1, 2, promoted, t_.now_ms);
    const TimeMs extension_from = std::max(promoted + kDay, t_.now_ms - 2 * kDay);
    if (p_.random().Percent(30) && p_.Fits(extension_from, t_.now_ms)) {
      p_.AskExtension(i, 10, p_.Within(extension_from, t_.now_ms));
    }
    return 0;
  }

  // Registered in the last 29 days and approved.
  TimeMs Potential(std::size_t i, const DemoCustomerProfile& c) {
    const auto [registered, reviewed] = Approved(i, c, t_.now_ms - 29 * kDay, t_.now_ms - 2 * kDay);
    p_.FollowUps(i, c, PotentialNotes(), 1, 3, reviewed, t_.now_ms);
    const std::uint64_t variant = p_.random().Below(100);
    if (variant < 25 && p_.Fits(reviewed + kDay, t_.now_ms)) {
      p_.Reassign(i, p_.Within(reviewed + kDay, t_.now_ms));
    } else if (variant < 40 && p_.Fits(reviewed + 2 * kHour, t_.now_ms - kDay)) {
      const TimeMs asked = p_.Within(reviewed + 2 * kHour, t_.now_ms - kDay);
      p_.AskPromotion(i, asked);
      p_.Decide(i, RequestKind::kPromotion, false, p_.Within(asked + kHour, asked + kDay));
    }
    return 0;
  }

  TimeMs PromotionPending(std::size_t i, const DemoCustomerProfile& c) {
    const auto [registered, reviewed] = Approved(i, c, t_.now_ms - 25 * kDay, t_.now_ms - 4 * kDay);
    const TimeMs asked = p_.Within(std::max(reviewed + kDay, t_.now_ms - 3 * kDay), t_.now_ms);
    p_.FollowUps(i, c, PotentialNotes(), 1, 2, reviewed, asked);
    p_.AskPromotion(i, asked);
    return 0;
  }

  // Registered 24-29 days ago: the deadline is days away ("expiring soon"), and the holder asks.
  TimeMs ExtensionPending(std::size_t i, const DemoCustomerProfile& c) {
    const auto [registered, reviewed] = Approved(i, c, t_.now_ms - 29 * kDay, t_.now_ms - 24 * kDay);
    const TimeMs asked = p_.Within(std::max(registered + 22 * kDay, reviewed + kHour), t_.now_ms);
    p_.FollowUps(i, c, PotentialNotes(), 1, 3, reviewed, asked);
    p_.AskExtension(i, 15, asked);
    return 0;
  }

  // 30 more days granted near the deadline: held 31-50 days after registering.
  TimeMs Extended(std::size_t i, const DemoCustomerProfile& c) {
    const auto [registered, reviewed] = Approved(i, c, t_.now_ms - 50 * kDay, t_.now_ms - 31 * kDay);
    const TimeMs asked = p_.Within(registered + 21 * kDay, registered + 26 * kDay);
    const TimeMs granted = p_.Within(asked + kHour, asked + kDay);
    p_.FollowUps(i, c, PotentialNotes(), 1, 2, reviewed, asked);
    p_.AskExtension(i, 30, asked);
    p_.Decide(i, RequestKind::kExtension, true, granted);
    p_.FollowUps(i, c, PotentialNotes(), 1, 2, granted, t_.now_ms);
    return 0;
  }

  TimeMs ReviewPending(std::size_t i, const DemoCustomerProfile& c) {
    p_.Register(i, c, t_.now_ms - 20 * kHour, t_.now_ms - kHour);
    return 0;
  }

  // Worked for a while, sometimes an extension denied, then 30 days ran out.
  TimeMs Expired(std::size_t i, const DemoCustomerProfile& c) {
    const auto [registered, reviewed] = Approved(i, c, t_.start_ms + kDay, t_.now_ms - 32 * kDay);
    p_.FollowUps(i, c, PotentialNotes(), 1, 3, reviewed, registered + 25 * kDay);
    if (p_.random().Percent(30)) {
      const TimeMs asked = p_.Within(registered + 22 * kDay, registered + 27 * kDay);
      p_.AskExtension(i, 15, asked);
      p_.Decide(i, RequestKind::kExtension, false, p_.Within(asked + kHour, asked + kDay));
    }
    return registered + 30 * kDay;
  }

  TimeMs IntentionExpired(std::size_t i, const DemoCustomerProfile& c) {
    const TimeMs promoted = Promoted(i, c, t_.start_ms + kDay, t_.now_ms - 50 * kDay, 10 * kDay);
    p_.FollowUps(i, c, IntentionNotes(), 1, 2, promoted, promoted + 12 * kDay);
    return promoted + 15 * kDay;
  }

  TimeMs Abandoned(std::size_t i, const DemoCustomerProfile& c) {
    const auto [registered, reviewed] = Approved(i, c, t_.start_ms + kDay, t_.now_ms - 3 * kDay);
    const TimeMs abandoned = p_.Within(reviewed + 2 * kHour, registered + 25 * kDay);
    p_.FollowUps(i, c, PotentialNotes(), 1, 2, reviewed, abandoned);
    p_.Abandon(i, abandoned);
    return abandoned;
  }

  TimeMs Rejected(std::size_t i, const DemoCustomerProfile& c) {
    const TimeMs registered = p_.Register(i, c, t_.start_ms + kDay, t_.now_ms - kDay);
    return p_.Review(i, registered, false);
  }

  // Nobody reviewed it; the system released it 3 working days later (holidays skipped).
  Result<TimeMs> ReviewTimedOut(std::size_t i, const DemoCustomerProfile& c) {
    const TimeMs registered = p_.Register(i, c, t_.start_ms + kDay, t_.now_ms - 15 * kDay);
    const TimeMs deadline = p_.calendar().AddWorkingDays(registered, events::Policy{}.review_working_days);
    if (deadline >= t_.last_step_ms) {
      return Status::Internal("demo_plan", "a review time-out planned after the end of the history");
    }
    p_.FollowUps(i, c, PotentialNotes(), 0, 1, registered, deadline - kHour);
    return deadline;
  }

  DemoPlanner& p_;
  const DemoTimeline& t_;
};

std::vector<const FateShare*> DealFates(std::size_t customers, DemoRandom& random) {
  std::vector<const FateShare*> deck;
  for (const FateShare& share : kDeck) {
    const std::size_t count = std::max<std::size_t>(1, customers * static_cast<std::size_t>(share.percent) / 100);
    deck.insert(deck.end(), count, &share);
  }
  // Rounding down leaves a few: they are potential customers, the commonest stage.
  deck.resize(customers, &kDeck[2]);
  for (std::size_t i = deck.size(); i > 1; --i) std::swap(deck[i - 1], deck[random.Below(i)]);
  return deck;
}

// The salesperson who leaves: their manager hands their customers over, the admin deactivates
// them (rule 12: no customer is lost).
void PlanDeparture(DemoPlanner& planner) {
  const TimeMs at_ms = planner.timeline().departure_ms;
  const aggregates::HandOverCustomers handover{.from_user_id = std::string(kDepartingSalesId),
                                               .to_user_id = std::string(kHeirSalesId),
                                               .reason = "郭军离职，名下客户交接给罗欣"};
  planner.At(at_ms, [handover, at_ms](DemoPlayer& player) {
    return player.HandOver(ManagerOfTeam(SalesTeamOf(kDepartingSalesId)), handover, at_ms);
  });
  const TimeMs deactivated_ms = at_ms + 30 * kMinuteMs;
  planner.At(deactivated_ms, [deactivated_ms](DemoPlayer& player) {
    const aggregates::DeactivateUser deactivate{.user_id = std::string(kDepartingSalesId), .reason = "离职"};
    return player.ExecuteUser(kDemoAdminId, deactivate, deactivated_ms);
  });
}

}  // namespace

Result<std::vector<DemoStep>> PlanDemo(const std::vector<DemoCustomerProfile>& customers, const DemoTimeline& timeline,
                                       const DemoClock& clock, DemoRandom& random) {
  std::vector<DemoStep> steps;
  DemoPlanner planner(timeline, clock, random, steps);
  PlanDeparture(planner);
  Stories stories(planner);
  const std::vector<const FateShare*> fates = DealFates(customers.size(), random);
  std::map<const FateShare*, std::size_t> dealt;  // how many of each fate so far
  for (std::size_t i = 0; i < customers.size(); ++i) {
    CRM_ASSIGN_OR_RETURN(const TimeMs released_ms, stories.Plan(i, customers[i], fates[i]->fate));
    if (fates[i]->ends_in_pool && dealt[fates[i]]++ % kReclaimEvery == 1) {
      planner.Reclaim(i, customers[i], released_ms);
    }
  }
  return steps;
}

}  // namespace crm::demo
