// The invariants of the randomised history test; see random_history_checker.h.
#include "aggregates/service/random_history_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>

#include "aggregates/service/service_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates::random_history {
namespace {

using testutil::kDayMs;

bool IsMobile(const std::string& number) {
  return number.size() == 11 && number[0] == '1' &&
         std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The checks of one event, `current`, against the model: Before while the model stands as it did
// just before the event, After once the event is folded in. `last_recorded_ms` is when the
// previous event was recorded.
class EventChecks {
 public:
  EventChecks(const Model& model, const RecordedEvent& current, TimeMs last_recorded_ms)
      : model_(model), current_(&current), last_recorded_ms_(last_recorded_ms) {}

  // Every event: releases and only releases are the system's; a user's act takes effect when it
  // is recorded, a release at its deadline, before it is recorded; time never runs backwards.
  void CheckEnvelope() const {
    const bool release = std::holds_alternative<events::ProtectionExpired>(current_->event) ||
                         std::holds_alternative<events::ProtectionReviewTimedOut>(current_->event);
    const bool by_system = env().actor_id == events::kSystemActorId;
    Expect(release == by_system || std::holds_alternative<events::UserCreated>(current_->event),
           "releases and only releases are written by the system");
    Expect(at() <= env().recorded_at_ms, "effective after it was recorded");
    Expect(release || at() == env().recorded_at_ms, "a user's act effective at another time than recorded");
    Expect(env().recorded_at_ms >= last_recorded_ms_, "recorded time went backwards");
    Expect(by_system || model_.Active(env().actor_id), "an act by a user who is not active");
  }

  // ---- Per event: before it is folded in ----

  void Before(const events::CustomerRegistered& e) {
    Expect(model_.Customer(e.customer_id) == nullptr, "customer id registered twice");
    Expect(!model_.NameTaken(NameKey(e.name)), "name registered twice: " + e.name);
    ExpectActorRole(Role::kSales, "registration");
  }
  void Before(const events::CustomerProtected& e) {
    const ModelCustomer* c = Existing(e.customer_id);
    if (c == nullptr) return;
    Expect(!c->ever_formal, "a formal customer protected again");
    Expect(!c->HeldAt(at()), "protected while " + c->holder + " holds it: two holders");
    Expect(!c->LapsedAt(at()), "protected before the lapsed hold of " + c->holder + " was released");
    Expect(e.owner_id == env().actor_id, "protected for someone else");
    ExpectActorRole(Role::kSales, "protection");
    Expect((e.source == events::ProtectionSource::kRegistration) == (c->protections == 0),
           "the source does not say whether this is the customer's first protection");
    Expect(e.deadline_ms == at() + policy().potential_days * kDayMs, "potential deadline is not potentialDays later");
    ExpectReviewDeadline(e.review_deadline_ms);
    Expect(at() >= model_.CooldownUntil(*c, e.owner_id, at()), "claimed back within its cooldown");
  }
  void Before(const events::ProtectionApproved& e) { ExpectReviewable(e.customer_id, e.owner_id); }
  void Before(const events::ProtectionRejected& e) {
    ExpectReviewable(e.customer_id, e.owner_id);
    Expect(!e.reason.empty(), "rejected without a reason");
  }
  void Before(const events::ProtectionReviewTimedOut& e) {
    const ModelCustomer* c = Existing(e.customer_id);
    if (c == nullptr) return;
    ExpectDueRelease(*c, e.owner_id, e.review_deadline_ms);
    Expect(c->TimesOutReview() && c->review_deadline_ms == e.review_deadline_ms, "not a review that timed out");
  }
  void Before(const events::ProtectionExpired& e) {
    const ModelCustomer* c = Existing(e.customer_id);
    if (c == nullptr) return;
    ExpectDueRelease(*c, e.owner_id, e.deadline_ms);
    Expect(!c->TimesOutReview() && c->deadline_ms == e.deadline_ms, "not an expiry of the stage's deadline");
    const bool intention = c->stage == Stage::kIntention;
    Expect(intention == (e.stage == events::HeldStage::kIntention), "expiry names the wrong stage");
  }
  void Before(const events::ContactAdded& e) {
    ExpectWorkedByOwner(e.customer_id);
    Expect(!e.mobile.empty() || !e.phone.empty(), "a contact without any number");
    Expect(e.mobile.empty() || IsMobile(e.mobile), "an invalid mobile number: " + e.mobile);
  }
  void Before(const events::FollowUpRecorded& e) {
    ExpectWorkedByOwner(e.customer_id);
    Expect(!e.notes.empty(), "a follow-up without notes");
    Expect(!e.next_contact_at_ms || *e.next_contact_at_ms > at(), "a next contact time in the past");
  }
  void Before(const events::ExtensionRequested& e) {
    const ModelCustomer* c = ExpectHolderActs(e.customer_id);
    if (c == nullptr) return;
    Expect(!c->requests.contains(e.request_id), "request id reused");
    Expect(e.days >= 1 && e.days <= policy().max_extension_days, "extension days outside 1..maxExtensionDays");
    Expect(!c->HasPending('x'), "a second pending extension request");
    Expect(c->extensions_in_stage < policy().max_extensions, "asked beyond maxExtensions");
  }
  void Before(const events::ExtensionGranted& e) {
    const ModelCustomer* c = ExpectManagerDecides(e.customer_id, e.request_id, 'x');
    if (c == nullptr || !c->requests.contains(e.request_id)) return;
    Expect(e.days == c->requests.at(e.request_id).days, "granted other days than asked");
    Expect(e.deadline_ms == c->deadline_ms + e.days * kDayMs, "the new deadline is not the old one plus the days");
    Expect(c->extensions_in_stage < policy().max_extensions, "granted beyond maxExtensions");
    Expect(e.days <= policy().max_extension_days, "granted beyond maxExtensionDays");
  }
  void Before(const events::ExtensionDenied& e) { ExpectManagerDecides(e.customer_id, e.request_id, 'x'); }
  void Before(const events::PromotionRequested& e) {
    const ModelCustomer* c = ExpectHolderActs(e.customer_id);
    if (c == nullptr) return;
    Expect(!c->requests.contains(e.request_id), "request id reused");
    ExpectPromotable(*c);
    Expect(!c->HasPending('p'), "a second pending promotion request");
    Expect(policy().promotion_needs_approval, "a request although promotion needs no approval");
  }
  void Before(const events::CustomerPromoted& e) {
    const ModelCustomer* c =
        e.request_id.empty() ? ExpectHolderActs(e.customer_id) : ExpectManagerDecides(e.customer_id, e.request_id, 'p');
    if (c == nullptr) return;
    ExpectPromotable(*c);
    Expect(!e.request_id.empty() || !policy().promotion_needs_approval, "promoted without the approval it needs");
    Expect(e.deadline_ms == at() + policy().intention_days * kDayMs, "intention deadline is not intentionDays later");
  }
  void Before(const events::PromotionDenied& e) { ExpectManagerDecides(e.customer_id, e.request_id, 'p'); }
  void Before(const events::CustomerAbandoned& e) {
    ExpectHolderActs(e.customer_id);
    Expect(e.owner_id == env().actor_id, "abandoned for someone else");
    Expect(!e.reason.empty(), "abandoned without a reason");
    Expect(e.cooldown_until_ms == at() + policy().abandon_cooldown_days * kDayMs, "cooldown is not the policy's");
  }
  void Before(const events::CustomerReassigned& e) {
    const ModelCustomer* c = Existing(e.customer_id);
    if (c == nullptr) return;
    ExpectActorRole(Role::kManager, "reassignment");
    Expect(e.from_user_id == c->holder, "reassigned from " + e.from_user_id + ", the owner is " + c->holder);
    Expect(e.to_user_id != e.from_user_id, "reassigned to its owner");
    Expect(c->HeldAt(at()) || c->stage == Stage::kFormal, "reassigned a customer nobody holds");
    const Role needed = c->stage == Stage::kFormal ? Role::kAftersales : Role::kSales;
    Expect(model_.RoleOf(e.to_user_id) == needed, "reassigned to someone of the wrong role");
    Expect(model_.Active(e.to_user_id), "reassigned to someone who has left");
  }
  void Before(const events::ContractSigned& e) {
    Expect(model_.Contract(e.contract_no) == nullptr, "contract number used twice: " + e.contract_no);
    const ModelCustomer* c = Existing(e.customer_id);
    if (c == nullptr) return;
    const bool first = c->HeldAt(at()) && c->stage == Stage::kIntention;
    Expect((first || c->stage == Stage::kFormal) && env().actor_id == c->holder,
           "signed by someone who does not hold an intention customer or own a formal one");
    Expect(!e.lines.empty(), "a contract without lines");
    Fen sum_fen = 0;
    for (const events::ContractLine& line : e.lines) {
      Expect(line.quantity > 0 && line.unit_price_fen >= 0, "a line with a bad quantity or price");
      Expect(line.amount_fen == line.quantity * line.unit_price_fen, "a line amount is not quantity x price");
      sum_fen += line.amount_fen;
    }
    Expect(e.total_fen == sum_fen,
           "total " + std::to_string(e.total_fen) + " != sum of lines " + std::to_string(sum_fen));
    Expect(e.signed_at_ms <= at(), "signed in the future");
  }
  void Before(const events::CustomerHandedToAftersales& e) {
    const ModelCustomer* c = Existing(e.customer_id);
    if (c == nullptr) return;
    Expect(c->HeldAt(at()) && c->stage == Stage::kIntention, "handed over a customer that is not a held intention");
    Expect(e.from_user_id == c->holder && env().actor_id == c->holder, "handed over by someone else than its holder");
    Expect(model_.RoleOf(e.aftersales_owner_id) == Role::kAftersales && model_.Active(e.aftersales_owner_id),
           "handed to someone not active in after-sales");
    const ModelContract* contract = model_.Contract(e.contract_no);
    Expect(contract != nullptr && contract->customer_id == e.customer_id, "handed over without its contract");
  }
  void Before(const events::PaymentRecorded& e) {
    ExpectActorRole(Role::kFinance, "payment");
    const ModelContract* contract = model_.Contract(e.contract_no);
    Expect(contract != nullptr, "payment on an unknown contract");
    if (contract == nullptr) return;
    Expect(contract->customer_id == e.customer_id, "payment names another customer than its contract");
    Expect(e.amount_fen > 0, "a payment of nothing");
    Expect(contract->paid_fen + e.amount_fen <= contract->total_fen,
           "payments would reach " + std::to_string(contract->paid_fen + e.amount_fen) + " of a total of " +
               std::to_string(contract->total_fen));
    Expect(e.paid_at_ms <= at(), "paid in the future");
  }
  void Before(const events::PolicyChanged&) { ExpectActorRole(Role::kAdmin, "policy change"); }
  void Before(const events::CustomersHandedOver&) { ExpectActorRole(Role::kManager, "handover"); }
  template <typename E>
  void Before(const E&) {}

  // ---- Per event: what it added ----

  void After(const events::CustomerProtected& e) {
    ExpectWithinHoldLimit(e.owner_id);
    if (e.source != events::ProtectionSource::kPool) return;
    const std::size_t claims = model_.PoolClaimsOnDay(e.owner_id, ShanghaiDay(at()));
    Expect(claims <= policy().max_claims_per_day, e.owner_id + " claimed " + std::to_string(claims) +
                                                      " from the pool today, maxClaimsPerDay " +
                                                      std::to_string(policy().max_claims_per_day));
  }
  void After(const events::CustomerReassigned& e) {
    const ModelCustomer* c = model_.Customer(e.customer_id);
    if (c != nullptr && c->stage != Stage::kFormal) ExpectWithinHoldLimit(e.to_user_id);
  }
  void After(const events::CustomersHandedOver& e) {
    for (const std::string& id : e.customer_ids) {
      const ModelCustomer* c = model_.Customer(id);
      Expect(c != nullptr && c->holder == e.to_user_id, id + " is listed as handed over but was not moved");
    }
  }
  template <typename E>
  void After(const E&) {}

 private:
  const events::EventEnvelope& env() const { return current_->envelope; }
  TimeMs at() const { return env().effective_at_ms; }
  const events::Policy& policy() const { return model_.PolicyAt(at()); }

  void Expect(bool ok, const std::string& what) const {
    if (ok) return;
    ADD_FAILURE() << "event seq " << env().seq << " " << events::EventTypeName(current_->event) << " on "
                  << env().stream_id << " by " << env().actor_id << " effective " << When(at()) << ": " << what;
  }
  void ExpectActorRole(Role role, const std::string& act) const {
    Expect(model_.RoleOf(env().actor_id) == role, act + " by someone without the role");
  }
  // The customer an event is about, which must have been registered before.
  const ModelCustomer* Existing(const std::string& customer_id) const {
    const ModelCustomer* c = model_.Customer(customer_id);
    Expect(c != nullptr, "an event about an unregistered customer " + customer_id);
    return c;
  }

  // Rule 3/12's limit, whenever a customer is added to someone's holdings.
  void ExpectWithinHoldLimit(const std::string& user_id) const {
    const std::size_t held = model_.HeldBy(user_id, at());
    Expect(held <= policy().max_protected, user_id + " now holds " + std::to_string(held) +
                                               " customers, maxProtected " + std::to_string(policy().max_protected));
  }

  // Rule 4: "3 working days" keeps the wall-clock time and lands on the third working day.
  void ExpectReviewDeadline(TimeMs review_deadline_ms) const {
    const TimeMs span = review_deadline_ms - at();
    Expect(span > 0 && span % kDayMs == 0, "the review deadline is not a whole number of days later");
    if (span <= 0 || span % kDayMs != 0) return;
    const std::int64_t first = ShanghaiDay(at()) + 1;
    const std::int64_t last = ShanghaiDay(at()) + span / kDayMs;
    std::uint32_t working = 0;
    for (std::int64_t day = first; day <= last; ++day) working += IsWorkingDay(day, policy()) ? 1 : 0;
    Expect(working == policy().review_working_days && IsWorkingDay(last, policy()),
           "the review deadline is " + std::to_string(working) + " working days later, not " +
               std::to_string(policy().review_working_days));
  }
  void ExpectReviewable(const std::string& customer_id, const std::string& owner_id) const {
    const ModelCustomer* c = Existing(customer_id);
    if (c == nullptr) return;
    ExpectActorRole(Role::kReviewer, "review");
    Expect(c->HeldAt(at()) && c->review_pending, "reviewed a protection that is not waiting for review");
    Expect(owner_id == c->holder, "review names " + owner_id + ", the holder is " + c->holder);
  }
  // Rule 13: a release ends a hold that time ended, at the instant it ended.
  void ExpectDueRelease(const ModelCustomer& c, const std::string& owner_id, TimeMs deadline_ms) const {
    Expect(c.held(), "released a customer nobody held");
    Expect(owner_id == c.holder, "release names " + owner_id + ", the holder is " + c.holder);
    Expect(c.due_ms() == deadline_ms && at() == deadline_ms, "release not effective at the hold's deadline");
    Expect(deadline_ms <= env().recorded_at_ms, "released before its deadline");
  }
  // Rule 5: the holder while the hold lasts, or the after-sales owner of a formal customer.
  void ExpectWorkedByOwner(const std::string& customer_id) const {
    const ModelCustomer* c = Existing(customer_id);
    if (c == nullptr) return;
    Expect((c->HeldAt(at()) || c->stage == Stage::kFormal) && env().actor_id == c->holder,
           "worked on by someone who does not hold or own it now");
  }
  // The holder's own requests and acts (rules 7, 8, 9), while the hold lasts.
  const ModelCustomer* ExpectHolderActs(const std::string& customer_id) const {
    const ModelCustomer* c = Existing(customer_id);
    if (c == nullptr) return nullptr;
    Expect(c->HeldAt(at()) && env().actor_id == c->holder, "by someone who does not hold it now");
    ExpectActorRole(Role::kSales, "a holder's act");
    return c;
  }
  // A manager's decision on a request that is still pending, while the hold lasts.
  const ModelCustomer* ExpectManagerDecides(const std::string& customer_id, const std::string& request_id,
                                            char kind) const {
    const ModelCustomer* c = Existing(customer_id);
    if (c == nullptr) return nullptr;
    ExpectActorRole(Role::kManager, "a decision on a request");
    Expect(c->HeldAt(at()), "decided a request about a hold that is over");
    const auto it = c->requests.find(request_id);
    Expect(it != c->requests.end() && it->second.kind == kind && it->second.pending,
           "decided request " + request_id + ", which is not pending");
    return c;
  }
  void ExpectPromotable(const ModelCustomer& c) const {
    Expect(c.stage == Stage::kPotential && !c.review_pending, "promotion of a customer not approved in potential");
  }

  const Model& model_;
  const RecordedEvent* current_;
  TimeMs last_recorded_ms_;
};

CustomerStage ServiceStage(Stage stage) {
  switch (stage) {
    case Stage::kPotential: return CustomerStage::kPotential;
    case Stage::kIntention: return CustomerStage::kIntention;
    case Stage::kFormal: return CustomerStage::kFormal;
    case Stage::kPool: return CustomerStage::kPool;
  }
  return CustomerStage::kUnregistered;
}

}  // namespace

void Checker::Fold(const RecordedEvent& recorded) {
  EventChecks checks(model_, recorded, last_recorded_ms_);
  checks.CheckEnvelope();
  std::visit([&](const auto& e) { checks.Before(e); }, recorded.event);
  model_.Apply(recorded);
  std::visit([&](const auto& e) { checks.After(e); }, recorded.event);
  last_recorded_ms_ = recorded.envelope.recorded_at_ms;
}

void Checker::CheckState(TimeMs now) const {
  for (const auto& [id, c] : model_.customers()) {
    const Stage stage = c.StageAt(now);
    if (c.ever_formal) {
      EXPECT_EQ(c.stage, Stage::kFormal) << id << " was formal and is not any more";
    }
    if (stage == Stage::kPool) {
      EXPECT_NE(c.PoolReasonAt(now), "") << id << " is in the pool without a reason";
    }
    if (stage == Stage::kFormal) {
      EXPECT_EQ(model_.RoleOf(c.holder), Role::kAftersales) << id << " " << c.holder;
    }
    if (c.HeldAt(now)) {
      EXPECT_EQ(model_.RoleOf(c.holder), Role::kSales) << id << " held by " << c.holder;
    }
  }
  for (const auto& [no, contract] : model_.contracts()) {
    EXPECT_LE(contract.paid_fen, contract.total_fen) << "contract " << no << " is paid beyond its total";
  }
}

void ExpectServiceAgrees(CommandService& service, const Model& model) {
  for (const auto& [id, c] : model.customers()) {
    const Result<CustomerState> loaded = service.LoadCustomer(id);
    ASSERT_OK(loaded) << id;
    const Hold& hold = loaded->hold;
    EXPECT_EQ(hold.stage, ServiceStage(c.stage)) << id;
    EXPECT_EQ(hold.owner_id, c.holder) << id;
    EXPECT_EQ(hold.deadline_ms, c.deadline_ms) << id;
    EXPECT_EQ(hold.review_pending, c.review_pending) << id;
    EXPECT_EQ(hold.review_deadline_ms, c.review_deadline_ms) << id;
    if (c.stage == Stage::kPool) {
      EXPECT_EQ(PoolReasonName(loaded->pool_reason), c.pool_reason) << id;
    }
  }
}

}  // namespace crm::aggregates::random_history
