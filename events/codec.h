// The codec: domain values <-> the Cap'n Proto bytes that the log stores.
//
// Two layers, so that the expensive part runs in the appending thread and only the envelope is
// built in the log's single writer thread (docs/storage-format.md, "Record"):
//   payload = EncodeEvent(event)                     -- a message whose root is schema::Event
//   record  = EncodeRecord(envelope, payload)        -- a message whose root is schema::Record
//
// Decoding accepts untrusted bytes: any alignment, any content. Malformed input yields a
// kCorruption Status, never a crash, and reading is bounded by the limits below.
// All functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"
#include "events/status.h"

namespace crm::events {

// Largest record or payload the decoder will look at.
inline constexpr std::size_t kRecordBytesMax = 4u << 20;
// Deepest pointer nesting a well-formed event has is 4 (Event > ContractSigned > lines > line);
// anything deeper is hostile.
inline constexpr int kDecodeNestingLimit = 8;
// Each word of a well-formed message is visited once; allow a factor for the decoder's own
// re-reads, and no more, so that pointer loops cannot amplify work.
inline constexpr std::size_t kDecodeTraversalFactor = 4;

std::string EncodeEvent(const Event& event);
Result<Event> DecodeEvent(std::string_view payload);

std::string EncodeRecord(const EventEnvelope& envelope, std::string_view payload);
// The same into *out (replacing its contents), leaving capacity for `reserve_after` more bytes:
// the log appends the record's hash without another allocation or copy.
void EncodeRecordInto(const EventEnvelope& envelope, std::string_view payload, std::size_t reserve_after,
                      std::string* out);

// The envelope and the decoded event. The returned hash is left zero: it is not part of the
// record but of the log's framing around it.
Result<RecordedEvent> DecodeRecord(std::string_view record);

// What a scan keeps between decodes so that decoding one event allocates nothing in the common
// case: RocksDB values are not word-aligned, so each record is copied into aligned words first,
// and these are the same words every time.
struct DecodeScratch {
  std::vector<std::uint64_t> aligned_words;
};

// DecodeRecord into *out, reusing the capacity of its strings and of `scratch`. out->hash is
// left as it was. On error *out holds a partly decoded event: the caller must not use it.
Status DecodeRecordInto(std::string_view record, DecodeScratch& scratch, RecordedEvent* out);

// The envelope alone, without decoding the payload (for scans that filter by stream or time).
Result<EventEnvelope> DecodeEnvelope(std::string_view record);

}  // namespace crm::events
