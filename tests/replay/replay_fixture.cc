#include "replay/replay_fixture.h"

#include <rocksdb/iterator.h>

#include <sstream>

#include "replay/commands.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"

namespace crm::testutil {

namespace {

std::string CustomerIdOf(const Result<aggregates::CommandOutcome>& outcome) {
  EXPECT_OK(outcome);
  if (!outcome.ok()) return "";
  return std::get<events::CustomerRegistered>(outcome->events.front().event).customer_id;
}

}  // namespace

void ReplayTest::BuildStory() {
  const events::TimeMs t0 = kStoryStartMs;
  formal_ = Formal("s1", "靖江市春意空调有限公司", "HT-1", 100000, t0);
  ASSERT_OK(service_->RecordPayment(As("f1", t0 + 10), aggregates::RecordPayment{.contract_no = "HT-1",
                                                                                 .amount_fen = 40000,
                                                                                 .paid_at_ms = t0 + 10,
                                                                                 .method = "银行转账",
                                                                                 .handler = "f1",
                                                                                 .account = "工行 001"}));
  expired_ = Registered("s2", "泰州市长江机械制造有限公司", t0 + kHourMs);
  pooled_ = InPool("无锡市太湖电子科技有限公司", t0 + 2 * kHourMs);

  reassigned_ =
      CustomerIdOf(service_->RegisterCustomer(As("s3", t0 + 3 * kHourMs), Registration("常州市龙城纺织有限公司")));
  const auto requested = service_->ExecuteCustomer(As("s3", t0 + 3 * kHourMs + 1), reassigned_,
                                                   aggregates::RequestExtension{.days = 10, .reason = "项目周期长"});
  ASSERT_OK(requested);
  const std::string request_id = std::get<events::ExtensionRequested>(requested->events.back().event).request_id;
  ASSERT_OK(service_->ExecuteCustomer(
      As("m1", t0 + 3 * kHourMs + 2), reassigned_,
      aggregates::DecideExtension{.request_id = request_id, .approve = true, .reason = "同意"}));
  ASSERT_OK(service_->ExecuteCustomer(As("r1", t0 + 3 * kHourMs + 3), reassigned_,
                                      aggregates::ReviewProtection{.approve = true, .reason = ""}));
  ASSERT_OK(service_->ExecuteCustomer(As("m1", t0 + 3 * kHourMs + 4), reassigned_,
                                      aggregates::ReassignCustomer{.to_user_id = "s4", .reason = "s3 调岗"}));

  promoted_ = Registered("s5", "南通市海门建材有限公司", t0 + 4 * kHourMs);
  ASSERT_OK(service_->ExecuteUser(As("root", t0 + kDayMs),
                                  aggregates::ChangeUserRole{.user_id = "s7", .role = events::Role::kManager}));
  ASSERT_OK(service_->ExecuteUser(As("root", t0 + kDayMs + 1),
                                  aggregates::DeactivateUser{.user_id = "s6", .reason = "离职"}));

  const events::TimeMs promote_at = t0 + 25 * kDayMs;
  const auto promotion =
      service_->ExecuteCustomer(As("s5", promote_at), promoted_, aggregates::RequestPromotion{.reason = "已报价"});
  ASSERT_OK(promotion);
  const std::string promotion_id = std::get<events::PromotionRequested>(promotion->events.back().event).request_id;
  ASSERT_OK(service_->ExecuteCustomer(
      As("m1", promote_at + 1), promoted_,
      aggregates::DecidePromotion{.request_id = promotion_id, .approve = true, .reason = ""}));

  events::Policy policy = service_->PolicyAt(t0 + 26 * kDayMs);
  policy.potential_days = 20;
  SetPolicy(policy, t0 + 26 * kDayMs);

  ASSERT_OK_AND_ASSIGN(const aggregates::SweepReport swept, service_->Sweep(t0 + 31 * kDayMs));
  ASSERT_EQ(swept.released, 1u) << "only expired_ is due at +31d";
}

void ReplayTest::CloseService() {
  service_.reset();
  log_.reset();
}

RunResult ReplayTest::Run(std::vector<std::string> args, bool with_data) const {
  if (with_data) {
    args.push_back("--data");
    args.push_back(DataDir());
  }
  std::ostringstream out;
  std::ostringstream err;
  RunResult result;
  result.exit_code = replay::RunCrmReplay(args, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

std::map<std::string, std::string> ReplayTest::FamilyRows(const std::string& family) const {
  std::map<std::string, std::string> rows;
  auto log = OpenTestLog(DataDir(), log::OpenMode::kReadOnly);
  EXPECT_OK(log);
  if (!log.ok()) return rows;
  rocksdb::ColumnFamilyHandle* handle = (*log)->store().Family(family);
  EXPECT_NE(handle, nullptr) << family;
  if (handle == nullptr) return rows;
  std::unique_ptr<rocksdb::Iterator> it((*log)->store().db().NewIterator(rocksdb::ReadOptions(), handle));
  for (it->SeekToFirst(); it->Valid(); it->Next()) rows[it->key().ToString()] = it->value().ToString();
  return rows;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace crm::testutil
