// The customers view's rows (projection.h): what a fold writes, a fresh view loads back to the
// same bytes and the same answers; only changed customers are flushed; damaged bytes are a
// status, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "events/company_name.h"
#include "projections/customers_view.h"
#include "projections/row_codec.h"
#include "projections/row_map_sink.h"
#include "testutil/status_matchers.h"

namespace crm::projections {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace customers_view_rows_test {

using events::kMsPerDay;

constexpr TimeMs kT0 = 1772416800000;  // Monday 2026-03-02 10:00 Shanghai
constexpr TimeMs kDay = kMsPerDay;
constexpr TimeMs kDeadline = kT0 + 30 * kDay;
constexpr TimeMs kReviewDeadline = kT0 + 3 * kDay;

using MemorySink = RowMapSink;

// A history touching every field of a summary: holds in every stage, every way into the pool,
// extensions and promotions decided and pending, reminders set and cleared, owners changing.
class History {
 public:
  void Record(events::Event event, TimeMs at_ms, std::optional<TimeMs> effective_ms = std::nullopt) {
    events::RecordedEvent recorded;
    recorded.envelope.seq = events_.size() + 1;
    recorded.envelope.recorded_at_ms = at_ms;
    recorded.envelope.effective_at_ms = effective_ms.value_or(at_ms);
    recorded.event = std::move(event);
    events_.push_back(std::move(recorded));
  }
  void Registered(const std::string& id, const std::string& name, const std::string& owner, TimeMs at_ms) {
    Record(events::CustomerRegistered{.customer_id = id,
                                      .name = name,
                                      .normalized_name = *events::NormalizeCompanyName(name),
                                      .region = "泰州",
                                      .industry = "空调",
                                      .address = "",
                                      .phone = "",
                                      .intro = "",
                                      .website = ""},
           at_ms);
    Protected(id, owner, events::ProtectionSource::kRegistration, at_ms);
  }
  void Protected(const std::string& id, const std::string& owner, events::ProtectionSource source, TimeMs at_ms) {
    Record(events::CustomerProtected{.customer_id = id,
                                     .owner_id = owner,
                                     .source = source,
                                     .deadline_ms = at_ms + 30 * kDay,
                                     .review_deadline_ms = at_ms + 3 * kDay},
           at_ms);
  }
  void Approved(const std::string& id, const std::string& owner, TimeMs at_ms) {
    Record(events::ProtectionApproved{.customer_id = id, .owner_id = owner, .reason = "资料完整"}, at_ms);
  }
  void FollowUp(const std::string& id, const std::string& follow_up_id, std::optional<TimeMs> next_ms, TimeMs at_ms) {
    Record(events::FollowUpRecorded{.customer_id = id,
                                    .follow_up_id = follow_up_id,
                                    .channel = events::FollowUpChannel::kVisit,
                                    .notes = "上门拜访",
                                    .next_contact_at_ms = next_ms},
           at_ms);
  }

  void BuildVaried() {
    Record(events::UserCreated{.user_id = "s1",
                               .name = "张三",
                               .role = events::Role::kSales,
                               .team = "t1",
                               .manager_id = "",
                               .token_sha256 = {}},
           kT0 - 1);
    // C1: potential -> extended -> intention -> formal, reminders set, cleared and set again.
    Registered("C1", "靖江市春意空调有限公司", "s1", kT0);
    Approved("C1", "s1", kT0 + 1);
    FollowUp("C1", "f1", kT0 + 2 * kDay, kT0 + 2);
    FollowUp("C1", "f2", std::nullopt, kT0 + 3);
    Record(events::ExtensionRequested{.customer_id = "C1", .request_id = "x1", .days = 10, .reason = "在谈"}, kT0 + 4);
    Record(
        events::ExtensionGranted{
            .customer_id = "C1", .request_id = "x1", .days = 10, .deadline_ms = kDeadline + 10 * kDay, .reason = ""},
        kT0 + 5);
    Record(events::PromotionRequested{.customer_id = "C1", .request_id = "p1", .reason = "有意向"}, kT0 + 6);
    Record(
        events::CustomerPromoted{
            .customer_id = "C1", .request_id = "p1", .deadline_ms = kT0 + 15 * kDay, .reason = "同意"},
        kT0 + 7);
    FollowUp("C1", "f3", kT0 + 5 * kDay, kT0 + 8);
    Record(
        events::CustomerHandedToAftersales{
            .customer_id = "C1", .contract_no = "HT-1", .from_user_id = "s1", .aftersales_owner_id = "a1"},
        kT0 + 9);
    // C2: review times out (effective at the deadline), then claimed from the pool, reassigned,
    // with an extension request pending.
    Registered("C2", "泰州市春意机械有限公司", "s2", kT0 + 10);
    FollowUp("C2", "f4", kT0 + kDay, kT0 + 11);
    Record(
        events::ProtectionReviewTimedOut{
            .customer_id = "C2", .owner_id = "s2", .review_deadline_ms = kReviewDeadline + 10},
        kReviewDeadline + 500, kReviewDeadline + 10);
    Protected("C2", "s3", events::ProtectionSource::kPool, kReviewDeadline + 600);
    Approved("C2", "s3", kReviewDeadline + 601);
    Record(events::CustomerReassigned{.customer_id = "C2", .from_user_id = "s3", .to_user_id = "s4", .reason = "离职"},
           kReviewDeadline + 602);
    Record(events::ExtensionRequested{.customer_id = "C2", .request_id = "x2", .days = 5, .reason = "在谈"},
           kReviewDeadline + 603);
    FollowUp("C2", "f5", kReviewDeadline + 2 * kDay, kReviewDeadline + 604);
    // C3: rejected at review.
    Registered("C3", "无锡市光明科技有限公司", "s1", kReviewDeadline + 700);
    Record(events::ProtectionRejected{.customer_id = "C3", .owner_id = "s1", .reason = "地址不全"},
           kReviewDeadline + 701);
    // C4: abandoned, claimed again by someone else, a promotion pending and a reminder.
    Registered("C4", "常州市春风贸易有限公司", "s2", kReviewDeadline + 800);
    Approved("C4", "s2", kReviewDeadline + 801);
    Record(
        events::CustomerAbandoned{
            .customer_id = "C4", .owner_id = "s2", .reason = "不做了", .cooldown_until_ms = kT0 + 10 * kDay},
        kReviewDeadline + 802);
    Protected("C4", "s1", events::ProtectionSource::kPool, kReviewDeadline + 803);
    Approved("C4", "s1", kReviewDeadline + 804);
    Record(events::PromotionRequested{.customer_id = "C4", .request_id = "p2", .reason = "有意向"},
           kReviewDeadline + 805);
    FollowUp("C4", "f6", kReviewDeadline + 20 * kDay, kReviewDeadline + 806);
    // C5: expired, the release written (effective at the deadline).
    Registered("C5", "南通市远大建材有限公司", "s3", kReviewDeadline + 900);
    Approved("C5", "s3", kReviewDeadline + 901);
    Record(events::ProtectionExpired{.customer_id = "C5",
                                     .owner_id = "s3",
                                     .stage = events::HeldStage::kPotential,
                                     .deadline_ms = kReviewDeadline + 900 + 30 * kDay},
           kReviewDeadline + 900 + 30 * kDay + 5000, kReviewDeadline + 900 + 30 * kDay);
    // C6: held with a reminder, its deadline passing later with no release written.
    Registered("C6", "扬州市明月服装有限公司", "s2", kReviewDeadline + 30 * kDay + 1000);
    Approved("C6", "s2", kReviewDeadline + 30 * kDay + 1001);
    FollowUp("C6", "f7", kReviewDeadline + 31 * kDay, kReviewDeadline + 30 * kDay + 1002);
  }

  void ApplyTo(Projection& view, std::size_t from = 0, std::size_t to = SIZE_MAX) const {
    for (std::size_t i = from; i < std::min(to, events_.size()); ++i) view.Apply(events_[i]);
  }
  std::size_t size() const { return events_.size(); }

 private:
  std::vector<events::RecordedEvent> events_;
};

// The reads a view offers, one bit each.
enum Reads : unsigned {
  kPoolRead = 1,
  kHeldRead = 2,
  kRemindersRead = 4,
  kSearchRead = 8,
  kEveryRead = 15,
};

// The reads in `reads` at `now_ms`, as text, so two views can be compared answer by answer.
std::string ReadsAt(const CustomersView& view, TimeMs now_ms, unsigned reads = kEveryRead) {
  std::ostringstream out;
  if ((reads & kPoolRead) != 0) {
    out << "pool:";
    for (const PoolEntry& e : view.Pool(now_ms)) {
      out << ' ' << e.customer->customer_id << '/' << PoolReasonName(e.reason) << '/' << e.entered_at_ms << '/'
          << e.previous_owners;
    }
  }
  for (const char* user : {"s1", "s2", "s3", "s4", "a1"}) {
    if ((reads & kHeldRead) != 0) {
      out << "\nheld " << user << ':';
      for (const OwnedEntry& e : view.HeldBy(user, now_ms)) {
        out << ' ' << e.customer->customer_id << '/' << e.deadline_ms << '/' << e.ends_at_ms << '/' << e.days_left
            << '/' << e.customer->pending_requests.size();
      }
    }
    if ((reads & kRemindersRead) != 0) {
      out << "\nreminders " << user << ':';
      for (const ReminderEntry& e : view.Reminders(user, now_ms, now_ms + 60 * kDay)) {
        out << ' ' << e.customer->customer_id << '/' << e.next_contact_at_ms << '/' << e.overdue << '/'
            << e.follow_up_id;
      }
    }
  }
  if ((reads & kSearchRead) != 0) {
    for (const char* query : {"春", "春意", "有限公司", "明月"}) {
      out << "\nsearch " << query << ':';
      for (const SearchHit& hit : view.Search(query, now_ms, 100)) {
        out << ' ' << hit.customer->customer_id << '/' << CustomerStageName(hit.stage) << '/' << hit.owner_id;
      }
    }
  }
  return out.str();
}

std::map<std::string, std::string> AllRows(const CustomersView& view) {
  MemorySink sink;
  view.WriteRows(sink);
  return sink.rows;
}

class CustomersViewRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    history_.BuildVaried();
    history_.ApplyTo(folded_);
  }
  // A fresh view loaded from `rows` the way the host does it.
  std::unique_ptr<CustomersView> Load(const std::map<std::string, std::string>& rows) {
    auto loaded = std::make_unique<CustomersView>();
    for (const auto& [key, value] : rows) EXPECT_OK(loaded->LoadRow(key, value)) << key;
    EXPECT_OK(loaded->FinishLoad());
    return loaded;
  }

  // A fresh view loaded from `rows` as a snapshot, the way an as-of read does it.
  static std::unique_ptr<CustomersView> LoadAsSnapshot(const std::map<std::string, std::string>& rows) {
    auto loaded = std::make_unique<CustomersView>();
    EXPECT_OK(loaded->LoadSnapshot(SnapshotOf(rows)));
    return loaded;
  }
  static std::shared_ptr<const SnapshotRows> SnapshotOf(const std::map<std::string, std::string>& rows) {
    auto snapshot = std::make_shared<SnapshotRows>();
    for (const auto& [key, value] : rows) snapshot->Add(snapshot->Hold(key), snapshot->Hold(value));
    snapshot->Finish({});
    return snapshot;
  }

  History history_;
  CustomersView folded_;
};

TEST_F(CustomersViewRowsTest, KindNamesTheViewAndMakesAnEmptyOne) {
  const ProjectionKind kind = CustomersView::Kind();
  EXPECT_EQ(kind.name, "customers");
  EXPECT_EQ(kind.version, CustomersView::kVersion);
  const std::unique_ptr<Projection> made = kind.make();
  const auto* view = dynamic_cast<const CustomersView*>(made.get());
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->size(), 0u);
}

TEST_F(CustomersViewRowsTest, OneRowPerCustomerKeyedByItsId) {
  const std::map<std::string, std::string> rows = AllRows(folded_);
  std::vector<std::string> keys;
  for (const auto& [key, value] : rows) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"C1", "C2", "C3", "C4", "C5", "C6"}));
  EXPECT_EQ(folded_.size(), 6u);
  std::vector<std::string> ids;
  folded_.ForEachCustomer([&ids](const CustomerSummary& summary) { ids.push_back(summary.customer_id); });
  EXPECT_EQ(ids, keys);
}

TEST_F(CustomersViewRowsTest, LoadedRowsWriteTheSameBytesAndAnswerEveryReadTheSame) {
  const std::map<std::string, std::string> rows = AllRows(folded_);
  const std::unique_ptr<CustomersView> loaded = Load(rows);
  EXPECT_EQ(AllRows(*loaded), rows);
  for (const TimeMs now : {kT0 + 1, kT0 + 2 * kDay, kReviewDeadline + 10, kReviewDeadline + 5 * kDay, kDeadline,
                           kReviewDeadline + 30 * kDay + 2000, kReviewDeadline + 60 * kDay, kT0 + 365 * kDay}) {
    EXPECT_EQ(ReadsAt(*loaded, now), ReadsAt(folded_, now)) << "at " << now;
  }
  // The fields the reads do not show survive too.
  const CustomerSummary& c1 = *loaded->Find("C1");
  EXPECT_EQ(c1.name, "靖江市春意空调有限公司");
  EXPECT_EQ(c1.hold.stage, CustomerStage::kFormal);
  EXPECT_EQ(c1.hold.owner_id, "a1");
  EXPECT_EQ(c1.reminder, (Reminder{.next_contact_at_ms = kT0 + 5 * kDay, .follow_up_id = "f3"}));
  const CustomerSummary& c4 = *loaded->Find("C4");
  EXPECT_EQ(c4.owners, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(c4.pending_requests, (std::map<std::string, RequestKind>{{"p2", RequestKind::kPromotion}}));
  EXPECT_EQ(loaded->Find("C2")->pending_requests,
            (std::map<std::string, RequestKind>{{"x2", RequestKind::kExtension}}));
  EXPECT_EQ(loaded->Find("C5")->pool_reason, PoolReason::kExpired);
}

TEST_F(CustomersViewRowsTest, ALoadedViewFoldsOnAsIfItHadFoldedEverything) {
  // Load a prefix's rows, then fold the rest: the same state as folding it all.
  const std::size_t half = history_.size() / 2;
  CustomersView prefix;
  history_.ApplyTo(prefix, 0, half);
  const std::unique_ptr<CustomersView> resumed = Load(AllRows(prefix));
  history_.ApplyTo(*resumed, half);
  EXPECT_EQ(AllRows(*resumed), AllRows(folded_));
  EXPECT_EQ(ReadsAt(*resumed, kReviewDeadline + 5 * kDay), ReadsAt(folded_, kReviewDeadline + 5 * kDay));
}

TEST_F(CustomersViewRowsTest, ALoadedViewSearchedBeforeFoldingOnFindsTheNamesRegisteredLater) {
  // A load leaves the name index to the first search; a search between the load and the next
  // registrations builds it, and those registrations must then be indexed as they are folded.
  const std::size_t half = history_.size() / 2;
  CustomersView prefix;
  history_.ApplyTo(prefix, 0, half);
  const std::unique_ptr<CustomersView> resumed = Load(AllRows(prefix));
  EXPECT_EQ(ReadsAt(*resumed, kT0 + 1), ReadsAt(prefix, kT0 + 1));
  history_.ApplyTo(*resumed, half);
  EXPECT_EQ(ReadsAt(*resumed, kReviewDeadline + 5 * kDay), ReadsAt(folded_, kReviewDeadline + 5 * kDay));
}

TEST_F(CustomersViewRowsTest, FlushChangesWritesExactlyTheCustomersChangedSinceTheLastFlush) {
  MemorySink first;
  folded_.FlushChanges(first);
  EXPECT_EQ(first.rows, AllRows(folded_)) << "everything is new before the first flush";
  EXPECT_EQ(first.put_keys.size(), 6u) << "each changed customer once, however many events it had";
  EXPECT_TRUE(std::is_sorted(first.put_keys.begin(), first.put_keys.end())) << "in key order";

  MemorySink idle;
  folded_.FlushChanges(idle);
  EXPECT_TRUE(idle.put_keys.empty());

  History more;
  more.Record(events::UserDeactivated{.user_id = "s9", .reason = "离职"}, kT0 + 100 * kDay);
  more.FollowUp("C4", "f9", kT0 + 101 * kDay, kT0 + 100 * kDay);
  more.FollowUp("C2", "f8", std::nullopt, kT0 + 100 * kDay);
  more.FollowUp("C2", "f10", kT0 + 102 * kDay, kT0 + 100 * kDay);
  more.ApplyTo(folded_);
  MemorySink changed;
  folded_.FlushChanges(changed);
  EXPECT_EQ(changed.put_keys, (std::vector<std::string>{"C2", "C4"})) << "in key order, not the order they changed";
  const std::map<std::string, std::string> all = AllRows(folded_);
  EXPECT_EQ(changed.rows.at("C2"), all.at("C2")) << "a changed row is written whole";
  EXPECT_EQ(changed.rows.at("C4"), all.at("C4"));
}

TEST_F(CustomersViewRowsTest, LoadedRowsAreNotChanges) {
  const std::unique_ptr<CustomersView> loaded = Load(AllRows(folded_));
  MemorySink sink;
  loaded->FlushChanges(sink);
  EXPECT_TRUE(sink.put_keys.empty());
}

void ExpectCorrupt(const Status& status, const std::string& customer_id) {
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_REASON(status, "projection_row_corrupt");
  EXPECT_NE(status.message().find(customer_id), std::string::npos) << status.ToString();
  EXPECT_EQ(status.details().count("customerId"), 1u) << status.ToString();
}

TEST_F(CustomersViewRowsTest, ATruncatedOrPaddedRowIsCorruptionNamingTheCustomer) {
  const std::string row = AllRows(folded_).at("C1");
  for (std::size_t length = 0; length < row.size(); ++length) {
    CustomersView fresh;
    ExpectCorrupt(fresh.LoadRow("C1", row.substr(0, length)), "C1");
    EXPECT_EQ(fresh.size(), 0u) << "a corrupt row loads nothing";
  }
  CustomersView fresh;
  ExpectCorrupt(fresh.LoadRow("C1", row + '\0'), "C1");
}

TEST_F(CustomersViewRowsTest, ARowUnderAnotherCustomersKeyIsCorruption) {
  CustomersView fresh;
  ExpectCorrupt(fresh.LoadRow("C9", AllRows(folded_).at("C1")), "C9");
  ExpectCorrupt(fresh.LoadRow("", AllRows(folded_).at("C1")), "");
}

// The row of customer C1 in the pool with these raw fields: what a damaged or foreign store
// might hold, written field by field as EncodeSummary lays them out.
std::string HandWrittenRow(std::uint64_t stage, const std::vector<std::string>& owners) {
  RowWriter row;
  row.Bytes("C1");
  for (int i = 0; i < 4; ++i) row.Bytes("");  // name, normalised name, region, industry
  row.U64(stage);
  row.Bytes("");  // owner
  row.I64(0);
  row.Bool(false);
  row.I64(0);
  row.U64(0);  // pool reason
  row.I64(0);
  row.U64(owners.size());
  for (const std::string& owner : owners) row.Bytes(owner);
  row.U64(0);  // requests
  row.Bool(false);
  return row.Take();
}

TEST_F(CustomersViewRowsTest, AnUnknownStageIsCorruption) {
  CustomersView fresh;
  EXPECT_OK(fresh.LoadRow("C1", HandWrittenRow(0, {})));
  CustomersView other;
  ExpectCorrupt(other.LoadRow("C1", HandWrittenRow(9, {})), "C1");  // no such stage
}

// Owners are written ascending and once each; a row that says otherwise was not written by
// this view, and loading it as it stands would break the order every later owner is added in.
TEST_F(CustomersViewRowsTest, OwnersOutOfOrderOrRepeatedAreCorruption) {
  for (const std::vector<std::string>& owners :
       {std::vector<std::string>{"s2", "s1"}, std::vector<std::string>{"s1", "s1"}}) {
    CustomersView fresh;
    ExpectCorrupt(fresh.LoadRow("C1", HandWrittenRow(0, owners)), "C1");
    EXPECT_EQ(fresh.size(), 0u);
  }
  CustomersView fresh;
  EXPECT_OK(fresh.LoadRow("C1", HandWrittenRow(0, {"s1", "s2"})));
  EXPECT_EQ(fresh.Find("C1")->owners, (std::vector<std::string>{"s1", "s2"}));
}

TEST_F(CustomersViewRowsTest, EveryDamagedByteIsAStatusNeverACrash) {
  for (const auto& [key, row] : AllRows(folded_)) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      for (const char damage : {'\xff', '\x00', '\x7f'}) {
        std::string damaged = row;
        damaged[i] = damage;
        CustomersView fresh;
        const Status status = fresh.LoadRow(key, damaged);
        if (!status.ok()) {
          ExpectCorrupt(status, key);
          continue;
        }
        // Some damage still decodes (a changed character of a name): that is one customer.
        EXPECT_EQ(AllRows(fresh).size(), 1u);
      }
    }
  }
}

// A snapshot's rows kept as bytes (LoadSnapshot) and decoded when touched: every answer, every
// row and every later fold the same as with the rows decoded up front.
TEST_F(CustomersViewRowsTest, ASnapshotKeptAsBytesAnswersAndWritesAsAFullLoadInEveryState) {
  // The snapshot of every state the history passes through (C1 is an intention customer in
  // only a few), each read also on a view of its own: a read skips the rows not decoded yet
  // that it cannot want, and one read's decoding must not hide another's skipping. The first
  // time puts C6's reminder exactly at the end of the reminders' window.
  for (std::size_t events = 0; events <= history_.size(); ++events) {
    CustomersView state;
    history_.ApplyTo(state, 0, events);
    const std::map<std::string, std::string> state_rows = AllRows(state);
    for (const TimeMs now : {kReviewDeadline + 31 * kDay - 60 * kDay, kT0 + 1, kReviewDeadline + 10, kDeadline,
                             kReviewDeadline + 31 * kDay, kReviewDeadline + 60 * kDay}) {
      EXPECT_EQ(ReadsAt(*LoadAsSnapshot(state_rows), now), ReadsAt(state, now)) << events << " events, at " << now;
      for (const unsigned read : {kPoolRead, kHeldRead, kRemindersRead, kSearchRead}) {
        EXPECT_EQ(ReadsAt(*LoadAsSnapshot(state_rows), now, read), ReadsAt(state, now, read))
            << events << " events, at " << now;
      }
    }
  }
  const std::map<std::string, std::string> rows = AllRows(folded_);
  const std::unique_ptr<CustomersView> kept = LoadAsSnapshot(rows);
  EXPECT_EQ(kept->size(), rows.size());
  EXPECT_EQ(AllRows(*kept), rows);
  EXPECT_EQ(kept->Find("C4")->owners, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(kept->Find("C9"), nullptr);
  EXPECT_EQ(kept->Find("C4"), kept->Find("C4")) << "a row is decoded once and kept";
}

TEST_F(CustomersViewRowsTest, ASnapshotKeptAsBytesFoldsOnAsIfItHadFoldedEverything) {
  // Half the customers are in the snapshot, the others are registered by the events after it:
  // reads walk both in id order.
  const std::size_t half = history_.size() / 2;
  CustomersView prefix;
  history_.ApplyTo(prefix, 0, half);
  const std::unique_ptr<CustomersView> resumed = LoadAsSnapshot(AllRows(prefix));
  ASSERT_LT(resumed->size(), folded_.size());
  history_.ApplyTo(*resumed, half);
  EXPECT_EQ(resumed->size(), folded_.size());
  for (const TimeMs now : {kT0 + 1, kReviewDeadline + 5 * kDay, kReviewDeadline + 60 * kDay}) {
    EXPECT_EQ(ReadsAt(*resumed, now), ReadsAt(folded_, now)) << "at " << now;
  }
  EXPECT_EQ(AllRows(*resumed), AllRows(folded_));
  MemorySink changed;
  resumed->FlushChanges(changed);
  CustomersView tail;
  history_.ApplyTo(tail, half);
  std::vector<std::string> touched;
  tail.ForEachCustomer([&touched](const CustomerSummary& summary) { touched.push_back(summary.customer_id); });
  std::sort(changed.put_keys.begin(), changed.put_keys.end());
  EXPECT_EQ(changed.put_keys, touched) << "the customers the events after the snapshot touched, each once";
}

TEST_F(CustomersViewRowsTest, APageOfThePoolFromAKeptSnapshotStartsAfterTheCursor) {
  const std::unique_ptr<CustomersView> kept = LoadAsSnapshot(AllRows(folded_));
  const TimeMs now = kReviewDeadline + 60 * kDay;
  std::vector<std::string> all;
  for (const PoolEntry& entry : folded_.Pool(now)) all.push_back(entry.customer->customer_id);
  ASSERT_GE(all.size(), 3u);
  std::vector<std::string> page;
  kept->VisitPool(now, {}, all[0], [&page](const PoolEntry& entry) {
    page.push_back(entry.customer->customer_id);
    return page.size() < 2;
  });
  EXPECT_EQ(page, (std::vector<std::string>{all[1], all[2]}));
}

TEST_F(CustomersViewRowsTest, ABadRowInASnapshotFailsTheLoadNamingTheCustomer) {
  std::map<std::string, std::string> rows = AllRows(folded_);
  rows["C3"].push_back('\0');
  CustomersView fresh;
  ExpectCorrupt(fresh.LoadSnapshot(SnapshotOf(rows)), "C3");
  EXPECT_EQ(fresh.size(), 0u) << "a corrupt snapshot loads nothing";
  rows = AllRows(folded_);
  rows["C9"] = rows.at("C1");
  ExpectCorrupt(CustomersView().LoadSnapshot(SnapshotOf(rows)), "C9");
}

TEST_F(CustomersViewRowsTest, RowsNotInKeyOrderAreLoadedOneByOne) {
  const std::map<std::string, std::string> rows = AllRows(folded_);
  auto backwards = std::make_shared<SnapshotRows>();
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    backwards->Add(backwards->Hold(it->first), backwards->Hold(it->second));
  }
  backwards->Finish({});
  ASSERT_FALSE(backwards->sorted());
  CustomersView loaded;
  ASSERT_OK(loaded.LoadSnapshot(backwards));
  EXPECT_EQ(AllRows(loaded), rows);
  EXPECT_EQ(ReadsAt(loaded, kDeadline), ReadsAt(folded_, kDeadline));
}

// Readers share an as-of view and may decode the same rows at once (run under TSan too).
TEST_F(CustomersViewRowsTest, ReadersDecodingAKeptSnapshotAtOnceAgree) {
  const std::unique_ptr<CustomersView> kept = LoadAsSnapshot(AllRows(folded_));
  const TimeMs now = kReviewDeadline + 5 * kDay;
  const std::string expected = ReadsAt(folded_, now);
  std::vector<std::string> answers(4);
  std::vector<std::thread> readers;
  for (std::string& answer : answers) {
    readers.emplace_back([&kept, &answer, now] { answer = ReadsAt(*kept, now); });
  }
  for (std::thread& reader : readers) reader.join();
  for (const std::string& answer : answers) EXPECT_EQ(answer, expected);
}

}  // namespace customers_view_rows_test
}  // namespace crm::projections
