#include "events/log/keys.h"

#include <cstring>

#include "events/log/log_format.h"
#include "events/log/sha256.h"

namespace crm::log {
namespace {

void AppendDigest(std::string* out, const Sha256Digest& digest) {
  out->append(reinterpret_cast<const char*>(digest.data()), digest.size());
}

Sha256Digest ReadDigest(std::string_view bytes) {
  Sha256Digest digest{};
  std::memcpy(digest.data(), bytes.data(), digest.size());
  return digest;
}

}  // namespace

void AppendBigEndian64(std::string* out, std::uint64_t value) {
  char bytes[8];
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out->append(bytes, sizeof(bytes));
}

std::uint64_t ReadBigEndian64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::string EventKey(Seq seq) {
  std::string key;
  AppendBigEndian64(&key, seq);
  return key;
}

std::optional<Seq> ParseEventKey(std::string_view key) {
  if (key.size() != kSeqBytes) return std::nullopt;
  return ReadBigEndian64(key);
}

std::string StreamKeyPrefix(std::string_view stream_id) {
  std::string prefix(stream_id);
  prefix.push_back(kStreamKeySeparator);
  return prefix;
}

std::string StreamKey(std::string_view stream_id, StreamVersion version) {
  std::string key = StreamKeyPrefix(stream_id);
  AppendBigEndian64(&key, version);
  return key;
}

std::optional<StreamVersion> ParseStreamKeyVersion(std::string_view key, std::string_view stream_id) {
  const std::size_t prefix_bytes = stream_id.size() + 1;
  if (key.size() != prefix_bytes + 8 || key.substr(0, stream_id.size()) != stream_id ||
      key[stream_id.size()] != kStreamKeySeparator) {
    return std::nullopt;
  }
  return ReadBigEndian64(key.substr(prefix_bytes));
}

Sha256Digest AppendRecordHash(std::string* record) {
  const Sha256Digest hash = Sha256(*record);
  AppendDigest(record, hash);
  return hash;
}

Result<StoredEvent> ParseStoredEvent(std::string_view value, Seq seq) {
  if (value.size() <= kHashBytes) {
    return Status::Corruption("truncated_event", "stored event is only " + std::to_string(value.size()) + " bytes",
                              {{"seq", std::to_string(seq)}});
  }
  const std::size_t record_bytes = value.size() - kHashBytes;
  return StoredEvent{value.substr(0, record_bytes), ReadDigest(value.substr(record_bytes))};
}

std::string EncodeHead(const Head& head) {
  std::string value;
  value.reserve(kHeadValueBytes);
  AppendBigEndian64(&value, head.seq);
  AppendDigest(&value, head.hash);
  AppendBigEndian64(&value, static_cast<std::uint64_t>(head.recorded_at_ms));
  return value;
}

Result<Head> ParseHead(std::string_view value) {
  if (value.size() != kHeadValueBytes) {
    return Status::Corruption("malformed_head", "meta head has " + std::to_string(value.size()) + " bytes");
  }
  return Head{
      .seq = ReadBigEndian64(value),
      .hash = ReadDigest(value.substr(kSeqBytes)),
      .recorded_at_ms = static_cast<TimeMs>(ReadBigEndian64(value.substr(kSeqBytes + kHashBytes))),
  };
}

std::string EncodeCommandEntry(const CommandEntry& entry) {
  std::string value;
  AppendBigEndian64(&value, entry.first_seq);
  AppendBigEndian64(&value, entry.last_seq);
  AppendBigEndian64(&value, static_cast<std::uint64_t>(entry.recorded_at_ms));
  if (entry.request_fingerprint.has_value()) AppendDigest(&value, *entry.request_fingerprint);
  return value;
}

Result<CommandEntry> ParseCommandEntry(std::string_view value) {
  constexpr std::size_t kFixedBytes = 3 * 8;
  if (value.size() != kFixedBytes && value.size() != kFixedBytes + kHashBytes) {
    return Status::Corruption("malformed_command_entry",
                              "command entry has " + std::to_string(value.size()) + " bytes");
  }
  CommandEntry entry{
      .first_seq = ReadBigEndian64(value),
      .last_seq = ReadBigEndian64(value.substr(8)),
      .recorded_at_ms = static_cast<TimeMs>(ReadBigEndian64(value.substr(16))),
      .request_fingerprint = std::nullopt,
  };
  if (value.size() > kFixedBytes) entry.request_fingerprint = ReadDigest(value.substr(kFixedBytes));
  return entry;
}

}  // namespace crm::log
