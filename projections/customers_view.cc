#include "projections/customers_view.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "events/event_subject.h"
#include "projections/row_codec.h"

namespace crm::projections {

namespace {

void EnterPool(CustomerSummary& summary, const events::PoolEntrance& entrance) {
  summary.pool_reason = entrance.reason;
  summary.pool_entered_ms = entrance.at_ms;
  summary.pending_requests.clear();
  summary.reminder.reset();
}

void AddOwner(CustomerSummary& summary, const std::string& owner_id) {
  const auto at = std::lower_bound(summary.owners.begin(), summary.owners.end(), owner_id);
  if (at == summary.owners.end() || *at != owner_id) summary.owners.insert(at, owner_id);
}

void CloseRequests(CustomerSummary& summary, RequestKind kind) {
  std::erase_if(summary.pending_requests, [kind](const auto& request) { return request.second == kind; });
}

bool IsHeldStage(CustomerStage stage) {
  return stage == CustomerStage::kPotential || stage == CustomerStage::kIntention;
}

// Why and since when a customer that StageAt reads as kPool is there: the release event's
// entrance once written, else the one time alone has made.
events::PoolEntrance PoolEntranceAt(const CustomerSummary& summary, TimeMs now_ms) {
  if (summary.hold.stage == CustomerStage::kPool) return {summary.pool_reason, summary.pool_entered_ms};
  return *summary.hold.EndedBy(now_ms);
}

// The row value. Field order is the format (row_codec.h); kVersion changes with it:
//   customer_id name normalized_name region industry
//   stage:u64 owner_id deadline:i64 review_pending:u64 review_deadline:i64
//   pool_reason:u64 pool_entered:i64
//   count:u64 owner*          (ascending)
//   count:u64 (request_id kind:u64)*  (ascending by request id)
//   has_reminder:u64 [next_contact_at:i64 follow_up_id]
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

Status CustomerRowCorrupt(std::string_view key, std::string_view why) {
  return Status::Corruption("projection_row_corrupt", "customers row " + std::string(key) + ": " + std::string(why),
                            {{"customerId", std::string(key)}});
}

// Decodes a row into `summary`, which must be fresh. LoadRow decodes straight into the map's
// node: building a summary and moving it into place three times was a tenth of an as-of read.
Status DecodeSummary(std::string_view key, std::string_view value, CustomerSummary& summary) {
  RowReader row(value);
  bool bad_enum = false;
  summary.customer_id = row.BytesView();
  summary.name = row.BytesView();
  summary.normalized_name = row.BytesView();
  summary.region = row.BytesView();
  summary.industry = row.BytesView();
  summary.hold.stage = ReadEnum(row, CustomerStage::kPool, bad_enum);
  summary.hold.owner_id = row.BytesView();
  summary.hold.deadline_ms = row.I64();
  summary.hold.review_pending = ReadEnum(row, true, bad_enum);
  summary.hold.review_deadline_ms = row.I64();
  summary.pool_reason = ReadEnum(row, PoolReason::kExpired, bad_enum);
  summary.pool_entered_ms = row.I64();
  summary.owners.resize(row.Count());
  for (std::string& owner : summary.owners) owner = row.BytesView();
  // Strictly ascending: no neighbour at or after the one that follows it.
  const bool bad_order =
      std::adjacent_find(summary.owners.begin(), summary.owners.end(), std::greater_equal<>()) != summary.owners.end();
  // Written in ascending order, so the end is each insertion's hint.
  for (std::size_t i = row.Count(); i > 0; --i) {
    const std::string_view request_id = row.BytesView();
    summary.pending_requests.insert_or_assign(summary.pending_requests.end(), std::string(request_id),
                                              ReadEnum(row, RequestKind::kPromotion, bad_enum));
  }
  if (ReadEnum(row, true, bad_enum)) {
    Reminder& reminder = summary.reminder.emplace();
    reminder.next_contact_at_ms = row.I64();
    reminder.follow_up_id = row.BytesView();
  }
  if (const Status read = row.Finish({"customers row ", key}); !read.ok()) {
    return Status::Corruption(read.reason(), read.message(), {{"customerId", std::string(key)}});
  }
  if (bad_enum) return CustomerRowCorrupt(key, "unknown stage, reason or request kind");
  if (bad_order) return CustomerRowCorrupt(key, "owners out of order or repeated");
  if (summary.customer_id != key) return CustomerRowCorrupt(key, "holds customer " + summary.customer_id);
  return Status::Ok();
}

// Only registration gives a customer a name; one without is not searchable.
void AddName(NameIndex& names, const CustomerSummary& summary) {
  if (!summary.normalized_name.empty()) names.Add(summary.customer_id, summary.normalized_name);
}

}  // namespace

CustomerStage StageAt(const CustomerSummary& customer, TimeMs now_ms) {
  if (customer.hold.EndedBy(now_ms).has_value()) return CustomerStage::kPool;
  return customer.hold.stage;
}

std::string_view OwnerAt(const CustomerSummary& customer, TimeMs now_ms) {
  const CustomerStage stage = StageAt(customer, now_ms);
  if (IsHeldStage(stage) || stage == CustomerStage::kFormal) return customer.hold.owner_id;
  return {};
}

ProjectionKind CustomersView::Kind() {
  return ProjectionKind{.name = std::string(kName), .version = kVersion, .make = []() -> std::unique_ptr<Projection> {
                          return std::make_unique<CustomersView>();
                        }};
}

IdIndex::Number CustomersView::NumberOf(const std::string& customer_id) {
  const IdIndex::Number number = index_.Find(
      customer_id, [this](IdIndex::Number n) -> const std::string& { return entries_[n].summary->customer_id; });
  if (number != IdIndex::kAbsent) return number;
  const auto [node, inserted] = customers_.try_emplace(customer_id);
  node->second.customer_id = customer_id;
  return AddEntry(node->second);
}

IdIndex::Number CustomersView::AddEntry(CustomerSummary& summary) {
  const auto number = static_cast<IdIndex::Number>(entries_.size());
  entries_.push_back(Entry{.summary = &summary, .changed = false});
  index_.Insert(summary.customer_id, number);
  return number;
}

void CustomersView::Apply(const events::RecordedEvent& recorded) {
  const std::string* customer_id = events::CustomerIdOf(recorded.event);
  if (customer_id == nullptr) return;
  const IdIndex::Number number = NumberOf(*customer_id);
  Entry& entry = entries_[number];
  ApplyToSummary(*entry.summary, recorded);
  // Every event of a customer counts as a change; the few that change nothing in the summary
  // (a contact added) cost nothing once the customer is marked: a row is written once a flush.
  if (!entry.changed) {
    entry.changed = true;
    changed_.push_back(number);
  }
}

void CustomersView::ApplyToSummary(CustomerSummary& summary, const events::RecordedEvent& recorded) {
  using namespace events;
  const TimeMs effective_ms = recorded.envelope.effective_at_ms;
  events::ApplyToHold(summary.hold, recorded.event);
  if (const auto entrance = events::PoolEntranceOf(recorded.event, effective_ms)) EnterPool(summary, *entrance);
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, CustomerRegistered>) {
          summary.name = e.name;
          summary.normalized_name = e.normalized_name;
          summary.region = e.region;
          summary.industry = e.industry;
          IndexName(summary);
        } else if constexpr (std::is_same_v<E, CustomerProtected>) {
          AddOwner(summary, e.owner_id);
          summary.pool_reason = PoolReason::kNone;
          summary.reminder.reset();
        } else if constexpr (std::is_same_v<E, FollowUpRecorded>) {
          if (e.next_contact_at_ms.has_value()) {
            summary.reminder = Reminder{.next_contact_at_ms = *e.next_contact_at_ms, .follow_up_id = e.follow_up_id};
          } else {
            summary.reminder.reset();
          }
        } else if constexpr (std::is_same_v<E, CustomerReassigned>) {
          AddOwner(summary, e.to_user_id);
        } else if constexpr (std::is_same_v<E, ExtensionRequested>) {
          summary.pending_requests[e.request_id] = RequestKind::kExtension;
        } else if constexpr (std::is_same_v<E, PromotionRequested>) {
          summary.pending_requests[e.request_id] = RequestKind::kPromotion;
        } else if constexpr (std::is_same_v<E, ExtensionGranted> || std::is_same_v<E, ExtensionDenied> ||
                             std::is_same_v<E, PromotionDenied>) {
          summary.pending_requests.erase(e.request_id);
        } else if constexpr (std::is_same_v<E, CustomerPromoted>) {
          summary.pending_requests.erase(e.request_id);
          CloseRequests(summary, RequestKind::kExtension);  // the new stage is a new protection
        } else if constexpr (std::is_same_v<E, CustomerHandedToAftersales>) {
          summary.pending_requests.clear();
        }
      },
      recorded.event);
}

void CustomersView::IndexName(const CustomerSummary& summary) {
  // An index still to be built will read this summary when it is.
  if (names_built_.load(std::memory_order_relaxed)) AddName(names_, summary);
}

const NameIndex& CustomersView::Names() const {
  if (names_built_.load(std::memory_order_acquire)) return names_;
  const std::lock_guard lock(names_mutex_);
  if (!names_built_.load(std::memory_order_relaxed)) {
    for (const auto& [id, summary] : customers_) AddName(names_, summary);
    names_built_.store(true, std::memory_order_release);
  }
  return names_;
}

void CustomersView::FlushChanges(RowSink& sink) {
  for (const IdIndex::Number number : changed_) {
    Entry& entry = entries_[number];
    sink.Put(entry.summary->customer_id, EncodeSummary(*entry.summary));
    entry.changed = false;
  }
  changed_.clear();
}

void CustomersView::WriteRows(RowSink& sink) const {
  for (const auto& [id, summary] : customers_) sink.Put(id, EncodeSummary(summary));
}

Status CustomersView::LoadRow(std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > kRowKeyBytesMax)
    return CustomerRowCorrupt(key.substr(0, kRowKeyBytesMax), "bad key size");
  // Rows come in key order: the end is the hint that makes each insertion constant time.
  const std::size_t size_before = customers_.size();
  const auto node = customers_.try_emplace(customers_.end(), std::string(key));
  if (customers_.size() == size_before) {
    // A row loaded again replaces the first, as a later write of the key would in the store.
    CustomerSummary summary;
    CRM_RETURN_IF_ERROR(DecodeSummary(key, value, summary));
    node->second = std::move(summary);
    return Status::Ok();
  }
  if (Status decoded = DecodeSummary(key, value, node->second); !decoded.ok()) {
    customers_.erase(node);
    return decoded;
  }
  AddEntry(node->second);
  return Status::Ok();
}

Status CustomersView::FinishLoad() {
  names_ = NameIndex();
  names_built_.store(false, std::memory_order_release);
  return Status::Ok();
}

const CustomerSummary* CustomersView::Find(std::string_view customer_id) const {
  const auto it = customers_.find(customer_id);
  return it == customers_.end() ? nullptr : &it->second;
}

std::vector<PoolEntry> CustomersView::Pool(TimeMs now_ms, const PoolFilter& filter) const {
  std::vector<PoolEntry> pool;
  VisitPool(now_ms, filter, {}, [&pool](const PoolEntry& entry) {
    pool.push_back(entry);
    return true;
  });
  return pool;
}

void CustomersView::VisitPool(TimeMs now_ms, const PoolFilter& filter, std::string_view after_id,
                              const std::function<bool(const PoolEntry&)>& visit) const {
  for (auto it = customers_.upper_bound(after_id); it != customers_.end(); ++it) {
    const CustomerSummary& summary = it->second;
    if (!filter.region.empty() && summary.region != filter.region) continue;
    if (!filter.industry.empty() && summary.industry != filter.industry) continue;
    if (StageAt(summary, now_ms) != CustomerStage::kPool) continue;
    const events::PoolEntrance entrance = PoolEntranceAt(summary, now_ms);
    const PoolEntry entry{.customer = &summary,
                          .reason = entrance.reason,
                          .entered_at_ms = entrance.at_ms,
                          .previous_owners = summary.owners.size()};
    if (!visit(entry)) return;
  }
}

std::vector<OwnedEntry> CustomersView::HeldBy(std::string_view user_id, TimeMs now_ms,
                                              std::optional<std::uint32_t> expiring_within_days) const {
  std::vector<OwnedEntry> held;
  for (const auto& [id, summary] : customers_) {
    if (!IsHeldStage(StageAt(summary, now_ms)) || OwnerAt(summary, now_ms) != user_id) continue;
    const TimeMs ends_ms = *summary.hold.ReleaseDueAt();
    if (expiring_within_days.has_value() &&
        ends_ms - now_ms > static_cast<TimeMs>(*expiring_within_days) * events::kMsPerDay) {
      continue;
    }
    held.push_back(OwnedEntry{.customer = &summary,
                              .deadline_ms = summary.hold.deadline_ms,
                              .ends_at_ms = ends_ms,
                              .days_left = (ends_ms - now_ms + events::kMsPerDay - 1) / events::kMsPerDay});
  }
  std::stable_sort(held.begin(), held.end(),
                   [](const OwnedEntry& a, const OwnedEntry& b) { return a.ends_at_ms < b.ends_at_ms; });
  return held;
}

std::vector<SearchHit> CustomersView::Search(std::string_view query, TimeMs now_ms, std::size_t limit) const {
  const Result<std::vector<std::string>> ids = Names().Search(query, limit);
  if (!ids.ok()) return {};
  std::vector<SearchHit> hits;
  hits.reserve(ids->size());
  for (const std::string& id : *ids) {
    // The index holds only ids of customers_, so at() cannot miss unless that invariant broke.
    const CustomerSummary& summary = customers_.at(id);
    hits.push_back(
        SearchHit{.customer = &summary, .stage = StageAt(summary, now_ms), .owner_id = OwnerAt(summary, now_ms)});
  }
  return hits;
}

std::vector<ReminderEntry> CustomersView::Reminders(std::string_view user_id, TimeMs now_ms, TimeMs until_ms) const {
  std::vector<ReminderEntry> reminders;
  // An empty user would match OwnerAt's "nobody" for pool customers.
  if (user_id.empty()) return reminders;
  for (const auto& [id, summary] : customers_) {
    if (!summary.reminder.has_value() || summary.reminder->next_contact_at_ms > until_ms) continue;
    if (OwnerAt(summary, now_ms) != user_id) continue;
    reminders.push_back(ReminderEntry{.customer = &summary,
                                      .next_contact_at_ms = summary.reminder->next_contact_at_ms,
                                      .overdue = summary.reminder->next_contact_at_ms < now_ms,
                                      .follow_up_id = summary.reminder->follow_up_id});
  }
  std::stable_sort(reminders.begin(), reminders.end(), [](const ReminderEntry& a, const ReminderEntry& b) {
    return a.next_contact_at_ms < b.next_contact_at_ms;
  });
  return reminders;
}

}  // namespace crm::projections
