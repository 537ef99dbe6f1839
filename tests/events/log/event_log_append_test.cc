// Appending and reading back: seqs, versions, envelopes, expected versions, idempotency,
// atomicity of a batch and refusal of malformed batches.
#include <gtest/gtest.h>

#include "events/log/event_log.h"
#include "events/log/log_format.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::log {
namespace {

using events::kMsPerDay;
using events::RecordedEvent;
using testutil::NoteEvent;
using testutil::NotesOf;
using testutil::OneEventBatch;

constexpr TimeMs kT0 = 1772528400000;  // 2026-03-03T09:00:00Z

class EventLogAppendTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(log_, testutil::OpenTestLog(dir_.Sub("data"))); }

  // Everything in the log, in order.
  std::vector<RecordedEvent> All() {
    std::vector<RecordedEvent> out;
    auto cursor = log_->Scan(1);
    for (; cursor->Valid(); cursor->Next()) out.push_back(cursor->event());
    EXPECT_OK(cursor->status());
    return out;
  }

  testutil::TempDir dir_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(EventLogAppendTest, EmptyLogHasNothing) {
  EXPECT_EQ(log_->HeadSeq(), 0u);
  EXPECT_TRUE(All().empty());
  EXPECT_REASON(log_->Read(1), "no_such_event");
  ASSERT_OK_AND_ASSIGN(const Seq as_of, log_->LastSeqAtOrBefore(kT0));
  EXPECT_EQ(as_of, 0u);
  ASSERT_OK_AND_ASSIGN(const StreamVersion version, log_->StreamHead("customer-1"));
  EXPECT_EQ(version, 0u);
}

TEST_F(EventLogAppendTest, AppendAssignsSeqsVersionsAndTheEnvelope) {
  AppendBatch batch;
  batch.command_id = "cmd-1";
  batch.recorded_at_ms = kT0;
  batch.streams.push_back({"customer-1",
                           kNoStream,
                           {{NoteEvent("customer-1", "a"), "u-zhou", std::nullopt},
                            {NoteEvent("customer-1", "b"), "system", kT0 - kMsPerDay}}});
  batch.streams.push_back({"user-zhou", kNoStream, {{NoteEvent("user-zhou", "c"), "u-zhou", std::nullopt}}});
  ASSERT_OK_AND_ASSIGN(const AppendResult result, log_->Append(batch));
  EXPECT_EQ(result.first_seq, 1u);
  EXPECT_EQ(result.last_seq, 3u);
  EXPECT_FALSE(result.duplicate);
  EXPECT_EQ(log_->HeadSeq(), 3u);

  const std::vector<RecordedEvent> all = All();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].envelope.stream_id, "customer-1");
  EXPECT_EQ(all[0].envelope.stream_version, 1u);
  EXPECT_EQ(all[1].envelope.stream_version, 2u);
  EXPECT_EQ(all[2].envelope.stream_id, "user-zhou");
  EXPECT_EQ(all[2].envelope.stream_version, 1u);
  EXPECT_EQ(all[0].envelope.effective_at_ms, kT0) << "effective time defaults to the recorded time";
  EXPECT_EQ(all[1].envelope.effective_at_ms, kT0 - kMsPerDay) << "a given effective time is kept";
  EXPECT_EQ(all[1].envelope.actor_id, "system");
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].envelope.seq, i + 1);
    EXPECT_EQ(all[i].envelope.recorded_at_ms, kT0);
    EXPECT_EQ(all[i].envelope.command_id, "cmd-1");
    EXPECT_EQ(all[i].envelope.schema_version, events::kEventSchemaVersion);
    EXPECT_EQ(all[i].envelope.prev_hash, i == 0 ? Sha256Digest{} : all[i - 1].hash);
  }
  EXPECT_EQ(NotesOf(all[1]), "b");
  ASSERT_OK_AND_ASSIGN(const RecordedEvent second, log_->Read(2));
  EXPECT_EQ(second, all[1]);
  EXPECT_EQ(result.events, all) << "the append hands back exactly the records a read returns";
}

TEST_F(EventLogAppendTest, ScanHonoursItsBounds) {
  for (int i = 1; i <= 10; ++i)
    ASSERT_OK(log_->Append(OneEventBatch("s", kAnyVersion, std::to_string(i), kT0)).status());
  std::vector<std::string> seen;
  for (auto cursor = log_->Scan(4, 7); cursor->Valid(); cursor->Next()) seen.push_back(NotesOf(cursor->event()));
  EXPECT_EQ(seen, (std::vector<std::string>{"4", "5", "6", "7"}));
  EXPECT_FALSE(log_->Scan(11)->Valid());
  EXPECT_FALSE(log_->Scan(5, 4)->Valid());
}

TEST_F(EventLogAppendTest, ReadStreamReturnsOneStreamFromAVersionAndAsOfASeq) {
  for (int i = 1; i <= 6; ++i) {
    const std::string stream = i % 2 == 1 ? "customer-odd" : "customer-even";
    ASSERT_OK(log_->Append(OneEventBatch(stream, kAnyVersion, std::to_string(i), kT0)).status());
  }
  ASSERT_OK_AND_ASSIGN(const std::vector<RecordedEvent> odd, log_->ReadStream("customer-odd"));
  ASSERT_EQ(odd.size(), 3u);
  EXPECT_EQ(NotesOf(odd[0]), "1");
  EXPECT_EQ(NotesOf(odd[2]), "5");

  ASSERT_OK_AND_ASSIGN(const std::vector<RecordedEvent> later, log_->ReadStream("customer-odd", {.from_version = 2}));
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].envelope.stream_version, 2u);

  ASSERT_OK_AND_ASSIGN(const std::vector<RecordedEvent> as_of_4,
                       log_->ReadStream("customer-odd", {.from_version = 1, .max_seq = 4}));
  EXPECT_EQ(as_of_4.size(), 2u);
  ASSERT_OK_AND_ASSIGN(const StreamVersion head_as_of_4, log_->StreamHead("customer-odd", 4));
  EXPECT_EQ(head_as_of_4, 2u);
  ASSERT_OK_AND_ASSIGN(const std::vector<RecordedEvent> unknown, log_->ReadStream("customer-none"));
  EXPECT_TRUE(unknown.empty());
}

TEST_F(EventLogAppendTest, StreamIdsThatArePrefixesOfEachOtherStaySeparate) {
  ASSERT_OK(log_->Append(OneEventBatch("customer-1", kNoStream, "short", kT0)).status());
  ASSERT_OK(log_->Append(OneEventBatch("customer-10", kNoStream, "long", kT0)).status());
  ASSERT_OK_AND_ASSIGN(const StreamVersion short_head, log_->StreamHead("customer-1"));
  EXPECT_EQ(short_head, 1u);
  ASSERT_OK_AND_ASSIGN(const std::vector<RecordedEvent> short_stream, log_->ReadStream("customer-1"));
  ASSERT_EQ(short_stream.size(), 1u);
  EXPECT_EQ(NotesOf(short_stream[0]), "short");
}

TEST_F(EventLogAppendTest, WrongExpectedVersionNamesTheStreamAndWritesNothing) {
  ASSERT_OK(log_->Append(OneEventBatch("customer-1", kNoStream, "first", kT0)).status());
  const Result<AppendResult> refused = log_->Append(OneEventBatch("customer-1", 3, "late", kT0));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(refused.status().reason(), "wrong_expected_version");
  EXPECT_EQ(refused.status().details().at("streamId"), "customer-1");
  EXPECT_EQ(refused.status().details().at("expectedVersion"), "3");
  EXPECT_EQ(refused.status().details().at("actualVersion"), "1");
  EXPECT_EQ(log_->HeadSeq(), 1u);

  EXPECT_REASON(log_->Append(OneEventBatch("customer-1", kNoStream, "again", kT0)), "wrong_expected_version");
  ASSERT_OK(log_->Append(OneEventBatch("customer-1", 1, "second", kT0)).status());
  EXPECT_EQ(log_->HeadSeq(), 2u);
}

TEST_F(EventLogAppendTest, AConditionOnlyEntryGuardsAStreamWithoutWritingToIt) {
  ASSERT_OK(log_->Append(OneEventBatch("customer-1", kNoStream, "customer", kT0)).status());
  AppendBatch guarded = OneEventBatch("contract-1", kNoStream, "contract", kT0);
  guarded.streams.push_back({"customer-1", 1, {}});
  ASSERT_OK(log_->Append(guarded).status());
  ASSERT_OK_AND_ASSIGN(const StreamVersion customer_version, log_->StreamHead("customer-1"));
  EXPECT_EQ(customer_version, 1u) << "the condition wrote nothing to the customer";

  ASSERT_OK(log_->Append(OneEventBatch("customer-1", 1, "changed", kT0)).status());
  AppendBatch stale = OneEventBatch("contract-2", kNoStream, "contract", kT0);
  stale.streams.push_back({"customer-1", 1, {}});
  EXPECT_REASON(log_->Append(stale), "wrong_expected_version");
  ASSERT_OK_AND_ASSIGN(const StreamVersion contract_2, log_->StreamHead("contract-2"));
  EXPECT_EQ(contract_2, 0u);
}

TEST_F(EventLogAppendTest, ARepeatedCommandIdReturnsTheFirstResultAndWritesNothing) {
  ASSERT_OK_AND_ASSIGN(const AppendResult first, log_->Append(OneEventBatch("s", kAnyVersion, "once", kT0, "key-1")));
  ASSERT_OK_AND_ASSIGN(const AppendResult again,
                       log_->Append(OneEventBatch("s", kAnyVersion, "once", kT0 + 5000, "key-1")));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.first_seq, first.first_seq);
  EXPECT_EQ(again.last_seq, first.last_seq);
  EXPECT_EQ(again.recorded_at_ms, first.recorded_at_ms);
  EXPECT_EQ(first.events.size(), 1u);
  EXPECT_TRUE(again.events.empty()) << "a duplicate wrote nothing, so it has no records to hand back";
  EXPECT_EQ(log_->HeadSeq(), 1u);

  // Even a batch that would now conflict answers with the first result: the command happened.
  ASSERT_OK_AND_ASSIGN(const AppendResult stale, log_->Append(OneEventBatch("s", kNoStream, "once", kT0, "key-1")));
  EXPECT_TRUE(stale.duplicate);
}

TEST_F(EventLogAppendTest, ACommandIdReusedForAnotherRequestIsRefused) {
  AppendBatch batch = OneEventBatch("s", kAnyVersion, "a", kT0, "key-1");
  batch.request_fingerprint = Sha256Digest{1};
  ASSERT_OK(log_->Append(batch).status());
  AppendBatch other = OneEventBatch("s", kAnyVersion, "b", kT0, "key-1");
  other.request_fingerprint = Sha256Digest{2};
  EXPECT_REASON(log_->Append(other), "idempotency_key_reused");
  EXPECT_EQ(log_->HeadSeq(), 1u);
}

TEST_F(EventLogAppendTest, FindCommandAnswersAsAnAppendWouldWithoutWriting) {
  AppendBatch batch = OneEventBatch("s", kAnyVersion, "a", kT0, "key-1");
  batch.request_fingerprint = Sha256Digest{1};
  ASSERT_OK_AND_ASSIGN(const AppendResult first, log_->Append(batch));

  ASSERT_OK_AND_ASSIGN(const std::optional<AppendResult> seen, log_->FindCommand("key-1", Sha256Digest{1}));
  ASSERT_TRUE(seen.has_value());
  EXPECT_TRUE(seen->duplicate);
  EXPECT_EQ(seen->first_seq, first.first_seq);
  EXPECT_EQ(seen->last_seq, first.last_seq);
  EXPECT_EQ(seen->recorded_at_ms, first.recorded_at_ms);
  ASSERT_OK_AND_ASSIGN(const std::optional<AppendResult> unchecked, log_->FindCommand("key-1", std::nullopt));
  EXPECT_TRUE(unchecked.has_value());
  EXPECT_REASON(log_->FindCommand("key-1", Sha256Digest{2}), "idempotency_key_reused");
  ASSERT_OK_AND_ASSIGN(const std::optional<AppendResult> unseen, log_->FindCommand("key-2", std::nullopt));
  EXPECT_FALSE(unseen.has_value());
  EXPECT_EQ(log_->HeadSeq(), 1u);
}

TEST_F(EventLogAppendTest, AConflictInTheLastStreamWritesNothingFromTheFirst) {
  ASSERT_OK(log_->Append(OneEventBatch("customer-2", kNoStream, "existing", kT0)).status());
  AppendBatch batch;
  batch.recorded_at_ms = kT0;
  batch.streams.push_back({"customer-1", kNoStream, {{NoteEvent("customer-1", "a"), "u", std::nullopt}}});
  batch.streams.push_back({"customer-3", kNoStream, {{NoteEvent("customer-3", "b"), "u", std::nullopt}}});
  batch.streams.push_back({"customer-2", kNoStream, {{NoteEvent("customer-2", "c"), "u", std::nullopt}}});
  EXPECT_REASON(log_->Append(batch), "wrong_expected_version");
  EXPECT_EQ(log_->HeadSeq(), 1u);
  ASSERT_OK_AND_ASSIGN(const StreamVersion untouched, log_->StreamHead("customer-1"));
  EXPECT_EQ(untouched, 0u);
  // The refused batch left no trace in the writer's state either: the same streams append fine.
  batch.streams.pop_back();
  ASSERT_OK_AND_ASSIGN(const AppendResult result, log_->Append(batch));
  EXPECT_EQ(result.first_seq, 2u);
  EXPECT_EQ(result.last_seq, 3u);
}

TEST_F(EventLogAppendTest, AnOversizedEventMidBatchWritesNothing) {
  AppendBatch batch = OneEventBatch("s", kAnyVersion, "small", kT0);
  batch.streams[0].events.push_back({NoteEvent("s", std::string(kEventPayloadBytesMax + 1, 'x')), "u", std::nullopt});
  batch.streams[0].events.push_back({NoteEvent("s", "after"), "u", std::nullopt});
  const Result<AppendResult> refused = log_->Append(batch);
  EXPECT_EQ(refused.status().code(), StatusCode::kTooLarge);
  EXPECT_EQ(log_->HeadSeq(), 0u);
}

TEST_F(EventLogAppendTest, MalformedBatchesAreRefused) {
  EXPECT_REASON(log_->Append(AppendBatch{}), "empty_batch");
  EXPECT_REASON(log_->Append(OneEventBatch("", kAnyVersion, "x", kT0)), "invalid_stream_id");
  EXPECT_REASON(log_->Append(OneEventBatch(std::string("a\0b", 3), kAnyVersion, "x", kT0)), "invalid_stream_id");
  EXPECT_REASON(log_->Append(OneEventBatch(std::string(kStreamIdBytesMax + 1, 's'), kAnyVersion, "x", kT0)),
                "invalid_stream_id");
  EXPECT_REASON(log_->Append(OneEventBatch("s", kAnyVersion, "x", kT0, std::string(kCommandIdBytesMax + 1, 'k'))),
                "invalid_command_id");
  AppendBatch no_actor = OneEventBatch("s", kAnyVersion, "x", kT0);
  no_actor.streams[0].events[0].actor_id.clear();
  EXPECT_REASON(log_->Append(no_actor), "invalid_actor_id");
  AppendBatch twice = OneEventBatch("s", kAnyVersion, "x", kT0);
  twice.streams.push_back(twice.streams[0]);
  EXPECT_REASON(log_->Append(twice), "duplicate_stream");
  AppendBatch only_conditions;
  only_conditions.streams.push_back({"s", kNoStream, {}});
  EXPECT_REASON(log_->Append(only_conditions), "empty_batch");
  EXPECT_EQ(log_->HeadSeq(), 0u);
}

TEST_F(EventLogAppendTest, RecordedTimeNeverGoesBackwards) {
  ASSERT_OK(log_->Append(OneEventBatch("s", kAnyVersion, "late", kT0 + 1000)).status());
  ASSERT_OK_AND_ASSIGN(const AppendResult earlier, log_->Append(OneEventBatch("s", kAnyVersion, "early", kT0)));
  EXPECT_EQ(earlier.recorded_at_ms, kT0 + 1000);
  ASSERT_OK_AND_ASSIGN(const RecordedEvent stored, log_->Read(2));
  EXPECT_EQ(stored.envelope.recorded_at_ms, kT0 + 1000);
}

TEST_F(EventLogAppendTest, LastSeqAtOrBeforeFindsTheAsOfPosition) {
  // Three events at t0, two at t0+1d, one at t0+3d.
  const std::vector<TimeMs> times = {kT0, kT0, kT0, kT0 + kMsPerDay, kT0 + kMsPerDay, kT0 + 3 * kMsPerDay};
  for (const TimeMs t : times) ASSERT_OK(log_->Append(OneEventBatch("s", kAnyVersion, "x", t)).status());
  const std::vector<std::pair<TimeMs, Seq>> expectations = {
      {kT0 - 1, 0}, {kT0, 3}, {kT0 + 1, 3}, {kT0 + kMsPerDay, 5}, {kT0 + 2 * kMsPerDay, 5}, {kT0 + 9 * kMsPerDay, 6}};
  for (const auto& [time, expected] : expectations) {
    ASSERT_OK_AND_ASSIGN(const Seq seq, log_->LastSeqAtOrBefore(time));
    EXPECT_EQ(seq, expected) << "as of " << time;
  }
}

TEST_F(EventLogAppendTest, WaitForHeadAboveWakesOnAppendAndTimesOutOtherwise) {
  EXPECT_EQ(log_->WaitForHeadAbove(0, std::chrono::milliseconds(20)), 0u);
  std::thread appender([&] { ASSERT_OK(log_->Append(OneEventBatch("s", kAnyVersion, "x", kT0)).status()); });
  EXPECT_EQ(log_->WaitForHeadAbove(0, std::chrono::seconds(30)), 1u);
  appender.join();
}

}  // namespace
}  // namespace crm::log
