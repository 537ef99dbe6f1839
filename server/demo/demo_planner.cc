#include "server/demo/demo_planner.h"

#include <algorithm>

#include "server/demo/demo_people.h"

namespace crm::demo {
namespace {

using aggregates::RequestKind;

// A salesperson enters the contacts right after registering.
constexpr events::TimeMs kContactDelayMaxMs = 30 * kMinuteMs;
// Reviews come within a day: far inside the 3 working days of rule 4; never before the
// contacts are in (a rejection releases the customer).
constexpr events::TimeMs kReviewDelayMinMs = kContactDelayMaxMs + 10 * kMinuteMs;
constexpr events::TimeMs kReviewDelayMaxMs = 22 * kHourMs;
// A colleague picks a released customer up within two weeks, if at all.
constexpr events::TimeMs kReclaimDelayMaxMs = 15 * kDayMs;
// Claimed from the pool, the new holder works it for this long at most before the history ends
// (well inside the 30 days of rule 6).
constexpr events::TimeMs kReclaimWorkMaxMs = 25 * kDayMs;
constexpr int kNextContactPercent = 60;

std::string_view PickText(std::span<const std::string_view> texts, DemoRandom& random) {
  return random.Pick(texts);
}

}  // namespace

std::string_view DemoPlanner::Leaving(events::TimeMs at_ms) const {
  return at_ms >= timeline_.departure_ms - kDayMs ? kDepartingSalesId : std::string_view();
}

void DemoPlanner::At(events::TimeMs at_ms, std::function<Status(DemoPlayer&)> run) {
  steps_.push_back(DemoStep{.at_ms = at_ms, .run = std::move(run)});
}

events::TimeMs DemoPlanner::Within(events::TimeMs lo_ms, events::TimeMs hi_ms) {
  return clock_.Within(lo_ms, std::min(hi_ms, timeline_.last_step_ms), random_);
}

bool DemoPlanner::Fits(events::TimeMs lo_ms, events::TimeMs hi_ms) const {
  return lo_ms <= std::min(hi_ms, timeline_.last_step_ms);
}

events::TimeMs DemoPlanner::Register(std::size_t customer, const DemoCustomerProfile& profile, events::TimeMs lo_ms,
                                     events::TimeMs hi_ms) {
  const events::TimeMs at_ms = Within(lo_ms, hi_ms);
  std::vector<std::string_view> sales = SalesOfTeam(profile.sales_team);
  std::erase(sales, Leaving(at_ms));
  const std::string_view owner = random_.Pick(sales);
  At(at_ms, [customer, owner, &profile, at_ms](DemoPlayer& player) {
    return player.Register(customer, owner, at_ms, profile.registration);
  });
  events::TimeMs contact_ms = at_ms;
  for (const aggregates::AddContact& contact : profile.contacts) {
    if (!Fits(contact_ms + kMinuteMs, at_ms + kContactDelayMaxMs)) break;
    contact_ms = random_.Between(contact_ms + kMinuteMs, std::min(at_ms + kContactDelayMaxMs, timeline_.last_step_ms));
    At(contact_ms, [customer, &contact, contact_ms](DemoPlayer& player) {
      return player.Act(customer, DemoActor::kHolder, contact_ms, contact);
    });
  }
  return at_ms;
}

events::TimeMs DemoPlanner::Review(std::size_t customer, events::TimeMs protected_ms, bool approve) {
  const events::TimeMs at_ms = Within(protected_ms + kReviewDelayMinMs, protected_ms + kReviewDelayMaxMs);
  std::string reason = approve ? "" : std::string(PickText(RejectReasons(), random_));
  At(at_ms, [customer, approve, reason = std::move(reason), at_ms](DemoPlayer& player) {
    return player.Act(customer, DemoActor::kReviewer, at_ms,
                      aggregates::ReviewProtection{.approve = approve, .reason = reason});
  });
  return at_ms;
}

void DemoPlanner::FollowUps(std::size_t customer, const DemoCustomerProfile& profile, std::span<const DemoNote> notes,
                            int count_min, int count_max, events::TimeMs lo_ms, events::TimeMs hi_ms) {
  // Strictly inside the window, so a follow-up never ties with the step that ends it.
  lo_ms += kMinuteMs;
  hi_ms -= kMinuteMs;
  if (!Fits(lo_ms, hi_ms)) return;
  const std::int64_t count = random_.Between(count_min, count_max);
  for (std::int64_t i = 0; i < count; ++i) {
    const events::TimeMs at_ms = Within(lo_ms, hi_ms);
    std::optional<events::TimeMs> next_contact_ms;
    if (random_.Percent(kNextContactPercent)) next_contact_ms = at_ms + random_.Between(kDayMs, 6 * kDayMs);
    aggregates::RecordFollowUp follow_up = FollowUpFrom(random_.Pick(notes), profile, next_contact_ms);
    At(at_ms, [customer, follow_up = std::move(follow_up), at_ms](DemoPlayer& player) {
      return player.Act(customer, DemoActor::kHolder, at_ms, follow_up);
    });
  }
}

void DemoPlanner::AskPromotion(std::size_t customer, events::TimeMs at_ms) {
  aggregates::RequestPromotion ask{.reason = std::string(PickText(PromotionReasons(), random_))};
  At(at_ms, [customer, ask = std::move(ask), at_ms](DemoPlayer& player) {
    return player.Act(customer, DemoActor::kHolder, at_ms, ask);
  });
}

void DemoPlanner::AskExtension(std::size_t customer, std::uint32_t days, events::TimeMs at_ms) {
  aggregates::RequestExtension ask{.days = days, .reason = std::string(PickText(ExtensionReasons(), random_))};
  At(at_ms, [customer, ask = std::move(ask), at_ms](DemoPlayer& player) {
    return player.Act(customer, DemoActor::kHolder, at_ms, ask);
  });
}

void DemoPlanner::Decide(std::size_t customer, RequestKind kind, bool approve, events::TimeMs at_ms) {
  std::string reason;
  if (!approve) {
    reason = PickText(kind == RequestKind::kExtension ? ExtensionDenials() : PromotionDenials(), random_);
  }
  At(at_ms, [customer, kind, approve, reason = std::move(reason), at_ms](DemoPlayer& player) {
    return player.DecideRequest(customer, kind, approve, reason, at_ms);
  });
}

void DemoPlanner::Abandon(std::size_t customer, events::TimeMs at_ms) {
  aggregates::AbandonCustomer abandon{.reason = std::string(PickText(AbandonReasons(), random_))};
  At(at_ms, [customer, abandon = std::move(abandon), at_ms](DemoPlayer& player) {
    return player.Act(customer, DemoActor::kHolder, at_ms, abandon);
  });
}

void DemoPlanner::Reassign(std::size_t customer, events::TimeMs at_ms) {
  At(at_ms, [customer, leaving = Leaving(at_ms), at_ms](DemoPlayer& player) {
    return player.Reassign(customer, leaving, "工作量调整，转给同组同事跟进", at_ms);
  });
}

void DemoPlanner::Reclaim(std::size_t customer, const DemoCustomerProfile& profile, events::TimeMs released_ms) {
  if (!Fits(released_ms + kHourMs, released_ms + kReclaimDelayMaxMs)) return;
  const events::TimeMs claimed_ms = Within(released_ms + kHourMs, released_ms + kReclaimDelayMaxMs);
  const std::uint64_t pick = random_.Bits();
  const int team = profile.sales_team;
  At(claimed_ms, [customer, team, leaving = Leaving(claimed_ms), pick, claimed_ms](DemoPlayer& player) {
    return player.Claim(customer, team, leaving, pick, claimed_ms);
  });
  // Too close to the end for a review: the claim waits for one at now (rule 4's deadline is
  // three working days away).
  if (!Fits(claimed_ms + kReviewDelayMaxMs, claimed_ms + kReviewDelayMaxMs)) return;
  const events::TimeMs reviewed_ms = Review(customer, claimed_ms, /*approve=*/true);
  FollowUps(customer, profile, PotentialNotes(), 1, 2, reviewed_ms, claimed_ms + kReclaimWorkMaxMs);
}

std::string DemoPlanner::NextContractNo(events::TimeMs signed_at_ms) {
  std::string date = aggregates::FormatIsoDate(calendar().LocalDay(signed_at_ms));
  std::erase(date, '-');
  std::string number = std::to_string(++contracts_planned_);
  number.insert(0, number.size() < 3 ? 3 - number.size() : 0, '0');
  return "HT" + date + "-" + number;
}

void DemoPlanner::Sign(std::size_t customer, aggregates::SignContract contract) {
  const events::TimeMs at_ms = contract.signed_at_ms;
  Payments(customer, contract);
  At(at_ms, [customer, contract = std::move(contract), at_ms](DemoPlayer& player) {
    return player.Act(customer, DemoActor::kHolder, at_ms, contract);
  });
}

void DemoPlanner::Payments(std::size_t customer, const aggregates::SignContract& contract) {
  const events::TimeMs signed_ms = contract.signed_at_ms;
  if (!Fits(signed_ms + kDayMs, signed_ms + kDayMs)) return;
  // Whole yuan: a deposit of 30% or 50%.
  const events::Fen deposit_fen = contract.total_fen * (random_.Percent(50) ? 30 : 50) / 100 / 100 * 100;
  const std::uint64_t plan = random_.Below(100);
  if (plan >= 80) return;  // not paid yet
  const events::TimeMs first_ms = Within(signed_ms + kDayMs, signed_ms + 20 * kDayMs);
  if (plan < 25) {  // paid in full at once
    Pay(customer, contract.contract_no, contract.total_fen, first_ms, signed_ms);
    return;
  }
  Pay(customer, contract.contract_no, deposit_fen, first_ms, signed_ms);
  // Half of the deposits are followed by the rest (acceptance); the others are receivables.
  if (plan < 55 && Fits(first_ms + 5 * kDayMs, first_ms + 5 * kDayMs)) {
    const events::TimeMs rest_ms = Within(first_ms + 5 * kDayMs, first_ms + 40 * kDayMs);
    Pay(customer, contract.contract_no, contract.total_fen - deposit_fen, rest_ms, signed_ms);
  }
}

void DemoPlanner::Pay(std::size_t customer, const std::string& contract_no, events::Fen amount_fen,
                      events::TimeMs at_ms, events::TimeMs signed_at_ms) {
  // Finance books the transfer some hours after it arrived, never before the signing.
  const events::TimeMs paid_ms = std::max(signed_at_ms, at_ms - random_.Between(kHourMs, 20 * kHourMs));
  aggregates::RecordPayment payment{.contract_no = contract_no,
                                    .amount_fen = amount_fen,
                                    .paid_at_ms = paid_ms,
                                    .method = "银行转账",
                                    .handler = "唐倩",
                                    .account = "招商银行苏州分行基本户"};
  At(at_ms, [customer, payment = std::move(payment), at_ms](DemoPlayer& player) {
    return player.Pay(customer, payment, at_ms);
  });
}

}  // namespace crm::demo
