// The customers view's row: one customer's summary as bytes (projection.h, "Rows"), written
// whole by EncodeSummary and read back by DecodeSummary, or checked in place by ParseRow and
// copied later by CopyFields (what a snapshot kept as bytes does: customers_view.h).
// Private to the customers view.
#pragma once

#include <string>
#include <string_view>

#include "events/status.h"
#include "projections/customers_view.h"

namespace crm::projections::customer_rows {

// The row value. Field order is the format (row_codec.h); CustomersView::kVersion changes
// with it:
//   customer_id name normalized_name region industry
//   stage:u64 owner_id deadline:i64 review_pending:u64 review_deadline:i64
//   pool_reason:u64 pool_entered:i64
//   count:u64 owner*          (ascending)
//   count:u64 (request_id kind:u64)*  (ascending by request id)
//   has_reminder:u64 [next_contact_at:i64 follow_up_id]
std::string EncodeSummary(const CustomerSummary& summary);

// A row's fields as views into its bytes, checked as a load checks them: what DecodeSummary
// copies into a summary. The two lists stay bytes (every entry checked) until they are copied.
struct RowFields {
  std::string_view customer_id;
  std::string_view name;
  std::string_view normalized_name;
  std::string_view region;
  std::string_view industry;
  CustomerStage stage = CustomerStage::kUnregistered;
  std::string_view owner_id;
  TimeMs deadline_ms = 0;
  bool review_pending = false;
  TimeMs review_deadline_ms = 0;
  PoolReason pool_reason = PoolReason::kNone;
  TimeMs pool_entered_ms = 0;
  std::size_t owners = 0;
  std::string_view owners_bytes;  // `owners` times: owner, ascending
  std::size_t requests = 0;
  std::string_view requests_bytes;  // `requests` times: request_id kind
  bool has_reminder = false;
  TimeMs next_contact_at_ms = 0;
  std::string_view follow_up_id;
};

// Checks a row without copying anything. kCorruption/projection_row_corrupt naming the
// customer when the bytes do not decode, decode to another customer, to owners out of order, or
// to an unknown enum value.
Status ParseRow(std::string_view key, std::string_view value, RowFields& fields);
// Copies checked fields into `summary`, which may hold another row: one summary can decode
// many rows, reusing its strings' memory.
void CopyFields(const RowFields& fields, CustomerSummary& summary);
// ParseRow then CopyFields: a bad row leaves `summary` as it was.
Status DecodeSummary(std::string_view key, std::string_view value, CustomerSummary& summary);
// A row key is a customer id of 1 to kRowKeyBytesMax bytes.
Status CheckKey(std::string_view key);

}  // namespace crm::projections::customer_rows
