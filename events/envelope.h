// The envelope: what the log records around every event (docs/storage-format.md, "Record").
#pragma once

#include <cstdint>
#include <string>

#include "events/event_types.h"

namespace crm::events {

// Position in the global log. The first event is 1; 0 means "before the first event".
using Seq = std::uint64_t;
// Position within one stream. A stream's first event is version 1; 0 means "empty stream".
using StreamVersion = std::uint64_t;

// Version of events.capnp that wrote a record. Bumped whenever the schema gains anything, so a
// reader can tell which fields an old record could not have carried.
inline constexpr std::uint16_t kEventSchemaVersion = 1;

struct EventEnvelope {
  Seq seq = 0;
  std::string stream_id;
  StreamVersion stream_version = 0;
  // When the log accepted the event. Never decreases along seq, so "as of time T" is a prefix.
  TimeMs recorded_at_ms = 0;
  // When the fact took effect: recorded_at_ms for user actions, the deadline for releases.
  TimeMs effective_at_ms = 0;
  std::string actor_id;
  std::string command_id;  // empty when the command carried no idempotency key
  std::uint16_t schema_version = kEventSchemaVersion;
  Sha256Digest prev_hash{};  // hash of the record at seq - 1; all zero for seq 1

  bool operator==(const EventEnvelope&) const = default;
};

struct RecordedEvent {
  EventEnvelope envelope;
  Event event;
  Sha256Digest hash{};  // SHA-256 of this record's bytes (which include prev_hash)

  bool operator==(const RecordedEvent&) const = default;
};

}  // namespace crm::events
