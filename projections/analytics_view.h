// AnalyticsView: the dashboards' figures (domain.md "Views people expect" → Analytics; api.md
// GET /v1/analytics/*): funnel counts and conversions with median days, pool inflow/outflow per
// day, per-salesperson figures, revenue per day or month, and the RFM class of formal customers.
//
// The fold keeps one compact record per customer (its hold, when the hold started, and its
// milestones: protections, promotions, pool entrances) and one per contract (total, credited
// salesperson, payments). Everything a read needs by time is indexed in hour buckets of facts,
// derived from those records, so a range read touches only its range.
//
// Time is applied when read (rule 13): a hold whose due time (Hold::ReleaseDueAt) is at or
// before the asked time counts as released to the pool at that due time, expired or
// review_timed_out, whether or not the release event has been folded; the release event, when
// folded, changes nothing a read returns. "As of T" is the host folding only the events up to T
// and reading at T, so every folded fact is known to a read.
//
// Rows (private to this view, rebuilt from the log when kAnalyticsViewVersion changes):
//   "c/<customer id>" -> a customer record      "k/<contract no>" -> a contract record
// in RowWriter form (analytics_rows.cc has the field order). Users are named by id in rows;
// the fact buckets are not rows, FinishLoad rebuilds them.
//
// Money is integer fen; sums saturate rather than overflow. Rates are a numerator and a
// denominator, with a double only for display. Not thread-safe (projection.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/customer_hold.h"
#include "events/envelope.h"
#include "events/status.h"
#include "projections/id_index.h"
#include "projections/local_day.h"
#include "projections/projection.h"

namespace crm::projections {

using events::Fen;
using events::TimeMs;

inline constexpr std::string_view kAnalyticsViewName = "analytics";
inline constexpr std::uint32_t kAnalyticsViewVersion = 1;

// Days one PoolFlow read may span, so a mistyped range cannot build a huge answer.
inline constexpr std::int64_t kPoolFlowDaysMax = 1000;
// Buckets (days or months) one Revenue read may span, for the same reason.
inline constexpr std::int64_t kRevenueBucketsMax = 1000;

// numerator / denominator; `ratio` is for display only and absent when the denominator is 0.
struct Conversion {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> ratio;

  bool operator==(const Conversion&) const = default;
};

struct FunnelReport {
  // Customers by stage at the asked time, rule 13 applied; `registered` is all of them.
  std::int64_t registered = 0;
  std::int64_t potential = 0;
  std::int64_t intention = 0;
  std::int64_t formal = 0;
  std::int64_t pool = 0;
  // Customers ever promoted / customers ever protected.
  Conversion protected_to_intention;
  // Customers ever formal / customers ever promoted.
  Conversion intention_to_formal;
  // Medians in days (the mean of the two middle samples when their count is even); absent
  // without samples. protect→promote: per promotion, from the start of the hold promoted.
  // promote→sign and protect→sign: per formal customer, from the promotion and from the start
  // of the hold in force at its first contract, to that contract's signing time (a contract
  // dated before the promotion counts 0 days).
  std::optional<double> median_days_protect_to_promote;
  std::optional<double> median_days_promote_to_sign;
  std::optional<double> median_days_protect_to_sign;

  bool operator==(const FunnelReport&) const = default;
};

struct PoolFlowDay {
  std::int64_t day = 0;  // days since 1970-01-01 in the company's zone
  std::string date;      // DayKey(day): "2026-03-03"
  // Inflow by reason, at each release's effective time (implied releases included).
  std::int64_t rejected = 0;
  std::int64_t review_timed_out = 0;
  std::int64_t abandoned = 0;
  std::int64_t expired = 0;
  std::int64_t outflow = 0;  // protections claimed from the pool

  bool operator==(const PoolFlowDay&) const = default;
};

struct SalespersonFigures {
  std::string user_id;
  std::int64_t protections = 0;  // CustomerProtected with this owner, recorded in range
  std::int64_t promotions = 0;   // promotions of customers this user held, in range
  std::int64_t contracts = 0;    // contracts credited to this user, signed in range
  Fen signed_fen = 0;            // their totals
  Fen collected_fen = 0;         // payments paid in range on contracts credited to this user
  Fen receivable_fen = 0;        // total − paid over all this user's contracts, not range-limited

  bool operator==(const SalespersonFigures&) const = default;
};

enum class RevenueBucket : std::uint8_t { kDay, kMonth };
std::optional<RevenueBucket> ParseRevenueBucket(std::string_view name);  // "day", "month"

struct RevenuePoint {
  std::string key;             // "2026-03-03" (day) or "2026-03" (month)
  std::int64_t first_day = 0;  // the bucket's first day since 1970-01-01
  Fen signed_fen = 0;          // contract totals by signing time
  Fen collected_fen = 0;       // payments by payment time

  bool operator==(const RevenuePoint&) const = default;
};

enum class RfmClass : std::uint8_t { kImportant, kOrdinary };
std::string_view RfmClassName(RfmClass rfm_class);  // "important" (重要), "ordinary" (普通)

struct RfmCustomer {
  std::string customer_id;
  std::int64_t recency_days = 0;  // whole days from its latest signing or payment to the asked time
  std::int64_t frequency = 0;     // contracts signed
  Fen monetary_fen = 0;           // payments collected
  RfmClass rfm_class = RfmClass::kOrdinary;

  bool operator==(const RfmCustomer&) const = default;
};

// Important (重要) when monetary ≥ the median monetary AND (recency ≤ the median recency OR
// frequency ≥ the median frequency); else ordinary (普通). The medians are the lower middle
// value, so each is one customer's own figure and money stays integer fen; all 0 when there
// are no customers.
struct RfmReport {
  std::vector<RfmCustomer> customers;  // by customer id
  std::int64_t median_recency_days = 0;
  std::int64_t median_frequency = 0;
  Fen median_monetary_fen = 0;

  bool operator==(const RfmReport&) const = default;
};

class AnalyticsView final : public Projection {
 public:
  static ProjectionKind Kind();

  AnalyticsView() = default;
  // Not copyable: last_bucket_ points into this view's own buckets.
  AnalyticsView(const AnalyticsView&) = delete;
  AnalyticsView& operator=(const AnalyticsView&) = delete;

  // Ignores every event that moves no figure (contacts, follow-ups, requests, users, policy).
  void Apply(const events::RecordedEvent& recorded) override;
  void FlushChanges(RowSink& sink) override;
  void WriteRows(RowSink& sink) const override;
  Status LoadRow(std::string_view key, std::string_view value) override;
  // Rebuilds the fact buckets and the user table from the loaded rows.
  Status FinishLoad() override;

  FunnelReport Funnel(TimeMs now_ms) const;

  // One entry per local day of [from_ms, to_ms), days without events included with zeros.
  // kInvalidArgument: to_ms ≤ from_ms (invalid_range), more than kPoolFlowDaysMax days
  // (range_too_long). `local_day` is borrowed for the call.
  Result<std::vector<PoolFlowDay>> PoolFlow(TimeMs from_ms, TimeMs to_ms, TimeMs now_ms,
                                            const LocalDayFn& local_day) const;

  // Every user with a figure in range or a contract, by user id. None of these figures moves
  // with time alone, so `now_ms` changes nothing; it keeps the reads alike. kInvalidArgument:
  // to_ms ≤ from_ms (invalid_range).
  Result<std::vector<SalespersonFigures>> Salespeople(TimeMs from_ms, TimeMs to_ms, TimeMs now_ms) const;

  // Every bucket of [from_ms, to_ms) in order, empty ones included. kInvalidArgument:
  // to_ms ≤ from_ms (invalid_range), more than kRevenueBucketsMax buckets (range_too_long).
  Result<std::vector<RevenuePoint>> Revenue(TimeMs from_ms, TimeMs to_ms, RevenueBucket bucket,
                                            const LocalDayFn& local_day) const;

  // Customers with a contract signed at or before `now_ms`, counting the signings and payments
  // at or before it.
  RfmReport Rfm(TimeMs now_ms) const;

  std::size_t customer_count() const { return customers_.size(); }
  std::size_t contract_count() const { return contracts_.size(); }

 private:
  using Index = std::uint32_t;
  static constexpr Index kNoIndex = UINT32_MAX;

  enum class MilestoneKind : std::uint8_t { kProtected, kPromoted, kEnteredPool };
  static constexpr std::uint8_t kMilestoneKindCount = 3;

  struct Milestone {
    TimeMs at_ms = 0;
    TimeMs hold_start_ms = 0;  // kPromoted: when the promoted hold started
    Index user = kNoIndex;     // kProtected: the new owner; kPromoted: the holder
    MilestoneKind kind = MilestoneKind::kProtected;
    std::uint8_t detail = 0;  // kProtected: events::ProtectionSource; kEnteredPool: PoolReason
  };

  struct Customer {
    std::string id;
    events::Hold hold;
    bool registered = false;
    bool dirty = false;
    TimeMs hold_start_ms = 0;                  // when the latest hold started
    std::optional<TimeMs> promoted_ms;         // when the latest hold was promoted
    bool signed_any = false;                   // a contract has been folded: formal forever
    std::optional<TimeMs> protect_to_sign_ms;  // samples taken at the first contract
    std::optional<TimeMs> promote_to_sign_ms;
    std::vector<Milestone> milestones;  // in fold order, added by AddMilestone only
    // Derived from milestones.
    bool ever_protected = false;
    bool ever_promoted = false;

    // The one way a milestone is added, by the fold and by a load alike, so the flags derived
    // from the milestones always agree with them.
    void AddMilestone(const Milestone& milestone) {
      milestones.push_back(milestone);
      ever_protected |= milestone.kind == MilestoneKind::kProtected;
      ever_promoted |= milestone.kind == MilestoneKind::kPromoted;
    }
    bool formal() const { return signed_any || hold.stage == events::CustomerStage::kFormal; }
  };

  struct Payment {
    TimeMs paid_at_ms = 0;
    Fen amount_fen = 0;
  };

  struct Contract {
    std::string contract_no;
    Index customer = kNoIndex;
    Index sales_owner = kNoIndex;  // the credited salesperson
    bool signed_ = false;          // false: only payments folded so far (never in a real log)
    bool dirty = false;
    TimeMs signed_at_ms = 0;
    Fen total_fen = 0;
    std::vector<Payment> payments;  // in fold order
    Fen paid_fen = 0;               // derived: the sum of payments
  };

  enum class FactKind : std::uint8_t { kProtected, kPromoted, kEnteredPool, kSigned, kPaid };
  // One dated fact, in the bucket of the hour it falls in. Milestone facts name the customer
  // and the user; contract facts name the contract (whose credited user can be read there).
  struct Fact {
    TimeMs at_ms = 0;
    Fen fen = 0;
    Index subject = kNoIndex;
    Index user = kNoIndex;
    FactKind kind = FactKind::kProtected;
    std::uint8_t detail = 0;
  };
  static constexpr TimeMs kFactBucketMs = 60 * 60 * events::kMsPerSecond;

  // Fold (analytics_view.cc).
  template <typename E>
  void ApplyToCustomer(const E& event, const events::RecordedEvent& recorded);
  void ApplySigned(const events::ContractSigned& event);
  void ApplyPayment(const events::PaymentRecorded& event);
  Index CustomerIndex(std::string_view id);
  Index ContractIndex(std::string_view contract_no);
  Index UserIndex(std::string_view user_id);  // kNoIndex for ""
  void AddMilestone(Index customer, const Milestone& milestone);
  void MarkDirty(Customer& customer, Index index);
  void MarkDirty(Contract& contract, Index index);
  static Fen AddFen(Fen a, Fen b);  // saturates instead of overflowing

  // The fact buckets (analytics_facts.cc): filled one fact at a time by the fold, all at once
  // from the records by a load.
  static std::int64_t HourOf(TimeMs at_ms);  // the fact bucket of `at_ms`
  static Fact MilestoneFact(Index customer, const Milestone& milestone);
  static Fact ContractFact(FactKind kind, Index contract, TimeMs at_ms, Fen fen);  // kSigned, kPaid
  void AddFact(const Fact& fact);
  void RebuildFacts();
  // Calls `visit(fact)` for every fact the records imply, customers' then contracts'.
  template <typename Visit>
  void ForEachRecordFact(Visit&& visit) const;

  // Rows (analytics_rows.cc).
  std::string CustomerRow(const Customer& customer) const;
  std::string ContractRow(const Contract& contract) const;
  Status LoadCustomer(std::string_view id, std::string_view value);
  Status LoadContract(std::string_view contract_no, std::string_view value);

  // Reads (analytics_reads.cc). Calls `visit(fact)` for each fact with from_ms ≤ at < to_ms;
  // ForEachFactDay calls `visit(fact, local day)`, asking `local_day` about twice per bucket
  // when the whole bucket is on one day.
  template <typename Visit>
  void ForEachFact(TimeMs from_ms, TimeMs to_ms, Visit&& visit) const;
  template <typename Visit>
  void ForEachFactDay(TimeMs from_ms, TimeMs to_ms, const LocalDayFn& local_day, Visit&& visit) const;
  const std::string& UserId(Index user) const { return users_[user]; }

  std::vector<Customer> customers_;
  IdIndex customer_index_;  // id -> index into customers_
  std::vector<Contract> contracts_;
  IdIndex contract_index_;  // contract number -> index into contracts_
  std::vector<std::string> users_;
  IdIndex user_index_;  // user id -> index into users_

  std::map<std::int64_t, std::vector<Fact>> facts_by_hour_;  // hour since epoch -> facts
  // The bucket the last fact went to: most facts land in the newest hour, so AddFact rarely
  // searches the map. Points into facts_by_hour_ (map nodes never move); null when cleared.
  std::int64_t last_hour_ = 0;
  std::vector<Fact>* last_bucket_ = nullptr;
  std::vector<Index> dirty_customers_;
  std::vector<Index> dirty_contracts_;
};

}  // namespace crm::projections
