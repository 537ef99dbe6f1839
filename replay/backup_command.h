// `crm-replay backup <dir>` and `crm-replay restore <dir>`: RocksDB's BackupEngine over the
// whole database (the log and every stored view, so they are restored at the same point).
//
//   backup   opens the data directory read-write (refused while a server holds it), flushes,
//            adds an incremental backup to <dir> with the log's head in its metadata
//            (backup_format.h), and verifies the backup's files against their checksums.
//   restore  restores the latest backup of <dir> into a staging directory beside --data,
//            runs verify's checks on it and compares its head with the backup's, and only then
//            moves it into place. A non-empty --data is refused unless --force, and then it is
//            moved aside (DIR.replaced-<time>), never deleted.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// Exit 0 with a verified backup; 1 when the backup's files fail verification; 2 on bad
// arguments, a directory in use, or one that cannot be read or written.
int RunBackup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Exit 0 when the restored directory passes every check and is in place; 1 when a check fails
// (the restored copy is left in the staging directory, --data untouched); 2 on bad arguments,
// a non-empty --data without --force, a directory in use, or a backup that cannot be read.
int RunRestore(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
