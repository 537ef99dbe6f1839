#include "decider_fixture.h"

#include "aggregates/stream_ids.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates::decider_test {
namespace {

constexpr std::string_view kCustomerPrefix = "customer-";
constexpr std::string_view kContractPrefix = "contract-";

struct StaffMember {
  const char* id;
  events::Role role;
  const char* team;
};

constexpr StaffMember kStaff[] = {
    {"root", events::Role::kAdmin, ""},     {"m1", events::Role::kManager, "east"},
    {"m2", events::Role::kManager, "west"}, {"s1", events::Role::kSales, "east"},
    {"s2", events::Role::kSales, "east"},   {"s3", events::Role::kSales, "west"},
    {"r1", events::Role::kReviewer, ""},    {"a1", events::Role::kAftersales, ""},
    {"f1", events::Role::kFinance, ""},     {"au1", events::Role::kAuditor, ""},
};

}  // namespace

std::vector<std::string> TypeNames(const Decision& decision) {
  std::vector<std::string> names;
  for (const DecidedEvent& decided : decision.events) names.emplace_back(events::EventTypeName(decided.event));
  return names;
}

DeciderTest::DeciderTest() {
  Result<CompanyCalendar> calendar = CompanyCalendar::Create("Asia/Shanghai", {});
  EXPECT_OK(calendar.status());
  if (calendar.ok()) calendar_.emplace(std::move(calendar).value());
  now_ = kUsersCreatedAt;
  std::uint8_t token = 0;
  for (const StaffMember& member : kStaff) {
    events::UserCreated created;
    created.user_id = member.id;
    created.name = std::string("user ") + member.id;
    created.role = member.role;
    created.team = member.team;
    created.token_sha256[0] = ++token;
    Record(UserStream(member.id), created, "root");
  }
  now_ = kT0;
}

void DeciderTest::Record(const std::string& stream_id, events::Event event, const std::string& actor_id,
                         std::optional<TimeMs> effective_at_ms) {
  EXPECT_GE(now_, last_recorded_ms_) << "recorded times never decrease along the log";
  last_recorded_ms_ = now_;
  events::RecordedEvent recorded;
  recorded.envelope.seq = ++seq_;
  recorded.envelope.stream_id = stream_id;
  recorded.envelope.stream_version = ++stream_versions_[stream_id];
  recorded.envelope.recorded_at_ms = now_;
  recorded.envelope.effective_at_ms = effective_at_ms.value_or(now_);
  recorded.envelope.actor_id = actor_id;
  recorded.event = std::move(event);

  directory_.Apply(recorded);
  const std::string_view stream = stream_id;
  if (stream.starts_with(kCustomerPrefix)) {
    const std::string id(stream.substr(kCustomerPrefix.size()));
    customers_[id] = EvolveCustomer(std::move(customers_[id]), recorded.event, recorded.envelope.effective_at_ms);
  } else if (stream.starts_with(kContractPrefix)) {
    const std::string no(stream.substr(kContractPrefix.size()));
    contracts_[no] = EvolveContract(std::move(contracts_[no]), recorded.event);
  }
  log_.push_back(std::move(recorded));
}

void DeciderTest::Given(const Decision& decision) {
  for (const DecidedEvent& decided : decision.events) {
    Record(decided.stream_id, decided.event, decided.actor_id, decided.effective_at_ms);
  }
}

Decision DeciderTest::Accept(const Result<Decision>& result) {
  if (!result.ok()) {
    ADD_FAILURE() << "command refused: " << result.status().ToString();
    return Decision{};
  }
  Given(result.value());
  return result.value();
}

const UserState& DeciderTest::Actor(const std::string& actor_id) {
  if (const UserState* user = directory_.FindUser(actor_id)) return *user;
  UserState& unknown = unknown_actors_[actor_id];
  unknown.user_id = actor_id;
  return unknown;
}

DecisionContext DeciderTest::Context(const UserState& actor) const {
  return DecisionContext{
      .actor = actor, .policy = policy(), .calendar = *calendar_, .directory = directory_, .now_ms = now_};
}

Result<Decision> DeciderTest::RegisterAs(const std::string& actor_id, const RegisterCustomer& command) {
  return DecideRegistration(command, Context(Actor(actor_id)));
}

Result<Decision> DeciderTest::DecideAs(const std::string& actor_id, const std::string& customer_id,
                                       const CustomerCommand& command) {
  return DecideCustomer(Customer(customer_id), command, Context(Actor(actor_id)));
}

Result<Decision> DeciderTest::PayAs(const std::string& actor_id, const RecordPayment& command) {
  return DecidePayment(Contract(command.contract_no), command, Context(Actor(actor_id)));
}

Result<Decision> DeciderTest::UserAs(const std::string& actor_id, const UserCommand& command) {
  const std::string& target_id = std::visit([](const auto& c) -> const std::string& { return c.user_id; }, command);
  const UserState* target = directory_.FindUser(target_id);
  return DecideUser(target != nullptr ? *target : UserState{}, command, Context(Actor(actor_id)));
}

Result<Decision> DeciderTest::HandoverAs(const std::string& actor_id, const HandOverCustomers& command) {
  std::vector<CustomerState> owned;
  for (const std::string& id : directory_.CustomersOwnedBy(command.from_user_id)) owned.push_back(Customer(id));
  return HandoverAs(actor_id, command, owned);
}

Result<Decision> DeciderTest::HandoverAs(const std::string& actor_id, const HandOverCustomers& command,
                                         const std::vector<CustomerState>& owned) {
  return DecideHandover(command, owned, Context(Actor(actor_id)));
}

Result<Decision> DeciderTest::PolicyAs(const std::string& actor_id, const events::Policy& policy) {
  return DecidePolicy(ChangePolicy{.policy = policy}, Context(Actor(actor_id)));
}

Decision DeciderTest::Sweep(const std::string& customer_id) const {
  return DecideDueRelease(Customer(customer_id), now_);
}

const CustomerState& DeciderTest::Customer(const std::string& customer_id) const {
  static const CustomerState kUnknown{};
  const auto it = customers_.find(customer_id);
  return it == customers_.end() ? kUnknown : it->second;
}

const ContractState& DeciderTest::Contract(const std::string& contract_no) const {
  static const ContractState kUnknown{};
  const auto it = contracts_.find(contract_no);
  return it == contracts_.end() ? kUnknown : it->second;
}

std::vector<events::RecordedEvent> DeciderTest::Stream(const std::string& stream_id) const {
  std::vector<events::RecordedEvent> events;
  for (const events::RecordedEvent& recorded : log_) {
    if (recorded.envelope.stream_id == stream_id) events.push_back(recorded);
  }
  return events;
}

RegisterCustomer DeciderTest::Registration(const std::string& customer_id, const std::string& name) {
  return RegisterCustomer{.customer_id = customer_id,
                          .name = name.empty() ? "靖江市" + customer_id + "空调有限公司" : name,
                          .region = "江苏省泰州市",
                          .industry = "空调制造",
                          .address = "靖江市人民南路88号",
                          .phone = "0523-84561234",
                          .intro = "生产和销售家用空调",
                          .website = ""};
}

AddContact DeciderTest::Contact() {
  return AddContact{.name = "王经理",
                    .title = "采购经理",
                    .mobile = "13812345678",
                    .phone = "0523-84561234",
                    .email = "wang@chunyi.example.com",
                    .postcode = "214500"};
}

SignContract DeciderTest::Signing(const std::string& contract_no, Fen total_fen) const {
  SignContract signing;
  signing.contract_no = contract_no;
  signing.contract_type = "销售合同";
  signing.signed_at_ms = now_;
  signing.payment_method = "银行转账";
  signing.buyer.name = "靖江市春意空调有限公司";
  signing.lines.push_back(SignContractLine{.product = "CRM 标准版", .quantity = 1, .unit_price_fen = total_fen});
  signing.extras = {"免费培训两天"};
  signing.total_fen = total_fen;
  signing.aftersales_owner_id = "a1";
  return signing;
}

RecordPayment DeciderTest::Paying(const std::string& contract_no, Fen amount_fen) const {
  return RecordPayment{.contract_no = contract_no,
                       .amount_fen = amount_fen,
                       .paid_at_ms = now_,
                       .method = "银行转账",
                       .handler = "李会计",
                       .account = "6222 0000 1111"};
}

void DeciderTest::Registered(const std::string& customer_id, const std::string& owner) {
  Accept(RegisterAs(owner, Registration(customer_id)));
}

void DeciderTest::Protected(const std::string& customer_id, const std::string& owner) {
  Registered(customer_id, owner);
  Accept(DecideAs("r1", customer_id, ReviewProtection{.approve = true, .reason = ""}));
}

void DeciderTest::InPool(const std::string& customer_id) {
  Registered(customer_id, "s3");
  Accept(DecideAs("r1", customer_id, ReviewProtection{.approve = false, .reason = "地址不完整"}));
}

void DeciderTest::Promoted(const std::string& customer_id, const std::string& owner) {
  Protected(customer_id, owner);
  const Decision requested = Accept(DecideAs(owner, customer_id, RequestPromotion{.reason = "已报价，客户有意向"}));
  if (requested.events.empty()) return;
  const auto* request = std::get_if<events::PromotionRequested>(&requested.events.back().event);
  if (request == nullptr) return;  // promoted directly: the policy needs no approval
  Accept(DecideAs(ManagerOf(owner), customer_id,
                  DecidePromotion{.request_id = request->request_id, .approve = true, .reason = ""}));
}

void DeciderTest::Formal(const std::string& customer_id, const std::string& contract_no, Fen total_fen,
                         const std::string& owner) {
  Promoted(customer_id, owner);
  Accept(DecideAs(owner, customer_id, Signing(contract_no, total_fen)));
}

void DeciderTest::SetPolicy(const events::Policy& policy) {
  Accept(PolicyAs("root", policy));
  Result<CompanyCalendar> calendar = CompanyCalendar::Create(policy.time_zone, policy.holidays);
  EXPECT_OK(calendar.status());
  if (calendar.ok()) calendar_.emplace(std::move(calendar).value());
}

void DeciderTest::AddUser(const std::string& user_id, events::Role role, const std::string& team,
                          const std::string& manager_id) {
  CreateUser create;
  create.user_id = user_id;
  create.name = "user " + user_id;
  create.role = role;
  create.team = team;
  create.manager_id = manager_id;
  create.token_sha256.fill(0xEE);
  create.token_sha256[0] = static_cast<std::uint8_t>(directory_.user_count() + 1);
  Accept(UserAs("root", create));
}

}  // namespace crm::aggregates::decider_test
