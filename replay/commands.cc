#include "replay/commands.h"

#include <array>

#include "replay/as_of_command.h"
#include "replay/audit_report_command.h"
#include "replay/backup_command.h"
#include "replay/export_command.h"
#include "replay/history_command.h"
#include "replay/rebuild_command.h"
#include "replay/verify_command.h"
#include "replay/what_if_command.h"

namespace crm::replay {
namespace {

constexpr std::array<Subcommand, 9> kSubcommands = {{
    {"verify", "--data DIR", "hash chain, stream index, and every stored view against a fresh fold", RunVerify},
    {"rebuild", "--data DIR [--projection NAME]", "rebuild stored views from the log (blue/green), with progress",
     RunRebuild},
    {"history", "<customerId> --data DIR [--json]",
     "a customer's events with times, actor, what changed and the policy in force", RunHistory},
    {"as-of", "<time|seq:N> <view> --data DIR [filters]",
     "any view as it stood at a past time or log position, as JSON", RunAsOf},
    {"audit-report", "--data DIR [--from T] [--to T] [--format markdown|json]",
     "who did what; releases, reassignments, handovers, policy and user changes", RunAuditReport},
    {"what-if", "--data DIR --policy FILE [--from T] [--to T] [--json]",
     "holds whose fate would differ under other rule values", RunWhatIf},
    {"export", "--data DIR [--format jsonl|csv] [--from-seq N] [--to-seq N]", "every event as JSON lines or CSV",
     RunExport},
    {"backup", "<backupDir> --data DIR", "add a verified backup of the data directory to backupDir", RunBackup},
    {"restore", "<backupDir> --data DIR [--force]", "restore the latest backup into DIR, verified before it is used",
     RunRestore},
}};

void PrintOverview(std::ostream& out) {
  out << "usage: crm-replay <command> [options]\n\n"
         "The tool compliance reviewers and engineers run against a crm data directory.\ncommands:\n";
  for (const Subcommand& command : kSubcommands) {
    out << "  " << command.name << " " << command.synopsis << "\n      " << command.summary << "\n";
  }
  out << "\nRead commands (verify, history, as-of, audit-report, what-if, export) open the directory read-only:\n"
         "a point-in-time view that writes nothing, safe beside a running crm-server. Write commands\n"
         "(rebuild, backup, restore) need it to themselves and refuse while a server holds it.\n"
         "Exit status: 0 success, 1 a check failed or nothing was found, 2 bad arguments or unreadable data.\n"
         "Run `crm-replay <command> --help` for a command's options and their defaults.\n";
}

}  // namespace

std::span<const Subcommand> Subcommands() {
  return kSubcommands;
}

int RunCrmReplay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    PrintOverview(err);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintOverview(out);
    return kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const Subcommand& command : kSubcommands) {
    if (command.name == args[0]) return command.run(rest, out, err);
  }
  err << "crm-replay: unknown command '" << args[0] << "' (see crm-replay --help)\n";
  return kExitUsage;
}

}  // namespace crm::replay
