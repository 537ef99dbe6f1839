// The customers view's row format (customer_rows.h).
#include "projections/customer_rows.h"

#include <algorithm>

#include "projections/row_codec.h"

namespace crm::projections::customer_rows {

namespace {

// Reads an enum (or a bool, max 1) written as u64; a value past `max` marks the row bad rather
// than becoming an enumerator nobody handles.
template <typename E>
E ReadEnum(RowReader& row, E max, bool& bad) {
  const std::uint64_t value = row.U64();
  if (value > static_cast<std::uint64_t>(max)) {
    bad = true;
    return E{};
  }
  return static_cast<E>(value);
}

// What `row` has read since its rest() was `before`.
std::string_view ReadSince(std::string_view before, const RowReader& row) {
  return before.substr(0, before.size() - row.rest().size());
}

Status CustomerRowCorrupt(std::string_view key, std::string_view why) {
  return Status::Corruption("projection_row_corrupt", "customers row " + std::string(key) + ": " + std::string(why),
                            {{"customerId", std::string(key)}});
}

}  // namespace

std::string EncodeSummary(const CustomerSummary& summary) {
  RowWriter row;
  row.Bytes(summary.customer_id);
  row.Bytes(summary.name);
  row.Bytes(summary.normalized_name);
  row.Bytes(summary.region);
  row.Bytes(summary.industry);
  row.U64(static_cast<std::uint64_t>(summary.hold.stage));
  row.Bytes(summary.hold.owner_id);
  row.I64(summary.hold.deadline_ms);
  row.Bool(summary.hold.review_pending);
  row.I64(summary.hold.review_deadline_ms);
  row.U64(static_cast<std::uint64_t>(summary.pool_reason));
  row.I64(summary.pool_entered_ms);
  row.U64(summary.owners.size());
  for (const std::string& owner : summary.owners) row.Bytes(owner);
  row.U64(summary.pending_requests.size());
  for (const auto& [request_id, kind] : summary.pending_requests) {
    row.Bytes(request_id);
    row.U64(static_cast<std::uint64_t>(kind));
  }
  row.Bool(summary.reminder.has_value());
  if (summary.reminder.has_value()) {
    row.I64(summary.reminder->next_contact_at_ms);
    row.Bytes(summary.reminder->follow_up_id);
  }
  return row.Take();
}

// A snapshot kept as bytes is checked whole when it is loaded and copied one summary at a time
// later (docs/benchmarks.md, "As-of reads").
Status ParseRow(std::string_view key, std::string_view value, RowFields& fields) {
  RowReader row(value);
  bool bad_enum = false;
  fields.customer_id = row.BytesView();
  fields.name = row.BytesView();
  fields.normalized_name = row.BytesView();
  fields.region = row.BytesView();
  fields.industry = row.BytesView();
  fields.stage = ReadEnum(row, CustomerStage::kPool, bad_enum);
  fields.owner_id = row.BytesView();
  fields.deadline_ms = row.I64();
  fields.review_pending = ReadEnum(row, true, bad_enum);
  fields.review_deadline_ms = row.I64();
  fields.pool_reason = ReadEnum(row, PoolReason::kExpired, bad_enum);
  fields.pool_entered_ms = row.I64();
  fields.owners = row.Count();
  const std::string_view owners_start = row.rest();
  bool bad_order = false;  // owners strictly ascend
  std::string_view previous;
  for (std::size_t i = 0; i < fields.owners; ++i) {
    const std::string_view owner = row.BytesView();
    bad_order = bad_order || (i > 0 && owner <= previous);
    previous = owner;
  }
  fields.owners_bytes = ReadSince(owners_start, row);
  fields.requests = row.Count();
  const std::string_view requests_start = row.rest();
  for (std::size_t i = 0; i < fields.requests; ++i) {
    row.BytesView();
    ReadEnum(row, RequestKind::kPromotion, bad_enum);
  }
  fields.requests_bytes = ReadSince(requests_start, row);
  fields.has_reminder = ReadEnum(row, true, bad_enum);
  if (fields.has_reminder) {
    fields.next_contact_at_ms = row.I64();
    fields.follow_up_id = row.BytesView();
  }
  if (const Status read = row.Finish({"customers row ", key}); !read.ok()) {
    return Status::Corruption(read.reason(), read.message(), {{"customerId", std::string(key)}});
  }
  if (bad_enum) return CustomerRowCorrupt(key, "unknown stage, reason or request kind");
  if (bad_order) return CustomerRowCorrupt(key, "owners out of order or repeated");
  if (fields.customer_id != key) return CustomerRowCorrupt(key, "holds customer " + std::string(fields.customer_id));
  return Status::Ok();
}

void CopyFields(const RowFields& fields, CustomerSummary& summary) {
  summary.customer_id = fields.customer_id;
  summary.name = fields.name;
  summary.normalized_name = fields.normalized_name;
  summary.region = fields.region;
  summary.industry = fields.industry;
  summary.hold.stage = fields.stage;
  summary.hold.owner_id = fields.owner_id;
  summary.hold.deadline_ms = fields.deadline_ms;
  summary.hold.review_pending = fields.review_pending;
  summary.hold.review_deadline_ms = fields.review_deadline_ms;
  summary.pool_reason = fields.pool_reason;
  summary.pool_entered_ms = fields.pool_entered_ms;
  summary.owners.resize(fields.owners);
  RowReader owners(fields.owners_bytes);
  for (std::string& owner : summary.owners) owner = owners.BytesView();
  summary.pending_requests.clear();
  RowReader requests(fields.requests_bytes);
  for (std::size_t i = 0; i < fields.requests; ++i) {
    const std::string_view request_id = requests.BytesView();
    const auto kind = static_cast<RequestKind>(requests.U64());
    // Written in ascending order, so the end is each insertion's hint.
    summary.pending_requests.insert_or_assign(summary.pending_requests.end(), std::string(request_id), kind);
  }
  if (fields.has_reminder) {
    Reminder& reminder = summary.reminder.emplace();
    reminder.next_contact_at_ms = fields.next_contact_at_ms;
    reminder.follow_up_id = fields.follow_up_id;
  } else {
    summary.reminder.reset();
  }
}

// Into the caller's summary: LoadRow decodes straight into the map's node (building a summary
// and moving it into place three times was a tenth of an as-of read).
Status DecodeSummary(std::string_view key, std::string_view value, CustomerSummary& summary) {
  RowFields fields;
  CRM_RETURN_IF_ERROR(ParseRow(key, value, fields));
  CopyFields(fields, summary);
  return Status::Ok();
}

Status CheckKey(std::string_view key) {
  if (key.empty() || key.size() > kRowKeyBytesMax) {
    return CustomerRowCorrupt(key.substr(0, kRowKeyBytesMax), "bad key size");
  }
  return Status::Ok();
}

}  // namespace crm::projections::customer_rows
