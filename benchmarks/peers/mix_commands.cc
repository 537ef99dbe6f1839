#include "peers/mix_commands.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/log/event_log.h"
#include "workload/feed_log.h"
#include "workload/stream_ordered_pipeline.h"
#include "workload/workload.h"

namespace crm::bench::peers {
namespace {

using Clock = std::chrono::steady_clock;
using workload::Command;
using workload::WorkloadEvent;
using workload::WorkloadStream;

// The company: large enough that 64 clients rarely wait on one another's streams.
constexpr std::uint32_t kMixSalespeople = 200;
constexpr std::uint32_t kMixCustomers = 50'000;

// The rows a SQL command handler inserts for `command`: versions follow each stream's expected one.
std::vector<Row> RowsOf(const Command& command) {
  std::vector<Row> rows;
  for (const WorkloadStream& stream : command.streams) {
    events::StreamVersion version = stream.expected_version;
    for (const WorkloadEvent& event : stream.events) {
      rows.push_back(RowOf(stream.stream_id, ++version, event.event, event.actor_id, command.recorded_at_ms,
                           event.effective_at_ms.value_or(command.recorded_at_ms)));
    }
  }
  return rows;
}

Status VersionMoved(const std::string& stream) {
  return Status::Internal("version_moved", "stream " + stream + " is not at the version the command decided on");
}

// What one system does with a decided command: persist all of its events durably, or none,
// after checking that every stream is still at the version the decision was made on.
class MixSystem {
 public:
  virtual ~MixSystem() = default;
  // The history before the measured commands, loaded as fast as the system takes it.
  virtual void Preload(const std::vector<Command>& commands) = 0;
  // One command as a handler on client thread `client` runs it.
  virtual Status Execute(int client, const Command& command) = 0;
  // Extra key=value pairs for the result line.
  virtual std::string Extra() const { return ""; }
};

// Our log: one EventLog::Append per command; the log checks the expected versions.
class OursMix : public MixSystem {
 public:
  explicit OursMix(std::string dir) : dir_(std::move(dir)) {}
  void Preload(const std::vector<Command>& commands) override {
    {
      auto unsynced = Open(false);
      for (const Command& command : commands)
        Must(unsynced->Append(workload::ToAppendBatch(command)).status(), "preload");
    }
    log_ = Open(true);
  }
  Status Execute(int, const Command& command) override {
    return log_->Append(workload::ToAppendBatch(command)).status();
  }
  std::string Extra() const override {
    const log::LogStats stats = log_->Stats();
    const double per_fsync = stats.commit_groups == 0 ? 0.0
                                                      : static_cast<double>(stats.appended_events) /
                                                            static_cast<double>(stats.commit_groups);
    return " events_per_fsync=" + std::to_string(per_fsync);
  }

 private:
  std::unique_ptr<log::EventLog> Open(bool sync) const {
    log::LogOptions options;
    options.store.path = dir_ + "/log";
    options.sync = sync;
    return Must(log::EventLog::Open(options), "open log");
  }

  std::string dir_;
  std::unique_ptr<log::EventLog> log_;
};

// SQLite: per command BEGIN IMMEDIATE, the head of each stream checked, the rows inserted,
// COMMIT; one connection behind a mutex (SQLite has one writer at a time in any case).
class SqliteMix : public MixSystem {
 public:
  explicit SqliteMix(const std::string& dir) : sqlite_(dir + "/sqlite.db") {}
  void Preload(const std::vector<Command>& commands) override {
    sqlite_.Exec("BEGIN");
    for (const Command& command : commands) {
      for (const Row& row : RowsOf(command)) sqlite_.Insert(row);
    }
    sqlite_.Exec("COMMIT");
  }
  Status Execute(int, const Command& command) override {
    const std::vector<Row> rows = RowsOf(command);  // decided and encoded before the write lock
    std::lock_guard lock(sqlite_.mutex);
    sqlite_.Exec("BEGIN IMMEDIATE");
    for (const WorkloadStream& stream : command.streams) {
      if (sqlite_.Head(stream.stream_id) != stream.expected_version) {
        sqlite_.Exec("ROLLBACK");
        return VersionMoved(stream.stream_id);
      }
    }
    for (const Row& row : rows) sqlite_.Insert(row);
    sqlite_.Exec("COMMIT");
    return Status::Ok();
  }

 private:
  Sqlite sqlite_;
};

// PostgreSQL: a connection per client; per command BEGIN, one SELECT of the heads of its
// streams, one INSERT of its rows, COMMIT.
class PgMix : public MixSystem {
 public:
  PgMix(const std::string& conninfo, int clients) {
    for (int c = 0; c < clients; ++c) connections_.push_back(PgConnect(conninfo));
  }
  ~PgMix() override {
    for (PGconn* conn : connections_) PQfinish(conn);
  }
  void Preload(const std::vector<Command>& commands) override {
    PGconn* conn = connections_.front();
    PgCreateEventsTable(conn);
    for (PGconn* client : connections_) PgPrepareCommandStatements(client);
    constexpr std::size_t kRowsPerInsert = 2000;
    std::vector<Row> rows;
    PgExec(conn, "BEGIN");
    for (const Command& command : commands) {
      for (Row& row : RowsOf(command)) rows.push_back(std::move(row));
      if (rows.size() >= kRowsPerInsert) {
        PgInsertRows(conn, rows);
        rows.clear();
      }
    }
    if (!rows.empty()) PgInsertRows(conn, rows);
    PgExec(conn, "COMMIT");
    PgExec(conn, "VACUUM ANALYZE events");
  }
  Status Execute(int client, const Command& command) override {
    PGconn* conn = connections_[static_cast<std::size_t>(client)];
    const std::vector<Row> rows = RowsOf(command);
    std::vector<std::string> streams;
    for (const WorkloadStream& stream : command.streams) streams.push_back(stream.stream_id);
    PgExec(conn, "BEGIN");
    const std::string array = PgTextArray(streams);
    const char* params[] = {array.c_str()};
    PGresult* heads = PgMust(conn, PQexecPrepared(conn, "heads", 1, params, nullptr, nullptr, 0), "heads");
    for (const WorkloadStream& stream : command.streams) {
      events::StreamVersion at = 0;
      for (int r = 0; r < PQntuples(heads); ++r) {
        if (stream.stream_id == PQgetvalue(heads, r, 0)) at = std::strtoull(PQgetvalue(heads, r, 1), nullptr, 10);
      }
      if (at != stream.expected_version) {
        PQclear(heads);
        PgExec(conn, "ROLLBACK");
        return VersionMoved(stream.stream_id);
      }
    }
    PQclear(heads);
    PgInsertRows(conn, rows);
    PgExec(conn, "COMMIT");
    return Status::Ok();
  }

 private:
  std::vector<PGconn*> connections_;
};

std::unique_ptr<MixSystem> MakeSystem(const Flags& flags) {
  if (flags.system == "ours") return std::make_unique<OursMix>(flags.dir);
  if (flags.system == "sqlite") return std::make_unique<SqliteMix>(flags.dir);
  if (flags.system == "postgres") {
    if (flags.pg.empty()) Die("mix --system postgres needs --pg CONNINFO");
    return std::make_unique<PgMix>(flags.pg, flags.clients);
  }
  Die("mix: unknown --system " + flags.system + " (ours, sqlite, postgres)");
}

}  // namespace

int RunMix(const Flags& flags) {
  if (flags.dir.empty()) Die("mix needs --dir");
  std::filesystem::remove_all(flags.dir);
  std::filesystem::create_directories(flags.dir);

  workload::Workload company({.seed = 1, .salespeople = kMixSalespeople, .customers = kMixCustomers});
  const auto take = [&](auto enough) {
    std::vector<Command> commands;
    std::uint64_t events = 0;
    while (!enough(commands.size(), events)) {
      std::optional<Command> command = company.Next();
      if (!command.has_value()) Die("the workload ended early");
      events += command->event_count();
      commands.push_back(std::move(*command));
    }
    return std::pair(std::move(commands), events);
  };
  auto [history, history_events] =
      take([&](std::size_t, std::uint64_t events) { return events >= flags.preload_events; });
  auto [measured, measured_events] =
      take([&](std::size_t commands, std::uint64_t) { return commands >= flags.commands; });

  std::unique_ptr<MixSystem> system = MakeSystem(flags);
  system->Preload(history);
  history.clear();

  std::vector<std::vector<float>> latencies(static_cast<std::size_t>(flags.clients));
  const Clock::time_point began = Clock::now();
  {
    workload::StreamOrderedPipeline<const Command*> pipeline(flags.clients, [&](int client, const Command*& command) {
      const Clock::time_point start = Clock::now();
      Status status = system->Execute(client, *command);
      latencies[static_cast<std::size_t>(client)].push_back(
          std::chrono::duration<float, std::micro>(Clock::now() - start).count());
      return status;
    });
    for (const Command& command : measured) {
      std::vector<std::string> streams;
      for (const WorkloadStream& stream : command.streams) streams.push_back(stream.stream_id);
      Must(pipeline.Submit(&command, std::move(streams)), "mix command");
    }
    Must(pipeline.Finish(), "mix command");
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
  std::vector<float> all;
  for (const std::vector<float>& client : latencies) all.insert(all.end(), client.begin(), client.end());
  std::printf(
      "PEER_RESULT system=mix-%s clients=%d commands=%zu events=%llu history_events=%llu seconds=%.3f rate=%.1f "
      "events_rate=%.1f p50_us=%.0f p99_us=%.0f%s\n",
      flags.system.c_str(), flags.clients, measured.size(), static_cast<unsigned long long>(measured_events),
      static_cast<unsigned long long>(history_events), seconds, static_cast<double>(measured.size()) / seconds,
      static_cast<double>(measured_events) / seconds, Quantile(all, 0.50), Quantile(all, 0.99),
      system->Extra().c_str());
  system.reset();
  std::filesystem::remove_all(flags.dir);
  return 0;
}

}  // namespace crm::bench::peers
