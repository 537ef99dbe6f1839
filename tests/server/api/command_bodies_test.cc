#include "server/api/command_bodies.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "testutil/status_matchers.h"

namespace crm::server::api {
namespace {

constexpr events::TimeMs kMarch3At9 = 1772528400000;      // 2026-03-03T09:00:00Z
constexpr events::TimeMs kMarch1At0830 = 1772353800000;   // 2026-03-01T08:30:00Z
constexpr events::TimeMs kMarch10At0100 = 1773104400000;  // 2026-03-10T01:00:00Z

Json Parse(const std::string& text) {
  Result<Json> parsed = ParseJsonBody(text);
  EXPECT_OK(parsed) << text;
  return parsed.ok() ? std::move(parsed).value() : Json::object();
}

// Every command body, in the same shape: a valid body, how to parse it, and which of its fields
// are required (all others are optional).
struct BodyCase {
  std::string name;
  std::string valid_body;
  std::function<Status(const Json&)> parse;
  std::vector<std::string> required;
};

template <typename T>
Status StatusOfParse(const Result<T>& result) {
  return result.status();
}

std::vector<BodyCase> AllBodies() {
  const events::Policy in_force;
  return {
      {"register",
       R"({"name":"江苏春意服装有限公司","region":"江苏省南通市","industry":"服装","address":"南通市人民路1号",
           "phone":"0513-85561234","intro":"童装外贸","website":"https://chunyi.example"})",
       [](const Json& b) { return StatusOfParse(ParseRegisterCustomer(b)); },
       {"name", "region", "industry", "address", "phone", "intro"}},
      {"protect", "{}", [](const Json& b) { return StatusOfParse(ParseProtectCustomer(b)); }, {}},
      {"review",
       R"({"approve":false,"reason":"名称不全"})",
       [](const Json& b) { return StatusOfParse(ParseReviewProtection(b)); },
       {"approve"}},
      {"contact",
       R"({"name":"王芳","title":"采购经理","mobile":"13812345678","phone":"0513-85561234",
           "email":"wf@chunyi.example","postcode":"226000"})",
       [](const Json& b) { return StatusOfParse(ParseAddContact(b)); },
       {"name", "title"}},
      {"followup",
       R"({"channel":"wechat","notes":"约了下周拜访","nextContactAt":"2026-03-10T01:00:00Z"})",
       [](const Json& b) { return StatusOfParse(ParseRecordFollowUp(b)); },
       {"channel", "notes"}},
      {"extension_request",
       R"({"days":10,"reason":"客户在走采购流程"})",
       [](const Json& b) { return StatusOfParse(ParseRequestExtension(b)); },
       {"days", "reason"}},
      {"extension_decision",
       R"({"approve":true,"reason":"同意"})",
       [](const Json& b) { return StatusOfParse(ParseDecideExtension(b, "x1")); },
       {"approve"}},
      {"promotion_request",
       R"({"reason":"已报价"})",
       [](const Json& b) { return StatusOfParse(ParseRequestPromotion(b)); },
       {"reason"}},
      {"promotion_decision",
       R"({"approve":false})",
       [](const Json& b) { return StatusOfParse(ParseDecidePromotion(b, "p1")); },
       {"approve"}},
      {"abandon",
       R"({"reason":"客户已倒闭"})",
       [](const Json& b) { return StatusOfParse(ParseAbandonCustomer(b)); },
       {"reason"}},
      {"contract",
       R"({"contractNo":"HT-2026-001","type":"销售合同","signedAt":"2026-03-03T09:00:00Z","paymentMethod":"银行转账",
           "buyer":{"name":"江苏春意服装有限公司","taxId":"91320600","address":"南通","phone":"0513-85561234",
                    "bank":"工商银行","bankAccount":"6222","contactPerson":"王芳"},
           "lines":[{"product":"ERP 标准版","quantity":2,"unitPriceFen":500000},
                    {"product":"实施服务","quantity":1,"unitPriceFen":250000}],
           "extras":["赠送培训一次"],"totalFen":1250000,"aftersalesOwnerId":"as1"})",
       [](const Json& b) { return StatusOfParse(ParseSignContract(b)); },
       {"contractNo", "type", "signedAt", "paymentMethod", "buyer", "lines", "extras", "totalFen"}},
      {"payment",
       R"({"amountFen":1250000,"paidAt":"2026-03-03T09:00:00Z","method":"银行转账","handler":"李会计",
           "account":"6222"})",
       [](const Json& b) { return StatusOfParse(ParseRecordPayment(b, "HT-2026-001")); },
       {"amountFen", "paidAt", "method", "handler", "account"}},
      {"reassign",
       R"({"toUserId":"s2","reason":"调岗"})",
       [](const Json& b) { return StatusOfParse(ParseReassignCustomer(b)); },
       {"toUserId", "reason"}},
      {"handover",
       R"({"toUserId":"s2","reason":"离职"})",
       [](const Json& b) { return StatusOfParse(ParseHandOver(b, "s1")); },
       {"toUserId", "reason"}},
      {"create_user",
       R"({"id":"s1","name":"张三","role":"sales","team":"华东","managerId":"m1"})",
       [](const Json& b) { return StatusOfParse(ParseCreateUser(b)); },
       {"id", "name", "role", "team"}},
      {"policy",
       R"({"potentialDays":20,"intentionDays":10,"abandonCooldownDays":5,"reviewWorkingDays":2,
           "maxProtected":100,"maxClaimsPerDay":5,"maxExtensions":2,"maxExtensionDays":15,
           "promotionNeedsApproval":false,"maskPoolContacts":true,"holidays":["2026-10-01"],
           "timeZone":"Asia/Urumqi","defaultAftersalesOwnerId":"as1"})",
       [in_force](const Json& b) { return StatusOfParse(ParsePolicyChange(b, in_force)); },
       {}},
      {"test_clock",
       R"({"now":"2026-03-03T09:00:00Z"})",
       [](const Json& b) { return StatusOfParse(ParseTestClock(b)); },
       {"now"}},
  };
}

TEST(CommandBodiesTest, EveryValidBodyParses) {
  for (const BodyCase& c : AllBodies()) EXPECT_OK(c.parse(Parse(c.valid_body))) << c.name;
}

TEST(CommandBodiesTest, EveryBodyRefusesAnUnknownField) {
  for (const BodyCase& c : AllBodies()) {
    Json body = Parse(c.valid_body);
    body["customerId"] = "C1";  // a plausible field no body takes: ids come from the path
    const Status status = c.parse(body);
    EXPECT_EQ(testutil::StatusOf(status).reason(), "unknown_field") << c.name;
    EXPECT_EQ(status.details().contains("field") ? status.details().at("field") : "", "customerId") << c.name;
  }
}

TEST(CommandBodiesTest, EveryRequiredFieldMissingIsMissingField) {
  for (const BodyCase& c : AllBodies()) {
    for (const std::string& field : c.required) {
      Json body = Parse(c.valid_body);
      body.erase(field);
      const Status status = c.parse(body);
      EXPECT_EQ(testutil::StatusOf(status).reason(), "missing_field") << c.name << " without " << field;
      EXPECT_EQ(status.details().contains("field") ? status.details().at("field") : "", field) << c.name;
    }
  }
}

TEST(CommandBodiesTest, EveryOptionalFieldMayBeLeftOut) {
  for (const BodyCase& c : AllBodies()) {
    const Json valid = Parse(c.valid_body);
    Json body = valid;
    for (const auto& [key, value] : valid.items()) {
      if (std::find(c.required.begin(), c.required.end(), key) == c.required.end()) body.erase(key);
    }
    EXPECT_OK(c.parse(body)) << c.name << ": " << body.dump();
  }
}

TEST(CommandBodiesTest, EveryFieldOfTheWrongTypeIsWrongType) {
  for (const BodyCase& c : AllBodies()) {
    const Json valid = Parse(c.valid_body);
    for (const auto& [key, value] : valid.items()) {
      Json body = valid;
      body[key] = value.is_string() ? Json(12) : Json("12");
      const Status status = c.parse(body);
      EXPECT_EQ(testutil::StatusOf(status).reason(), "wrong_type") << c.name << "." << key;
      EXPECT_EQ(status.details().contains("field") ? status.details().at("field") : "", key) << c.name;
    }
  }
}

TEST(CommandBodiesTest, RegisterCustomerReadsEveryField) {
  ASSERT_OK_AND_ASSIGN(aggregates::RegisterCustomer c, ParseRegisterCustomer(Parse(AllBodies()[0].valid_body)));
  EXPECT_EQ(c.customer_id, "");  // the service chooses it
  EXPECT_EQ(c.name, "江苏春意服装有限公司");
  EXPECT_EQ(c.region, "江苏省南通市");
  EXPECT_EQ(c.industry, "服装");
  EXPECT_EQ(c.address, "南通市人民路1号");
  EXPECT_EQ(c.phone, "0513-85561234");
  EXPECT_EQ(c.intro, "童装外贸");
  EXPECT_EQ(c.website, "https://chunyi.example");
}

TEST(CommandBodiesTest, RegisterCustomerLeavesDomainChecksToTheDecider) {
  // A blank name and a malformed phone are the decider's (missing_field, invalid_phone): the
  // body is well formed.
  EXPECT_OK(ParseRegisterCustomer(
      Parse(R"({"name":"　","region":"r","industry":"i","address":"a","phone":"12","intro":"x"})")));
}

TEST(CommandBodiesTest, ProtectTakesOnlyAnEmptyObject) {
  EXPECT_OK(ParseProtectCustomer(Parse("{}")));
  EXPECT_REASON(ParseProtectCustomer(Parse(R"({"reason":"x"})")), "unknown_field");
}

TEST(CommandBodiesTest, ReviewReadsApprovalAndReason) {
  ASSERT_OK_AND_ASSIGN(aggregates::ReviewProtection c,
                       ParseReviewProtection(Parse(R"({"approve":false,"reason":"名称不全"})")));
  EXPECT_FALSE(c.approve);
  EXPECT_EQ(c.reason, "名称不全");
  ASSERT_OK_AND_ASSIGN(c, ParseReviewProtection(Parse(R"({"approve":true})")));
  EXPECT_TRUE(c.approve);
  EXPECT_EQ(c.reason, "");
}

TEST(CommandBodiesTest, ContactReadsEveryField) {
  ASSERT_OK_AND_ASSIGN(aggregates::AddContact c, ParseAddContact(Parse(AllBodies()[3].valid_body)));
  EXPECT_EQ(c.name, "王芳");
  EXPECT_EQ(c.title, "采购经理");
  EXPECT_EQ(c.mobile, "13812345678");
  EXPECT_EQ(c.phone, "0513-85561234");
  EXPECT_EQ(c.email, "wf@chunyi.example");
  EXPECT_EQ(c.postcode, "226000");
  // Formats (invalid_mobile, ...) are the decider's.
  EXPECT_OK(ParseAddContact(Parse(R"({"name":"王芳","title":"经理","mobile":"123"})")));
}

TEST(CommandBodiesTest, FollowUpReadsChannelNotesAndNextContact) {
  ASSERT_OK_AND_ASSIGN(aggregates::RecordFollowUp c, ParseRecordFollowUp(Parse(AllBodies()[4].valid_body)));
  EXPECT_EQ(c.channel, events::FollowUpChannel::kWechat);
  EXPECT_EQ(c.notes, "约了下周拜访");
  EXPECT_EQ(c.next_contact_at_ms, kMarch10At0100);
  ASSERT_OK_AND_ASSIGN(c, ParseRecordFollowUp(Parse(R"({"channel":"visit","notes":"n"})")));
  EXPECT_EQ(c.channel, events::FollowUpChannel::kVisit);
  EXPECT_EQ(c.next_contact_at_ms, std::nullopt);
}

TEST(CommandBodiesTest, FollowUpRefusesAnUnknownChannelAndABadTime) {
  const Status channel = ParseRecordFollowUp(Parse(R"({"channel":"fax","notes":"n"})")).status();
  EXPECT_REASON(channel, "invalid_channel");
  EXPECT_EQ(channel.details().at("field"), "channel");
  EXPECT_REASON(ParseRecordFollowUp(Parse(R"({"channel":"phone","notes":"n","nextContactAt":"next week"})")),
                "invalid_time");
}

TEST(CommandBodiesTest, ExtensionRequestReadsDays) {
  ASSERT_OK_AND_ASSIGN(aggregates::RequestExtension c, ParseRequestExtension(Parse(R"({"days":10,"reason":"r"})")));
  EXPECT_EQ(c.days, 10u);
  EXPECT_EQ(c.reason, "r");
  // 0 is the decider's invalid_days; negative cannot reach it, so it is refused here alike.
  ASSERT_OK_AND_ASSIGN(c, ParseRequestExtension(Parse(R"({"days":0,"reason":"r"})")));
  EXPECT_EQ(c.days, 0u);
  EXPECT_REASON(ParseRequestExtension(Parse(R"({"days":-1,"reason":"r"})")), "invalid_days");
  // Beyond 32 bits: the most days there are, which the decider refuses as extension_too_long.
  ASSERT_OK_AND_ASSIGN(c, ParseRequestExtension(Parse(R"({"days":99999999999,"reason":"r"})")));
  EXPECT_EQ(c.days, 4294967295u);
  EXPECT_REASON(ParseRequestExtension(Parse(R"({"days":1.5,"reason":"r"})")), "wrong_type");
}

TEST(CommandBodiesTest, DecisionsCarryTheRequestIdFromThePath) {
  ASSERT_OK_AND_ASSIGN(aggregates::DecideExtension e, ParseDecideExtension(Parse(R"({"approve":true})"), "x3"));
  EXPECT_EQ(e.request_id, "x3");
  EXPECT_TRUE(e.approve);
  EXPECT_EQ(e.reason, "");
  ASSERT_OK_AND_ASSIGN(aggregates::DecidePromotion p,
                       ParseDecidePromotion(Parse(R"({"approve":false,"reason":"不够"})"), "p2"));
  EXPECT_EQ(p.request_id, "p2");
  EXPECT_FALSE(p.approve);
  EXPECT_EQ(p.reason, "不够");
}

TEST(CommandBodiesTest, PromotionAndAbandonReadTheReason) {
  ASSERT_OK_AND_ASSIGN(aggregates::RequestPromotion p, ParseRequestPromotion(Parse(R"({"reason":"已报价"})")));
  EXPECT_EQ(p.reason, "已报价");
  ASSERT_OK_AND_ASSIGN(aggregates::AbandonCustomer a, ParseAbandonCustomer(Parse(R"({"reason":"倒闭"})")));
  EXPECT_EQ(a.reason, "倒闭");
}

TEST(CommandBodiesTest, ContractReadsBuyerLinesExtrasAndTotal) {
  ASSERT_OK_AND_ASSIGN(aggregates::SignContract c, ParseSignContract(Parse(AllBodies()[10].valid_body)));
  EXPECT_EQ(c.contract_no, "HT-2026-001");
  EXPECT_EQ(c.contract_type, "销售合同");
  EXPECT_EQ(c.signed_at_ms, kMarch3At9);
  EXPECT_EQ(c.payment_method, "银行转账");
  EXPECT_EQ(c.buyer, (events::ContractBuyer{.name = "江苏春意服装有限公司",
                                            .tax_id = "91320600",
                                            .address = "南通",
                                            .phone = "0513-85561234",
                                            .bank = "工商银行",
                                            .bank_account = "6222",
                                            .contact_person = "王芳"}));
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].product, "ERP 标准版");
  EXPECT_EQ(c.lines[0].quantity, 2);
  EXPECT_EQ(c.lines[0].unit_price_fen, 500000);
  EXPECT_EQ(c.lines[1].product, "实施服务");
  EXPECT_EQ(c.extras, std::vector<std::string>{"赠送培训一次"});
  EXPECT_EQ(c.total_fen, 1250000);
  EXPECT_EQ(c.aftersales_owner_id, "as1");
}

TEST(CommandBodiesTest, ContractNestedProblemsAreNamedByPath) {
  Json body = Parse(AllBodies()[10].valid_body);
  body["buyer"].erase("name");
  Status status = ParseSignContract(body).status();
  EXPECT_REASON(status, "missing_field");
  EXPECT_EQ(status.details().at("field"), "buyer.name");

  body = Parse(AllBodies()[10].valid_body);
  body["buyer"]["fax"] = "0513";
  status = ParseSignContract(body).status();
  EXPECT_REASON(status, "unknown_field");
  EXPECT_EQ(status.details().at("field"), "buyer.fax");

  body = Parse(AllBodies()[10].valid_body);
  body["lines"][1]["quantity"] = "1";
  status = ParseSignContract(body).status();
  EXPECT_REASON(status, "wrong_type");
  EXPECT_EQ(status.details().at("field"), "lines[1].quantity");

  body = Parse(AllBodies()[10].valid_body);
  body["lines"][0].erase("unitPriceFen");
  status = ParseSignContract(body).status();
  EXPECT_REASON(status, "missing_field");
  EXPECT_EQ(status.details().at("field"), "lines[0].unitPriceFen");

  body = Parse(AllBodies()[10].valid_body);
  body["lines"][0]["discountFen"] = 1;
  status = ParseSignContract(body).status();
  EXPECT_REASON(status, "unknown_field");
  EXPECT_EQ(status.details().at("field"), "lines[0].discountFen");

  body = Parse(AllBodies()[10].valid_body);
  body["extras"] = Json::array({"a", 1});
  status = ParseSignContract(body).status();
  EXPECT_REASON(status, "wrong_type");
  EXPECT_EQ(status.details().at("field"), "extras[1]");
}

TEST(CommandBodiesTest, ContractLeavesLineRulesToTheDecider) {
  // No lines, a negative quantity, a total that does not add up: the decider's missing_lines,
  // invalid_quantity and total_mismatch.
  Json body = Parse(AllBodies()[10].valid_body);
  body["lines"] = Json::array();
  EXPECT_OK(ParseSignContract(body));
  body["lines"] = Json::array({Json{{"product", "p"}, {"quantity", -1}, {"unitPriceFen", 1}}});
  body["totalFen"] = 7;
  EXPECT_OK(ParseSignContract(body));
}

TEST(CommandBodiesTest, PaymentReadsEveryFieldAndTheContractFromThePath) {
  ASSERT_OK_AND_ASSIGN(aggregates::RecordPayment c, ParseRecordPayment(Parse(AllBodies()[11].valid_body), "HT-9"));
  EXPECT_EQ(c.contract_no, "HT-9");
  EXPECT_EQ(c.amount_fen, 1250000);
  EXPECT_EQ(c.paid_at_ms, kMarch3At9);
  EXPECT_EQ(c.method, "银行转账");
  EXPECT_EQ(c.handler, "李会计");
  EXPECT_EQ(c.account, "6222");
}

TEST(CommandBodiesTest, ReassignAndHandoverReadTheRecipient) {
  ASSERT_OK_AND_ASSIGN(aggregates::ReassignCustomer r,
                       ParseReassignCustomer(Parse(R"({"toUserId":"s2","reason":"调岗"})")));
  EXPECT_EQ(r.to_user_id, "s2");
  EXPECT_EQ(r.reason, "调岗");
  ASSERT_OK_AND_ASSIGN(aggregates::HandOverCustomers h,
                       ParseHandOver(Parse(R"({"toUserId":"s2","reason":"离职"})"), "s1"));
  EXPECT_EQ(h.from_user_id, "s1");
  EXPECT_EQ(h.to_user_id, "s2");
  EXPECT_EQ(h.reason, "离职");
  // A body never names who acts: the caller is the token's user.
  EXPECT_REASON(ParseHandOver(Parse(R"({"fromUserId":"s9","toUserId":"s2","reason":"x"})"), "s1"), "unknown_field");
}

TEST(CommandBodiesTest, CreateUserReadsEveryFieldAndEveryRole) {
  ASSERT_OK_AND_ASSIGN(aggregates::CreateUser c, ParseCreateUser(Parse(AllBodies()[14].valid_body)));
  EXPECT_EQ(c.user_id, "s1");
  EXPECT_EQ(c.name, "张三");
  EXPECT_EQ(c.role, events::Role::kSales);
  EXPECT_EQ(c.team, "华东");
  EXPECT_EQ(c.manager_id, "m1");
  EXPECT_EQ(c.token_sha256, events::Sha256Digest{});  // the shell issues the token
  const std::pair<const char*, events::Role> roles[] = {
      {"sales", events::Role::kSales},       {"manager", events::Role::kManager},
      {"reviewer", events::Role::kReviewer}, {"aftersales", events::Role::kAftersales},
      {"finance", events::Role::kFinance},   {"auditor", events::Role::kAuditor},
      {"admin", events::Role::kAdmin}};
  for (const auto& [name, role] : roles) {
    Json body = Parse(AllBodies()[14].valid_body);
    body["role"] = name;
    ASSERT_OK_AND_ASSIGN(c, ParseCreateUser(body));
    EXPECT_EQ(c.role, role) << name;
  }
}

TEST(CommandBodiesTest, CreateUserRefusesAnUnknownRole) {
  Json body = Parse(AllBodies()[14].valid_body);
  body["role"] = "boss";
  const Status status = ParseCreateUser(body).status();
  EXPECT_REASON(status, "invalid_role");
  EXPECT_EQ(status.details().at("field"), "role");
}

TEST(CommandBodiesTest, PolicySubsetMergesIntoThePolicyInForce) {
  events::Policy in_force;
  in_force.potential_days = 45;
  in_force.holidays = {"2026-05-01"};
  in_force.default_aftersales_owner_id = "as9";
  ASSERT_OK_AND_ASSIGN(aggregates::ChangePolicy change,
                       ParsePolicyChange(Parse(R"({"intentionDays":20,"maskPoolContacts":true})"), in_force));
  events::Policy expected = in_force;
  expected.intention_days = 20;
  expected.mask_pool_contacts = true;
  EXPECT_EQ(change.policy, expected);

  ASSERT_OK_AND_ASSIGN(change, ParsePolicyChange(Parse("{}"), in_force));
  EXPECT_EQ(change.policy, in_force);

  // null keeps a value; "" and [] are values.
  ASSERT_OK_AND_ASSIGN(change, ParsePolicyChange(Parse(R"({"timeZone":null,"holidays":[],
                                                           "defaultAftersalesOwnerId":""})"),
                                                 in_force));
  expected = in_force;
  expected.holidays.clear();
  expected.default_aftersales_owner_id.clear();
  EXPECT_EQ(change.policy, expected);
}

TEST(CommandBodiesTest, PolicyEveryFieldReplacesItsValue) {
  ASSERT_OK_AND_ASSIGN(aggregates::ChangePolicy change,
                       ParsePolicyChange(Parse(AllBodies()[15].valid_body), events::Policy{}));
  const events::Policy& p = change.policy;
  EXPECT_EQ(p.potential_days, 20u);
  EXPECT_EQ(p.intention_days, 10u);
  EXPECT_EQ(p.abandon_cooldown_days, 5u);
  EXPECT_EQ(p.review_working_days, 2u);
  EXPECT_EQ(p.max_protected, 100u);
  EXPECT_EQ(p.max_claims_per_day, 5u);
  EXPECT_EQ(p.max_extensions, 2u);
  EXPECT_EQ(p.max_extension_days, 15u);
  EXPECT_FALSE(p.promotion_needs_approval);
  EXPECT_TRUE(p.mask_pool_contacts);
  EXPECT_EQ(p.holidays, std::vector<std::string>{"2026-10-01"});
  EXPECT_EQ(p.time_zone, "Asia/Urumqi");
  EXPECT_EQ(p.default_aftersales_owner_id, "as1");
}

TEST(CommandBodiesTest, PolicyNumbersNoPolicyCanHoldAreInvalidPolicy) {
  for (const char* text : {R"({"maxProtected":-1})", R"({"maxProtected":4294967296})"}) {
    const Status status = ParsePolicyChange(Parse(text), events::Policy{}).status();
    EXPECT_EQ(testutil::StatusOf(status).reason(), "invalid_policy") << text;
    EXPECT_EQ(status.details().at("field"), "maxProtected");
  }
  // Within 32 bits, the range is the decider's: 0 days is well formed here.
  EXPECT_OK(ParsePolicyChange(Parse(R"({"potentialDays":0})"), events::Policy{}));
  EXPECT_REASON(ParsePolicyChange(Parse(R"({"holidays":["2026-10-01",3]})"), events::Policy{}), "wrong_type");
}

TEST(CommandBodiesTest, TestClockReadsNow) {
  ASSERT_OK_AND_ASSIGN(events::TimeMs now_ms, ParseTestClock(Parse(R"({"now":"2026-03-01T16:30:00+08:00"})")));
  EXPECT_EQ(now_ms, kMarch1At0830);
  EXPECT_REASON(ParseTestClock(Parse(R"({"now":"tomorrow"})")), "invalid_time");
}

}  // namespace
}  // namespace crm::server::api
