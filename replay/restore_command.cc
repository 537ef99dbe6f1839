#include <rocksdb/utilities/backup_engine.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "events/log/sha256.h"
#include "replay/backup_command.h"
#include "replay/backup_format.h"
#include "replay/checks.h"
#include "replay/cli_args.h"
#include "replay/data_dir.h"

namespace crm::replay {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStagingSuffix = ".restoring";
constexpr std::string_view kReplacedSuffix = ".replaced-";

CommandSpec RestoreSpec() {
  return CommandSpec{
      .name = "restore",
      .positionals = {"backupDir"},
      .description =
          "Restores the latest backup of <backupDir> into --data DIR: first into DIR.restoring, where\n"
          "verify's checks run (hash chain, stream index, stored views) and the restored head is\n"
          "compared with the head kept with the backup; only when all hold is it moved to DIR.\n"
          "A DIR that exists and is not empty is refused unless --force; with --force it is moved\n"
          "aside to DIR.replaced-<UTC time>, never deleted, and refused while a process holds it.\n"
          "When a check fails, DIR is left as it was and the restored copy stays in DIR.restoring.\n",
      .options = {DataDirOption(), OptionSpec{.name = "--force",
                                              .value_name = "",
                                              .default_text = "off (a non-empty DIR is refused)",
                                              .help = "replace a non-empty DIR (it is moved aside, not deleted)",
                                              .required = false}}};
}

bool IsEmptyOrMissing(const std::string& dir, std::error_code& error) {
  if (!fs::exists(dir, error)) return !error;
  return fs::is_directory(dir, error) && fs::is_empty(dir, error);
}

std::string UtcStamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// Checks the staged copy; prints the report. True when everything holds.
Result<bool> CheckStaged(const std::string& staging, const std::optional<BackupHead>& expected, std::ostream& out) {
  CRM_ASSIGN_OR_RETURN(std::unique_ptr<log::EventLog> log, OpenForReading(staging));
  CRM_ASSIGN_OR_RETURN(const CheckReport report, RunChecks(*log, CheckOptions{}));
  PrintCheckReport(report, out);
  if (!expected.has_value()) {
    out << "head: the backup carries no crm head to compare with (not taken by crm-replay backup)\n";
    return report.ok();
  }
  const BackupHead restored{.seq = report.head_seq,
                            .sha256_hex = report.head_hash.has_value() ? log::ToHex(*report.head_hash) : ""};
  if (!(restored == *expected)) {
    out << "FAILED: the restored head (seq " << restored.seq << ") is not the head the backup was taken at (seq "
        << expected->seq << ", sha256 " << expected->sha256_hex << ")\n";
    return false;
  }
  out << "head matches the backup's: seq " << expected->seq << "\n";
  return report.ok();
}

// Refuses a target that is in use, or not empty without --force; nothing is touched yet.
// Sets `replace` when the target holds something that must be moved aside.
Status CheckTarget(const std::string& target, bool force, bool& replace) {
  std::error_code error;
  const bool empty = IsEmptyOrMissing(target, error);
  if (error) return Status::IOError("restore_target", "cannot look at " + target + ": " + error.message());
  if (!empty && !force) {
    return Status::Conflict("restore_target_not_empty",
                            target +
                                " is not empty; restore into an empty directory, or pass --force to replace it "
                                "(it is moved aside, not deleted)");
  }
  if (!empty && HasDatabase(target)) CRM_RETURN_IF_ERROR(CheckNotInUse(target));
  replace = !empty;
  return Status::Ok();
}

// Restores the latest backup of `backup_dir` into `staging`, which must not exist.
Result<rocksdb::BackupInfo> RestoreIntoStaging(const std::string& backup_dir, const std::string& staging) {
  std::error_code error;
  if (fs::exists(staging, error)) {
    return Status::Conflict("restore_staging_exists",
                            staging + " exists (left by an earlier restore?); look at it, remove it, then retry");
  }
  if (!fs::is_directory(backup_dir, error)) return Status::NotFound("no_backup", "no backup directory " + backup_dir);
  rocksdb::BackupEngineReadOnly* raw_engine = nullptr;
  CRM_RETURN_IF_ERROR(log::FromRocks(rocksdb::BackupEngineReadOnly::Open(rocksdb::BackupEngineOptions(backup_dir),
                                                                         rocksdb::Env::Default(), &raw_engine),
                                     "opening the backups in " + backup_dir));
  const std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw_engine);
  rocksdb::BackupInfo info;
  if (!engine->GetLatestBackupInfo(&info).ok()) return Status::NotFound("no_backup", "no backup in " + backup_dir);
  fs::create_directories(staging, error);
  if (error) return Status::IOError("restore_staging", "cannot create " + staging + ": " + error.message());
  CRM_RETURN_IF_ERROR(log::FromRocks(
      engine->RestoreDBFromLatestBackup(rocksdb::RestoreOptions(), staging, staging),
      "restoring backup " + std::to_string(info.backup_id) + " (the partial copy is in " + staging + ")"));
  return info;
}

// Moves the checked copy into place; an occupied target is moved aside first.
Status Install(const std::string& staging, const std::string& target, bool replace, std::ostream& out) {
  std::error_code error;
  if (replace) {
    const std::string aside = target + std::string(kReplacedSuffix) + UtcStamp();
    fs::rename(target, aside, error);
    if (error) return Status::IOError("restore_install", "cannot move " + target + " aside: " + error.message());
    out << "moved the old " << target << " to " << aside << "\n";
  } else if (fs::exists(target, error)) {
    fs::remove(target, error);  // an empty directory: rename needs the name free
  }
  fs::rename(staging, target, error);
  if (error) {
    return Status::IOError("restore_install", "cannot move " + staging + " to " + target + ": " + error.message());
  }
  return Status::Ok();
}

}  // namespace

int RunRestore(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = RestoreSpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string target = parsed.Get("--data");
  const std::string& backup_dir = parsed.positionals[0];
  const std::string staging = target + std::string(kStagingSuffix);

  bool replace = false;
  const Status target_ok = CheckTarget(target, parsed.Has("--force"), replace);
  if (!target_ok.ok()) return Fail(err, spec.name, target_ok.message(), kExitUsage);
  const Result<rocksdb::BackupInfo> info = RestoreIntoStaging(backup_dir, staging);
  if (!info.ok()) return Fail(err, spec.name, info.status().message(), kExitUsage);
  out << "restored backup " << info->backup_id << " of " << backup_dir << " into " << staging << "\n";
  const Result<bool> checked = CheckStaged(staging, DecodeBackupMetadata(info->app_metadata), out);
  if (!checked.ok()) {
    return Fail(err, spec.name, "cannot check the restored copy in " + staging + ": " + checked.status().ToString(),
                kExitUsage);
  }
  if (!*checked) {
    out << "the restored copy stays in " << staging << "; " << target << " was not touched\n";
    return kExitCheckFailed;
  }
  const Status installed = Install(staging, target, replace, out);
  if (!installed.ok()) return Fail(err, spec.name, installed.message(), kExitUsage);
  out << "ok: " << target << " is restored and verified\n";
  return kExitOk;
}

}  // namespace crm::replay
