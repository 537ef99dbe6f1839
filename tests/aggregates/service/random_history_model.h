// The independent model of the randomised history test (issue 3): the log folded by the test's
// own, deliberately simple reading of domain.md, with the calendar arithmetic it needs. The model
// never calls the code under test (no EvolveCustomer, ApplyToHold, Directory or CompanyCalendar):
// it is a second reading of the rules, and random_history_test.cc checks that the two agree.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::aggregates::random_history {

using events::Fen;
using events::RecordedEvent;
using events::Role;
using events::TimeMs;

inline constexpr TimeMs kMinuteMs = 60 * 1000;

// ---- Calendar arithmetic of our own ----------------------------------------------------------

// Asia/Shanghai has been UTC+8 without daylight saving since 1991, so its calendar is plain
// arithmetic here: nothing shared with the CompanyCalendar under test.
inline constexpr TimeMs kShanghaiOffsetMs = 8 * 60 * kMinuteMs;

// The Shanghai calendar day `t` falls on, in days since 1970-01-01.
std::int64_t ShanghaiDay(TimeMs t);
// Monday to Friday and not one of the policy's holidays.
bool IsWorkingDay(std::int64_t day, const events::Policy& policy);
// Duplicates are checked on the normalised name; the variants this test types differ only by
// spaces, which normalisation drops.
std::string NameKey(std::string name);
// "d3 Thu 14:25:00.001": Shanghai time, days counted from the history's first day.
std::string When(TimeMs t);

// ---- The model: the log folded by this test's own reading of the rules ----------------------

enum class Stage { kPotential, kIntention, kFormal, kPool };

struct ModelRequest {
  char kind = 'x';         // 'x' extension, 'p' promotion
  std::uint32_t days = 0;  // extensions only
  bool pending = true;
};

struct ModelCustomer {
  std::string name_key;
  Stage stage = Stage::kPool;
  std::string holder;  // potential/intention: the salesperson; formal: the after-sales owner
  TimeMs deadline_ms = 0;
  bool review_pending = false;
  TimeMs review_deadline_ms = 0;
  std::string pool_reason;  // the release that put it in the pool; empty while held
  bool ever_formal = false;
  int protections = 0;
  std::uint32_t extensions_in_stage = 0;            // rule 7: per protection; a promotion starts a new one
  std::map<std::string, TimeMs> cooldown_until_ms;  // abandoners, until when
  std::map<std::string, TimeMs> lapsed_at_ms;       // owners whose hold expired, when (docs/rules.md)
  std::map<std::string, ModelRequest> requests;

  bool held() const { return stage == Stage::kPotential || stage == Stage::kIntention; }
  // Rule 13: the instant time alone ends the hold. An unreviewed protection ends at its review
  // deadline, unless the stage's own deadline comes first.
  TimeMs due_ms() const { return review_pending ? std::min(review_deadline_ms, deadline_ms) : deadline_ms; }
  bool TimesOutReview() const { return review_pending && review_deadline_ms <= deadline_ms; }
  bool HeldAt(TimeMs t) const { return held() && t < due_ms(); }
  bool LapsedAt(TimeMs t) const { return held() && !HeldAt(t); }
  Stage StageAt(TimeMs t) const { return LapsedAt(t) ? Stage::kPool : stage; }
  std::string PoolReasonAt(TimeMs t) const {
    if (LapsedAt(t)) return TimesOutReview() ? "review_timed_out" : "expired";
    return stage == Stage::kPool ? pool_reason : "";
  }
  bool HasPending(char kind) const {
    return std::any_of(requests.begin(), requests.end(),
                       [kind](const auto& r) { return r.second.kind == kind && r.second.pending; });
  }
};

struct ModelContract {
  std::string customer_id;
  Fen total_fen = 0;
  Fen paid_fen = 0;
};

// Customers, contracts, users and policies as the events applied so far (in log order) make them.
class Model {
 public:
  void Apply(const RecordedEvent& recorded);

  const std::map<std::string, ModelCustomer>& customers() const { return customers_; }
  const std::map<std::string, ModelContract>& contracts() const { return contracts_; }
  // Null when no such customer or contract has been recorded.
  const ModelCustomer* Customer(const std::string& id) const;
  const ModelContract* Contract(const std::string& no) const;
  bool Active(const std::string& user_id) const { return active_.contains(user_id); }
  std::optional<Role> RoleOf(const std::string& user_id) const;
  bool NameTaken(const std::string& key) const;
  // The last policy change effective at or before `t`, else the product's defaults.
  const events::Policy& PolicyAt(TimeMs t) const;
  std::size_t HeldBy(const std::string& user_id, TimeMs t) const;
  // Rule 2 as this model reads it, for valid fields: why `user_id` may not register `name` at
  // `t`; empty when they may.
  std::string WhyNotRegister(const std::string& user_id, const std::string& name, TimeMs t) const;
  // Rule 3 as this model reads it: why `user_id` may not claim the customer from the pool at `t`.
  std::string WhyNotProtect(const std::string& user_id, const std::string& customer_id, TimeMs t) const;
  // Rule 12 as this model reads it, for m1, who manages every salesperson here: why `actor_id`
  // may not move the customer to `to_user_id` at `t`.
  std::string WhyNotReassign(const std::string& actor_id, const std::string& customer_id, const std::string& to_user_id,
                             TimeMs t) const;
  // Rule 3/9 and docs/rules.md: who gave a customer up (abandoned it, or let it expire) waits
  // abandonCooldownDays before claiming it again; for an abandonment as the event says, for an
  // expiry from the deadline by the policy in force at the claim (`t`).
  TimeMs CooldownUntil(const ModelCustomer& c, const std::string& user_id, TimeMs t) const;
  std::string WhyNotHoldMore(const std::string& user_id, TimeMs t) const;
  std::size_t PoolClaimsOnDay(const std::string& user_id, std::int64_t day) const;

 private:
  using Envelope = events::EventEnvelope;

  // Folds one event in: a specialisation for each event the model reads, nothing for the rest
  // (random_history_model.cc).
  template <typename E>
  void On(const E& e, const Envelope& env);

  void Release(const std::string& customer_id, const std::string& reason);
  static void CloseRequests(ModelCustomer& c, char kind);

  std::map<std::string, ModelCustomer> customers_;
  std::map<std::string, ModelContract> contracts_;
  std::map<std::string, Role> roles_;
  std::set<std::string> active_;
  std::vector<std::pair<TimeMs, events::Policy>> policies_;  // (effective at, policy), in log order
  std::map<std::string, std::vector<TimeMs>> pool_claims_;   // user -> when each pool claim was made
  events::Policy defaults_;
};

}  // namespace crm::aggregates::random_history
