// Every constant of the log's on-disk format, in one place. The format itself is specified in
// docs/storage-format.md; change one only together with the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace crm::log {

// Written once when a log is created; a log with another value is refused at open.
inline constexpr std::string_view kFormatKey = "format";
inline constexpr std::string_view kFormatValue = "crm-event-log/1";

// Column families.
inline constexpr std::string_view kEventsFamily = "events";      // BE64(seq) -> record ++ hash
inline constexpr std::string_view kStreamsFamily = "streams";    // stream_id 0x00 BE64(version) -> BE64(seq)
inline constexpr std::string_view kCommandsFamily = "commands";  // command_id -> CommandEntry
inline constexpr std::string_view kMetaFamily = "meta";          // "format", "head"

// meta "head" -> BE64(seq) ++ hash[32] ++ BE64(recorded_at_ms as two's complement)
inline constexpr std::string_view kHeadKey = "head";

inline constexpr std::size_t kSeqBytes = 8;
inline constexpr std::size_t kHashBytes = 32;
inline constexpr std::size_t kHeadValueBytes = kSeqBytes + kHashBytes + 8;
// Separates a stream id from its version in a streams key; stream ids may not contain it.
inline constexpr char kStreamKeySeparator = '\0';

// Limits on what an append may carry. An append beyond one is refused whole (kTooLarge or
// kInvalidArgument) before anything is queued.
inline constexpr std::size_t kStreamIdBytesMax = 256;
inline constexpr std::size_t kCommandIdBytesMax = 256;
inline constexpr std::size_t kActorIdBytesMax = 128;
inline constexpr std::size_t kBatchEventsMax = 10'000;
inline constexpr std::size_t kEventPayloadBytesMax = 1u << 20;
inline constexpr std::size_t kBatchBytesMax = 16u << 20;

}  // namespace crm::log
