// The random commands of the randomised history test; see random_history_generator.h.
#include "aggregates/service/random_history_generator.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "aggregates/service/service_fixture.h"

namespace crm::aggregates::random_history {
namespace {

using testutil::kDayMs;
using testutil::kHourMs;
using testutil::kMonday10am;

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

Attempt Answered(std::string what, Status status) {
  return Attempt{.what = std::move(what),
                 .status = std::move(status),
                 .outcome = std::nullopt,
                 .duplicate_expected = false,
                 .verdict = std::nullopt,
                 .sweep_complete = false};
}

}  // namespace

// ---- The generator: random commands, mostly plausible, often wrong -------------------------

class Generator::Impl {
 public:
  Impl(std::uint64_t seed, const Model& model, const std::unique_ptr<CommandService>& service)
      : rng_(seed), model_(model), service_(service) {}

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
    using Action = Attempt (Impl::*)();
    // Weights in percent: the path to a signed, paid contract is long, so its steps come often.
    // clang-format off
    static const std::vector<std::pair<int, Action>> kActions = {
        {10, &Impl::Register},          {14, &Impl::Protect},      {12, &Impl::Review},
        { 4, &Impl::Contact},           { 4, &Impl::FollowUp},     { 5, &Impl::AskExtension},
        { 5, &Impl::ExtensionDecision}, { 8, &Impl::AskPromotion}, { 7, &Impl::PromotionDecision},
        { 4, &Impl::Abandon},           { 4, &Impl::Reassign},     { 8, &Impl::Sign},
        { 6, &Impl::Pay},               { 3, &Impl::SweepNow},     { 2, &Impl::NewPolicy},
        { 1, &Impl::HandOver},          { 1, &Impl::Deactivate},   { 2, &Impl::RetryLastKeyed}};
    // clang-format on
    int roll = Uniform(1, 100);
    for (const auto& [weight, action] : kActions) {
      if ((roll -= weight) <= 0) return (this->*action)();
    }
    return SweepNow();
  }

  std::optional<CommandServiceOptions> Restart() {
    if (!Chance(0.01)) return std::nullopt;
    const bool tiny = Chance(0.5);
    return CommandServiceOptions{.customer_cache_entries = tiny ? 2u : 100'000u,
                                 .decision_attempts_max = 16,
                                 .sweep_batch_max = tiny ? 2u : 256u};
  }

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

Generator::Generator(std::uint64_t seed, const Model& model, const std::unique_ptr<CommandService>& service)
    : impl_(std::make_unique<Impl>(seed, model, service)) {}
Generator::~Generator() = default;

TimeMs Generator::NextTime(TimeMs now) {
  return impl_->NextTime(now);
}
Attempt Generator::Next(TimeMs now) {
  return impl_->Next(now);
}
std::optional<CommandServiceOptions> Generator::Restart() {
  return impl_->Restart();
}
events::Policy Generator::SmallPolicy() {
  return impl_->SmallPolicy();
}

}  // namespace crm::aggregates::random_history
