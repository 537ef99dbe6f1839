// Contracts and payments <-> schema.
#include "events/codec_internal.h"

namespace crm::events::codec_internal {
namespace {

void EncodeBuyer(const ContractBuyer& buyer, schema::ContractBuyer::Builder b) {
  b.setName(AsText(buyer.name));
  b.setTaxId(AsText(buyer.tax_id));
  b.setAddress(AsText(buyer.address));
  b.setPhone(AsText(buyer.phone));
  b.setBank(AsText(buyer.bank));
  b.setBankAccount(AsText(buyer.bank_account));
  b.setContactPerson(AsText(buyer.contact_person));
}

ContractBuyer DecodeBuyer(schema::ContractBuyer::Reader in) {
  return ContractBuyer{
      .name = ToString(in.getName()),
      .tax_id = ToString(in.getTaxId()),
      .address = ToString(in.getAddress()),
      .phone = ToString(in.getPhone()),
      .bank = ToString(in.getBank()),
      .bank_account = ToString(in.getBankAccount()),
      .contact_person = ToString(in.getContactPerson()),
  };
}

}  // namespace

void Encode(const ContractSigned& e, schema::Event::Builder out) {
  auto b = out.initContractSigned();
  b.setContractNo(AsText(e.contract_no));
  b.setCustomerId(AsText(e.customer_id));
  b.setContractType(AsText(e.contract_type));
  b.setSignedAtMs(e.signed_at_ms);
  b.setPaymentMethod(AsText(e.payment_method));
  EncodeBuyer(e.buyer, b.initBuyer());
  auto lines = b.initLines(static_cast<unsigned>(e.lines.size()));
  for (unsigned i = 0; i < e.lines.size(); ++i) {
    const ContractLine& line = e.lines[i];
    auto l = lines[i];
    l.setProduct(AsText(line.product));
    l.setQuantity(line.quantity);
    l.setUnitPriceFen(line.unit_price_fen);
    l.setAmountFen(line.amount_fen);
  }
  SetTextList(e.extras, b.initExtras(static_cast<unsigned>(e.extras.size())));
  b.setTotalFen(e.total_fen);
  b.setSalesOwnerId(AsText(e.sales_owner_id));
}

Status Decode(schema::ContractSigned::Reader in, ContractSigned& e) {
  AssignText(e.contract_no, in.getContractNo());
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.contract_type, in.getContractType());
  e.signed_at_ms = in.getSignedAtMs();
  AssignText(e.payment_method, in.getPaymentMethod());
  e.buyer = DecodeBuyer(in.getBuyer());
  const auto lines = in.getLines();
  e.lines.clear();
  e.lines.reserve(lines.size());
  for (const auto line : lines) {
    e.lines.push_back(ContractLine{
        .product = ToString(line.getProduct()),
        .quantity = line.getQuantity(),
        .unit_price_fen = line.getUnitPriceFen(),
        .amount_fen = line.getAmountFen(),
    });
  }
  e.extras = ToStringList(in.getExtras());
  e.total_fen = in.getTotalFen();
  AssignText(e.sales_owner_id, in.getSalesOwnerId());
  return Status::Ok();
}

void Encode(const PaymentRecorded& e, schema::Event::Builder out) {
  auto b = out.initPaymentRecorded();
  b.setContractNo(AsText(e.contract_no));
  b.setCustomerId(AsText(e.customer_id));
  b.setPaymentId(AsText(e.payment_id));
  b.setAmountFen(e.amount_fen);
  b.setPaidAtMs(e.paid_at_ms);
  b.setMethod(AsText(e.method));
  b.setHandler(AsText(e.handler));
  b.setAccount(AsText(e.account));
}

Status Decode(schema::PaymentRecorded::Reader in, PaymentRecorded& e) {
  AssignText(e.contract_no, in.getContractNo());
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.payment_id, in.getPaymentId());
  e.amount_fen = in.getAmountFen();
  e.paid_at_ms = in.getPaidAtMs();
  AssignText(e.method, in.getMethod());
  AssignText(e.handler, in.getHandler());
  AssignText(e.account, in.getAccount());
  return Status::Ok();
}

}  // namespace crm::events::codec_internal
