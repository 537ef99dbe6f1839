#include "replay/backup_format.h"

#include <charconv>

namespace crm::replay {
namespace {

constexpr std::size_t kSha256HexChars = 64;

}  // namespace

std::string EncodeBackupMetadata(const BackupHead& head) {
  return std::string(kBackupMetadataFormat) + " seq=" + std::to_string(head.seq) + " sha256=" + head.sha256_hex;
}

std::optional<BackupHead> DecodeBackupMetadata(std::string_view metadata) {
  const std::string prefix = std::string(kBackupMetadataFormat) + " seq=";
  if (!metadata.starts_with(prefix)) return std::nullopt;
  metadata.remove_prefix(prefix.size());
  BackupHead head;
  const auto [end, error] = std::from_chars(metadata.data(), metadata.data() + metadata.size(), head.seq);
  if (error != std::errc()) return std::nullopt;
  metadata.remove_prefix(static_cast<std::size_t>(end - metadata.data()));
  if (!metadata.starts_with(" sha256=")) return std::nullopt;
  metadata.remove_prefix(8);
  if (!metadata.empty() && metadata.size() != kSha256HexChars) return std::nullopt;
  head.sha256_hex = std::string(metadata);
  return head;
}

}  // namespace crm::replay
