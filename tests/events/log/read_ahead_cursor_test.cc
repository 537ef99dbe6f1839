// ReadAhead hands over what its source cursor yields, in order, across batch boundaries; stops
// with the source's error after the events before it; and lets go of a long scan abandoned
// halfway. The source is a scripted cursor, so that every case is exact.
#include "events/log/read_ahead_cursor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "events/event_types.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::log {
namespace {

// Yields seq 1..count, each a follow-up on a customer named after its seq; then stops, with
// `error` as its status when given.
class ScriptedCursor final : public EventCursor {
 public:
  ScriptedCursor(events::Seq count, Status error, std::atomic<events::Seq>* read)
      : count_(count), error_(std::move(error)), read_(read) {
    Load();
  }
  bool Valid() const override { return seq_ <= count_; }
  void Next() override {
    ++seq_;
    Load();
  }
  const events::RecordedEvent& event() const override { return event_; }
  Status status() const override { return Valid() ? Status::Ok() : error_; }

 private:
  void Load() {
    if (!Valid()) return;
    event_.envelope.seq = seq_;
    event_.envelope.stream_id = "customer-" + std::to_string(seq_);
    events::FollowUpRecorded follow_up;
    follow_up.customer_id = event_.envelope.stream_id;
    event_.event = std::move(follow_up);
    if (read_ != nullptr) read_->store(seq_);
  }

  events::Seq seq_ = 1;
  events::Seq count_;
  Status error_;
  std::atomic<events::Seq>* read_;
  events::RecordedEvent event_;
};

// The seqs ReadAhead yields over a scripted source of `count` events, and its final status.
std::pair<std::vector<events::Seq>, Status> Drain(events::Seq count, Status error = Status::Ok()) {
  std::vector<events::Seq> seqs;
  auto cursor = ReadAhead(std::make_unique<ScriptedCursor>(count, std::move(error), nullptr));
  for (; cursor->Valid(); cursor->Next()) {
    const events::RecordedEvent& event = cursor->event();
    EXPECT_EQ(event.envelope.stream_id, "customer-" + std::to_string(event.envelope.seq));
    EXPECT_EQ(std::get<events::FollowUpRecorded>(event.event).customer_id, event.envelope.stream_id);
    seqs.push_back(event.envelope.seq);
  }
  return {seqs, cursor->status()};
}

std::vector<events::Seq> OneTo(events::Seq count) {
  std::vector<events::Seq> seqs;
  for (events::Seq seq = 1; seq <= count; ++seq) seqs.push_back(seq);
  return seqs;
}

TEST(ReadAheadCursorTest, YieldsEveryEventInOrderWhateverTheBatchBoundaries) {
  // 512 events a batch, four batches in flight: sizes on, around and past those boundaries.
  for (const events::Seq count : {0, 1, 511, 512, 513, 2048, 2049, 10'000}) {
    SCOPED_TRACE("count " + std::to_string(count));
    const auto [seqs, status] = Drain(count);
    EXPECT_EQ(seqs, OneTo(count));
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
}

TEST(ReadAheadCursorTest, StopsWithTheSourcesErrorAfterTheEventsBeforeIt) {
  for (const events::Seq count : {0, 700, 1024}) {
    SCOPED_TRACE("count " + std::to_string(count));
    const auto [seqs, status] = Drain(count, Status::Corruption("missing_event", "event is missing"));
    EXPECT_EQ(seqs, OneTo(count));
    EXPECT_EQ(status.reason(), "missing_event");
  }
}

TEST(ReadAheadCursorTest, AnAbandonedScanStopsReadingSoon) {
  std::atomic<events::Seq> read{0};
  constexpr events::Seq kLongScan = 100'000'000;  // minutes of reading, were it not stopped
  {
    auto cursor = ReadAhead(std::make_unique<ScriptedCursor>(kLongScan, Status::Ok(), &read));
    for (int i = 0; i < 10 && cursor->Valid(); ++i) cursor->Next();
    ASSERT_TRUE(cursor->Valid());
    EXPECT_EQ(cursor->event().envelope.seq, 11u);
  }
  // The reader fills at most the batches in flight before it sees the stop.
  EXPECT_LE(read.load(), events::Seq{8 * 512});
}

// ScanAhead over a real log: the same events as Scan, whether the range is long enough to read
// ahead or not.
TEST(ScanAheadTest, YieldsWhatScanYieldsForLongAndShortRanges) {
  testutil::TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, testutil::OpenTestLog(dir.Sub("data")));
  constexpr events::Seq kEvents = kReadAheadEventsMin + 100;
  for (events::Seq i = 1; i <= kEvents; ++i) {
    ASSERT_OK(log->Append(testutil::OneEventBatch("customer-" + std::to_string(i % 7), kAnyVersion, std::to_string(i),
                                                  1772528400000 + static_cast<TimeMs>(i)))
                  .status());
  }
  for (const auto& [from, to] : std::vector<std::pair<events::Seq, events::Seq>>{
           {1, kLatestSeq}, {50, kEvents - 1}, {1, 10}, {kEvents, kLatestSeq}, {kEvents + 1, kLatestSeq}}) {
    SCOPED_TRACE("from " + std::to_string(from) + " to " + std::to_string(to));
    std::vector<events::RecordedEvent> plain;
    for (auto cursor = log->Scan(from, to); cursor->Valid(); cursor->Next()) plain.push_back(cursor->event());
    std::vector<events::RecordedEvent> ahead;
    auto cursor = ScanAhead(*log, from, to);
    for (; cursor->Valid(); cursor->Next()) ahead.push_back(cursor->event());
    ASSERT_OK(cursor->status());
    EXPECT_EQ(ahead.size(), plain.size());
    EXPECT_TRUE(ahead == plain);
  }
}

}  // namespace
}  // namespace crm::log
