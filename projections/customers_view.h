// CustomersView: one summary per customer, folded from the log, that the pool, ownership,
// reminders and name search views are read from (domain.md "Views people expect", rules 1, 5,
// 13). It reads events and nothing else: no I/O, no clock.
//
// Time is applied when the view is read, never stored (rule 13): a customer whose hold has
// ended at the asked time is in the pool for the reader, with reason "expired" or
// "review_timed_out" and the deadline as the time it entered, whether or not the release event
// has been written yet. So the same fold answers "now" and any time after its last event.
// StageAt/OwnerAt are that reading; every read below goes through them, so the pool, ownership,
// search and reminders can never disagree about who holds a customer.
//
// Rows (projection.h): one per customer, key = the customer id, value = the whole summary.
// Names are indexed for search from the summaries, so the index is not a row of its own.
//
// A view loaded from a snapshot (LoadSnapshot, what an as-of read does) keeps the snapshot's
// rows as bytes and decodes a customer's row the first time the fold or a read touches it:
// most of 200,000 customers are never looked at by the replay after a snapshot, nor by a page
// of the pool (docs/benchmarks.md, "As-of reads").
//
// Pointers and views returned by reads borrow from the view until its next Apply, LoadRow or
// FinishLoad. Reads scan every customer (linear in size()), but a read that visits customers
// (VisitPool) stops where its visitor does. Const reads may run at once; Apply and loads may
// not run beside anything else.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/customer_hold.h"
#include "events/envelope.h"
#include "projections/id_index.h"
#include "projections/name_search.h"
#include "projections/projection.h"

namespace crm::projections {

using events::TimeMs;

using events::CustomerStage;
using events::CustomerStageName;
using events::PoolReason;
using events::PoolReasonName;

enum class RequestKind : std::uint8_t { kExtension, kPromotion };

// The next-contact time of a customer's latest follow-up (rule 5).
struct Reminder {
  TimeMs next_contact_at_ms = 0;
  std::string follow_up_id;  // the follow-up that set it
  bool operator==(const Reminder&) const = default;
};

struct CustomerSummary {
  std::string customer_id;
  std::string name;             // as registered
  std::string normalized_name;  // the form searched on; empty until registered
  std::string region;
  std::string industry;
  events::Hold hold;
  PoolReason pool_reason = PoolReason::kNone;  // as of the last release event
  TimeMs pool_entered_ms = 0;
  // Everyone who has held it, ascending, each once: a handful, so a sorted vector, which a
  // load fills with one allocation where a set took one per owner.
  std::vector<std::string> owners;
  std::map<std::string, RequestKind> pending_requests;  // request id -> kind, waiting for a manager
  // Set by the latest follow-up that names a next contact; cleared by a later follow-up that
  // names none, by entering the pool and by a new protection, because a plan to call belongs
  // to the hold it was made in. Kept when the customer is reassigned or becomes formal: the
  // plan is about the customer, and the new holder inherits it.
  std::optional<Reminder> reminder;
};

// The customer's stage at `now_ms`: kPool when its hold has ended by then (rule 13), even
// before the release event is written; otherwise the stage its events left it in.
CustomerStage StageAt(const CustomerSummary& customer, TimeMs now_ms);

// Who holds the customer at `now_ms`: the holder of a potential or intention customer, the
// after-sales owner of a formal one, empty in the pool. Borrows from `customer`.
std::string_view OwnerAt(const CustomerSummary& customer, TimeMs now_ms);

struct PoolFilter {
  std::string region;    // empty: any
  std::string industry;  // empty: any
};

struct PoolEntry {
  const CustomerSummary* customer = nullptr;
  PoolReason reason = PoolReason::kNone;
  TimeMs entered_at_ms = 0;
  std::size_t previous_owners = 0;
};

struct OwnedEntry {
  const CustomerSummary* customer = nullptr;
  TimeMs deadline_ms = 0;  // the stage's deadline
  // When the hold ends: the review deadline while the review is pending, else the deadline.
  TimeMs ends_at_ms = 0;
  std::int64_t days_left = 0;  // until ends_at_ms, in whole days rounded up: half a day reads as 1
};

struct SearchHit {
  const CustomerSummary* customer = nullptr;
  CustomerStage stage = CustomerStage::kUnregistered;  // StageAt(now_ms)
  std::string_view owner_id;                           // OwnerAt(now_ms); empty in the pool
};

struct ReminderEntry {
  const CustomerSummary* customer = nullptr;
  TimeMs next_contact_at_ms = 0;
  bool overdue = false;           // next_contact_at_ms < now_ms
  std::string_view follow_up_id;  // the follow-up that set the reminder
};

class CustomersView final : public Projection {
 public:
  static constexpr std::string_view kName = "customers";
  // 1: the first row format (customer_rows.h).
  static constexpr std::uint32_t kVersion = 1;
  static ProjectionKind Kind();

  CustomersView() = default;
  ~CustomersView() override;
  // Not copyable: entries_ points into this view's own customers_.
  CustomersView(const CustomersView&) = delete;
  CustomersView& operator=(const CustomersView&) = delete;

  // REQUIRES: events in seq order, each once.
  void Apply(const events::RecordedEvent& recorded) override;

  void FlushChanges(RowSink& sink) override;
  void WriteRows(RowSink& sink) const override;
  // kCorruption/projection_row_corrupt naming the customer when the bytes do not decode, or
  // decode to a summary of another customer or with an unknown enum value; the view is left
  // unchanged then. REQUIRES: a view that has applied no events.
  Status LoadRow(std::string_view key, std::string_view value) override;
  // Marks the name index for a rebuild from the loaded summaries, done by the first Search.
  Status FinishLoad() override;
  // Keeps the rows as bytes when their keys ascend (as this view's snapshots' do): each row is
  // checked here, without copying it, so that a bad row fails the load as LoadRow would, and
  // its id indexed; it is decoded when first touched. REQUIRES: a fresh view.
  Status LoadSnapshot(std::shared_ptr<const SnapshotRows> rows) override;

  const CustomerSummary* Find(std::string_view customer_id) const;
  std::size_t size() const { return customers_.size() + (base_ == nullptr ? 0 : base_->size()); }
  // Calls `visit` with every summary, in customer id order. A summary of a row not decoded yet
  // is decoded for the call only: keep nothing of it.
  void ForEachCustomer(const std::function<void(const CustomerSummary&)>& visit) const;

  // Every customer in the pool at `now_ms`, ordered by id.
  std::vector<PoolEntry> Pool(TimeMs now_ms, const PoolFilter& filter = {}) const;
  // The same entries, from the first id after `after_id` (empty: from the start) for as long
  // as `visit` returns true: a page of the pool costs the customers it passes, not the view.
  void VisitPool(TimeMs now_ms, const PoolFilter& filter, std::string_view after_id,
                 const std::function<bool(const PoolEntry&)>& visit) const;

  // What `user_id` holds at `now_ms` (potential and intention), soonest end first; with
  // `expiring_within_days`, only holds ending within that many days (the warning sales teams
  // ask for most).
  std::vector<OwnedEntry> HeldBy(std::string_view user_id, TimeMs now_ms,
                                 std::optional<std::uint32_t> expiring_within_days = std::nullopt) const;

  // Rule 1: every registered customer whose normalised name contains the normalised `query`,
  // ordered by customer id, at most min(limit, NameIndex::kResultsMax), with stage and holder
  // at `now_ms`. A query that is empty or not valid UTF-8 finds nothing; a caller that must
  // tell the user why checks it with events::NormalizeCompanyName first.
  std::vector<SearchHit> Search(std::string_view query, TimeMs now_ms,
                                std::size_t limit = NameIndex::kResultsMax) const;

  // Rule 5: the reminders of the customers `user_id` holds at `now_ms` (OwnerAt), due at or
  // before `until_ms`, soonest first, ties by customer id. Overdue ones (before `now_ms`) come
  // first by that order. A customer whose hold has ended by `now_ms` has no reminder for anyone.
  std::vector<ReminderEntry> Reminders(std::string_view user_id, TimeMs now_ms, TimeMs until_ms) const;

 private:
  // A customer's summary and whether it changed since the last FlushChanges.
  struct Entry {
    CustomerSummary* summary = nullptr;
    bool changed = false;
  };
  // Calls `visit(summary, keep)` for each customer after `after_id` in id order until it
  // returns false. `summary` may be a snapshot row decoded for this call only; `keep()` returns
  // a summary of the same customer that the view keeps, to point at beyond the call. A snapshot
  // row not decoded yet is first shown to `wants` as its fields, unread (customer_rows.h):
  // one it does not want is skipped without being decoded, so `wants` must hold for every
  // customer that `visit` would do anything with.
  template <typename Wants, typename Visit>
  void Scan(std::string_view after_id, const Wants& wants, Visit&& visit) const;
  // The summary of snapshot row `row`, decoded by its first caller. Lock-free: readers may race
  // to decode a row, and the first to finish wins.
  CustomerSummary* Fault(std::size_t row) const;

  // The number of the customer's entry, made for it if it has none.
  IdIndex::Number NumberOf(const std::string& customer_id);
  // Snapshot rows kept as bytes: customer numbers below this are rows of base_.
  std::size_t BaseRows() const { return base_ == nullptr ? 0 : base_->size(); }
  std::string_view IdOf(IdIndex::Number number) const;
  IdIndex::Number AddEntry(CustomerSummary& summary);
  void ApplyToSummary(CustomerSummary& summary, const events::RecordedEvent& recorded);
  void IndexName(const CustomerSummary& summary);
  // The name index, built first if a load left it to be built.
  const NameIndex& Names() const;

  // Every customer, or with a snapshot kept as bytes, every customer the snapshot did not have.
  std::map<std::string, CustomerSummary, std::less<>> customers_;
  // The snapshot's rows (LoadSnapshot; null otherwise) and each row's summary once decoded,
  // owned by the view. A customer is in customers_ or in base_, never in both.
  std::shared_ptr<const SnapshotRows> base_;
  std::unique_ptr<std::atomic<CustomerSummary*>[]> base_summaries_;
  // Every customer's entry, by number (IdIndex): the fold looks a customer up for every event,
  // and a lookup here touches a slot and the summary, where the ordered map touches one node per
  // level (measured: docs/benchmarks.md "Projection rebuild"). The summaries are customers_'s
  // nodes and base_summaries_'s, which never move.
  std::vector<Entry> entries_;
  IdIndex index_;
  std::vector<IdIndex::Number> changed_;  // the entries marked changed, each once
  // Derived from customers_. After a load it is built by the first Search, not by FinishLoad:
  // an as-of view is loaded from a snapshot for one read, rarely a search, and indexing every
  // name was the larger part of loading one (docs/benchmarks.md "As-of reads"). Readers may
  // search at once, hence the lock around that first build.
  mutable NameIndex names_;
  mutable std::atomic<bool> names_built_{true};  // false: names_ is empty, to be built
  mutable std::mutex names_mutex_;
};

}  // namespace crm::projections
