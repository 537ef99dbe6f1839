#include "projections/customers_view.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "events/event_subject.h"
#include "projections/customer_rows.h"
#include "projections/key_order.h"

namespace crm::projections {

namespace {

using customer_rows::CheckKey;
using customer_rows::CopyFields;
using customer_rows::DecodeSummary;
using customer_rows::EncodeSummary;
using customer_rows::ParseRow;
using customer_rows::RowFields;

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

// Reads the fields of a snapshot row that LoadSnapshot checked. It cannot fail unless memory
// was overwritten, after which no answer could be trusted.
void ParseChecked(const SnapshotRows::Row& row, RowFields& fields) {
  if (!ParseRow(row.key, row.value, fields).ok()) std::abort();
}

void DecodeChecked(const SnapshotRows::Row& row, CustomerSummary& summary) {
  RowFields fields;
  ParseChecked(row, fields);
  CopyFields(fields, summary);
}

// Every row is wanted (Scan).
bool AnyRow(const RowFields&) {
  return true;
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

CustomersView::~CustomersView() {
  if (base_ == nullptr) return;
  for (std::size_t row = 0; row < base_->size(); ++row) delete base_summaries_[row].load(std::memory_order_relaxed);
}

CustomerSummary* CustomersView::Fault(std::size_t row) const {
  std::atomic<CustomerSummary*>& slot = base_summaries_[row];
  CustomerSummary* summary = slot.load(std::memory_order_acquire);
  if (summary != nullptr) return summary;
  auto decoded = std::make_unique<CustomerSummary>();
  DecodeChecked(base_->rows()[row], *decoded);
  if (slot.compare_exchange_strong(summary, decoded.get(), std::memory_order_acq_rel, std::memory_order_acquire)) {
    return decoded.release();
  }
  return summary;  // another reader's decode, stored first
}

template <typename Wants, typename Visit>
void CustomersView::Scan(std::string_view after_id, const Wants& wants, Visit&& visit) const {
  auto next = customers_.upper_bound(after_id);
  const std::size_t rows = BaseRows();
  std::size_t row = rows == 0 ? 0 : base_->UpperBound(after_id);
  RowFields fields;
  CustomerSummary scratch;
  while (next != customers_.end() || row < rows) {
    // Two runs in id order with no id in both: the smaller id goes first.
    if (row == rows || (next != customers_.end() && std::string_view(next->first) < base_->rows()[row].key)) {
      const CustomerSummary* summary = &next->second;
      if (!visit(*summary, [summary] { return summary; })) return;
      ++next;
      continue;
    }
    const std::size_t at = row++;
    if (const CustomerSummary* summary = base_summaries_[at].load(std::memory_order_acquire)) {
      if (!visit(*summary, [summary] { return summary; })) return;
      continue;
    }
    ParseChecked(base_->rows()[at], fields);
    if (!wants(fields)) continue;
    CopyFields(fields, scratch);
    if (!visit(static_cast<const CustomerSummary&>(scratch),
               [this, at] { return static_cast<const CustomerSummary*>(Fault(at)); })) {
      return;
    }
  }
}

std::string_view CustomersView::IdOf(IdIndex::Number number) const {
  return number < BaseRows() ? base_->rows()[number].key : std::string_view(entries_[number].summary->customer_id);
}

IdIndex::Number CustomersView::NumberOf(const std::string& customer_id) {
  const IdIndex::Number number = index_.Find(customer_id, [this](IdIndex::Number n) { return IdOf(n); });
  if (number != IdIndex::kAbsent) {
    Entry& entry = entries_[number];
    if (entry.summary == nullptr) entry.summary = Fault(number);  // a snapshot row, first touched now
    return number;
  }
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
    ForEachCustomer([this](const CustomerSummary& summary) { AddName(names_, summary); });
    names_built_.store(true, std::memory_order_release);
  }
  return names_;
}

void CustomersView::FlushChanges(RowSink& sink) {
  SortByKey(changed_, [this](IdIndex::Number number) { return IdOf(number); });
  for (const IdIndex::Number number : changed_) {
    Entry& entry = entries_[number];
    sink.Put(entry.summary->customer_id, EncodeSummary(*entry.summary));
    entry.changed = false;
  }
  changed_.clear();
}

void CustomersView::WriteRows(RowSink& sink) const {
  // A snapshot row is decoded and encoded again rather than copied: the rows are what this
  // view's state encodes to, whichever way it was loaded.
  ForEachCustomer([&sink](const CustomerSummary& summary) { sink.Put(summary.customer_id, EncodeSummary(summary)); });
}

void CustomersView::ForEachCustomer(const std::function<void(const CustomerSummary&)>& visit) const {
  Scan({}, AnyRow, [&visit](const CustomerSummary& summary, const auto&) {
    visit(summary);
    return true;
  });
}

Status CustomersView::LoadRow(std::string_view key, std::string_view value) {
  CRM_RETURN_IF_ERROR(CheckKey(key));
  // Rows come in key order: the end is the hint that makes each insertion constant time.
  const std::size_t size_before = customers_.size();
  const auto node = customers_.try_emplace(customers_.end(), std::string(key));
  // A row loaded again replaces the first, as a later write of the key would in the store.
  if (customers_.size() == size_before) return DecodeSummary(key, value, node->second);
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

Status CustomersView::LoadSnapshot(std::shared_ptr<const SnapshotRows> rows) {
  if (!rows->sorted() || size() != 0 || rows->size() >= IdIndex::kAbsent) {
    return Projection::LoadSnapshot(std::move(rows));
  }
  // Snapshot row i is customer number i; its entry gets the summary when the fold touches it.
  const std::size_t count = rows->size();
  index_.Reserve(count);
  RowFields fields;
  for (std::size_t i = 0; i < count; ++i) {
    const SnapshotRows::Row& row = rows->rows()[i];
    Status checked = CheckKey(row.key);
    if (checked.ok()) checked = ParseRow(row.key, row.value, fields);
    if (!checked.ok()) {
      index_.Clear();
      return checked;
    }
    index_.Insert(row.key, static_cast<IdIndex::Number>(i));
  }
  entries_.assign(count, Entry{});
  base_summaries_ = std::make_unique<std::atomic<CustomerSummary*>[]>(count);
  base_ = std::move(rows);
  return FinishLoad();
}

const CustomerSummary* CustomersView::Find(std::string_view customer_id) const {
  const IdIndex::Number number = index_.Find(customer_id, [this](IdIndex::Number n) { return IdOf(n); });
  if (number == IdIndex::kAbsent) return nullptr;
  return number < BaseRows() ? Fault(number) : entries_[number].summary;
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
  // In the pool at some time: there already, or held until a deadline passes.
  const auto may_be_in_pool = [&filter](const RowFields& row) {
    return (filter.region.empty() || row.region == filter.region) &&
           (filter.industry.empty() || row.industry == filter.industry) &&
           (row.stage == CustomerStage::kPool || IsHeldStage(row.stage));
  };
  Scan(after_id, may_be_in_pool, [&](const CustomerSummary& summary, const auto& keep) {
    if (!filter.region.empty() && summary.region != filter.region) return true;
    if (!filter.industry.empty() && summary.industry != filter.industry) return true;
    if (StageAt(summary, now_ms) != CustomerStage::kPool) return true;
    const events::PoolEntrance entrance = PoolEntranceAt(summary, now_ms);
    return visit(PoolEntry{.customer = keep(),
                           .reason = entrance.reason,
                           .entered_at_ms = entrance.at_ms,
                           .previous_owners = summary.owners.size()});
  });
}

std::vector<OwnedEntry> CustomersView::HeldBy(std::string_view user_id, TimeMs now_ms,
                                              std::optional<std::uint32_t> expiring_within_days) const {
  std::vector<OwnedEntry> held;
  const auto held_by_user = [user_id](const RowFields& row) {
    return IsHeldStage(row.stage) && row.owner_id == user_id;
  };
  Scan({}, held_by_user, [&](const CustomerSummary& summary, const auto& keep) {
    if (!IsHeldStage(StageAt(summary, now_ms)) || OwnerAt(summary, now_ms) != user_id) return true;
    const TimeMs ends_ms = *summary.hold.ReleaseDueAt();
    if (expiring_within_days.has_value() &&
        ends_ms - now_ms > static_cast<TimeMs>(*expiring_within_days) * events::kMsPerDay) {
      return true;
    }
    held.push_back(OwnedEntry{.customer = keep(),
                              .deadline_ms = summary.hold.deadline_ms,
                              .ends_at_ms = ends_ms,
                              .days_left = (ends_ms - now_ms + events::kMsPerDay - 1) / events::kMsPerDay});
    return true;
  });
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
    // The index holds only ids of this view's customers, so Find cannot miss.
    const CustomerSummary& summary = *Find(id);
    hits.push_back(
        SearchHit{.customer = &summary, .stage = StageAt(summary, now_ms), .owner_id = OwnerAt(summary, now_ms)});
  }
  return hits;
}

std::vector<ReminderEntry> CustomersView::Reminders(std::string_view user_id, TimeMs now_ms, TimeMs until_ms) const {
  std::vector<ReminderEntry> reminders;
  // An empty user would match OwnerAt's "nobody" for pool customers.
  if (user_id.empty()) return reminders;
  // OwnerAt is the holder or nobody: a reminder of someone else's customer is never the user's.
  const auto users_reminder = [user_id, until_ms](const RowFields& row) {
    return row.has_reminder && row.next_contact_at_ms <= until_ms && row.owner_id == user_id;
  };
  Scan({}, users_reminder, [&](const CustomerSummary& summary, const auto& keep) {
    if (!summary.reminder.has_value() || summary.reminder->next_contact_at_ms > until_ms) return true;
    if (OwnerAt(summary, now_ms) != user_id) return true;
    const CustomerSummary* kept = keep();
    reminders.push_back(ReminderEntry{.customer = kept,
                                      .next_contact_at_ms = kept->reminder->next_contact_at_ms,
                                      .overdue = kept->reminder->next_contact_at_ms < now_ms,
                                      .follow_up_id = kept->reminder->follow_up_id});
    return true;
  });
  std::stable_sort(reminders.begin(), reminders.end(), [](const ReminderEntry& a, const ReminderEntry& b) {
    return a.next_contact_at_ms < b.next_contact_at_ms;
  });
  return reminders;
}

}  // namespace crm::projections
