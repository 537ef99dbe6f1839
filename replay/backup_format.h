// What crm-replay writes beside each RocksDB backup: the log's head when the backup was taken,
// as the backup's application metadata ("crm-backup/1 seq=57 sha256=<64 hex>"). The hash chain
// cannot tell a consistently rewritten suffix from the real one (docs/storage-format.md §4);
// the head hash kept with the backup can, and restore checks the restored head against it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/envelope.h"

namespace crm::replay {

inline constexpr std::string_view kBackupMetadataFormat = "crm-backup/1";

struct BackupHead {
  events::Seq seq = 0;
  std::string sha256_hex;  // empty for an empty log
  bool operator==(const BackupHead&) const = default;
};

std::string EncodeBackupMetadata(const BackupHead& head);
// nullopt when `metadata` is not ours (a backup taken by another tool).
std::optional<BackupHead> DecodeBackupMetadata(std::string_view metadata);

}  // namespace crm::replay
