#include "server/demo/demo_profiles.h"

#include <set>

#include "events/company_name.h"

namespace crm::demo {
namespace {

constexpr std::size_t kLocalNumberDigits = 8;   // landlines: area code + 8 digits everywhere we sell
constexpr std::size_t kMobileSuffixDigits = 8;  // after a 3-digit prefix: 11 digits in all
constexpr std::size_t kTaxIdChars = 16;         // after "91" (a company's 统一社会信用代码 prefix)

std::string Digits(std::size_t count, DemoRandom& random) {
  std::string digits;
  for (std::size_t i = 0; i < count; ++i) digits.push_back(static_cast<char>('0' + random.Below(10)));
  return digits;
}

// A local number never starts with 0 or 1 (docs/rules.md, "Landlines").
std::string Landline(const DemoCity& city, DemoRandom& random) {
  return std::string(city.area_code) + "-" + static_cast<char>('2' + random.Below(7)) +
         Digits(kLocalNumberDigits - 1, random);
}

std::string Mobile(DemoRandom& random) {
  return std::string(random.Pick(MobilePrefixes())) + Digits(kMobileSuffixDigits, random);
}

std::string PersonName(DemoRandom& random) {
  return std::string(random.Pick(Surnames())) + std::string(random.Pick(GivenNames()));
}

std::string TaxId(DemoRandom& random) {
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";  // the code's alphabet
  std::string id = "91";
  for (std::size_t i = 0; i < kTaxIdChars; ++i) id.push_back(kChars[random.Below(kChars.size())]);
  return id;
}

aggregates::AddContact Contact(const DemoCity& city, const std::string& domain, DemoRandom& random) {
  static constexpr std::string_view kMailboxes[] = {"info", "purchase", "it", "office"};
  aggregates::AddContact contact{.name = PersonName(random),
                                 .title = std::string(random.Pick(ContactTitles())),
                                 .mobile = Mobile(random),
                                 .phone = "",
                                 .email = "",
                                 .postcode = ""};
  if (random.Percent(50)) contact.phone = Landline(city, random) + "-" + std::to_string(random.Between(801, 829));
  if (random.Percent(40)) contact.email = std::string(random.Pick(kMailboxes)) + "@" + domain;
  if (random.Percent(50)) contact.postcode = std::string(city.postcode);
  return contact;
}

DemoCustomerProfile Profile(const DemoCity& city, const DemoTradeName& trade, DemoRandom& random) {
  const DemoIndustry& industry = random.Pick(Industries());
  // Both forms are in use: "靖江市春意空调有限公司" and "苏州恒达精密机械有限公司".
  const std::string place = std::string(city.name) + (random.Percent(40) ? "市" : "");
  const std::string domain = std::string(trade.pinyin) + "-" + std::string(city.pinyin) + ".com";
  DemoCustomerProfile profile;
  profile.sales_team = city.team;
  profile.registration = aggregates::RegisterCustomer{
      .customer_id = "",
      .name =
          place + std::string(trade.name) + std::string(industry.name_part) + std::string(random.Pick(LegalForms())),
      .region = std::string(city.region),
      .industry = std::string(industry.industry),
      .address = std::string(city.name) + "市" + std::string(random.Pick(Streets())) +
                 std::to_string(random.Between(1, 999)) + "号",
      .phone = Landline(city, random),
      .intro = "主营" + std::string(industry.business) + "，员工约 " + std::to_string(random.Between(3, 80) * 10) +
               " 人。目前用 Excel 和财务软件管理，正在考虑上 ERP。",
      .website = random.Percent(60) ? "www." + domain : ""};
  profile.contacts.push_back(Contact(city, domain, random));
  if (random.Percent(45)) profile.contacts.push_back(Contact(city, domain, random));
  profile.bank = std::string(random.Pick(Banks())) + std::string(city.name) + "支行";
  profile.tax_id = TaxId(random);
  return profile;
}

}  // namespace

Result<std::vector<DemoCustomerProfile>> MakeCustomerProfiles(std::size_t count, DemoRandom& random) {
  const std::size_t trades = TradeNames().size();
  const std::size_t pairs = Cities().size() * trades;
  if (count > pairs) {
    return Status::Internal("demo_names_exhausted", "the demo catalogue has " + std::to_string(pairs) + " names");
  }
  // A partial Fisher-Yates shuffle of every city x trade-name pair: `count` distinct pairs.
  std::vector<std::size_t> order(pairs);
  for (std::size_t i = 0; i < pairs; ++i) order[i] = i;
  std::vector<DemoCustomerProfile> profiles;
  std::set<std::string> normalized_names;
  for (std::size_t i = 0; i < count; ++i) {
    std::swap(order[i], order[i + random.Below(pairs - i)]);
    DemoCustomerProfile profile = Profile(Cities()[order[i] / trades], TradeNames()[order[i] % trades], random);
    // A check, not a hope: a duplicate would be refused by the service (duplicate_name).
    CRM_ASSIGN_OR_RETURN(std::string normalized, events::NormalizeCompanyName(profile.registration.name));
    if (!normalized_names.insert(std::move(normalized)).second) {
      return Status::Internal("demo_duplicate_name", "the demo made a name twice: " + profile.registration.name);
    }
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

aggregates::RecordFollowUp FollowUpFrom(const DemoNote& note, const DemoCustomerProfile& customer,
                                        std::optional<events::TimeMs> next_contact_at_ms) {
  std::string notes(note.text);
  static constexpr std::string_view kPlaceholder = "{contact}";
  if (const std::size_t at = notes.find(kPlaceholder); at != std::string::npos) {
    notes.replace(at, kPlaceholder.size(), customer.contacts.front().name);
  }
  return aggregates::RecordFollowUp{
      .channel = note.channel, .notes = std::move(notes), .next_contact_at_ms = next_contact_at_ms};
}

namespace {

events::ContractBuyer BuyerOf(const DemoCustomerProfile& customer) {
  const aggregates::RegisterCustomer& r = customer.registration;
  return events::ContractBuyer{.name = r.name,
                               .tax_id = customer.tax_id,
                               .address = r.address,
                               .phone = r.phone,
                               .bank = customer.bank,
                               .bank_account = customer.tax_id.substr(2, 4) + r.phone.substr(r.phone.size() - 8),
                               .contact_person = customer.contacts.front().name};
}

aggregates::SignContractLine LineOf(const DemoProduct& product, std::int64_t quantity) {
  return aggregates::SignContractLine{
      .product = std::string(product.name), .quantity = quantity, .unit_price_fen = product.unit_price_fen};
}

aggregates::SignContract Contract(const DemoCustomerProfile& customer, std::string contract_no,
                                  std::string contract_type, events::TimeMs signed_at_ms,
                                  std::vector<aggregates::SignContractLine> lines) {
  aggregates::SignContract contract;
  contract.contract_no = std::move(contract_no);
  contract.contract_type = std::move(contract_type);
  contract.signed_at_ms = signed_at_ms;
  contract.payment_method = "银行转账";
  contract.buyer = BuyerOf(customer);
  contract.lines = std::move(lines);
  for (const aggregates::SignContractLine& line : contract.lines)
    contract.total_fen += line.quantity * line.unit_price_fen;
  return contract;
}

}  // namespace

aggregates::SignContract FirstContract(const DemoCustomerProfile& customer, std::string contract_no,
                                       events::TimeMs signed_at_ms, std::string aftersales_owner_id,
                                       DemoRandom& random) {
  const DemoProduct& licence = LicenceProduct();
  std::vector<aggregates::SignContractLine> lines{
      LineOf(licence, random.Between(licence.quantity_min, licence.quantity_max))};
  for (const DemoProduct& module : ModuleProducts()) {
    if (random.Percent(35)) lines.push_back(LineOf(module, 1));
  }
  for (const DemoProduct& service : ServiceProducts()) {
    if (random.Percent(60))
      lines.push_back(LineOf(service, random.Between(service.quantity_min, service.quantity_max)));
  }
  aggregates::SignContract contract =
      Contract(customer, std::move(contract_no), "软件销售及实施合同", signed_at_ms, std::move(lines));
  if (random.Percent(40)) contract.payment_method = "分期付款：签约付 30%，验收后付 70%";
  if (random.Percent(50)) contract.extras.push_back(std::string(random.Pick(ContractExtras())));
  contract.aftersales_owner_id = std::move(aftersales_owner_id);
  return contract;
}

aggregates::SignContract MaintenanceContract(const DemoCustomerProfile& customer, std::string contract_no,
                                             events::TimeMs signed_at_ms) {
  return Contract(customer, std::move(contract_no), "年度运维服务合同", signed_at_ms,
                  {LineOf(MaintenanceProduct(), 1)});
}

}  // namespace crm::demo
