#include "workload/workload.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <deque>
#include <queue>
#include <tuple>
#include <utility>

#include "aggregates/company_calendar.h"
#include "aggregates/stream_ids.h"
#include "events/company_name.h"

namespace crm::bench::workload {

using events::Fen;
using events::Role;
using events::StreamVersion;

std::string_view CommandKindName(CommandKind kind) {
  switch (kind) {
    case CommandKind::kCreateFirstAdmin: return "create_first_admin";
    case CommandKind::kCreateUser: return "create_user";
    case CommandKind::kChangePolicy: return "change_policy";
    case CommandKind::kRegisterCustomer: return "register_customer";
    case CommandKind::kProtectCustomer: return "protect_customer";
    case CommandKind::kReviewProtection: return "review_protection";
    case CommandKind::kAddContact: return "add_contact";
    case CommandKind::kRecordFollowUp: return "record_follow_up";
    case CommandKind::kRequestExtension: return "request_extension";
    case CommandKind::kDecideExtension: return "decide_extension";
    case CommandKind::kRequestPromotion: return "request_promotion";
    case CommandKind::kDecidePromotion: return "decide_promotion";
    case CommandKind::kAbandonCustomer: return "abandon_customer";
    case CommandKind::kReassignCustomer: return "reassign_customer";
    case CommandKind::kSignContract: return "sign_contract";
    case CommandKind::kRecordPayment: return "record_payment";
    case CommandKind::kSweep: return "sweep";
  }
  return "unknown";
}

std::size_t Command::event_count() const {
  std::size_t count = 0;
  for (const WorkloadStream& stream : streams) count += stream.events.size();
  return count;
}

namespace {

constexpr TimeMs kMinute = 60 * events::kMsPerSecond;
constexpr TimeMs kHour = 60 * kMinute;
constexpr TimeMs kDay = events::kMsPerDay;
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991: working hours are computed
// with the fixed offset; working days (weekends, holidays) with the company calendar.
constexpr TimeMs kCompanyUtcOffsetMs = 8 * kHour;
constexpr TimeMs kWorkdayStartMs = 9 * kHour;
constexpr TimeMs kWorkdayEndMs = 18 * kHour;
// The policy the admin sets at the start: the product's defaults, the company's holidays, and
// the after-sales owner of first contracts that name none.
constexpr std::uint32_t kMaxProtected = 200;
constexpr std::uint32_t kMaxClaimsPerDay = 20;
const char* const kHolidays[] = {"2026-04-06", "2026-05-01", "2026-06-19", "2026-10-01", "2026-10-02",
                                 "2026-10-05", "2026-10-06", "2026-10-07", "2027-01-01", "2027-02-08",
                                 "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12", "2027-05-03"};

// ---- Deterministic randomness -----------------------------------------------------------------
// std::mt19937 is portable but the standard distributions are not: every draw goes through
// these few functions, so a seed means the same history with any standard library.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed ^ 0x9E3779B97F4A7C15ull) {}
  std::uint64_t Bits() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (the modulo bias is below 2^-40 for every n used here). REQUIRES: n > 0.
  std::uint64_t Below(std::uint64_t n) { return Bits() % n; }
  // Uniform in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  double Unit() { return static_cast<double>(Bits() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Log-uniform in [lo, hi]: many short gaps, a few long ones, as people's work is.
  TimeMs Gap(TimeMs lo, TimeMs hi) {
    const double x = static_cast<double>(lo) * std::pow(static_cast<double>(hi) / static_cast<double>(lo), Unit());
    return static_cast<TimeMs>(x);
  }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  std::uint64_t state_;
};

// ---- Names and texts --------------------------------------------------------------------------

struct Region {
  const char* city;  // exactly 3 characters: names stay unique (see CompanyName)
  const char* region;
  const char* area_code;
  const char* postcode;
};
const Region kRegions[] = {
    {"靖江市", "江苏省泰州市", "0523", "214500"}, {"泰兴市", "江苏省泰州市", "0523", "225400"},
    {"江阴市", "江苏省无锡市", "0510", "214400"}, {"宜兴市", "江苏省无锡市", "0510", "214200"},
    {"常熟市", "江苏省苏州市", "0512", "215500"}, {"昆山市", "江苏省苏州市", "0512", "215300"},
    {"张家港", "江苏省苏州市", "0512", "215600"}, {"丹阳市", "江苏省镇江市", "0511", "212300"},
    {"海门市", "江苏省南通市", "0513", "226100"}, {"义乌市", "浙江省金华市", "0579", "322000"},
    {"慈溪市", "浙江省宁波市", "0574", "315300"}, {"温岭市", "浙江省台州市", "0576", "317500"},
    {"晋江市", "福建省泉州市", "0595", "362200"}, {"顺德区", "广东省佛山市", "0757", "528300"},
};
const char* const kIndustries[] = {"空调", "机械", "电子", "化工", "纺织", "食品", "物流", "建材", "软件", "医疗器械"};
const char* const kLegalForms[] = {"有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"};
// 64 characters for trade names (字号); a customer number written in this base is its trade name.
const char* const kTradeCharacters =
    "春意华美达福瑞祥和泰盛兴隆宏远鑫源恒通嘉利丰金银海天龙凤佳信诚德新宇光明正大中晨星阳东方万安永康汇聚力创科博雅润晟"
    "昌荣"
    "腾飞广鼎辉";
const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马"};
const char* const kGivenNames[] = {"伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明"};
const char* const kTitles[] = {"采购经理", "总经理", "设备科长", "技术总监", "财务主管", "办公室主任"};
const char* const kFollowUpNotes[] = {
    "电话沟通了新版报价，客户对实施周期有顾虑，约定下周三上门演示并带上技术顾问。",
    "上门拜访采购经理，了解到今年预算已批，重点关注售后响应时间。",
    "微信发送产品资料和案例，客户表示会转给技术部评估。",
    "客户反馈竞品报价低百分之十，需要申请特价或增加赠送服务。",
    "电话未接通，已发短信说明来意。",
    "陪同客户参观样板工程，客户对节能效果很满意，要求出具详细方案。",
    "与财务主管确认付款流程，对方要求分三期付款。",
    "客户内部换了负责人，重新介绍了公司和产品，新负责人愿意继续推进。",
    "发送了合同草稿，客户法务提出两处修改意见，已转交我方法务。",
    "年底回访，客户计划明年扩建二期厂房，有追加采购可能。",
};
const char* const kProducts[] = {"中央空调主机", "风机盘管",     "冷却塔",      "水泵机组",
                                 "智能控制系统", "安装调试服务", "年度维保服务"};

std::vector<std::string> SplitCodePoints(std::string_view utf8) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < utf8.size();) {
    std::size_t j = i + 1;
    while (j < utf8.size() && (static_cast<unsigned char>(utf8[j]) & 0xC0) == 0x80) ++j;
    out.emplace_back(utf8.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Digits(std::uint64_t value, int width) {
  std::string text = std::to_string(value);
  if (static_cast<int>(text.size()) < width) text.insert(0, static_cast<std::size_t>(width) - text.size(), '0');
  return text;
}

// ---- The simulated company --------------------------------------------------------------------

enum class Stage : std::uint8_t { kPotential, kIntention, kFormal, kPool };
enum class ReviewPlan : std::uint8_t { kApprove, kReject, kIgnore };
enum class HoldPlan : std::uint8_t { kDrift, kPromote, kAbandon };

struct Customer {
  std::string id;      // "C<n>"
  std::string stream;  // "customer-C<n>"
  std::string name;
  std::uint32_t region = 0;
  Stage stage = Stage::kPool;
  std::int32_t owner = -1;        // holder, or after-sales owner when formal
  std::int32_t sales_owner = -1;  // who held it when first signed
  TimeMs deadline_ms = 0;
  TimeMs review_deadline_ms = 0;
  bool review_pending = false;
  TimeMs stage_since_ms = 0;
  std::uint32_t extensions_granted = 0;  // in the current stage
  std::uint32_t requests = 0;            // ever made: request ids are "x<n>"/"p<n>"
  std::uint32_t pending_extension = 0;   // its request number; 0: none
  std::uint32_t pending_extension_days = 0;
  std::uint32_t pending_promotion = 0;
  std::uint32_t contacts = 0;
  std::uint32_t follow_ups = 0;
  StreamVersion version = 0;
  std::uint32_t hold_serial = 0;  // +1 per protection: tells a stale review apart
  std::uint32_t due_serial = 0;   // +1 per change of when the hold ends: tells a stale due entry apart
  std::int32_t list_pos = -1;     // position in the owner's list, or in the pool
  // What this protection will come to, drawn when it starts.
  ReviewPlan review_plan = ReviewPlan::kApprove;
  HoldPlan hold_plan = HoldPlan::kDrift;
  bool wants_extension = false;
  bool will_sign = false;
  // Per former holder: may not protect it again before this (abandon cooldown, lapse cooldown).
  std::vector<std::pair<std::int32_t, TimeMs>> blocked_until;

  bool held() const { return stage == Stage::kPotential || stage == Stage::kIntention; }
  TimeMs DueAt() const { return review_pending ? std::min(review_deadline_ms, deadline_ms) : deadline_ms; }
  TimeMs BlockedUntil(std::int32_t user) const {
    for (const auto& [who, until] : blocked_until) {
      if (who == user) return until;
    }
    return 0;
  }
  void Block(std::int32_t user, TimeMs until) {
    for (auto& [who, current] : blocked_until) {
      if (who == user) {
        current = std::max(current, until);
        return;
      }
    }
    blocked_until.emplace_back(user, until);
  }
};

struct User {
  std::string id;
  std::string name;
  Role role = Role::kSales;
  std::int32_t team = -1;
  std::vector<std::int32_t> customers;  // sales: held; after-sales: owned formal customers
  aggregates::CivilDay claim_day = 0;
  std::uint32_t claims_on_day = 0;
};

struct Contract {
  std::string no;
  std::string stream;
  std::int32_t customer = -1;
  Fen total_fen = 0;
  Fen paid_fen = 0;
  std::uint32_t payments = 0;
  StreamVersion version = 0;
  std::int32_t open_pos = -1;  // in open_contracts_ while something is receivable
};

// Timed work items, earliest first; `serial` tells a stale item from a live one.
struct Timed {
  TimeMs at = 0;
  std::int32_t customer = -1;
  std::uint32_t serial = 0;
  std::uint32_t request = 0;  // manager items: the request number (extension or promotion)
  bool promotion = false;
  bool operator>(const Timed& other) const {
    return std::tie(at, customer, request) > std::tie(other.at, other.customer, other.request);
  }
};
using TimedQueue = std::priority_queue<Timed, std::vector<Timed>, std::greater<>>;

struct Turn {
  TimeMs at = 0;
  std::int32_t user = -1;
  bool operator>(const Turn& other) const { return std::tie(at, user) > std::tie(other.at, other.user); }
};

void RemoveFromList(std::vector<std::int32_t>& list, std::vector<Customer>& customers, std::int32_t index) {
  const std::int32_t pos = customers[static_cast<std::size_t>(index)].list_pos;
  assert(pos >= 0 && list[static_cast<std::size_t>(pos)] == index);
  const std::int32_t last = list.back();
  list[static_cast<std::size_t>(pos)] = last;
  customers[static_cast<std::size_t>(last)].list_pos = pos;
  list.pop_back();
  customers[static_cast<std::size_t>(index)].list_pos = -1;
}

void AddToList(std::vector<std::int32_t>& list, std::vector<Customer>& customers, std::int32_t index) {
  customers[static_cast<std::size_t>(index)].list_pos = static_cast<std::int32_t>(list.size());
  list.push_back(index);
}

aggregates::CompanyCalendar MakeCalendar(const events::Policy& policy) {
  Result<aggregates::CompanyCalendar> calendar = aggregates::CompanyCalendar::Create(policy.time_zone, policy.holidays);
  if (!calendar.ok()) {
    std::fprintf(stderr, "workload: %s\n", calendar.status().ToString().c_str());
    std::abort();  // the policy is ours: a bad one is a bug
  }
  return std::move(calendar).value();
}

events::Policy CompanyPolicy() {
  events::Policy policy;
  policy.max_protected = kMaxProtected;
  policy.max_claims_per_day = kMaxClaimsPerDay;
  for (const char* day : kHolidays) policy.holidays.emplace_back(day);
  policy.default_aftersales_owner_id = "a1";
  return policy;
}

}  // namespace

class Workload::Simulation {
 public:
  explicit Simulation(const WorkloadOptions& options);

  std::optional<Command> Next() {
    while (output_.empty()) Step();
    Command command = std::move(output_.front());
    output_.pop_front();
    Count(command);
    return command;
  }
  const WorkloadStats& stats() const { return stats_; }

 private:
  // ---- Setup and the clock ----
  void CreateUsers();
  std::int32_t AddUser(std::string id, Role role, std::int32_t team, const std::string& team_name,
                       const std::string& manager_id);
  void Step();
  TimeMs NextWorkingTime(TimeMs at);
  TimeMs TurnGap(const User& user);
  void Count(const Command& command);

  // ---- Emitting ----
  Command& Begin(CommandKind kind, const std::string& actor_id);
  void Emit(Command& command, Customer& customer, events::Event event, const std::string& actor_id,
            std::optional<TimeMs> effective_at_ms = std::nullopt);
  Customer& At(std::int32_t index) { return customers_[static_cast<std::size_t>(index)]; }

  // ---- What people do ----
  void ActSales(std::int32_t user);
  bool Acquire(std::int32_t user);
  void Register(std::int32_t user);
  bool ClaimFromPool(std::int32_t user);
  void WorkOn(std::int32_t user, std::int32_t customer);
  void WorkOnPotential(std::int32_t user, std::int32_t customer);
  void WorkOnIntention(std::int32_t user, std::int32_t customer);
  void AddContact(std::int32_t user, std::int32_t customer);
  void FollowUp(std::int32_t user, std::int32_t customer);
  void RequestExtension(std::int32_t user, std::int32_t customer);
  void RequestPromotion(std::int32_t user, std::int32_t customer);
  // Puts the request just made on `customer` in the queue of the user's team's manager, who
  // decides within half an hour to a day.
  void QueueDecision(std::int32_t user, std::int32_t customer, bool promotion);
  void Abandon(std::int32_t user, std::int32_t customer);
  void SignContract(std::int32_t user, std::int32_t customer);
  bool ActReviewer(std::int32_t user);
  bool ActManager(std::int32_t user);
  void DecideExtension(std::int32_t user, std::int32_t customer);
  void DecidePromotion(std::int32_t user, std::int32_t customer);
  void Reassign(std::int32_t user);
  void ActAftersales(std::int32_t user);
  void ActFinance(std::int32_t user);
  void Sweep();

  // ---- The mirror of the rulebook's state ----
  void Protect(std::int32_t user, std::int32_t customer, events::ProtectionSource source);
  void ReleaseToPool(std::int32_t customer);
  void ScheduleDue(std::int32_t customer);
  bool ExtensionAllowed(const Customer& customer) const {
    return customer.extensions_granted < policy_.max_extensions && customer.pending_extension == 0;
  }
  std::string RandomPersonName() {
    return std::string(kSurnames[random_.Below(std::size(kSurnames))]) +
           kGivenNames[random_.Below(std::size(kGivenNames))];
  }

  const WorkloadOptions options_;
  Random random_;
  const events::Policy policy_;
  const aggregates::CompanyCalendar calendar_;
  std::vector<std::string> trade_characters_;
  std::size_t trade_name_length_ = 3;

  TimeMs now_ms_;
  std::vector<User> users_;
  std::int32_t admin_ = -1;
  std::vector<std::int32_t> sales_;
  std::vector<std::int32_t> aftersales_;
  std::vector<std::int32_t> team_managers_;
  std::vector<std::vector<std::int32_t>> team_sales_;
  std::vector<Customer> customers_;
  std::vector<std::int32_t> pool_;
  std::vector<Contract> contracts_;
  std::vector<std::int32_t> open_contracts_;
  std::priority_queue<Turn, std::vector<Turn>, std::greater<>> turns_;
  TimedQueue due_;                    // when holds end (serial: due_serial)
  TimedQueue reviews_;                // when reviewers get to a protection (serial: hold_serial)
  std::vector<TimedQueue> requests_;  // per team: requests waiting for the manager
  std::deque<Command> output_;
  WorkloadStats stats_;
};

Workload::Simulation::Simulation(const WorkloadOptions& options)
    : options_(options),
      random_(options.seed),
      policy_(CompanyPolicy()),
      calendar_(MakeCalendar(policy_)),
      trade_characters_(SplitCodePoints(kTradeCharacters)),
      now_ms_(options.start_ms) {
  assert(options.salespeople >= 1 && options.customers >= 1 && options.sales_per_team >= 1);
  assert(options.held_target >= 1 && options.held_target < kMaxProtected && options.sweep_releases_max >= 1);
  assert(trade_characters_.size() == 64);
  for (std::uint64_t capacity = 64 * 64 * 64; capacity < options.customers; capacity *= 64) ++trade_name_length_;
  customers_.reserve(options.customers);
  CreateUsers();
}

// ---- Setup and the clock --------------------------------------------------------------------

std::int32_t Workload::Simulation::AddUser(std::string id, Role role, std::int32_t team, const std::string& team_name,
                                           const std::string& manager_id) {
  const auto index = static_cast<std::int32_t>(users_.size());
  User user;
  user.id = std::move(id);
  user.name = RandomPersonName();
  user.role = role;
  user.team = team;
  events::Sha256Digest token{};  // every user needs a token of their own (token_in_use)
  for (int b = 0; b < 4; ++b) token[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(index >> (8 * b));
  token[31] = 0x5A;
  const bool first = users_.empty();
  Command& command = Begin(first ? CommandKind::kCreateFirstAdmin : CommandKind::kCreateUser,
                           first ? std::string(events::kSystemActorId) : users_[0].id);
  command.streams.push_back(
      WorkloadStream{.stream_id = aggregates::UserStream(user.id),
                     .expected_version = 0,
                     .events = {WorkloadEvent{.event = events::UserCreated{.user_id = user.id,
                                                                           .name = user.name,
                                                                           .role = role,
                                                                           .team = team_name,
                                                                           .manager_id = manager_id,
                                                                           .token_sha256 = token},
                                              .actor_id = command.actor_id,
                                              .effective_at_ms = std::nullopt}}});
  users_.push_back(std::move(user));
  if (role != Role::kAdmin) turns_.push({NextWorkingTime(now_ms_ + random_.Gap(kMinute, kHour)), index});
  return index;
}

void Workload::Simulation::CreateUsers() {
  admin_ = AddUser("admin", Role::kAdmin, -1, "", "");
  const std::uint32_t teams = (options_.salespeople + options_.sales_per_team - 1) / options_.sales_per_team;
  requests_.resize(teams);
  team_sales_.resize(teams);
  for (std::uint32_t t = 0; t < teams; ++t) {
    team_managers_.push_back(AddUser("m" + std::to_string(t + 1), Role::kManager, static_cast<std::int32_t>(t),
                                     "销售" + std::to_string(t + 1) + "部", ""));
  }
  // A reviewer per 25 salespeople, after-sales per 10, finance per 50: the mix of a sales-led company.
  for (std::uint32_t i = 0; i < std::max(1u, options_.salespeople / 25); ++i) {
    AddUser("r" + std::to_string(i + 1), Role::kReviewer, -1, "客服部", "");
  }
  for (std::uint32_t i = 0; i < std::max(1u, options_.salespeople / 10); ++i) {
    aftersales_.push_back(AddUser("a" + std::to_string(i + 1), Role::kAftersales, -1, "售后部", ""));
  }
  for (std::uint32_t i = 0; i < std::max(1u, options_.salespeople / 50); ++i) {
    AddUser("f" + std::to_string(i + 1), Role::kFinance, -1, "财务部", "");
  }
  for (std::uint32_t i = 0; i < options_.salespeople; ++i) {
    const std::uint32_t team = i / options_.sales_per_team;
    const std::int32_t index =
        AddUser("s" + std::to_string(i + 1), Role::kSales, static_cast<std::int32_t>(team),
                "销售" + std::to_string(team + 1) + "部", users_[static_cast<std::size_t>(team_managers_[team])].id);
    sales_.push_back(index);
    team_sales_[team].push_back(index);
  }
  Command& command = Begin(CommandKind::kChangePolicy, users_[static_cast<std::size_t>(admin_)].id);
  command.streams.push_back(WorkloadStream{.stream_id = std::string(aggregates::kPolicyStream),
                                           .expected_version = 0,
                                           .events = {WorkloadEvent{.event = events::PolicyChanged{.policy = policy_},
                                                                    .actor_id = command.actor_id,
                                                                    .effective_at_ms = std::nullopt}}});
}

// The first moment at or after `at` inside working hours of a working day.
TimeMs Workload::Simulation::NextWorkingTime(TimeMs at) {
  TimeMs local = at + kCompanyUtcOffsetMs;
  auto day = static_cast<aggregates::CivilDay>(local / kDay);
  const TimeMs time_of_day = local % kDay;
  if (calendar_.IsWorkingDay(day) && time_of_day >= kWorkdayStartMs && time_of_day < kWorkdayEndMs) return at;
  if (time_of_day >= kWorkdayStartMs) ++day;
  while (!calendar_.IsWorkingDay(day)) ++day;
  // People arrive over the first hour, not all at 09:00:00.
  return static_cast<TimeMs>(day) * kDay + kWorkdayStartMs + random_.Between(0, kHour) - kCompanyUtcOffsetMs;
}

TimeMs Workload::Simulation::TurnGap(const User& user) {
  switch (user.role) {
    case Role::kSales: return random_.Gap(5 * kMinute, 3 * kHour);
    case Role::kReviewer: return random_.Gap(3 * kMinute, 30 * kMinute);
    case Role::kManager: return random_.Gap(10 * kMinute, 2 * kHour);
    case Role::kAftersales: return random_.Gap(10 * kMinute, 3 * kHour);
    default: return random_.Gap(15 * kMinute, 3 * kHour);
  }
}

void Workload::Simulation::Step() {
  const Turn turn = turns_.top();
  turns_.pop();
  now_ms_ = std::max(now_ms_, turn.at);
  Sweep();
  User& user = users_[static_cast<std::size_t>(turn.user)];
  bool busy = false;  // more work waiting: come back soon
  switch (user.role) {
    case Role::kSales: ActSales(turn.user); break;
    case Role::kReviewer: busy = ActReviewer(turn.user); break;
    case Role::kManager: busy = ActManager(turn.user); break;
    case Role::kAftersales: ActAftersales(turn.user); break;
    case Role::kFinance: ActFinance(turn.user); break;
    default: break;
  }
  const TimeMs gap = busy ? random_.Gap(2 * kMinute, 10 * kMinute) : TurnGap(user);
  turns_.push({NextWorkingTime(now_ms_ + gap), turn.user});
}

void Workload::Simulation::Count(const Command& command) {
  ++stats_.commands;
  ++stats_.commands_by_kind[static_cast<int>(command.kind)];
  for (const WorkloadStream& stream : command.streams) {
    for (const WorkloadEvent& event : stream.events) {
      ++stats_.events;
      ++stats_.events_by_type[event.event.index()];
    }
  }
  stats_.now_ms = command.recorded_at_ms;
}

// ---- Emitting -------------------------------------------------------------------------------

Command& Workload::Simulation::Begin(CommandKind kind, const std::string& actor_id) {
  Command& command = output_.emplace_back();
  command.kind = kind;
  command.actor_id = actor_id;
  command.recorded_at_ms = now_ms_;
  return command;
}

// Appends `event` to the customer's stream in `command`, naming the version the stream was at
// when the command started.
void Workload::Simulation::Emit(Command& command, Customer& customer, events::Event event, const std::string& actor_id,
                                std::optional<TimeMs> effective_at_ms) {
  WorkloadStream* stream = nullptr;
  for (WorkloadStream& existing : command.streams) {
    if (existing.stream_id == customer.stream) stream = &existing;
  }
  if (stream == nullptr) {
    stream = &command.streams.emplace_back(
        WorkloadStream{.stream_id = customer.stream, .expected_version = customer.version, .events = {}});
  }
  stream->events.push_back(
      WorkloadEvent{.event = std::move(event), .actor_id = actor_id, .effective_at_ms = effective_at_ms});
  ++customer.version;
}

// ---- Salespeople ----------------------------------------------------------------------------

void Workload::Simulation::ActSales(std::int32_t user) {
  const std::size_t held = users_[static_cast<std::size_t>(user)].customers.size();
  const bool look_for_new = held < options_.held_target ? random_.Chance(0.3) : random_.Chance(0.02);
  if ((held == 0 || look_for_new) && held + 1 < kMaxProtected && Acquire(user)) return;
  const std::vector<std::int32_t>& list = users_[static_cast<std::size_t>(user)].customers;
  if (list.empty()) return;
  WorkOn(user, list[random_.Below(list.size())]);
}

bool Workload::Simulation::Acquire(std::int32_t user) {
  const bool can_register = customers_.size() < options_.customers;
  if (can_register && (pool_.empty() || random_.Chance(0.5))) {
    Register(user);
    return true;
  }
  return ClaimFromPool(user);
}

void Workload::Simulation::Register(std::int32_t user) {
  const auto index = static_cast<std::int32_t>(customers_.size());
  const std::uint64_t number = customers_.size() + 1;
  Customer& customer = customers_.emplace_back();
  customer.id = "C" + std::to_string(number);
  customer.stream = aggregates::CustomerStream(customer.id);
  customer.region = static_cast<std::uint32_t>(random_.Below(std::size(kRegions)));
  const Region& region = kRegions[customer.region];
  // Region (3 characters) + a trade name that spells the customer number in base 64 at a fixed
  // width: no two customers share a name, so no registration is a duplicate (rule 2).
  std::string trade;
  for (std::uint64_t rest = number, i = 0; i < trade_name_length_; ++i, rest /= 64) {
    trade.insert(0, trade_characters_[rest % 64]);
  }
  const char* industry = kIndustries[random_.Below(std::size(kIndustries))];
  customer.name = std::string(region.city) + trade + industry + kLegalForms[random_.Below(std::size(kLegalForms))];
  Result<std::string> normalized = events::NormalizeCompanyName(customer.name);
  assert(normalized.ok());
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  Command& command = Begin(CommandKind::kRegisterCustomer, actor);
  Emit(command, customer,
       events::CustomerRegistered{
           .customer_id = customer.id,
           .name = customer.name,
           .normalized_name = std::move(normalized).value(),
           .region = region.region,
           .industry = industry,
           .address = std::string(region.city) + "工业园区" + std::to_string(random_.Between(1, 300)) + "号",
           .phone = std::string(region.area_code) + "-8" + Digits(random_.Below(10'000'000), 7),
           .intro = std::string("主营") + industry + "相关产品，员工约" + std::to_string(random_.Between(20, 2000)) +
                    "人，有新建厂房项目。",
           .website = random_.Chance(0.3) ? "https://www.c" + std::to_string(number) + ".example.cn" : ""},
       actor);
  Protect(user, index, events::ProtectionSource::kRegistration);
  Emit(command, customer,
       events::CustomerProtected{.customer_id = customer.id,
                                 .owner_id = actor,
                                 .source = events::ProtectionSource::kRegistration,
                                 .deadline_ms = customer.deadline_ms,
                                 .review_deadline_ms = customer.review_deadline_ms},
       actor);
}

bool Workload::Simulation::ClaimFromPool(std::int32_t user) {
  User& self = users_[static_cast<std::size_t>(user)];
  const aggregates::CivilDay today = calendar_.LocalDay(now_ms_);
  if (self.claim_day != today) {
    self.claim_day = today;
    self.claims_on_day = 0;
  }
  if (pool_.empty() || self.claims_on_day >= policy_.max_claims_per_day) return false;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const std::int32_t index = pool_[random_.Below(pool_.size())];
    Customer& customer = At(index);
    if (now_ms_ < customer.BlockedUntil(user)) continue;  // cooldown_active
    ++self.claims_on_day;
    Command& command = Begin(CommandKind::kProtectCustomer, self.id);
    Protect(user, index, events::ProtectionSource::kPool);
    Emit(command, customer,
         events::CustomerProtected{.customer_id = customer.id,
                                   .owner_id = self.id,
                                   .source = events::ProtectionSource::kPool,
                                   .deadline_ms = customer.deadline_ms,
                                   .review_deadline_ms = customer.review_deadline_ms},
         self.id);
    return true;
  }
  return false;
}

void Workload::Simulation::WorkOn(std::int32_t user, std::int32_t customer) {
  if (At(customer).stage == Stage::kPotential) {
    WorkOnPotential(user, customer);
  } else {
    WorkOnIntention(user, customer);
  }
}

void Workload::Simulation::WorkOnPotential(std::int32_t user, std::int32_t index) {
  const Customer& customer = At(index);
  const TimeMs in_stage_ms = now_ms_ - customer.stage_since_ms;
  if (!customer.review_pending) {
    if (customer.hold_plan == HoldPlan::kPromote && customer.pending_promotion == 0 && in_stage_ms >= 3 * kDay &&
        random_.Chance(0.35)) {
      return RequestPromotion(user, index);
    }
    if (customer.hold_plan == HoldPlan::kAbandon && in_stage_ms >= 5 * kDay && random_.Chance(0.25)) {
      return Abandon(user, index);
    }
    if (customer.wants_extension && ExtensionAllowed(customer) && customer.deadline_ms - now_ms_ <= 7 * kDay &&
        random_.Chance(0.5)) {
      return RequestExtension(user, index);
    }
  }
  if (customer.contacts < 5 && random_.Chance(customer.contacts == 0 ? 0.6 : 0.08)) return AddContact(user, index);
  FollowUp(user, index);
}

void Workload::Simulation::WorkOnIntention(std::int32_t user, std::int32_t index) {
  const Customer& customer = At(index);
  const TimeMs in_stage_ms = now_ms_ - customer.stage_since_ms;
  if (customer.will_sign && in_stage_ms >= 2 * kDay && random_.Chance(0.3)) return SignContract(user, index);
  if (customer.wants_extension && ExtensionAllowed(customer) && customer.deadline_ms - now_ms_ <= 5 * kDay &&
      random_.Chance(0.5)) {
    return RequestExtension(user, index);
  }
  if (!customer.will_sign && random_.Chance(0.03)) return Abandon(user, index);
  if (customer.contacts < 5 && random_.Chance(0.05)) return AddContact(user, index);
  FollowUp(user, index);
}

void Workload::Simulation::AddContact(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  const Region& region = kRegions[customer.region];
  ++customer.contacts;
  const bool landline = random_.Chance(0.3);
  Command& command = Begin(CommandKind::kAddContact, actor);
  Emit(command, customer,
       events::ContactAdded{
           .customer_id = customer.id,
           .contact_id = "k" + std::to_string(customer.contacts),
           .name = RandomPersonName(),
           .title = kTitles[random_.Below(std::size(kTitles))],
           .mobile = "13" + Digits(random_.Below(1'000'000'000), 9),
           .phone = landline ? std::string(region.area_code) + "-8" + Digits(random_.Below(10'000'000), 7) : "",
           .email = random_.Chance(0.4)
                        ? "contact" + std::to_string(customer.contacts) + "@" + customer.id + ".example.cn"
                        : "",
           .postcode = random_.Chance(0.5) ? region.postcode : ""},
       actor);
}

void Workload::Simulation::FollowUp(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  ++customer.follow_ups;
  std::optional<TimeMs> next_contact;
  if (random_.Chance(0.4)) next_contact = now_ms_ + random_.Between(kDay, 7 * kDay);
  Command& command = Begin(CommandKind::kRecordFollowUp, actor);
  Emit(command, customer,
       events::FollowUpRecorded{
           .customer_id = customer.id,
           .follow_up_id = "f" + std::to_string(customer.follow_ups),
           .channel = static_cast<events::FollowUpChannel>(random_.Below(events::kFollowUpChannelCount)),
           .notes = kFollowUpNotes[random_.Below(std::size(kFollowUpNotes))],
           .next_contact_at_ms = next_contact},
       actor);
}

void Workload::Simulation::RequestExtension(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  customer.pending_extension = ++customer.requests;
  customer.pending_extension_days = static_cast<std::uint32_t>(random_.Between(7, policy_.max_extension_days));
  Command& command = Begin(CommandKind::kRequestExtension, actor);
  Emit(command, customer,
       events::ExtensionRequested{.customer_id = customer.id,
                                  .request_id = "x" + std::to_string(customer.requests),
                                  .days = customer.pending_extension_days,
                                  .reason = "客户预算审批流程较长，需要更多时间跟进。"},
       actor);
  QueueDecision(user, index, /*promotion=*/false);
}

void Workload::Simulation::RequestPromotion(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  customer.pending_promotion = ++customer.requests;
  Command& command = Begin(CommandKind::kRequestPromotion, actor);
  Emit(command, customer,
       events::PromotionRequested{.customer_id = customer.id,
                                  .request_id = "p" + std::to_string(customer.requests),
                                  .reason = "客户已确认采购意向并提供了预算范围，申请转为意向客户。"},
       actor);
  QueueDecision(user, index, /*promotion=*/true);
}

void Workload::Simulation::QueueDecision(std::int32_t user, std::int32_t index, bool promotion) {
  requests_[static_cast<std::size_t>(users_[static_cast<std::size_t>(user)].team)].push(
      Timed{.at = now_ms_ + random_.Gap(30 * kMinute, kDay),
            .customer = index,
            .serial = 0,
            .request = At(index).requests,
            .promotion = promotion});
}

void Workload::Simulation::Abandon(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  const TimeMs cooldown_until = now_ms_ + static_cast<TimeMs>(policy_.abandon_cooldown_days) * kDay;
  Command& command = Begin(CommandKind::kAbandonCustomer, actor);
  Emit(command, customer,
       events::CustomerAbandoned{.customer_id = customer.id,
                                 .owner_id = actor,
                                 .reason = "客户明确表示近两年没有采购计划。",
                                 .cooldown_until_ms = cooldown_until},
       actor);
  customer.Block(user, cooldown_until);
  ReleaseToPool(index);
}

// The customer's first or a follow-on contract. The contract stream comes first, as the
// command service names it first.
void Workload::Simulation::SignContract(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const bool first = customer.stage != Stage::kFormal;
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  Contract& contract = contracts_.emplace_back();
  contract.no = "HT" + Digits(contracts_.size(), 8);
  contract.stream = aggregates::ContractStream(contract.no);
  contract.customer = index;
  std::vector<events::ContractLine> lines;
  const std::int64_t line_count = random_.Between(1, 3);
  for (std::int64_t i = 0; i < line_count; ++i) {
    events::ContractLine line{.product = kProducts[random_.Below(std::size(kProducts))],
                              .quantity = random_.Between(1, 20),
                              .unit_price_fen = random_.Between(500, 50'000) * 100,
                              .amount_fen = 0};
    line.amount_fen = line.quantity * line.unit_price_fen;
    contract.total_fen += line.amount_fen;
    lines.push_back(std::move(line));
  }
  std::vector<std::string> extras;
  if (random_.Chance(0.4)) extras.emplace_back("赠送首年免费维保一次");
  const std::int32_t aftersales = first ? random_.Pick(aftersales_) : customer.owner;
  const std::string& sales_owner = users_[static_cast<std::size_t>(first ? user : customer.sales_owner)].id;
  Command& command = Begin(CommandKind::kSignContract, actor);
  command.streams.push_back(WorkloadStream{
      .stream_id = contract.stream,
      .expected_version = 0,
      .events = {WorkloadEvent{
          .event =
              events::ContractSigned{.contract_no = contract.no,
                                     .customer_id = customer.id,
                                     .contract_type = first ? "销售合同" : "追加采购合同",
                                     .signed_at_ms = now_ms_,
                                     .payment_method = "银行转账，分期付款",
                                     .buyer = {.name = customer.name,
                                               .tax_id = "91" + Digits(random_.Below(1'000'000'000'000'000ull), 16),
                                               .address = std::string(kRegions[customer.region].city) + "工业园区",
                                               .phone = "",
                                               .bank = "中国工商银行",
                                               .bank_account = Digits(random_.Below(1'000'000'000'000ull), 12),
                                               .contact_person = RandomPersonName()},
                                     .lines = std::move(lines),
                                     .extras = std::move(extras),
                                     .total_fen = contract.total_fen,
                                     .sales_owner_id = sales_owner},
          .actor_id = actor,
          .effective_at_ms = std::nullopt}}});
  contract.version = 1;
  contract.open_pos = static_cast<std::int32_t>(open_contracts_.size());
  open_contracts_.push_back(static_cast<std::int32_t>(contracts_.size() - 1));
  if (!first) return;
  Emit(command, customer,
       events::CustomerHandedToAftersales{.customer_id = customer.id,
                                          .contract_no = contract.no,
                                          .from_user_id = actor,
                                          .aftersales_owner_id = users_[static_cast<std::size_t>(aftersales)].id},
       actor);
  RemoveFromList(users_[static_cast<std::size_t>(user)].customers, customers_, index);
  customer.stage = Stage::kFormal;
  customer.sales_owner = user;
  customer.owner = aftersales;
  customer.review_pending = false;
  customer.pending_extension = customer.pending_promotion = 0;
  customer.extensions_granted = 0;
  ++customer.due_serial;
  AddToList(users_[static_cast<std::size_t>(aftersales)].customers, customers_, index);
}

// ---- Reviewers, managers, after-sales, finance --------------------------------------------

bool Workload::Simulation::ActReviewer(std::int32_t user) {
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  for (int done = 0; done < 3 && !reviews_.empty() && reviews_.top().at <= now_ms_;) {
    const Timed item = reviews_.top();
    reviews_.pop();
    Customer& customer = At(item.customer);
    if (customer.hold_serial != item.serial || !customer.held() || !customer.review_pending) continue;  // stale
    ++done;
    const std::string owner = users_[static_cast<std::size_t>(customer.owner)].id;
    Command& command = Begin(CommandKind::kReviewProtection, actor);
    if (customer.review_plan == ReviewPlan::kReject) {
      Emit(command, customer,
           events::ProtectionRejected{
               .customer_id = customer.id, .owner_id = owner, .reason = "地址不完整，请补充详细地址后重新提交。"},
           actor);
      ReleaseToPool(item.customer);
      continue;
    }
    Emit(command, customer, events::ProtectionApproved{.customer_id = customer.id, .owner_id = owner, .reason = ""},
         actor);
    customer.review_pending = false;
    ScheduleDue(item.customer);
  }
  return !reviews_.empty() && reviews_.top().at <= now_ms_;
}

bool Workload::Simulation::ActManager(std::int32_t user) {
  TimedQueue& queue = requests_[static_cast<std::size_t>(users_[static_cast<std::size_t>(user)].team)];
  while (!queue.empty() && queue.top().at <= now_ms_) {
    const Timed item = queue.top();
    queue.pop();
    const Customer& customer = At(item.customer);
    if (item.promotion ? customer.pending_promotion != item.request : customer.pending_extension != item.request) {
      continue;  // closed meanwhile: released, promoted or signed
    }
    if (item.promotion) {
      DecidePromotion(user, item.customer);
    } else {
      DecideExtension(user, item.customer);
    }
    return !queue.empty() && queue.top().at <= now_ms_;
  }
  if (random_.Chance(0.03)) Reassign(user);
  return false;
}

void Workload::Simulation::DecideExtension(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  const std::string request_id = "x" + std::to_string(customer.pending_extension);
  Command& command = Begin(CommandKind::kDecideExtension, actor);
  customer.pending_extension = 0;
  if (!random_.Chance(0.8)) {
    Emit(command, customer,
         events::ExtensionDenied{.customer_id = customer.id, .request_id = request_id, .reason = "跟进记录不足。"},
         actor);
    return;
  }
  const std::uint32_t days = customer.pending_extension_days;
  customer.deadline_ms += static_cast<TimeMs>(days) * kDay;
  ++customer.extensions_granted;
  Emit(command, customer,
       events::ExtensionGranted{.customer_id = customer.id,
                                .request_id = request_id,
                                .days = days,
                                .deadline_ms = customer.deadline_ms,
                                .reason = ""},
       actor);
  ScheduleDue(index);
}

void Workload::Simulation::DecidePromotion(std::int32_t user, std::int32_t index) {
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  const std::string request_id = "p" + std::to_string(customer.pending_promotion);
  Command& command = Begin(CommandKind::kDecidePromotion, actor);
  customer.pending_promotion = 0;
  if (!random_.Chance(0.85)) {
    Emit(command, customer,
         events::PromotionDenied{.customer_id = customer.id, .request_id = request_id, .reason = "客户预算尚未落实。"},
         actor);
    if (random_.Chance(0.5)) customer.hold_plan = HoldPlan::kDrift;
    return;
  }
  customer.stage = Stage::kIntention;
  customer.stage_since_ms = now_ms_;
  customer.deadline_ms = now_ms_ + static_cast<TimeMs>(policy_.intention_days) * kDay;
  customer.extensions_granted = 0;
  customer.pending_extension = 0;  // the promotion closes a pending potential-stage extension
  customer.will_sign = random_.Chance(0.5);
  customer.wants_extension = random_.Chance(0.2);
  Emit(command, customer,
       events::CustomerPromoted{
           .customer_id = customer.id, .request_id = request_id, .deadline_ms = customer.deadline_ms, .reason = ""},
       actor);
  ScheduleDue(index);
}

// Rule 12 within the team: a customer from one salesperson to a colleague, deadlines kept.
void Workload::Simulation::Reassign(std::int32_t user) {
  const std::vector<std::int32_t>& team =
      team_sales_[static_cast<std::size_t>(users_[static_cast<std::size_t>(user)].team)];
  if (team.size() < 2) return;
  const std::int32_t from = random_.Pick(team);
  const std::int32_t to = random_.Pick(team);
  std::vector<std::int32_t>& from_list = users_[static_cast<std::size_t>(from)].customers;
  if (from == to || from_list.empty() || users_[static_cast<std::size_t>(to)].customers.size() + 1 > kMaxProtected) {
    return;
  }
  const std::int32_t index = from_list[random_.Below(from_list.size())];
  Customer& customer = At(index);
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  Command& command = Begin(CommandKind::kReassignCustomer, actor);
  Emit(command, customer,
       events::CustomerReassigned{.customer_id = customer.id,
                                  .from_user_id = users_[static_cast<std::size_t>(from)].id,
                                  .to_user_id = users_[static_cast<std::size_t>(to)].id,
                                  .reason = "销售人员负责区域调整。"},
       actor);
  RemoveFromList(from_list, customers_, index);
  AddToList(users_[static_cast<std::size_t>(to)].customers, customers_, index);
  customer.owner = to;
}

void Workload::Simulation::ActAftersales(std::int32_t user) {
  const std::vector<std::int32_t>& owned = users_[static_cast<std::size_t>(user)].customers;
  if (owned.empty()) return;
  const std::int32_t index = owned[random_.Below(owned.size())];
  const double draw = random_.Unit();
  if (draw < 0.02) return SignContract(user, index);
  if (draw < 0.1 && At(index).contacts < 8) return AddContact(user, index);
  FollowUp(user, index);
}

void Workload::Simulation::ActFinance(std::int32_t user) {
  if (open_contracts_.empty()) return;
  const std::int32_t contract_index = random_.Pick(open_contracts_);
  Contract& contract = contracts_[static_cast<std::size_t>(contract_index)];
  const Fen receivable = contract.total_fen - contract.paid_fen;
  // A deposit first, then instalments; the last one settles the rest (rule 11: never more).
  Fen amount = receivable;
  if (contract.payments == 0 || random_.Chance(0.5)) {
    amount = std::min(receivable, std::max<Fen>(1, contract.total_fen * random_.Between(20, 50) / 100));
  }
  const std::string& actor = users_[static_cast<std::size_t>(user)].id;
  Command& command = Begin(CommandKind::kRecordPayment, actor);
  command.streams.push_back(WorkloadStream{
      .stream_id = contract.stream,
      .expected_version = contract.version,
      .events = {WorkloadEvent{
          .event = events::PaymentRecorded{.contract_no = contract.no,
                                           .customer_id = At(contract.customer).id,
                                           .payment_id = contract.no + "#" + std::to_string(contract.payments + 1),
                                           .amount_fen = amount,
                                           .paid_at_ms = now_ms_ - random_.Between(0, 2 * kHour),
                                           .method = "银行转账",
                                           .handler = users_[static_cast<std::size_t>(user)].name,
                                           .account = "基本户"},
          .actor_id = actor,
          .effective_at_ms = std::nullopt}}});
  ++contract.version;
  ++contract.payments;
  contract.paid_fen += amount;
  if (contract.paid_fen == contract.total_fen) {
    const std::int32_t last = open_contracts_.back();
    open_contracts_[static_cast<std::size_t>(contract.open_pos)] = last;
    contracts_[static_cast<std::size_t>(last)].open_pos = contract.open_pos;
    open_contracts_.pop_back();
    contract.open_pos = -1;
  }
}

// Rule 13's writer: every hold that has ended by now is released, effective at its deadline.
void Workload::Simulation::Sweep() {
  Command* command = nullptr;
  while (!due_.empty() && due_.top().at <= now_ms_) {
    const Timed item = due_.top();
    due_.pop();
    Customer& customer = At(item.customer);
    if (customer.due_serial != item.serial || !customer.held()) continue;  // stale
    if (command == nullptr || command->streams.size() >= options_.sweep_releases_max) {
      command = &Begin(CommandKind::kSweep, std::string(events::kSystemActorId));
    }
    const std::string owner = users_[static_cast<std::size_t>(customer.owner)].id;
    const TimeMs due = customer.DueAt();
    if (customer.review_pending && customer.review_deadline_ms <= customer.deadline_ms) {
      Emit(*command, customer,
           events::ProtectionReviewTimedOut{
               .customer_id = customer.id, .owner_id = owner, .review_deadline_ms = customer.review_deadline_ms},
           std::string(events::kSystemActorId), due);
    } else {
      Emit(*command, customer,
           events::ProtectionExpired{.customer_id = customer.id,
                                     .owner_id = owner,
                                     .stage = customer.stage == Stage::kIntention ? events::HeldStage::kIntention
                                                                                  : events::HeldStage::kPotential,
                                     .deadline_ms = customer.deadline_ms},
           std::string(events::kSystemActorId), due);
      customer.Block(customer.owner, customer.deadline_ms + static_cast<TimeMs>(policy_.abandon_cooldown_days) * kDay);
    }
    ReleaseToPool(item.customer);
  }
}

// ---- The mirror ---------------------------------------------------------------------------

void Workload::Simulation::Protect(std::int32_t user, std::int32_t index, events::ProtectionSource source) {
  Customer& customer = At(index);
  if (source == events::ProtectionSource::kPool) RemoveFromList(pool_, customers_, index);
  customer.stage = Stage::kPotential;
  customer.owner = user;
  customer.deadline_ms = now_ms_ + static_cast<TimeMs>(policy_.potential_days) * kDay;
  customer.review_pending = true;
  customer.review_deadline_ms = calendar_.AddWorkingDays(now_ms_, policy_.review_working_days);
  customer.stage_since_ms = now_ms_;
  customer.extensions_granted = 0;
  ++customer.hold_serial;
  const double review = random_.Unit();
  customer.review_plan = review < 0.9    ? ReviewPlan::kApprove
                         : review < 0.96 ? ReviewPlan::kReject
                                         : ReviewPlan::kIgnore;
  const double hold = random_.Unit();
  customer.hold_plan = hold < 0.3 ? HoldPlan::kPromote : hold < 0.42 ? HoldPlan::kAbandon : HoldPlan::kDrift;
  customer.wants_extension = random_.Chance(0.15);
  customer.will_sign = false;
  AddToList(users_[static_cast<std::size_t>(user)].customers, customers_, index);
  ScheduleDue(index);
  if (customer.review_plan != ReviewPlan::kIgnore) {
    reviews_.push(Timed{.at = now_ms_ + random_.Gap(10 * kMinute, 20 * kHour),
                        .customer = index,
                        .serial = customer.hold_serial,
                        .request = 0,
                        .promotion = false});
  }
}

void Workload::Simulation::ReleaseToPool(std::int32_t index) {
  Customer& customer = At(index);
  RemoveFromList(users_[static_cast<std::size_t>(customer.owner)].customers, customers_, index);
  customer.stage = Stage::kPool;
  customer.owner = -1;
  customer.review_pending = false;
  customer.pending_extension = customer.pending_promotion = 0;
  customer.extensions_granted = 0;
  ++customer.due_serial;
  AddToList(pool_, customers_, index);
}

void Workload::Simulation::ScheduleDue(std::int32_t index) {
  Customer& customer = At(index);
  due_.push(Timed{
      .at = customer.DueAt(), .customer = index, .serial = ++customer.due_serial, .request = 0, .promotion = false});
}

// ---- Workload -------------------------------------------------------------------------------

Workload::Workload(const WorkloadOptions& options) : simulation_(std::make_unique<Simulation>(options)) {}
Workload::~Workload() = default;

std::optional<Command> Workload::Next() {
  return simulation_->Next();
}

const WorkloadStats& Workload::stats() const {
  return simulation_->stats();
}

}  // namespace crm::bench::workload
