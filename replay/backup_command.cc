#include "replay/backup_command.h"

#include <rocksdb/utilities/backup_engine.h>

#include <memory>

#include "events/log/sha256.h"
#include "replay/backup_format.h"
#include "replay/cli_args.h"
#include "replay/data_dir.h"

namespace crm::replay {
namespace {

CommandSpec BackupSpec() {
  return CommandSpec{.name = "backup",
                     .positionals = {"backupDir"},
                     .description =
                         "Adds a backup of the whole data directory (the log and every stored view) to <backupDir>\n"
                         "with RocksDB's BackupEngine: memtables are flushed first, table files already in\n"
                         "<backupDir> are shared with earlier backups (incremental), and the log's head seq and hash\n"
                         "are kept with the backup so that restore can check them. The new backup's files are then\n"
                         "verified against their checksums.\n"
                         "Opens the directory read-write, so it refuses to run while crm-server holds it. To check a\n"
                         "backup end to end, restore it into a scratch directory: restore runs verify's checks.\n",
                     .options = {DataDirOption()}};
}

}  // namespace

int RunBackup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = BackupSpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");
  const std::string& backup_dir = parsed.positionals[0];

  Result<std::unique_ptr<log::EventLog>> log = OpenForWriting(data_dir);
  if (!log.ok()) return Fail(err, spec.name, log.status().message(), kExitUsage);
  BackupHead head{.seq = (*log)->HeadSeq(), .sha256_hex = ""};
  if (head.seq > 0) {
    const Result<events::RecordedEvent> last = (*log)->Read(head.seq);
    if (!last.ok()) return Fail(err, spec.name, last.status().ToString(), kExitUsage);
    head.sha256_hex = log::ToHex(last->hash);
  }

  rocksdb::BackupEngine* raw_engine = nullptr;
  const rocksdb::IOStatus opened =
      rocksdb::BackupEngine::Open(rocksdb::BackupEngineOptions(backup_dir), rocksdb::Env::Default(), &raw_engine);
  if (!opened.ok())
    return Fail(err, spec.name, "cannot open the backup directory " + backup_dir + ": " + opened.ToString(),
                kExitUsage);
  const std::unique_ptr<rocksdb::BackupEngine> engine(raw_engine);
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  const rocksdb::IOStatus created =
      engine->CreateNewBackupWithMetadata(options, &(*log)->store().db(), EncodeBackupMetadata(head), &id);
  if (!created.ok()) return Fail(err, spec.name, "backup failed: " + created.ToString(), kExitUsage);
  rocksdb::BackupInfo info;
  const rocksdb::Status described = engine->GetBackupInfo(id, &info);
  if (!described.ok())
    return Fail(err, spec.name, "cannot read backup " + std::to_string(id) + ": " + described.ToString(), kExitUsage);
  out << "backup " << id << " in " << backup_dir << ": head seq " << head.seq
      << (head.sha256_hex.empty() ? std::string() : ", sha256 " + head.sha256_hex) << ", " << info.number_files
      << " files, " << info.size << " bytes\n";
  const rocksdb::IOStatus verified = engine->VerifyBackup(id, /*verify_with_checksum=*/true);
  if (!verified.ok()) {
    out << "FAILED: backup " << id << " does not verify: " << verified.ToString() << "\n";
    return kExitCheckFailed;
  }
  out << "ok: every file of backup " << id << " matches its checksum\n";
  return kExitOk;
}

}  // namespace crm::replay
