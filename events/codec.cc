#include "events/codec.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>
#include <kj/io.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include "events/codec_internal.h"

namespace crm::events {
namespace {

using codec_internal::AsText;
using codec_internal::ToString;

constexpr std::size_t kWordBytes = sizeof(capnp::word);
// First segment of every message we build: large enough that any event and its record fit in
// one segment (smaller output, one copy), reused so that encoding does not allocate.
constexpr std::size_t kScratchSegmentWords = 2048;

// A zeroed first segment per thread and per use, handed to MallocMessageBuilder, which zeroes
// what it used again on destruction (capnp/message.h) so the next message may reuse it.
template <int kUse>
kj::ArrayPtr<capnp::word> ScratchSegment() {
  thread_local std::unique_ptr<capnp::word[]> words = [] {
    auto zeroed = std::make_unique<std::uint64_t[]>(kScratchSegmentWords);  // value-initialised: zeros
    return std::unique_ptr<capnp::word[]>(reinterpret_cast<capnp::word*>(zeroed.release()));
  }();
  return kj::arrayPtr(words.get(), kScratchSegmentWords);
}
constexpr int kEventScratch = 0;
constexpr int kRecordScratch = 1;

// Replaces *out with the serialized message, keeping `reserve_after` bytes of spare capacity.
void WriteBytes(capnp::MessageBuilder& message, std::size_t reserve_after, std::string* out) {
  const std::size_t bytes = capnp::computeSerializedSizeInWords(message) * kWordBytes;
  out->reserve(bytes + reserve_after);
  out->resize(bytes);
  kj::ArrayOutputStream stream(kj::arrayPtr(reinterpret_cast<kj::byte*>(out->data()), bytes));
  capnp::writeMessage(stream, message);
}

capnp::Data::Reader AsData(std::string_view bytes) {
  return {reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()};
}

capnp::Data::Reader AsData(const Sha256Digest& digest) {
  return {digest.data(), digest.size()};
}

// Runs `read` over the message in `bytes` with the decoder's limits. RocksDB values are not
// word-aligned, so unaligned input is first copied into aligned storage: `scratch` when given
// (a scan reuses it), else a copy made for this call. Cap'n Proto reports malformed input by
// throwing kj::Exception; this is the one place that turns it into a Status.
// Returns what `read` returns: a Result or a Status.
template <typename ReadFn>
std::invoke_result_t<ReadFn, capnp::MessageReader&> ReadMessage(std::string_view bytes, const char* what,
                                                                DecodeScratch* scratch, ReadFn&& read) {
  if (bytes.empty() || bytes.size() % kWordBytes != 0) {
    return Status::Corruption("malformed_message", std::string(what) + ": size " + std::to_string(bytes.size()) +
                                                       " is not a positive multiple of 8 bytes");
  }
  if (bytes.size() > kRecordBytesMax) {
    return Status::Corruption("message_too_large",
                              std::string(what) + ": " + std::to_string(bytes.size()) + " bytes exceeds the limit");
  }
  const std::size_t word_count = bytes.size() / kWordBytes;
  std::unique_ptr<std::uint64_t[]> aligned_copy;
  const void* data = bytes.data();
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(capnp::word) != 0) {
    std::uint64_t* aligned = nullptr;
    if (scratch != nullptr) {
      if (scratch->aligned_words.size() < word_count) scratch->aligned_words.resize(word_count);
      aligned = scratch->aligned_words.data();
    } else {
      aligned_copy = std::make_unique_for_overwrite<std::uint64_t[]>(word_count);
      aligned = aligned_copy.get();
    }
    std::memcpy(aligned, bytes.data(), bytes.size());
    data = aligned;
  }
  const kj::ArrayPtr<const capnp::word> words(static_cast<const capnp::word*>(data), word_count);

  capnp::ReaderOptions options;
  options.traversalLimitInWords = word_count * kDecodeTraversalFactor;
  options.nestingLimit = kDecodeNestingLimit;
  try {
    capnp::FlatArrayMessageReader reader(words, options);
    if (reader.getEnd() != words.end()) {
      return Status::Corruption("malformed_message", std::string(what) + ": trailing bytes after the message");
    }
    return read(reader);
  } catch (const kj::Exception& e) {
    return Status::Corruption("malformed_message", std::string(what) + ": " + e.getDescription().cStr());
  }
}

// The alternative T of `event`, made the current one if it is not: an event of the same type as
// the previous one is decoded over it.
template <typename T>
T& Reuse(Event& event) {
  if (T* same = std::get_if<T>(&event)) return *same;
  return event.emplace<T>();
}

Status DecodeEventRoot(schema::Event::Reader in, Event& out) {
  using codec_internal::Decode;
  using Which = schema::Event::Which;
  switch (in.which()) {
    case Which::USER_CREATED: return Decode(in.getUserCreated(), Reuse<UserCreated>(out));
    case Which::USER_ROLE_CHANGED: return Decode(in.getUserRoleChanged(), Reuse<UserRoleChanged>(out));
    case Which::USER_TEAM_CHANGED: return Decode(in.getUserTeamChanged(), Reuse<UserTeamChanged>(out));
    case Which::USER_DEACTIVATED: return Decode(in.getUserDeactivated(), Reuse<UserDeactivated>(out));
    case Which::CUSTOMERS_HANDED_OVER: return Decode(in.getCustomersHandedOver(), Reuse<CustomersHandedOver>(out));
    case Which::POLICY_CHANGED: return Decode(in.getPolicyChanged(), Reuse<PolicyChanged>(out));
    case Which::CUSTOMER_REGISTERED: return Decode(in.getCustomerRegistered(), Reuse<CustomerRegistered>(out));
    case Which::CUSTOMER_PROTECTED: return Decode(in.getCustomerProtected(), Reuse<CustomerProtected>(out));
    case Which::PROTECTION_APPROVED: return Decode(in.getProtectionApproved(), Reuse<ProtectionApproved>(out));
    case Which::PROTECTION_REJECTED: return Decode(in.getProtectionRejected(), Reuse<ProtectionRejected>(out));
    case Which::PROTECTION_REVIEW_TIMED_OUT:
      return Decode(in.getProtectionReviewTimedOut(), Reuse<ProtectionReviewTimedOut>(out));
    case Which::CONTACT_ADDED: return Decode(in.getContactAdded(), Reuse<ContactAdded>(out));
    case Which::FOLLOW_UP_RECORDED: return Decode(in.getFollowUpRecorded(), Reuse<FollowUpRecorded>(out));
    case Which::EXTENSION_REQUESTED: return Decode(in.getExtensionRequested(), Reuse<ExtensionRequested>(out));
    case Which::EXTENSION_GRANTED: return Decode(in.getExtensionGranted(), Reuse<ExtensionGranted>(out));
    case Which::EXTENSION_DENIED: return Decode(in.getExtensionDenied(), Reuse<ExtensionDenied>(out));
    case Which::PROMOTION_REQUESTED: return Decode(in.getPromotionRequested(), Reuse<PromotionRequested>(out));
    case Which::CUSTOMER_PROMOTED: return Decode(in.getCustomerPromoted(), Reuse<CustomerPromoted>(out));
    case Which::PROMOTION_DENIED: return Decode(in.getPromotionDenied(), Reuse<PromotionDenied>(out));
    case Which::CUSTOMER_ABANDONED: return Decode(in.getCustomerAbandoned(), Reuse<CustomerAbandoned>(out));
    case Which::PROTECTION_EXPIRED: return Decode(in.getProtectionExpired(), Reuse<ProtectionExpired>(out));
    case Which::CUSTOMER_REASSIGNED: return Decode(in.getCustomerReassigned(), Reuse<CustomerReassigned>(out));
    case Which::CUSTOMER_HANDED_TO_AFTERSALES:
      return Decode(in.getCustomerHandedToAftersales(), Reuse<CustomerHandedToAftersales>(out));
    case Which::CONTRACT_SIGNED: return Decode(in.getContractSigned(), Reuse<ContractSigned>(out));
    case Which::PAYMENT_RECORDED: return Decode(in.getPaymentRecorded(), Reuse<PaymentRecorded>(out));
  }
  // A newer schema's event type: refuse rather than misread it.
  return Status::Corruption("unknown_event_type", "event type ordinal " + std::to_string(static_cast<int>(in.which())) +
                                                      " is not known to this build");
}

// Assigns rather than constructs, so that a reused envelope keeps its strings' capacity.
Status ReadEnvelopeInto(schema::Record::Reader in, EventEnvelope& envelope) {
  envelope.seq = in.getSeq();
  codec_internal::AssignText(envelope.stream_id, in.getStreamId());
  envelope.stream_version = in.getStreamVersion();
  envelope.recorded_at_ms = in.getRecordedAtMs();
  envelope.effective_at_ms = in.getEffectiveAtMs();
  codec_internal::AssignText(envelope.actor_id, in.getActorId());
  codec_internal::AssignText(envelope.command_id, in.getCommandId());
  envelope.schema_version = in.getSchemaVersion();
  CRM_ASSIGN_OR_RETURN(envelope.prev_hash, codec_internal::ToDigest(in.getPrevHash(), "Record.prevHash"));
  return Status::Ok();
}

Status DecodeEventInto(std::string_view payload, Event& event) {
  return ReadMessage(payload, "event payload", nullptr, [&event](capnp::MessageReader& reader) -> Status {
    return DecodeEventRoot(reader.getRoot<schema::Event>(), event);
  });
}

// The payload sits word-aligned inside the (aligned) record, so it decodes in place.
Status ReadRecordInto(schema::Record::Reader root, RecordedEvent& out) {
  CRM_RETURN_IF_ERROR(ReadEnvelopeInto(root, out.envelope));
  const auto payload = root.getPayload();
  return DecodeEventInto(std::string_view(reinterpret_cast<const char*>(payload.begin()), payload.size()), out.event);
}

}  // namespace

namespace codec_internal {

void SetTextList(const std::vector<std::string>& values, capnp::List<capnp::Text>::Builder list) {
  for (unsigned i = 0; i < values.size(); ++i) list.set(i, AsText(values[i]));
}

std::vector<std::string> ToStringList(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto text : list) out.push_back(ToString(text));
  return out;
}

Result<Sha256Digest> ToDigest(capnp::Data::Reader data, const char* field) {
  Sha256Digest digest{};
  if (data.size() != digest.size()) {
    return Status::Corruption("malformed_digest",
                              std::string(field) + " has " + std::to_string(data.size()) + " bytes, expected 32");
  }
  std::memcpy(digest.data(), data.begin(), digest.size());
  return digest;
}

}  // namespace codec_internal

std::string_view EventTypeName(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kName; }, event);
}

std::string EncodeEvent(const Event& event) {
  capnp::MallocMessageBuilder message(ScratchSegment<kEventScratch>());
  auto root = message.initRoot<schema::Event>();
  std::visit([&](const auto& e) { codec_internal::Encode(e, root); }, event);
  std::string out;
  WriteBytes(message, 0, &out);
  return out;
}

Result<Event> DecodeEvent(std::string_view payload) {
  Event event;
  CRM_RETURN_IF_ERROR(DecodeEventInto(payload, event));
  return event;
}

std::string EncodeRecord(const EventEnvelope& envelope, std::string_view payload) {
  std::string out;
  EncodeRecordInto(envelope, payload, 0, &out);
  return out;
}

void EncodeRecordInto(const EventEnvelope& envelope, std::string_view payload, std::size_t reserve_after,
                      std::string* out) {
  capnp::MallocMessageBuilder message(ScratchSegment<kRecordScratch>());
  auto r = message.initRoot<schema::Record>();
  r.setSeq(envelope.seq);
  r.setStreamId(AsText(envelope.stream_id));
  r.setStreamVersion(envelope.stream_version);
  r.setRecordedAtMs(envelope.recorded_at_ms);
  r.setEffectiveAtMs(envelope.effective_at_ms);
  r.setActorId(AsText(envelope.actor_id));
  r.setCommandId(AsText(envelope.command_id));
  r.setSchemaVersion(envelope.schema_version);
  r.setPrevHash(AsData(envelope.prev_hash));
  r.setPayload(AsData(payload));
  WriteBytes(message, reserve_after, out);
}

Result<RecordedEvent> DecodeRecord(std::string_view record) {
  DecodeScratch scratch;
  RecordedEvent out;
  CRM_RETURN_IF_ERROR(DecodeRecordInto(record, scratch, &out));
  return out;
}

Status DecodeRecordInto(std::string_view record, DecodeScratch& scratch, RecordedEvent* out) {
  return ReadMessage(record, "record", &scratch, [out](capnp::MessageReader& reader) -> Status {
    return ReadRecordInto(reader.getRoot<schema::Record>(), *out);
  });
}

Result<EventEnvelope> DecodeEnvelope(std::string_view record) {
  return ReadMessage(record, "record", nullptr, [](capnp::MessageReader& reader) -> Result<EventEnvelope> {
    EventEnvelope envelope;
    CRM_RETURN_IF_ERROR(ReadEnvelopeInto(reader.getRoot<schema::Record>(), envelope));
    return envelope;
  });
}

}  // namespace crm::events
