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

Result<Event> Decode(schema::ExtensionRequested::Reader in) {
  return Event(ExtensionRequested{
      .customer_id = ToString(in.getCustomerId()),
      .request_id = ToString(in.getRequestId()),
      .days = in.getDays(),
      .reason = ToString(in.getReason()),
  });
}

void Encode(const ExtensionGranted& e, schema::Event::Builder out) {
  auto b = out.initExtensionGranted();
  b.setCustomerId(AsText(e.customer_id));
  b.setRequestId(AsText(e.request_id));
  b.setDays(e.days);
  b.setDeadlineMs(e.deadline_ms);
  b.setReason(AsText(e.reason));
}

Result<Event> Decode(schema::ExtensionGranted::Reader in) {
  return Event(ExtensionGranted{
      .customer_id = ToString(in.getCustomerId()),
      .request_id = ToString(in.getRequestId()),
      .days = in.getDays(),
      .deadline_ms = in.getDeadlineMs(),
      .reason = ToString(in.getReason()),
  });
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
Result<Event> DecodeRequestNote(Reader in) {
  return Event(Value{
      .customer_id = ToString(in.getCustomerId()),
      .request_id = ToString(in.getRequestId()),
      .reason = ToString(in.getReason()),
  });
}

void Encode(const ExtensionDenied& e, schema::Event::Builder out) {
  EncodeRequestNote(e, out.initExtensionDenied());
}
Result<Event> Decode(schema::ExtensionDenied::Reader in) {
  return DecodeRequestNote<ExtensionDenied>(in);
}

void Encode(const PromotionRequested& e, schema::Event::Builder out) {
  EncodeRequestNote(e, out.initPromotionRequested());
}
Result<Event> Decode(schema::PromotionRequested::Reader in) {
  return DecodeRequestNote<PromotionRequested>(in);
}

void Encode(const PromotionDenied& e, schema::Event::Builder out) {
  EncodeRequestNote(e, out.initPromotionDenied());
}
Result<Event> Decode(schema::PromotionDenied::Reader in) {
  return DecodeRequestNote<PromotionDenied>(in);
}

void Encode(const CustomerPromoted& e, schema::Event::Builder out) {
  auto b = out.initCustomerPromoted();
  b.setCustomerId(AsText(e.customer_id));
  b.setRequestId(AsText(e.request_id));
  b.setDeadlineMs(e.deadline_ms);
  b.setReason(AsText(e.reason));
}

Result<Event> Decode(schema::CustomerPromoted::Reader in) {
  return Event(CustomerPromoted{
      .customer_id = ToString(in.getCustomerId()),
      .request_id = ToString(in.getRequestId()),
      .deadline_ms = in.getDeadlineMs(),
      .reason = ToString(in.getReason()),
  });
}

}  // namespace crm::events::codec_internal
