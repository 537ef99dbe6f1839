#include "events/codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>

#include "testutil/sample_events.h"
#include "testutil/status_matchers.h"

namespace crm::events {
namespace {

using testutil::SampleEnvelopeV1;
using testutil::SampleEventsV1;

TEST(CodecTest, SamplesCoverEveryEventTypeOnce) {
  std::set<std::size_t> indices;
  for (const Event& event : SampleEventsV1()) indices.insert(event.index());
  EXPECT_EQ(indices.size(), kEventTypeCount);
  EXPECT_EQ(SampleEventsV1().size(), kEventTypeCount);
}

TEST(CodecTest, EveryEventTypeRoundTrips) {
  for (const Event& event : SampleEventsV1()) {
    SCOPED_TRACE(std::string(EventTypeName(event)));
    ASSERT_OK_AND_ASSIGN(const Event decoded, DecodeEvent(EncodeEvent(event)));
    EXPECT_EQ(decoded, event);
  }
}

TEST(CodecTest, RecordRoundTripsEnvelopeAndEvent) {
  const std::vector<Event> samples = SampleEventsV1();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const EventEnvelope envelope = SampleEnvelopeV1(i);
    const std::string record = EncodeRecord(envelope, EncodeEvent(samples[i]));
    ASSERT_OK_AND_ASSIGN(const RecordedEvent decoded, DecodeRecord(record));
    EXPECT_EQ(decoded.envelope, envelope);
    EXPECT_EQ(decoded.event, samples[i]);
    ASSERT_OK_AND_ASSIGN(const EventEnvelope envelope_only, DecodeEnvelope(record));
    EXPECT_EQ(envelope_only, envelope);
  }
}

TEST(CodecTest, DecodingIntoAReusedEventLeavesNothingOfThePreviousOne) {
  // Every sample twice, then each type after a fuller one of its own type: a field the decoder
  // forgot to assign would keep the previous event's value.
  std::vector<Event> events = SampleEventsV1();
  const std::vector<Event> samples = SampleEventsV1();
  events.insert(events.end(), samples.begin(), samples.end());
  events.push_back(FollowUpRecorded{"c-1", "f-1", FollowUpChannel::kPhone, "一段很长的跟进记录，超过短字符串", 1234});
  events.push_back(FollowUpRecorded{"c-2", "f-2", FollowUpChannel::kVisit, "", std::nullopt});
  DecodeScratch scratch;
  RecordedEvent reused;
  for (std::size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(std::string(EventTypeName(events[i])) + " #" + std::to_string(i));
    const EventEnvelope envelope = SampleEnvelopeV1(i % samples.size());
    // One byte of padding in front, so the record is not word-aligned, like a RocksDB value.
    const std::string padded = " " + EncodeRecord(envelope, EncodeEvent(events[i]));
    ASSERT_OK(DecodeRecordInto(std::string_view(padded).substr(1), scratch, &reused));
    EXPECT_EQ(reused.envelope, envelope);
    EXPECT_EQ(reused.event, events[i]);
  }
}

TEST(CodecTest, FollowUpWithoutNextContactRoundTripsAsNone) {
  const Event event = FollowUpRecorded{"c-1", "f-1", FollowUpChannel::kVisit, "拜访", std::nullopt};
  ASSERT_OK_AND_ASSIGN(const Event decoded, DecodeEvent(EncodeEvent(event)));
  EXPECT_FALSE(std::get<FollowUpRecorded>(decoded).next_contact_at_ms.has_value());
}

TEST(CodecTest, TypeNamesAreStable) {
  // Persisted names appear in exports and audit reports; they must never change.
  const std::vector<Event> samples = SampleEventsV1();
  EXPECT_EQ(EventTypeName(samples.front()), "UserCreated");
  EXPECT_EQ(EventTypeName(Event(CustomerProtected{})), "CustomerProtected");
  EXPECT_EQ(EventTypeName(samples.back()), "PaymentRecorded");
}

TEST(CodecTest, DecodesFromUnalignedBytes) {
  const Event event = SampleEventsV1()[6];
  const std::string record = EncodeRecord(SampleEnvelopeV1(6), EncodeEvent(event));
  // RocksDB hands out values at any address; shift the record off word alignment.
  std::string shifted(record.size() + 3, '\0');
  std::memcpy(shifted.data() + 3, record.data(), record.size());
  const std::string_view unaligned(shifted.data() + 3, record.size());
  ASSERT_NE(reinterpret_cast<std::uintptr_t>(unaligned.data()) % 8, 0u);
  ASSERT_OK_AND_ASSIGN(const RecordedEvent decoded, DecodeRecord(unaligned));
  EXPECT_EQ(decoded.event, event);
}

TEST(CodecTest, EveryTruncationIsRefused) {
  const std::string record = EncodeRecord(SampleEnvelopeV1(23), EncodeEvent(SampleEventsV1()[23]));
  for (std::size_t length = 0; length < record.size(); ++length) {
    EXPECT_FALSE(DecodeRecord(std::string_view(record).substr(0, length)).ok()) << "length " << length;
  }
}

TEST(CodecTest, TrailingBytesAreRefused) {
  const std::string record = EncodeRecord(SampleEnvelopeV1(0), EncodeEvent(SampleEventsV1()[0]));
  EXPECT_REASON(DecodeRecord(record + std::string(8, '\0')), "malformed_message");
}

TEST(CodecTest, FlippedBytesNeverCrash) {
  // Run under AddressSanitizer by test.sh: any out-of-bounds read fails the build, whatever
  // the decoder answers.
  const std::string record = EncodeRecord(SampleEnvelopeV1(23), EncodeEvent(SampleEventsV1()[23]));
  int refused = 0;
  for (std::size_t i = 0; i < record.size(); ++i) {
    for (const unsigned char mask : {0x01, 0x80, 0xff}) {
      std::string damaged = record;
      damaged[i] = static_cast<char>(damaged[i] ^ mask);
      if (!DecodeRecord(damaged).ok()) ++refused;
    }
  }
  // Pointer and segment-table damage must be caught; text damage may decode.
  EXPECT_GT(refused, 0);
}

TEST(CodecTest, RandomGarbageIsRefusedWithoutCrashing) {
  std::mt19937_64 random(20261122);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(8 * (1 + random() % 64), '\0');
    for (char& byte : bytes) byte = static_cast<char>(random());
    // Make the segment table plausible half the time, so decoding gets past the first check.
    if (round % 2 == 0) {
      const std::uint32_t segments_minus_one = 0;
      const auto words = static_cast<std::uint32_t>(bytes.size() / 8 - 1);
      std::memcpy(bytes.data(), &segments_minus_one, 4);
      std::memcpy(bytes.data() + 4, &words, 4);
    }
    const Result<RecordedEvent> decoded = DecodeRecord(bytes);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
    }
  }
}

TEST(CodecTest, HostileSegmentTableIsRefused) {
  std::string bytes(16, '\0');
  const std::uint32_t segments_minus_one = 0x7fffffff;
  std::memcpy(bytes.data(), &segments_minus_one, 4);
  EXPECT_REASON(DecodeRecord(bytes), "malformed_message");
}

TEST(CodecTest, OversizedInputIsRefusedBeforeParsing) {
  const std::string huge(kRecordBytesMax + 8, '\0');
  EXPECT_REASON(DecodeRecord(huge), "message_too_large");
}

TEST(CodecTest, UnknownEventTypeFromANewerSchemaIsRefused) {
  // Layout of a single-segment message: word 0 is the segment table, word 1 the root pointer,
  // word 2 the root struct's data section, whose first 16 bits are the union discriminant.
  constexpr std::size_t kDiscriminantOffset = 16;
  const std::vector<Event> samples = SampleEventsV1();
  std::string payload = EncodeEvent(samples[7]);
  std::uint16_t discriminant = 0;
  std::memcpy(&discriminant, payload.data() + kDiscriminantOffset, sizeof(discriminant));
  ASSERT_EQ(discriminant, samples[7].index()) << "the message layout assumption no longer holds";
  discriminant = 999;
  std::memcpy(payload.data() + kDiscriminantOffset, &discriminant, sizeof(discriminant));
  EXPECT_REASON(DecodeEvent(payload), "unknown_event_type");
}

}  // namespace
}  // namespace crm::events
