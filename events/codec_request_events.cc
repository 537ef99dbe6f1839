// Extension and promotion requests and their decisions <-> schema.
#include "events/codec_internal.h"

namespace crm::events::codec_internal {

void Encode(const ExtensionRequested& e, schema::Event::Builder out) {
  auto b = out.initExtensionRequested();
  b.setCustomerId(AsText(e.customer_id));
  b.setRequestId(AsText(e.request_id));
  b.setDays(e.days);
  b.setReason(AsText(e.reason));
}

Status Decode(schema::ExtensionRequested::Reader in, ExtensionRequested& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.request_id, in.getRequestId());
  e.days = in.getDays();
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

void Encode(const ExtensionGranted& e, schema::Event::Builder out) {
  auto b = out.initExtensionGranted();
  b.setCustomerId(AsText(e.customer_id));
  b.setRequestId(AsText(e.request_id));
  b.setDays(e.days);
  b.setDeadlineMs(e.deadline_ms);
  b.setReason(AsText(e.reason));
}

Status Decode(schema::ExtensionGranted::Reader in, ExtensionGranted& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.request_id, in.getRequestId());
  e.days = in.getDays();
  e.deadline_ms = in.getDeadlineMs();
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

// ExtensionDenied, PromotionRequested and PromotionDenied share one shape; each still gets its
// own schema struct so that either can grow a field without touching the others.
template <typename Value, typename Builder>
void EncodeRequestNote(const Value& e, Builder b) {
  b.setCustomerId(AsText(e.customer_id));
  b.setRequestId(AsText(e.request_id));
  b.setReason(AsText(e.reason));
}

template <typename Value, typename Reader>
Status DecodeRequestNote(Reader in, Value& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.request_id, in.getRequestId());
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

void Encode(const ExtensionDenied& e, schema::Event::Builder out) {
  EncodeRequestNote(e, out.initExtensionDenied());
}
Status Decode(schema::ExtensionDenied::Reader in, ExtensionDenied& e) {
  return DecodeRequestNote(in, e);
}

void Encode(const PromotionRequested& e, schema::Event::Builder out) {
  EncodeRequestNote(e, out.initPromotionRequested());
}
Status Decode(schema::PromotionRequested::Reader in, PromotionRequested& e) {
  return DecodeRequestNote(in, e);
}

void Encode(const PromotionDenied& e, schema::Event::Builder out) {
  EncodeRequestNote(e, out.initPromotionDenied());
}
Status Decode(schema::PromotionDenied::Reader in, PromotionDenied& e) {
  return DecodeRequestNote(in, e);
}

void Encode(const CustomerPromoted& e, schema::Event::Builder out) {
  auto b = out.initCustomerPromoted();
  b.setCustomerId(AsText(e.customer_id));
  b.setRequestId(AsText(e.request_id));
  b.setDeadlineMs(e.deadline_ms);
  b.setReason(AsText(e.reason));
}

Status Decode(schema::CustomerPromoted::Reader in, CustomerPromoted& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.request_id, in.getRequestId());
  e.deadline_ms = in.getDeadlineMs();
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

}  // namespace crm::events::codec_internal
