// A seeded randomised history (issue 3): thousands of random commands by random users, right and
// wrong, against the real CommandService on a real log, with a clock that jumps minutes to days so
// that deadlines, review time-outs and cooldowns pass. After every step the new events are read
// back from the log and folded by this file's own model, and the invariants are checked on that
// model. The model never calls the code under test (no EvolveCustomer, ApplyToHold, Directory or
// CompanyCalendar): it is a second, deliberately simple reading of domain.md, and the two must agree.
//
// A failure names its seed and step and lists the steps before it. Rerun one seed with
//   CRM_RANDOM_SEED=<seed> build/<flavour>/bin/random_history_test
// change the number of steps with CRM_RANDOM_STEPS=<n>, and see what a seed exercised (outcomes
// by command, events by type) with CRM_RANDOM_VERBOSE=1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "aggregates/service/command_service.h"
#include "aggregates/service/service_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using events::Fen;
using events::RecordedEvent;
using events::Role;
using events::TimeMs;
using testutil::kDayMs;
using testutil::kHourMs;
using testutil::kMonday10am;

constexpr TimeMs kMinuteMs = 60 * 1000;

// Seeds 1..kSeedCount run unless CRM_RANDOM_SEED names one. Measured on 2 cores: 20 x 1000 steps
// take about 17 s optimised; under ASan + UBSan 20 x 400 take about 40 s.
constexpr std::uint64_t kSeedCount = 20;
#if defined(__SANITIZE_ADDRESS__)
#define CRM_RANDOM_HISTORY_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRM_RANDOM_HISTORY_SANITIZED 1
#endif
#endif
#ifdef CRM_RANDOM_HISTORY_SANITIZED
constexpr int kStepsPerSeed = 400;
#else
constexpr int kStepsPerSeed = 1000;
#endif
// Steps listed with a failure: enough to see how the customer got where it is.
constexpr std::size_t kHistoryStepsShown = 40;

// Full company names (行政区划 + 字号 + 行业 + 组织形式). Few enough that they run out, so
// registrations of a name already taken happen.
const std::vector<std::string> kNames = {
    "靖江市春意空调有限公司",     "泰州市海陵机械制造有限公司", "扬州市广陵电子科技有限公司",
    "苏州市吴中电器有限公司",     "南京市鼓楼软件开发有限公司", "无锡市滨湖纺织有限公司",
    "常州市武进化工有限公司",     "南通市崇川建筑工程有限公司", "盐城市亭湖食品有限公司",
    "镇江市润州包装材料有限公司", "徐州市云龙物流有限公司",     "连云港市海州医药有限公司",
    "淮安市清江浦家具有限公司",   "宿迁市宿城酒业有限公司",     "上海市浦东贸易有限公司",
    "杭州市西湖茶叶有限公司",     "宁波市鄞州模具有限公司",     "合肥市蜀山新能源有限公司",
    "济南市历下钢铁贸易有限公司", "青岛市市南海产品有限公司",   "武汉市江汉光电有限公司",
    "长沙市岳麓教育科技有限公司", "成都市锦江餐饮管理有限公司", "重庆市渝中汽车配件有限公司"};

// The fixture's users plus a second after-sales user (a2), so formal customers can move.
const std::vector<std::string> kEveryone = {"root", "m1", "s1", "s2", "s3", "s4", "s5",    "s6",
                                            "s7",   "s8", "r1", "a1", "a2", "f1", "nobody"};
// Most sales activity comes from four people, so that their limits are reached.
const std::vector<std::string> kBusySales = {"s1", "s2", "s3", "s4"};
const std::vector<std::string> kQuietSales = {"s5", "s6", "s7", "s8"};

// ---- Calendar arithmetic of our own ----------------------------------------------------------

// Asia/Shanghai has been UTC+8 without daylight saving since 1991, so its calendar is plain
// arithmetic here: nothing shared with the CompanyCalendar under test.
constexpr TimeMs kShanghaiOffsetMs = 8 * kHourMs;

std::int64_t ShanghaiDay(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  return local / kDayMs - (local % kDayMs < 0 ? 1 : 0);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2026-10-01" -> days since the epoch.
std::int64_t IsoDay(const std::string& iso) {
  return DaysFromCivil(std::stoll(iso.substr(0, 4)), static_cast<unsigned>(std::stoul(iso.substr(5, 2))),
                       static_cast<unsigned>(std::stoul(iso.substr(8, 2))));
}

bool IsWorkingDay(std::int64_t day, const events::Policy& policy) {
  const std::int64_t weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday; 0 is Sunday
  if (weekday == 0 || weekday == 6) return false;
  return std::none_of(policy.holidays.begin(), policy.holidays.end(),
                      [day](const std::string& iso) { return IsoDay(iso) == day; });
}

// Duplicates are checked on the normalised name; the variants this test types differ only by
// spaces, which normalisation drops.
std::string NameKey(std::string name) {
  name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
  return name;
}

// "d3 Thu 14:25:00.001": Shanghai time, days counted from the history's first day.
std::string When(TimeMs t) {
  static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const std::int64_t day = ShanghaiDay(t);
  const TimeMs ms = t + kShanghaiOffsetMs - day * kDayMs;
  char text[64];
  std::snprintf(text, sizeof text, "d%lld %s %02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(day - ShanghaiDay(kMonday10am)), kWeekdays[(day + 4) % 7],
                static_cast<long long>(ms / kHourMs), static_cast<long long>(ms / kMinuteMs % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return text;
}

bool IsMobile(const std::string& number) {
  return number.size() == 11 && number[0] == '1' &&
         std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- The model: the log folded by this file's own reading of the rules ----------------------

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

class Model {
 public:
  void Apply(const RecordedEvent& recorded) {
    std::visit([&](const auto& e) { On(e, recorded.envelope); }, recorded.event);
  }

  const std::map<std::string, ModelCustomer>& customers() const { return customers_; }
  const std::map<std::string, ModelContract>& contracts() const { return contracts_; }
  const ModelCustomer* Customer(const std::string& id) const {
    const auto it = customers_.find(id);
    return it == customers_.end() ? nullptr : &it->second;
  }
  const ModelContract* Contract(const std::string& no) const {
    const auto it = contracts_.find(no);
    return it == contracts_.end() ? nullptr : &it->second;
  }
  bool Active(const std::string& user_id) const { return active_.contains(user_id); }
  std::optional<Role> RoleOf(const std::string& user_id) const {
    const auto it = roles_.find(user_id);
    return it == roles_.end() ? std::nullopt : std::optional<Role>(it->second);
  }
  bool NameTaken(const std::string& key) const {
    return std::any_of(customers_.begin(), customers_.end(), [&](const auto& c) { return c.second.name_key == key; });
  }
  // The last policy change effective at or before `t`, else the product's defaults.
  const events::Policy& PolicyAt(TimeMs t) const {
    for (auto it = policies_.rbegin(); it != policies_.rend(); ++it) {
      if (it->first <= t) return it->second;
    }
    return defaults_;
  }
  std::size_t HeldBy(const std::string& user_id, TimeMs t) const {
    return static_cast<std::size_t>(std::count_if(customers_.begin(), customers_.end(), [&](const auto& c) {
      return c.second.HeldAt(t) && c.second.holder == user_id;
    }));
  }
  // Rule 2 as this model reads it, for valid fields: why `user_id` may not register `name` at
  // `t`; empty when they may.
  std::string WhyNotRegister(const std::string& user_id, const std::string& name, TimeMs t) const {
    if (!Active(user_id) || RoleOf(user_id) != Role::kSales) return "not an active salesperson";
    if (NameTaken(NameKey(name))) return "name taken";
    return WhyNotHoldMore(user_id, t);
  }
  // Rule 3 as this model reads it: why `user_id` may not claim the customer from the pool at `t`.
  std::string WhyNotProtect(const std::string& user_id, const std::string& customer_id, TimeMs t) const {
    if (!Active(user_id) || RoleOf(user_id) != Role::kSales) return "not an active salesperson";
    const ModelCustomer* c = Customer(customer_id);
    if (c == nullptr) return "no such customer";
    if (c->HeldAt(t)) return "held by " + c->holder;
    if (c->stage == Stage::kFormal) return "formal";
    if (const TimeMs until_ms = CooldownUntil(*c, user_id, t); t < until_ms)
      return "in cooldown until " + When(until_ms);
    if (PoolClaimsOnDay(user_id, ShanghaiDay(t)) >= PolicyAt(t).max_claims_per_day) return "at maxClaimsPerDay";
    return WhyNotHoldMore(user_id, t);
  }
  // Rule 12 as this model reads it, for m1, who manages every salesperson here: why `actor_id`
  // may not move the customer to `to_user_id` at `t`.
  std::string WhyNotReassign(const std::string& actor_id, const std::string& customer_id, const std::string& to_user_id,
                             TimeMs t) const {
    if (!Active(actor_id) || RoleOf(actor_id) != Role::kManager) return "not an active manager";
    const ModelCustomer* c = Customer(customer_id);
    if (c == nullptr) return "no such customer";
    if (c->stage != Stage::kFormal && !c->HeldAt(t)) return "nobody holds it";
    const Role needed = c->stage == Stage::kFormal ? Role::kAftersales : Role::kSales;
    if (!Active(to_user_id) || RoleOf(to_user_id) != needed) return "the recipient cannot own it";
    if (to_user_id == c->holder) return "it is theirs already";
    return c->stage == Stage::kFormal ? "" : WhyNotHoldMore(to_user_id, t);
  }
  // Rule 3/9 and docs/rules.md: who gave a customer up (abandoned it, or let it expire) waits
  // abandonCooldownDays before claiming it again; for an abandonment as the event says, for an
  // expiry from the deadline by the policy in force at the claim (`t`).
  TimeMs CooldownUntil(const ModelCustomer& c, const std::string& user_id, TimeMs t) const {
    TimeMs until_ms = 0;
    if (const auto it = c.cooldown_until_ms.find(user_id); it != c.cooldown_until_ms.end()) until_ms = it->second;
    std::optional<TimeMs> lapsed_ms;
    if (const auto it = c.lapsed_at_ms.find(user_id); it != c.lapsed_at_ms.end()) lapsed_ms = it->second;
    // An expiry time has decided but nobody has written yet counts the same (rule 13).
    if (c.LapsedAt(t) && !c.TimesOutReview() && c.holder == user_id) lapsed_ms = c.due_ms();
    if (lapsed_ms) until_ms = std::max(until_ms, *lapsed_ms + PolicyAt(t).abandon_cooldown_days * kDayMs);
    return until_ms;
  }
  std::string WhyNotHoldMore(const std::string& user_id, TimeMs t) const {
    return HeldBy(user_id, t) >= PolicyAt(t).max_protected ? "at maxProtected" : "";
  }
  std::size_t PoolClaimsOnDay(const std::string& user_id, std::int64_t day) const {
    const auto it = pool_claims_.find(user_id);
    if (it == pool_claims_.end()) return 0;
    return static_cast<std::size_t>(
        std::count_if(it->second.begin(), it->second.end(), [day](TimeMs at) { return ShanghaiDay(at) == day; }));
  }

 private:
  using Envelope = events::EventEnvelope;

  void On(const events::UserCreated& e, const Envelope&) {
    roles_[e.user_id] = e.role;
    active_.insert(e.user_id);
  }
  void On(const events::UserDeactivated& e, const Envelope&) { active_.erase(e.user_id); }
  void On(const events::UserRoleChanged& e, const Envelope&) { roles_[e.user_id] = e.role; }
  void On(const events::PolicyChanged& e, const Envelope& env) {
    policies_.emplace_back(env.effective_at_ms, e.policy);
  }
  void On(const events::CustomerRegistered& e, const Envelope&) {
    customers_[e.customer_id].name_key = NameKey(e.name);
  }
  void On(const events::CustomerProtected& e, const Envelope& env) {
    ModelCustomer& c = customers_[e.customer_id];
    c.stage = Stage::kPotential;
    c.holder = e.owner_id;
    c.deadline_ms = e.deadline_ms;
    c.review_pending = true;
    c.review_deadline_ms = e.review_deadline_ms;
    c.pool_reason.clear();
    c.extensions_in_stage = 0;
    ++c.protections;
    if (e.source == events::ProtectionSource::kPool) pool_claims_[e.owner_id].push_back(env.effective_at_ms);
  }
  void On(const events::ProtectionApproved& e, const Envelope&) {
    customers_[e.customer_id].review_pending = false;
    customers_[e.customer_id].review_deadline_ms = 0;
  }
  void On(const events::ProtectionRejected& e, const Envelope&) { Release(e.customer_id, "rejected"); }
  void On(const events::ProtectionReviewTimedOut& e, const Envelope&) { Release(e.customer_id, "review_timed_out"); }
  void On(const events::ProtectionExpired& e, const Envelope&) {
    Release(e.customer_id, "expired");
    customers_[e.customer_id].lapsed_at_ms[e.owner_id] = e.deadline_ms;
  }
  void On(const events::CustomerAbandoned& e, const Envelope&) {
    Release(e.customer_id, "abandoned");
    customers_[e.customer_id].cooldown_until_ms[e.owner_id] = e.cooldown_until_ms;
  }
  void On(const events::ExtensionRequested& e, const Envelope&) {
    customers_[e.customer_id].requests[e.request_id] = ModelRequest{'x', e.days, true};
  }
  void On(const events::ExtensionGranted& e, const Envelope&) {
    ModelCustomer& c = customers_[e.customer_id];
    c.requests[e.request_id].pending = false;
    c.deadline_ms = e.deadline_ms;
    ++c.extensions_in_stage;
  }
  void On(const events::ExtensionDenied& e, const Envelope&) {
    customers_[e.customer_id].requests[e.request_id].pending = false;
  }
  void On(const events::PromotionRequested& e, const Envelope&) {
    customers_[e.customer_id].requests[e.request_id] = ModelRequest{'p', 0, true};
  }
  void On(const events::CustomerPromoted& e, const Envelope&) {
    ModelCustomer& c = customers_[e.customer_id];
    if (!e.request_id.empty()) c.requests[e.request_id].pending = false;
    c.stage = Stage::kIntention;
    c.deadline_ms = e.deadline_ms;
    c.extensions_in_stage = 0;
    CloseRequests(c, 'x');  // an extension of the potential stage means nothing any more
  }
  void On(const events::PromotionDenied& e, const Envelope&) {
    customers_[e.customer_id].requests[e.request_id].pending = false;
  }
  void On(const events::CustomerReassigned& e, const Envelope&) { customers_[e.customer_id].holder = e.to_user_id; }
  void On(const events::CustomerHandedToAftersales& e, const Envelope&) {
    ModelCustomer& c = customers_[e.customer_id];
    c.stage = Stage::kFormal;
    c.holder = e.aftersales_owner_id;
    c.deadline_ms = 0;
    c.review_pending = false;
    c.review_deadline_ms = 0;
    c.ever_formal = true;
    CloseRequests(c, 'x');
    CloseRequests(c, 'p');
  }
  void On(const events::ContractSigned& e, const Envelope&) {
    contracts_[e.contract_no] = ModelContract{e.customer_id, e.total_fen, 0};
  }
  void On(const events::PaymentRecorded& e, const Envelope&) { contracts_[e.contract_no].paid_fen += e.amount_fen; }
  template <typename E>
  void On(const E&, const Envelope&) {}

  void Release(const std::string& customer_id, const std::string& reason) {
    ModelCustomer& c = customers_[customer_id];
    c.stage = Stage::kPool;
    c.holder.clear();
    c.deadline_ms = 0;
    c.review_pending = false;
    c.review_deadline_ms = 0;
    c.pool_reason = reason;
    c.extensions_in_stage = 0;
    CloseRequests(c, 'x');
    CloseRequests(c, 'p');
  }
  static void CloseRequests(ModelCustomer& c, char kind) {
    for (auto& [id, request] : c.requests) {
      if (request.kind == kind) request.pending = false;
    }
  }

  std::map<std::string, ModelCustomer> customers_;
  std::map<std::string, ModelContract> contracts_;
  std::map<std::string, Role> roles_;
  std::set<std::string> active_;
  std::vector<std::pair<TimeMs, events::Policy>> policies_;  // (effective at, policy), in log order
  std::map<std::string, std::vector<TimeMs>> pool_claims_;   // user -> when each pool claim was made
  events::Policy defaults_;
};

// ---- The invariants ---------------------------------------------------------------------------

// Checks each event against the model as it stood just before it (was the act allowed at that
// moment?), folds it in, then checks what it added (limits). Failures are gtest failures.
class Checker {
 public:
  explicit Checker(Model& model) : model_(model) {}

  void Fold(const RecordedEvent& recorded) {
    current_ = &recorded;
    CheckEnvelope();
    std::visit([&](const auto& e) { Before(e); }, recorded.event);
    model_.Apply(recorded);
    std::visit([&](const auto& e) { After(e); }, recorded.event);
    last_recorded_ms_ = recorded.envelope.recorded_at_ms;
    current_ = nullptr;
  }

  // Whole-model invariants at `now`: FORMAL never back in the pool, every pool customer has a
  // reason, owners have the role their customers need, no contract paid beyond its total.
  void CheckState(TimeMs now) const {
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
  void ExpectReviewable(const std::string& customer_id, const std::string& owner_id) const {
    const ModelCustomer* c = Existing(customer_id);
    if (c == nullptr) return;
    ExpectActorRole(Role::kReviewer, "review");
    Expect(c->HeldAt(at()) && c->review_pending, "reviewed a protection that is not waiting for review");
    Expect(owner_id == c->holder, "review names " + owner_id + ", the holder is " + c->holder);
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
  // Rule 13: a release ends a hold that time ended, at the instant it ended.
  void ExpectDueRelease(const ModelCustomer& c, const std::string& owner_id, TimeMs deadline_ms) const {
    Expect(c.held(), "released a customer nobody held");
    Expect(owner_id == c.holder, "release names " + owner_id + ", the holder is " + c.holder);
    Expect(c.due_ms() == deadline_ms && at() == deadline_ms, "release not effective at the hold's deadline");
    Expect(deadline_ms <= env().recorded_at_ms, "released before its deadline");
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
  void ExpectPromotable(const ModelCustomer& c) const {
    Expect(c.stage == Stage::kPotential && !c.review_pending, "promotion of a customer not approved in potential");
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

  Model& model_;
  const RecordedEvent* current_ = nullptr;
  TimeMs last_recorded_ms_ = 0;
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

// The service's state of every customer (as its stream tells it, before rule 13) must be the
// model's: same stage, owner, deadlines and pool reason.
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

// ---- The generator: random commands, mostly plausible, often wrong -------------------------

// One command as sent, and what came back.
struct Attempt {
  std::string what;  // for the failure's history
  Status status;
  std::optional<CommandOutcome> outcome;  // what an accepted command appended (not for sweeps)
  bool duplicate_expected = false;        // a retry under an idempotency key already used
  // The model's verdict, where this test predicts one: empty when the command must be accepted,
  // else why it must be refused.
  std::optional<std::string> verdict;
  bool sweep_complete = false;  // a sweep that wrote every release due
};

Attempt Answered(std::string what, Status status) {
  return Attempt{.what = std::move(what),
                 .status = std::move(status),
                 .outcome = std::nullopt,
                 .duplicate_expected = false,
                 .verdict = std::nullopt,
                 .sweep_complete = false};
}

class Generator {
 public:
  // `service` is the fixture's: a reopen replaces what it points to. Both are borrowed for the
  // generator's life.
  Generator(std::uint64_t seed, const Model& model, const std::unique_ptr<CommandService>& service)
      : rng_(seed), model_(model), service_(service) {}

  // The next command's time. Mostly minutes or hours later, sometimes days, so that 30-day holds,
  // 3-working-day reviews and 3-day cooldowns all run out; and now and then exactly at (or 1 ms
  // either side of) an instant a rule turns on, where off-by-one mistakes live.
  TimeMs NextTime(TimeMs now) {
    if (Chance(0.1)) {
      const std::vector<Edge> edges = EdgesAfter(now);
      if (!edges.empty()) {
        focus_ = edges[static_cast<std::size_t>(Uniform(0, static_cast<int>(edges.size()) - 1))];
        return std::max(now + 1, focus_->at_ms + Uniform(-1, 1));
      }
    }
    const int kind = Uniform(1, 100);
    if (kind <= 70) return now + Uniform(1, 20) * kMinuteMs;
    if (kind <= 93) return now + Uniform(1, 6) * kHourMs;
    if (kind <= 98) return now + Uniform(24, 48) * kHourMs;
    return now + Uniform(3, 8) * kDayMs;
  }

  Attempt Next(TimeMs now) {
    now_ = now;
    if (focus_) {
      const Edge edge = *std::exchange(focus_, std::nullopt);
      return AtEdge(edge);
    }
    using Action = Attempt (Generator::*)();
    // Weights in percent: the path to a signed, paid contract is long, so its steps come often.
    // clang-format off
    static const std::vector<std::pair<int, Action>> kActions = {
        {10, &Generator::Register},          {14, &Generator::Protect},      {12, &Generator::Review},
        { 4, &Generator::Contact},           { 4, &Generator::FollowUp},     { 5, &Generator::AskExtension},
        { 5, &Generator::ExtensionDecision}, { 8, &Generator::AskPromotion}, { 7, &Generator::PromotionDecision},
        { 4, &Generator::Abandon},           { 4, &Generator::Reassign},     { 8, &Generator::Sign},
        { 6, &Generator::Pay},               { 3, &Generator::SweepNow},     { 2, &Generator::NewPolicy},
        { 1, &Generator::HandOver},          { 1, &Generator::Deactivate},   { 2, &Generator::RetryLastKeyed}};
    // clang-format on
    int roll = Uniform(1, 100);
    for (const auto& [weight, action] : kActions) {
      if ((roll -= weight) <= 0) return (this->*action)();
    }
    return SweepNow();
  }

  // Now and then the service restarts mid-history: it must rebuild what it knew from the log
  // (directory, ids, claims, policy history). Sometimes with a cache too small to keep
  // anyone and small sweep batches, so that every load reads the log and sweeps come in parts.
  std::optional<CommandServiceOptions> Restart() {
    if (!Chance(0.01)) return std::nullopt;
    const bool tiny = Chance(0.5);
    return CommandServiceOptions{.customer_cache_entries = tiny ? 2u : 100'000u,
                                 .decision_attempts_max = 16,
                                 .sweep_batch_max = tiny ? 2u : 256u};
  }

  // A policy with small limits, so that maxProtected and maxClaimsPerDay are reached; now and
  // then short stages (expiry before the review times out), holidays, no approval needed.
  events::Policy SmallPolicy() {
    events::Policy p;
    p.max_protected = static_cast<std::uint32_t>(Uniform(3, 4));
    p.max_claims_per_day = static_cast<std::uint32_t>(Uniform(2, 3));
    p.max_extensions = static_cast<std::uint32_t>(Uniform(0, 2));
    p.max_extension_days = Chance(0.5) ? 10 : 30;
    p.promotion_needs_approval = Chance(0.8);
    if (Chance(0.2)) p.potential_days = static_cast<std::uint32_t>(Uniform(2, 6));
    if (Chance(0.2)) p.intention_days = static_cast<std::uint32_t>(Uniform(2, 7));
    if (Chance(0.2)) p.abandon_cooldown_days = static_cast<std::uint32_t>(Uniform(0, 5));
    if (Chance(0.2)) p.review_working_days = static_cast<std::uint32_t>(Uniform(1, 5));
    if (Chance(0.3)) {
      const auto today = static_cast<CivilDay>(ShanghaiDay(now_));
      p.holidays = {FormatIsoDate(today + Uniform(0, 4)), FormatIsoDate(today + Uniform(5, 10))};
    }
    if (Chance(0.3)) p.default_aftersales_owner_id = "a1";
    return p;
  }

 private:
  // An instant a rule turns on, and whom it concerns.
  struct Edge {
    TimeMs at_ms = 0;
    std::string customer_id;  // empty: the company's midnight (daily claims start again)
    std::string user_id;      // the holder whose hold ends, or the abandoner whose cooldown ends
    bool cooldown = false;
  };
  // Hold ends, cooldown ends and the company's next midnight, within three days.
  std::vector<Edge> EdgesAfter(TimeMs now) const {
    std::vector<Edge> edges = {Edge{.at_ms = (ShanghaiDay(now) + 1) * kDayMs - kShanghaiOffsetMs,
                                    .customer_id = "",
                                    .user_id = "",
                                    .cooldown = false}};
    for (const auto& [id, c] : model_.customers()) {
      if (c.held()) {
        edges.push_back(Edge{.at_ms = c.due_ms(), .customer_id = id, .user_id = c.holder, .cooldown = false});
      }
      for (const auto& [user, until_ms] : c.cooldown_until_ms) {
        edges.push_back(Edge{.at_ms = until_ms, .customer_id = id, .user_id = user, .cooldown = true});
      }
      for (const auto& [user, unused_lapsed_ms] : c.lapsed_at_ms) {
        edges.push_back(
            Edge{.at_ms = model_.CooldownUntil(c, user, now), .customer_id = id, .user_id = user, .cooldown = true});
      }
    }
    std::erase_if(edges, [now](const Edge& edge) { return edge.at_ms <= now || edge.at_ms > now + 3 * kDayMs; });
    return edges;
  }
  // A command that asks the rule at its edge: the abandoner claims it back as the cooldown ends;
  // as a hold ends, its holder works it or lets go, another claims it, the reviewer approves, or
  // the sweeper runs; at midnight, claims.
  Attempt AtEdge(const Edge& edge) {
    if (edge.customer_id.empty()) return Protect();
    if (edge.cooldown) return ProtectAs(edge.user_id, edge.customer_id);
    const std::string& id = edge.customer_id;
    switch (Uniform(1, 5)) {
      case 1: return ProtectAs(Pick(kBusySales), id);
      case 2:
        return OnCustomer(
            edge.user_id, id,
            RecordFollowUp{
                .channel = events::FollowUpChannel::kVisit, .notes = "上门拜访", .next_contact_at_ms = std::nullopt},
            "follows up");
      case 3: return OnCustomer("r1", id, ReviewProtection{.approve = true, .reason = ""}, "approves");
      case 4: return OnCustomer(edge.user_id, id, AbandonCustomer{.reason = "不需要"}, "abandons");
      default: return SweepNow();
    }
  }

  // ---- Randomness: one engine, so a seed replays the same history (with the same standard
  // library: its distributions are implementation-defined) ----
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  Fen UniformFen(Fen lo, Fen hi) { return std::uniform_int_distribution<Fen>(lo, hi)(rng_); }
  std::string Pick(const std::vector<std::string>& from) {
    return from[static_cast<std::size_t>(Uniform(0, static_cast<int>(from.size()) - 1))];
  }

  // ---- Who asks: usually the right person, sometimes anyone (wrong role, wrong owner) ----
  std::string Usually(const std::string& right) { return Chance(0.85) ? right : Pick(kEveryone); }
  std::string SomeSales() { return Chance(0.85) ? Pick(kBusySales) : Pick(kQuietSales); }
  // The customer's holder or owner (even one whose hold has just lapsed), else someone else.
  std::string HolderOf(const std::string& customer_id) {
    const ModelCustomer* c = model_.Customer(customer_id);
    if (c != nullptr && !c->holder.empty() && Chance(0.8)) return c->holder;
    return Usually(SomeSales());
  }

  // ---- Which customer: usually one the command could apply to ----
  std::string SomeCustomer(const std::function<bool(const ModelCustomer&)>& fits) {
    if (model_.customers().empty() || Chance(0.03)) return "C999";
    std::vector<std::string> fitting;
    std::vector<std::string> all;
    for (const auto& [id, c] : model_.customers()) {
      all.push_back(id);
      if (fits(c)) fitting.push_back(id);
    }
    return !fitting.empty() && Chance(0.8) ? Pick(fitting) : Pick(all);
  }
  std::string HeldCustomer() {
    return SomeCustomer([this](const ModelCustomer& c) { return c.HeldAt(now_); });
  }

  // ---- Sending ----
  CommandMeta Meta(const std::string& actor) {
    return CommandMeta{.actor_id = actor,
                       .now_ms = now_,
                       .idempotency_key = Chance(0.3) ? "k" + std::to_string(++keys_) : "",
                       .request_fingerprint = std::nullopt};
  }
  using Call = std::function<Result<CommandOutcome>(const CommandMeta&)>;
  // Sends the command; an accepted one with a key becomes the one RetryLastKeyed sends again.
  Attempt Send(std::string what, const CommandMeta& meta, Call call,
               std::optional<std::string> verdict = std::nullopt) {
    Result<CommandOutcome> result = call(meta);
    Attempt attempt = Answered(meta.actor_id + " " + what, result.status());
    attempt.verdict = std::move(verdict);
    if (!result.ok()) return attempt;
    attempt.outcome = std::move(result).value();
    if (!meta.idempotency_key.empty()) {
      retry_ = [meta, call, what = attempt.what]() {
        Result<CommandOutcome> again = call(meta);
        Attempt retried = Answered("retry of: " + what, again.status());
        if (again.ok()) retried.outcome = std::move(again).value();
        retried.duplicate_expected = true;
        return retried;
      };
    }
    return attempt;
  }
  Attempt OnCustomer(const std::string& actor, const std::string& id, CustomerCommand command, std::string what,
                     std::optional<std::string> verdict = std::nullopt) {
    return Send(
        what + " " + id, Meta(actor),
        [this, id, command](const CommandMeta& meta) { return service_->ExecuteCustomer(meta, id, command); },
        std::move(verdict));
  }

  // ---- The commands ----
  Attempt Register() {
    std::string name = Pick(kNames);
    if (Chance(0.2)) name.insert(9, " ");  // after three CJK characters: the same name to the duplicate check
    const bool full_name = Chance(0.97);
    if (!full_name) name = "春意";  // too short to be a full company name
    const bool valid_phone = Chance(0.95);
    RegisterCustomer command{.customer_id = "",
                             .name = name,
                             .region = "江苏省",
                             .industry = "制造",
                             .address = "人民路1号",
                             .phone = valid_phone ? "0523-84561234" : "12345",
                             .intro = "潜在客户",
                             .website = ""};
    const std::string actor = Usually(SomeSales());
    std::string verdict = model_.WhyNotRegister(actor, name, now_);
    if (!valid_phone || !full_name) verdict = "an invalid field";
    return Send(
        "registers " + name, Meta(actor),
        [this, command](const CommandMeta& meta) { return service_->RegisterCustomer(meta, command); }, verdict);
  }
  // Half the claims come from one eager salesperson a day, so that maxClaimsPerDay is reached.
  Attempt Protect() {
    const std::string id = SomeCustomer([this](const ModelCustomer& c) { return c.StageAt(now_) == Stage::kPool; });
    if (ShanghaiDay(now_) != eager_day_) {
      eager_day_ = ShanghaiDay(now_);
      eager_ = Pick(kBusySales);
    }
    return ProtectAs(Chance(0.5) ? eager_ : Usually(SomeSales()), id);
  }
  Attempt ProtectAs(const std::string& actor, const std::string& id) {
    return OnCustomer(actor, id, ProtectCustomer{}, "protects", model_.WhyNotProtect(actor, id, now_));
  }
  Attempt Review() {
    const std::string id = SomeCustomer([this](const ModelCustomer& c) { return c.HeldAt(now_) && c.review_pending; });
    const bool approve = Chance(0.6);
    ReviewProtection command{.approve = approve, .reason = Chance(0.9) ? "地址不完整" : ""};
    return OnCustomer(Usually("r1"), id, command, approve ? "approves" : "rejects");
  }
  Attempt Contact() {
    const std::string id = SomeCustomer([this](const ModelCustomer& c) { return c.StageAt(now_) != Stage::kPool; });
    static const std::vector<std::string> kMobiles = {"13812345678", "15900001111", "1381234567", "23812345678", ""};
    AddContact command{.name = "王经理",
                       .title = "总经理",
                       .mobile = Pick(kMobiles),
                       .phone = Chance(0.5) ? "0523-84561234" : "",
                       .email = "",
                       .postcode = ""};
    return OnCustomer(HolderOf(id), id, command, "adds contact '" + command.mobile + "' to");
  }
  Attempt FollowUp() {
    const std::string id = SomeCustomer([this](const ModelCustomer& c) { return c.StageAt(now_) != Stage::kPool; });
    std::optional<TimeMs> next;
    if (Chance(0.4)) next = now_ + Uniform(1, 72) * kHourMs;
    if (Chance(0.1)) next = now_ - kHourMs;  // in the past: refused
    RecordFollowUp command{.channel = events::FollowUpChannel::kPhone,
                           .notes = Chance(0.95) ? "电话沟通" : "",
                           .next_contact_at_ms = next};
    return OnCustomer(HolderOf(id), id, command, "follows up");
  }
  Attempt AskExtension() {
    const std::string id = HeldCustomer();
    RequestExtension command{.days = static_cast<std::uint32_t>(Uniform(0, 35)), .reason = "客户在考虑"};
    return OnCustomer(HolderOf(id), id, command, "asks " + std::to_string(command.days) + " more days for");
  }
  Attempt AskPromotion() {
    const std::string id = SomeCustomer(
        [this](const ModelCustomer& c) { return c.HeldAt(now_) && c.stage == Stage::kPotential && !c.review_pending; });
    return OnCustomer(HolderOf(id), id, RequestPromotion{.reason = "意向强烈"}, "asks to promote");
  }
  // A request of this kind on the customer: usually a pending one, else any, else made up.
  std::string SomeRequest(const std::string& customer_id, char kind) {
    std::vector<std::string> pending;
    std::vector<std::string> any;
    if (const ModelCustomer* c = model_.Customer(customer_id)) {
      for (const auto& [id, request] : c->requests) {
        if (request.kind != kind) continue;
        any.push_back(id);
        if (request.pending) pending.push_back(id);
      }
    }
    if (!pending.empty() && Chance(0.85)) return Pick(pending);
    if (!any.empty() && Chance(0.7)) return Pick(any);
    return std::string(1, kind) + "99";
  }
  Attempt ExtensionDecision() {
    const std::string id = SomeCustomer([](const ModelCustomer& c) { return c.HasPending('x'); });
    DecideExtension command{.request_id = SomeRequest(id, 'x'), .approve = Chance(0.7), .reason = ""};
    return OnCustomer(Usually("m1"), id, command,
                      (command.approve ? "grants " : "denies ") + command.request_id + " of");
  }
  Attempt PromotionDecision() {
    const std::string id = SomeCustomer([](const ModelCustomer& c) { return c.HasPending('p'); });
    DecidePromotion command{.request_id = SomeRequest(id, 'p'), .approve = Chance(0.7), .reason = ""};
    return OnCustomer(Usually("m1"), id, command,
                      (command.approve ? "promotes " : "denies ") + command.request_id + " of");
  }
  Attempt Abandon() {
    const std::string id = HeldCustomer();
    return OnCustomer(HolderOf(id), id, AbandonCustomer{.reason = Chance(0.95) ? "不需要" : ""}, "abandons");
  }
  Attempt Reassign() {
    const std::string id = SomeCustomer([this](const ModelCustomer& c) { return c.StageAt(now_) != Stage::kPool; });
    const ModelCustomer* c = model_.Customer(id);
    const bool formal = c != nullptr && c->stage == Stage::kFormal;
    const std::string to = formal && Chance(0.7) ? Pick({"a1", "a2"}) : Usually(SomeSales());
    const std::string actor = Usually("m1");
    return OnCustomer(actor, id, ReassignCustomer{.to_user_id = to, .reason = "调整"}, "reassigns to " + to,
                      model_.WhyNotReassign(actor, id, to, now_));
  }
  Attempt Sign() {
    const std::string id = SomeCustomer([this](const ModelCustomer& c) {
      return (c.HeldAt(now_) && c.stage == Stage::kIntention) || c.stage == Stage::kFormal;
    });
    return OnCustomer(HolderOf(id), id, RandomContract(), "signs with");
  }
  // A contract: mostly right; sometimes a total that is not the sum, a number already used, no
  // after-sales owner or one of the wrong role, a signing date in the future.
  SignContract RandomContract() {
    SignContract contract;
    contract.contract_no = "HT-" + std::to_string(Chance(0.9) || contracts_ == 0 ? ++contracts_ : contracts_);
    contract.contract_type = "销售合同";
    contract.signed_at_ms = Chance(0.95) ? now_ - Uniform(0, 24) * kHourMs : now_ + kHourMs;
    contract.payment_method = "银行转账";
    contract.buyer.name = "买方";
    Fen sum_fen = 0;
    for (int i = Uniform(1, 3); i > 0; --i) {
      const SignContractLine line{
          .product = "空调", .quantity = Uniform(1, 5), .unit_price_fen = UniformFen(100, 100000)};
      sum_fen += line.quantity * line.unit_price_fen;
      contract.lines.push_back(line);
    }
    contract.total_fen = Chance(0.8) ? sum_fen : sum_fen + UniformFen(-50, 50);
    static const std::vector<std::string> kAftersales = {"a1", "a1", "a1", "a2", "", "s2"};
    contract.aftersales_owner_id = Pick(kAftersales);
    return contract;
  }
  Attempt Pay() {
    std::vector<std::string> numbers = {"HT-404"};
    for (const auto& [no, contract] : model_.contracts()) numbers.push_back(no);
    const std::string& no = Chance(0.95) && numbers.size() > 1
                                ? numbers[static_cast<std::size_t>(Uniform(1, static_cast<int>(numbers.size()) - 1))]
                                : numbers.front();
    const ModelContract* contract = model_.Contract(no);
    const Fen receivable_fen = contract == nullptr ? 1000 : contract->total_fen - contract->paid_fen;
    RecordPayment command{.contract_no = no,
                          .amount_fen = PaymentAmount(receivable_fen),
                          .paid_at_ms = Chance(0.95) ? now_ - kHourMs : now_ + kHourMs,
                          .method = "转账",
                          .handler = "王会计",
                          .account = "6222"};
    return Send("pays " + std::to_string(command.amount_fen) + " on " + no, Meta(Usually("f1")),
                [this, command](const CommandMeta& meta) { return service_->RecordPayment(meta, command); });
  }
  // Within what is receivable, all of it, more than that, or nothing.
  Fen PaymentAmount(Fen receivable_fen) {
    const int kind = Uniform(1, 20);
    if (kind <= 12 && receivable_fen >= 1) return UniformFen(1, receivable_fen);
    if (kind <= 14) return receivable_fen;
    if (kind <= 19) return receivable_fen + UniformFen(1, 1000);
    return 0;
  }
  Attempt SweepNow() {
    const Result<SweepReport> report = service_->Sweep(now_);
    Attempt attempt = Answered("sweep", report.status());
    attempt.sweep_complete = report.ok() && !report->more;
    return attempt;
  }
  Attempt NewPolicy() {
    events::Policy policy = SmallPolicy();
    if (Chance(0.05)) policy.max_protected = 0;  // out of range: refused
    return Send("changes the policy", Meta(Usually("root")), [this, policy](const CommandMeta& meta) {
      return service_->ChangePolicy(meta, aggregates::ChangePolicy{.policy = policy});
    });
  }
  Attempt HandOver() {
    const std::string from = Chance(0.6) ? Pick(kBusySales) : Chance(0.8) ? Pick(kQuietSales) : Pick({"a1", "nobody"});
    const std::string to = Chance(0.9) ? SomeSales() : Pick({"a2", from});
    HandOverCustomers command{.from_user_id = from, .to_user_id = to, .reason = "离职交接"};
    return Send("hands " + from + "'s customers to " + to, Meta(Usually("m1")),
                [this, command](const CommandMeta& meta) { return service_->HandOver(meta, command); });
  }
  // Someone leaves: mostly a quiet salesperson, whose customers a handover then moves.
  Attempt Deactivate() {
    const std::string user = Chance(0.9) ? Pick(kQuietSales) : Pick({"root", "nobody", "s1"});
    return Send("deactivates " + user, Meta(Usually("root")), [this, user](const CommandMeta& meta) {
      return service_->ExecuteUser(meta, DeactivateUser{.user_id = user, .reason = "离职"});
    });
  }
  Attempt RetryLastKeyed() { return retry_ ? retry_() : SweepNow(); }

  std::mt19937_64 rng_;
  const Model& model_;
  const std::unique_ptr<CommandService>& service_;
  TimeMs now_ = kMonday10am;
  int keys_ = 0;
  std::int64_t eager_day_ = 0;
  std::string eager_;
  int contracts_ = 0;
  std::function<Attempt()> retry_;
  std::optional<Edge> focus_;  // the edge NextTime moved the clock to, for Next to probe
};

// ---- The test ---------------------------------------------------------------------------------

// The command's verb in an Attempt's description ("s1 protects C3" -> "protects").
std::string Verb(const std::string& what) {
  if (what.starts_with("retry")) return "retry";
  const std::size_t start = what.find(' ');
  if (start == std::string::npos) return what;
  return what.substr(start + 1, what.find(' ', start + 1) - start - 1);
}

std::vector<std::uint64_t> SeedsToRun() {
  if (const char* seed = std::getenv("CRM_RANDOM_SEED"); seed != nullptr && *seed != '\0') {
    return {std::stoull(seed)};
  }
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t seed = 1; seed <= kSeedCount; ++seed) seeds.push_back(seed);
  return seeds;
}

int StepsPerSeed() {
  const char* steps = std::getenv("CRM_RANDOM_STEPS");
  return steps != nullptr && *steps != '\0' ? std::stoi(steps) : kStepsPerSeed;
}

class RandomHistoryTest : public testutil::ServiceTest, public ::testing::WithParamInterface<std::uint64_t> {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    CreateUser("a2", Role::kAftersales);
    FoldNewEvents();
    generator_ = std::make_unique<Generator>(GetParam(), model_, service_);
  }

  std::string Rerun(const std::string& where) const {
    const std::string seed = std::to_string(GetParam());
    return "seed=" + seed + " " + where + "; rerun with CRM_RANDOM_SEED=" + seed;
  }

  // One command at `now` (perhaps after a restart), and every check after it.
  void Step(int step, TimeMs now) {
    if (const std::optional<CommandServiceOptions> options = generator_->Restart()) {
      Reopen(*options);
      Remember("-- restart, cache " + std::to_string(options->customer_cache_entries));
      ExpectServiceAgrees(*service_, model_);
    }
    const events::Seq head_before = log_->HeadSeq();
    const Attempt attempt = generator_->Next(now);
    const std::string outcome = attempt.status.ok() ? "ok" : attempt.status.reason();
    Remember(std::to_string(step) + " " + When(now) + " " + attempt.what + " -> " + outcome);
    ++outcomes_[Verb(attempt.what) + " -> " + outcome];
    ++(attempt.status.ok() ? accepted_ : refused_);
    CheckAppend(attempt, head_before);
    FoldNewEvents();
    checker_.CheckState(now);
    if (attempt.sweep_complete) ExpectNothingDue(now);
    ExpectServiceAgrees(*service_, model_);
  }

  // Reads what the log gained since the last call and checks it, event by event.
  void FoldNewEvents() {
    const events::Seq head = log_->HeadSeq();
    if (head <= folded_seq_) return;
    const std::unique_ptr<log::EventCursor> cursor = log_->Scan(folded_seq_ + 1, head);
    for (; cursor->Valid(); cursor->Next()) checker_.Fold(cursor->event());
    ASSERT_OK(cursor->status());
    folded_seq_ = head;
  }

  // What one command did to the log: a refusal nothing, an acceptance exactly its outcome.
  void CheckAppend(const Attempt& attempt, events::Seq head_before) {
    const events::Seq head = log_->HeadSeq();
    if (!attempt.status.ok() || attempt.duplicate_expected) {
      EXPECT_EQ(head, head_before) << "appended although " << attempt.status.ToString();
    }
    if (attempt.duplicate_expected) {
      EXPECT_TRUE(attempt.status.ok() && attempt.outcome->duplicate);
    }
    if (attempt.verdict) {
      EXPECT_EQ(attempt.status.ok(), attempt.verdict->empty())
          << "the model " << (attempt.verdict->empty() ? "accepts it" : "refuses it: " + *attempt.verdict)
          << "; the service: " << attempt.status.ToString();
    }
    if (!attempt.outcome || attempt.duplicate_expected) return;
    EXPECT_FALSE(attempt.outcome->duplicate);
    EXPECT_EQ(attempt.outcome->first_seq, head_before + 1);
    EXPECT_EQ(attempt.outcome->last_seq, head);
    EXPECT_EQ(attempt.outcome->events.size(), head - head_before);
  }

  // Rule 13's writer: after a sweep that was not cut short, no hold has lapsed unreleased.
  void ExpectNothingDue(TimeMs now) const {
    for (const auto& [id, c] : model_.customers()) {
      EXPECT_FALSE(c.LapsedAt(now)) << id << " was due " << When(c.due_ms()) << " and the sweep left it held";
    }
  }

  // Replay: a service rebuilt from the log (with a cache too small to hold everyone, and small
  // sweep batches) knows every customer as the model does; far in the future its sweeper
  // releases everything held, and formal customers stay formal.
  void ExpectReplayAgrees(TimeMs now) {
    Reopen(CommandServiceOptions{.customer_cache_entries = 4, .decision_attempts_max = 16, .sweep_batch_max = 3});
    ExpectServiceAgrees(*service_, model_);
    const TimeMs far = now + 3650 * kDayMs;
    for (int batch = 0; batch < 1000; ++batch) {
      ASSERT_OK_AND_ASSIGN(const SweepReport report, service_->Sweep(far));
      if (!report.more) break;
    }
    FoldNewEvents();
    checker_.CheckState(far);
    ExpectServiceAgrees(*service_, model_);
    for (const auto& [id, c] : model_.customers()) {
      EXPECT_TRUE(c.stage == Stage::kPool || c.stage == Stage::kFormal) << id << " is still held after the sweep";
    }
    ASSERT_OK_AND_ASSIGN(const log::ChainReport chain, log_->VerifyChain());
    EXPECT_TRUE(chain.ok) << chain.problem;
  }

  // CRM_RANDOM_VERBOSE: what the seed exercised, to keep the generator honest when it changes.
  void PrintSummary() const {
    std::cout << "seed " << GetParam() << ": " << log_->HeadSeq() << " events\n";
    for (const auto& [outcome, count] : outcomes_) std::cout << "  " << count << "\t" << outcome << "\n";
    std::map<std::string, int> types;
    for (auto cursor = log_->Scan(1); cursor->Valid(); cursor->Next()) {
      ++types[std::string(events::EventTypeName(cursor->event().event))];
    }
    for (const auto& [type, count] : types) std::cout << "  " << count << "\tevent " << type << "\n";
  }

  // The last steps, listed with a failure.
  void Remember(std::string line) {
    recent_.push_back(std::move(line));
    if (recent_.size() > kHistoryStepsShown) recent_.pop_front();
  }
  std::string Recent() const {
    std::ostringstream out;
    for (const std::string& line : recent_) out << "  " << line << "\n";
    return out.str();
  }

  Model model_;
  Checker checker_{model_};
  std::unique_ptr<Generator> generator_;
  events::Seq folded_seq_ = 0;
  std::deque<std::string> recent_;
  std::map<std::string, int> outcomes_;  // by command and outcome
  int accepted_ = 0;
  int refused_ = 0;
};

TEST_P(RandomHistoryTest, InvariantsHoldAfterEveryStep) {
  const int steps = StepsPerSeed();
  TimeMs now = kMonday10am;
  ASSERT_OK(service_->ChangePolicy(As("root", now), aggregates::ChangePolicy{.policy = generator_->SmallPolicy()}));
  for (int step = 1; step <= steps; ++step) {
    SCOPED_TRACE(Rerun("step=" + std::to_string(step)));
    now = generator_->NextTime(now);
    Step(step, now);
    ASSERT_FALSE(HasFailure()) << "after these steps (step, Shanghai time, actor command -> outcome):\n" << Recent();
  }
  if (std::getenv("CRM_RANDOM_VERBOSE") != nullptr) PrintSummary();
  // Both kinds of answer must be common, or the history tests little.
  EXPECT_GT(accepted_, steps / 4);
  EXPECT_GT(refused_, steps / 10);
  SCOPED_TRACE(Rerun("after the last step"));
  ExpectReplayAgrees(now);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomHistoryTest, ::testing::ValuesIn(SeedsToRun()),
                         [](const ::testing::TestParamInfo<std::uint64_t>& info) {
                           return "seed" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace crm::aggregates
