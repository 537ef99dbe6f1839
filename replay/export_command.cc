#include "replay/export_command.h"

#include <memory>

#include "replay/cli_args.h"
#include "replay/csv.h"
#include "replay/data_dir.h"
#include "replay/event_json.h"

namespace crm::replay {
namespace {

// The columns of an event record, in both formats; `data` is the event's fields as JSON.
const std::vector<std::string> kEventColumns = {"seq",   "stream",    "version", "recorded", "effective",
                                                "actor", "commandId", "type",    "data"};

CommandSpec Spec() {
  return CommandSpec{.name = "export",
                     .positionals = {},
                     .description =
                         "Writes every event with seq in [--from-seq, --to-seq] to stdout: seq, stream, version,\n"
                         "recorded and effective time (RFC 3339 UTC with milliseconds), actor, commandId, type, and\n"
                         "data (the event's fields as JSON: money in integer fen, times as RFC 3339).\n"
                         "jsonl: one JSON object per line. csv: a header line, then one record per event, RFC 4180\n"
                         "quoting, the data column a JSON string; UTF-8 without a byte-order mark, LF line ends.\n"
                         "Opens the directory read-only: safe beside a running crm-server.\n",
                     .options = {DataDirOption(),
                                 OptionSpec{.name = "--format",
                                            .value_name = "jsonl|csv",
                                            .default_text = "jsonl",
                                            .help = "output format",
                                            .required = false},
                                 OptionSpec{.name = "--from-seq",
                                            .value_name = "N",
                                            .default_text = "1",
                                            .help = "first seq written",
                                            .required = false},
                                 OptionSpec{.name = "--to-seq",
                                            .value_name = "N",
                                            .default_text = "the log's head",
                                            .help = "last seq written",
                                            .required = false}}};
}

// Where records go: one implementation per format, so that views can be written the same way.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Once, before the first record: the column names.
  virtual void Begin(const std::vector<std::string>& columns) = 0;
  // One record: a JSON object whose keys are the columns.
  virtual void Write(const Json& record) = 0;
};

class JsonLinesWriter final : public RecordWriter {
 public:
  explicit JsonLinesWriter(std::ostream& out) : out_(out) {}
  void Begin(const std::vector<std::string>&) override {}
  void Write(const Json& record) override { out_ << DumpJson(record) << '\n'; }

 private:
  std::ostream& out_;
};

class CsvWriter final : public RecordWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void Begin(const std::vector<std::string>& columns) override {
    columns_ = columns;
    WriteCsvRow(out_, columns_);
  }
  void Write(const Json& record) override {
    std::vector<std::string> fields;
    fields.reserve(columns_.size());
    for (const std::string& column : columns_) {
      const Json& value = record.at(column);
      // Strings as they are; numbers, objects and arrays as JSON text.
      fields.push_back(value.is_string() ? value.get<std::string>() : DumpJson(value));
    }
    WriteCsvRow(out_, fields);
  }

 private:
  std::ostream& out_;
  std::vector<std::string> columns_;
};

std::unique_ptr<RecordWriter> MakeWriter(const std::string& format, std::ostream& out) {
  if (format == "jsonl") return std::make_unique<JsonLinesWriter>(out);
  if (format == "csv") return std::make_unique<CsvWriter>(out);
  return nullptr;
}

Status ExportEvents(const log::EventLog& log, events::Seq from_seq, events::Seq to_seq, RecordWriter& writer) {
  writer.Begin(kEventColumns);
  auto cursor = log.Scan(from_seq, to_seq);
  for (; cursor->Valid(); cursor->Next()) writer.Write(RecordedEventJson(cursor->event()));
  return cursor->status();
}

}  // namespace

int RunExport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = Spec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");
  const std::string format = parsed.Get("--format", "jsonl");
  std::unique_ptr<RecordWriter> writer = MakeWriter(format, out);
  if (writer == nullptr) return Fail(err, spec.name, "--format must be jsonl or csv, not '" + format + "'", kExitUsage);
  events::Seq from_seq = 1;
  events::Seq to_seq = log::kLatestSeq;
  if (parsed.Has("--from-seq")) {
    const Result<std::uint64_t> value = ParseCount(parsed.Get("--from-seq"), "--from-seq");
    if (!value.ok()) return Fail(err, spec.name, value.status().message(), kExitUsage);
    from_seq = *value;
  }
  if (parsed.Has("--to-seq")) {
    const Result<std::uint64_t> value = ParseCount(parsed.Get("--to-seq"), "--to-seq");
    if (!value.ok()) return Fail(err, spec.name, value.status().message(), kExitUsage);
    to_seq = *value;
  }
  if (from_seq == 0) return Fail(err, spec.name, "--from-seq must be at least 1 (the first event)", kExitUsage);
  if (from_seq > to_seq) return Fail(err, spec.name, "--from-seq must not be after --to-seq", kExitUsage);

  Result<std::unique_ptr<log::EventLog>> log = OpenForReading(data_dir);
  if (!log.ok()) return Fail(err, spec.name, "cannot open " + data_dir + ": " + log.status().message(), kExitUsage);
  const Status exported = ExportEvents(**log, from_seq, to_seq, *writer);
  if (!exported.ok()) return Fail(err, spec.name, exported.ToString(), kExitUsage);
  out.flush();
  if (!out) return Fail(err, spec.name, "writing the output failed", kExitUsage);
  return kExitOk;
}

}  // namespace crm::replay
