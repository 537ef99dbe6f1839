#include "testutil/sample_events.h"

#include <iomanip>
#include <sstream>

namespace crm::testutil {
namespace {

using namespace crm::events;

// 2026-03-03T09:00:00Z, the day compliance asks about.
constexpr TimeMs kMarch3 = 1772528400000;

Sha256Digest Digest(std::uint8_t seed) {
  Sha256Digest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(seed + i * 7);
  return digest;
}

}  // namespace

std::vector<Event> SampleEventsV1() {
  return {
      UserCreated{"u-wang", "王芳", Role::kManager, "华东一组", "u-li", Digest(1)},
      UserRoleChanged{"u-zhao", Role::kReviewer},
      UserTeamChanged{"u-zhao", "华南二组", "u-chen"},
      UserDeactivated{"u-sun", "离职"},
      CustomersHandedOver{"u-sun", "u-zhou", "离职交接", {"c-000101", "c-000102", "c-000103"}},
      PolicyChanged{Policy{
          .potential_days = 31,
          .intention_days = 16,
          .abandon_cooldown_days = 4,
          .review_working_days = 2,
          .max_protected = 150,
          .max_claims_per_day = 12,
          .max_extensions = 2,
          .max_extension_days = 20,
          .promotion_needs_approval = false,
          .mask_pool_contacts = true,
          .holidays = {"2026-10-01", "2026-10-02"},
          .time_zone = "Asia/Urumqi",
          .default_aftersales_owner_id = "u-after",
      }},
      CustomerRegistered{"c-000101", "靖江市春意空调有限公司", "靖江市春意空调有限公司", "江苏省泰州市", "空调制冷",
                         "靖江市人民路88号", "0523-84812345", "中央空调安装与维保", "https://chunyi.example.cn"},
      CustomerProtected{"c-000101", "u-zhou", ProtectionSource::kPool, kMarch3 + 30 * kMsPerDay,
                        kMarch3 + 5 * kMsPerDay},
      ProtectionApproved{"c-000101", "u-zhou", "资料完整"},
      ProtectionRejected{"c-000102", "u-zhou", "地址不完整"},
      ProtectionReviewTimedOut{"c-000103", "u-qian", kMarch3 + 3 * kMsPerDay},
      ContactAdded{"c-000101", "k-1", "刘强", "采购经理", "13812345678", "0523-84812346", "liuqiang@chunyi.example.cn",
                   "214500"},
      FollowUpRecorded{"c-000101", "f-1", FollowUpChannel::kWechat, "约好下周三上门演示", kMarch3 + 8 * kMsPerDay},
      ExtensionRequested{"c-000101", "x-1", 14, "客户预算下月审批"},
      ExtensionGranted{"c-000101", "x-1", 14, kMarch3 + 44 * kMsPerDay, "同意"},
      ExtensionDenied{"c-000102", "x-2", "理由不足"},
      PromotionRequested{"c-000101", "p-1", "已确认采购意向"},
      CustomerPromoted{"c-000101", "p-1", kMarch3 + 15 * kMsPerDay, "批准"},
      PromotionDenied{"c-000104", "p-2", "尚无明确需求"},
      CustomerAbandoned{"c-000105", "u-qian", "客户已选择竞品", kMarch3 + 3 * kMsPerDay},
      ProtectionExpired{"c-000106", "u-qian", HeldStage::kIntention, kMarch3 - kMsPerDay},
      CustomerReassigned{"c-000107", "u-sun", "u-zhou", "原负责人离职"},
      CustomerHandedToAftersales{"c-000101", "HT-2026-0001", "u-zhou", "u-after"},
      ContractSigned{
          .contract_no = "HT-2026-0001",
          .customer_id = "c-000101",
          .contract_type = "销售合同",
          .signed_at_ms = kMarch3 + 20 * kMsPerDay,
          .payment_method = "分期",
          .buyer = {"靖江市春意空调有限公司", "91321282MA1X2Y3Z4A", "靖江市人民路88号", "0523-84812345",
                    "中国工商银行靖江支行", "1105020109000123456", "刘强"},
          .lines = {{"CRM 标准版", 10, 198000, 1980000}, {"实施服务", 1, 500000, 500000}},
          .extras = {"赠送培训两天", "首年免费维保"},
          .total_fen = 2480000,
          .sales_owner_id = "u-zhou",
      },
      PaymentRecorded{"HT-2026-0001", "c-000101", "m-1", 1240000, kMarch3 + 25 * kMsPerDay, "银行转账", "u-fin",
                      "基本户 1105020109000123456"},
  };
}

EventEnvelope SampleEnvelopeV1(std::size_t index) {
  const auto n = static_cast<std::uint64_t>(index);
  return EventEnvelope{
      .seq = 1000 + n,
      .stream_id = "golden-" + std::to_string(index),
      .stream_version = 1 + n,
      .recorded_at_ms = kMarch3 + static_cast<TimeMs>(n) * 1000,
      .effective_at_ms = kMarch3 - static_cast<TimeMs>(n),
      .actor_id = index % 2 == 0 ? "u-zhou" : std::string(kSystemActorId),
      .command_id = "cmd-" + std::to_string(index),
      .schema_version = 1,
      .prev_hash = Digest(static_cast<std::uint8_t>(index)),
  };
}

std::string GoldenFileName(std::size_t index, const Event& event) {
  std::ostringstream name;
  name << std::setw(2) << std::setfill('0') << index << "-" << EventTypeName(event) << ".bin";
  return name.str();
}

}  // namespace crm::testutil
