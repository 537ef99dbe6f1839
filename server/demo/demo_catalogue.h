// The words the demo company is made of: cities with their real area codes and postcodes,
// trade names, industries, people's names, what the company sells, and what salespeople write.
// Data only; demo_profiles.h combines them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "events/domain_values.h"

namespace crm::demo {

// The sales teams, by the regions they cover.
inline constexpr int kTeamCount = 3;

struct DemoCity {
  std::string_view name;       // as a company name starts: "靖江" (+ "市" in some names)
  std::string_view region;     // the customer's region: "江苏省泰州市"
  std::string_view area_code;  // "0523": landlines are area code + 8 digits
  std::string_view postcode;   // "214500"
  std::string_view pinyin;     // for web sites and e-mail domains
  int team = 0;                // the team that covers it: 0 华东一组, 1 华东二组, 2 华南组
};

struct DemoTradeName {
  std::string_view name;  // 字号: "春意"
  std::string_view pinyin;
};

struct DemoIndustry {
  std::string_view name_part;  // 行业 in the company name: "空调"
  std::string_view industry;   // the customer's industry field: "制冷设备"
  std::string_view business;   // what it does, for the introduction
};

struct DemoProduct {
  std::string_view name;
  events::Fen unit_price_fen = 0;
  std::int64_t quantity_min = 1;
  std::int64_t quantity_max = 1;
};

struct DemoNote {
  events::FollowUpChannel channel = events::FollowUpChannel::kPhone;
  std::string_view text;  // "{contact}" is replaced by the contact's name
};

std::span<const DemoCity> Cities();
std::span<const DemoTradeName> TradeNames();
std::span<const DemoIndustry> Industries();
std::span<const std::string_view> LegalForms();  // weighted by repetition
std::span<const std::string_view> Streets();
std::span<const std::string_view> Surnames();
std::span<const std::string_view> GivenNames();
std::span<const std::string_view> ContactTitles();
std::span<const std::string_view> MobilePrefixes();
std::span<const std::string_view> Banks();

// What the company sells: a cloud ERP, its modules and services.
const DemoProduct& LicenceProduct();
std::span<const DemoProduct> ModuleProducts();
std::span<const DemoProduct> ServiceProducts();
const DemoProduct& MaintenanceProduct();  // the follow-on contract after-sales sells
std::span<const std::string_view> ContractExtras();

// What people write, by occasion.
std::span<const DemoNote> PotentialNotes();
std::span<const DemoNote> IntentionNotes();
std::span<const DemoNote> AftersalesNotes();
std::span<const std::string_view> RejectReasons();
std::span<const std::string_view> AbandonReasons();
std::span<const std::string_view> ExtensionReasons();
std::span<const std::string_view> PromotionReasons();
std::span<const std::string_view> PromotionDenials();
std::span<const std::string_view> ExtensionDenials();

}  // namespace crm::demo
