#include "replay/verify_command.h"

#include "events/log/event_log.h"
#include "events/log/sha256.h"

namespace crm::replay {
namespace {

constexpr log::Seq kProgressEveryEvents = 1'000'000;

void PrintUsage(std::ostream& out) {
  out << "usage: crm-replay verify --data DIR [--no-index]\n"
         "  Walks the event log from seq 1: every event's hash, its link to the previous event,\n"
         "  and (unless --no-index) the stream index. Exit 0 when all hold, 1 naming the first\n"
         "  bad seq otherwise, 2 when the directory cannot be read. Safe beside a running server:\n"
         "  the log is opened read-only.\n";
}

}  // namespace

int RunVerify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string data_dir;
  log::VerifyOptions verify_options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      PrintUsage(out);
      return kExitOk;
    }
    if (args[i] == "--data" && i + 1 < args.size()) {
      data_dir = args[++i];
    } else if (args[i] == "--no-index") {
      verify_options.check_stream_index = false;
    } else {
      err << "crm-replay verify: unknown argument '" << args[i] << "'\n";
      PrintUsage(err);
      return kExitUsage;
    }
  }
  if (data_dir.empty()) {
    err << "crm-replay verify: --data DIR is required\n";
    PrintUsage(err);
    return kExitUsage;
  }

  log::LogOptions log_options;
  log_options.store.path = data_dir;
  log_options.store.mode = log::OpenMode::kReadOnly;
  Result<std::unique_ptr<log::EventLog>> opened = log::EventLog::Open(log_options);
  if (!opened.ok()) {
    err << "crm-replay verify: cannot open " << data_dir << ": " << opened.status().ToString() << "\n";
    return kExitUsage;
  }
  verify_options.progress = [&err](log::Seq seq) {
    if (seq % kProgressEveryEvents == 0 && seq > 0) err << "verified " << seq << " events\n";
  };
  const Result<log::ChainReport> report = (*opened)->VerifyChain(verify_options);
  if (!report.ok()) {
    err << "crm-replay verify: " << report.status().ToString() << "\n";
    return kExitUsage;
  }
  if (!report->ok) {
    out << "FAILED at seq " << report->first_bad_seq << ": " << report->problem << "\n"
        << "(" << report->events_checked << " events before it are sound)\n";
    return kExitCheckFailed;
  }
  const log::Seq head = (*opened)->HeadSeq();
  out << "ok: " << report->events_checked << " events, hash chain intact";
  if (verify_options.check_stream_index) out << ", stream index consistent";
  out << "\n";
  if (head > 0) {
    const Result<events::RecordedEvent> last = (*opened)->Read(head);
    if (last.ok()) out << "head: seq " << head << ", sha256 " << log::ToHex(last->hash) << "\n";
  }
  return kExitOk;
}

}  // namespace crm::replay
