#include "replay/export_command.h"

#include <chrono>
#include <memory>

#include "events/log/read_ahead_cursor.h"
#include "projections/all_projections.h"
#include "replay/cli_args.h"
#include "replay/csv.h"
#include "replay/data_dir.h"
#include "replay/event_json.h"
#include "replay/view_query.h"

namespace crm::replay {
namespace {

// The columns of an event record, in both formats; `data` is the event's fields as JSON.
const std::vector<std::string> kEventColumns = {"seq",   "stream",    "version", "recorded", "effective",
                                                "actor", "commandId", "type",    "data"};

CommandSpec ExportSpec() {
  CommandSpec spec{.name = "export",
                   .positionals = {},
                   .description =
                       "Writes every event with seq in [--from-seq, --to-seq] to stdout: seq, stream, version,\n"
                       "recorded and effective time (RFC 3339 UTC with milliseconds), actor, commandId, type, and\n"
                       "data (the event's fields as JSON: money in integer fen, times as RFC 3339).\n"
                       "jsonl: one JSON object per line. csv: a header line, then one record per event, RFC 4180\n"
                       "quoting, the data column a JSON string; UTF-8 without a byte-order mark, LF line ends.\n"
                       "With --view NAME, writes the view's records instead (as `as-of` shows them; views: " +
                       std::string(kViewNames) +
                       "),\n"
                       "as of --as-of (default: now), one record per item; csv columns are the items' fields,\n"
                       "nested values as JSON strings.\n"
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
                                          .required = false},
                               OptionSpec{.name = "--view",
                                          .value_name = "NAME",
                                          .default_text = "none: the events",
                                          .help = "export this view's records instead of the events",
                                          .required = false},
                               OptionSpec{.name = "--as-of",
                                          .value_name = "TIME|seq:N",
                                          .default_text = "now",
                                          .help = "with --view: the point the view is read at",
                                          .required = false}}};
  for (OptionSpec& option : ViewFilterOptions()) spec.options.push_back(std::move(option));
  return spec;
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
      // Strings as they are, null as an empty field; numbers, objects and arrays as JSON text.
      fields.push_back(value.is_string() ? value.get<std::string>() : value.is_null() ? "" : DumpJson(value));
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
  auto cursor = log::ScanAhead(log, from_seq, to_seq);
  for (; cursor->Valid(); cursor->Next()) writer.Write(RecordedEventJson(cursor->event()));
  return cursor->status();
}

// The view's records: a list's items, or the one object a single view is.
Status ExportView(log::EventLog& log, const ParsedArgs& parsed, RecordWriter& writer) {
  ViewPoint point{.seq = log.HeadSeq(),
                  .now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count()};
  if (parsed.Has("--as-of")) {
    CRM_ASSIGN_OR_RETURN(point, ResolveViewPoint(log, parsed.Get("--as-of")));
  } else if (point.seq > 0) {
    // The log's clock may be ahead of this machine's (a test clock): never read before the head.
    CRM_ASSIGN_OR_RETURN(const events::RecordedEvent head, log.Read(point.seq));
    point.now_ms = std::max(point.now_ms, head.envelope.recorded_at_ms);
  }
  CRM_ASSIGN_OR_RETURN(std::unique_ptr<projections::store::ProjectionHost> host,
                       projections::store::ProjectionHost::Open(log, projections::AllProjections()));
  CRM_ASSIGN_OR_RETURN(const projections::json::Json view, QueryView(*host, log, parsed.Get("--view"), parsed, point));
  std::vector<Json> records;
  if (view.contains("items") && view.size() <= 2) {
    for (const auto& item : view["items"]) records.push_back(Json(item));
  } else {
    records.push_back(Json(view));
  }
  std::vector<std::string> columns;
  for (const Json& record : records) {
    for (const auto& [key, value] : record.items()) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
    }
  }
  writer.Begin(columns);
  for (Json& record : records) {
    for (const std::string& column : columns) {
      if (!record.contains(column)) record[column] = nullptr;
    }
    writer.Write(record);
  }
  return Status::Ok();
}

}  // namespace

int RunExport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = ExportSpec();
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
  const Status exported =
      parsed.Has("--view") ? ExportView(**log, parsed, *writer) : ExportEvents(**log, from_seq, to_seq, *writer);
  if (!exported.ok()) return Fail(err, spec.name, exported.ToString(), kExitUsage);
  out.flush();
  if (!out) return Fail(err, spec.name, "writing the output failed", kExitUsage);
  return kExitOk;
}

}  // namespace crm::replay
