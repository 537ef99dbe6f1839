// Encoding and parsing of the log's keys and small values (docs/storage-format.md, "Keys").
// Big-endian integers make RocksDB's bytewise order the numeric order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/envelope.h"
#include "events/status.h"

namespace crm::log {

using events::Seq;
using events::Sha256Digest;
using events::StreamVersion;
using events::TimeMs;

void AppendBigEndian64(std::string* out, std::uint64_t value);
// REQUIRES: bytes.size() >= 8.
std::uint64_t ReadBigEndian64(std::string_view bytes);

std::string EventKey(Seq seq);
std::optional<Seq> ParseEventKey(std::string_view key);

// stream_id 0x00 BE64(version). All versions of one stream share StreamKeyPrefix(stream_id).
std::string StreamKey(std::string_view stream_id, StreamVersion version);
std::string StreamKeyPrefix(std::string_view stream_id);
// The version in a key that starts with StreamKeyPrefix(stream_id).
std::optional<StreamVersion> ParseStreamKeyVersion(std::string_view key, std::string_view stream_id);

// The events family's value: the record followed by its SHA-256.
struct StoredEvent {
  std::string_view record;
  Sha256Digest hash;
};
// Turns *record into the events value by appending SHA-256(record); returns that hash.
Sha256Digest AppendRecordHash(std::string* record);
Result<StoredEvent> ParseStoredEvent(std::string_view value, Seq seq);

// The log's head as kept in meta "head": the last event's seq, hash and recorded time.
struct Head {
  Seq seq = 0;
  Sha256Digest hash{};
  TimeMs recorded_at_ms = 0;
  bool operator==(const Head&) const = default;
};
std::string EncodeHead(const Head& head);
Result<Head> ParseHead(std::string_view value);

// The commands family's value: what the first append under a command id produced.
struct CommandEntry {
  Seq first_seq = 0;
  Seq last_seq = 0;
  TimeMs recorded_at_ms = 0;
  std::optional<Sha256Digest> request_fingerprint;
};
std::string EncodeCommandEntry(const CommandEntry& entry);
Result<CommandEntry> ParseCommandEntry(std::string_view value);

}  // namespace crm::log
