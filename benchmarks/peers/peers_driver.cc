// peers_driver: our command service and log beside the systems a user would build this on
// instead (issue 6), with the same commands, the same clients and the same durability.
// benchmarks/run-peers.sh starts and stops the peers (PostgreSQL, nginx) and runs this; see
// docs/benchmarks.md, "Peers (issue 6)".
//
//   peers_driver commands --system SYSTEM --clients N --seconds S --dir DIR [--pg CONNINFO]
//                         [--batch B] [--warmup S]
//   peers_driver mix --system ours|sqlite|postgres --clients N --commands K --dir DIR
//                    [--preload-events E] [--pg CONNINFO]
//   peers_driver pg-load --data LOG_DIR --pg CONNINFO
//   peers_driver pg-rebuild --pg CONNINFO [--page 500]
//
// `commands`: every client is a salesperson recording follow-ups on the 8 customers they hold
// (the most frequent command of the workload's mix), one after another, each acknowledged only
// once durable. The company (an admin, a reviewer, 64 salespeople, 512 registered and reviewed
// customers) is first set up through the command service into a log in DIR; every peer starts
// from the same events (copied from that log). SYSTEM is one of
//   ours            CommandService::ExecuteCustomer(RecordFollowUp) over an EventLog, sync on
//   ours-append     EventLog::Append of the same event, exact expected version, sync on
//   rocksdb         raw RocksDB: one WriteBatch Put of the stored bytes of the same event
//                   (record + hash) under a sequential key, WriteOptions::sync = true
//   sqlite          SQLite 3, WAL, synchronous=FULL: per command BEGIN IMMEDIATE, read the
//                   stream's head version, check it, INSERT the event, COMMIT; one connection
//                   behind a mutex (SQLite has one writer at a time in any case)
//   postgres        PostgreSQL through libpq, a connection per client: per command BEGIN,
//                   SELECT the stream's head version, check it against the client's cached
//                   state, INSERT the event (data jsonb), COMMIT (synchronous_commit as the
//                   server is configured: run-peers.sh sets on)
//   postgres-batch  the same, B commands per transaction: one SELECT of the heads of their
//                   streams, one INSERT of B rows, one COMMIT
// and prints one line: PEER_RESULT system=… clients=… commands=… seconds=… rate=… p50_us=…
// p99_us=… (latencies of the commands completed in the measured window, after --warmup).
//
// `mix`: the workload's full mix (benchmarks/workload, seed 1): E events of history loaded
// unmeasured, then K commands persisted as decided by N clients in stream order; see
// peers/mix_commands.h.
//
// `pg-load`: copies every event of an EventLog (generate-log's) into PostgreSQL's `events`
// table: seq, stream_id, version, type, data jsonb (the event as JSON), payload bytea (the
// event's Cap'n Proto bytes), actor_id, command_id, recorded_at, effective_at.
// `pg-rebuild`: reads that table in seq order, `page` rows per query (keyset paging), decodes
// each row's payload into the same event values and applies them to every view of
// projections::AllProjections() in memory; prints PEER_RESULT with events/s.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aggregates/service/command_service.h"
#include "benchmarks/sample_registration.h"
#include "events/codec.h"
#include "events/log/event_log.h"
#include "events/log/keys.h"
#include "events/log/log_format.h"
#include "events/log/rocks_store.h"
#include "peers/driver_support.h"
#include "peers/mix_commands.h"
#include "projections/all_projections.h"
#include "projections/json/event_json.h"

namespace crm::bench::peers {
namespace {

using Clock = std::chrono::steady_clock;

constexpr events::TimeMs kT0 = 1772416800000;  // Monday 2026-03-02 10:00 Shanghai
constexpr int kSalespeople = 64;
constexpr int kCustomersPerSalesperson = 8;
const char* const kNotes = "电话沟通了新版报价，客户对实施周期有顾虑，约定下周三上门演示并带上技术顾问。";

// --- the company every system starts from ----------------------------------------------------

struct Company {
  std::vector<Row> rows;                               // every event of the set-up, in seq order
  std::vector<std::vector<std::string>> customers;     // [salesperson][i]: customer id
  std::map<std::string, std::string> stream_of;        // customer id -> its stream
  std::map<std::string, events::StreamVersion> heads;  // stream -> version after the set-up
};

aggregates::CommandMeta As(std::string user) {
  return {.actor_id = std::move(user), .now_ms = kT0, .idempotency_key = {}, .request_fingerprint = std::nullopt};
}

aggregates::CreateUser User(std::string id, events::Role role, std::uint8_t token_byte) {
  events::Sha256Digest token{};
  token[0] = token_byte;
  return {.user_id = id,
          .name = id,
          .role = role,
          .team = role == events::Role::kSales ? "east" : "",
          .manager_id = "",
          .token_sha256 = token};
}

log::LogOptions LogIn(const std::string& dir, bool sync) {
  log::LogOptions options;
  options.store.path = dir + "/log";
  options.sync = sync;
  return options;
}

// Sets the company up through the command service into DIR/log (sync off: the set-up is not
// measured), then reads it back as rows.
Company SetUp(const std::string& dir) {
  Company company;
  {
    auto log = Must(log::EventLog::Open(LogIn(dir, false)), "open log");
    auto service = Must(aggregates::CommandService::Open(*log), "open command service");
    Must(service->CreateFirstAdmin(User("root", events::Role::kAdmin, 0xFF), kT0).status(), "first admin");
    Must(service->ExecuteUser(As("root"), User("r1", events::Role::kReviewer, 0xFE)).status(), "reviewer");
    company.customers.resize(kSalespeople);
    for (int s = 0; s < kSalespeople; ++s) {
      const std::string user = "s" + std::to_string(s);
      Must(
          service->ExecuteUser(As("root"), User(user, events::Role::kSales, static_cast<std::uint8_t>(s + 1))).status(),
          "salesperson");
      for (int c = 0; c < kCustomersPerSalesperson; ++c) {
        const auto registered = Must(
            service->RegisterCustomer(As(user), bench::SampleRegistration(s * 100 + c)),
            "register");
        const auto& id = std::get<events::CustomerRegistered>(registered.events.front().event).customer_id;
        company.stream_of[id] = registered.events.front().envelope.stream_id;
        Must(service->ExecuteCustomer(As("r1"), id, aggregates::ReviewProtection{.approve = true, .reason = ""})
                 .status(),
             "review");
        company.customers[static_cast<std::size_t>(s)].push_back(id);
      }
    }
    for (auto cursor = log->Scan(1); cursor->Valid(); cursor->Next()) {
      const events::RecordedEvent& recorded = cursor->event();
      company.rows.push_back(RowOf(recorded));
      company.heads[recorded.envelope.stream_id] = recorded.envelope.stream_version;
    }
  }
  return company;
}

events::FollowUpRecorded FollowUp(const std::string& customer_id, std::string follow_up_id) {
  return {.customer_id = customer_id,
          .follow_up_id = std::move(follow_up_id),
          .channel = events::FollowUpChannel::kPhone,
          .notes = kNotes,
          .next_contact_at_ms = kT0 + 7 * events::kMsPerDay};
}

// --- the measured loop -----------------------------------------------------------------------

// One client's work: Run(n) executes the client's n-th operation and returns how many commands
// it acknowledged (1, or B for a batch); it dies on any error.
class Client {
 public:
  virtual ~Client() = default;
  virtual int Run(std::uint64_t n) = 0;
};

struct Outcome {
  std::uint64_t commands = 0;
  double seconds = 0;
  double p50_us = 0;
  double p99_us = 0;
};

Outcome Measure(std::vector<std::unique_ptr<Client>>& clients, double warmup_s, double seconds) {
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(50);
  const auto to_duration = [](double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  const Clock::time_point window_start = start + to_duration(warmup_s);
  const Clock::time_point window_end = window_start + to_duration(seconds);
  std::vector<std::vector<float>> latencies(clients.size());
  std::vector<std::uint64_t> counted(clients.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    threads.emplace_back([&, i] {
      std::this_thread::sleep_until(start);
      for (std::uint64_t n = 0;; ++n) {
        const Clock::time_point began = Clock::now();
        if (began >= window_end) break;
        const int acknowledged = clients[i]->Run(n);
        const Clock::time_point ended = Clock::now();
        if (began >= window_start && ended <= window_end) {
          counted[i] += static_cast<std::uint64_t>(acknowledged);
          const float us = std::chrono::duration<float, std::micro>(ended - began).count();
          for (int k = 0; k < acknowledged; ++k) latencies[i].push_back(us);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Outcome outcome;
  std::vector<float> all;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    outcome.commands += counted[i];
    all.insert(all.end(), latencies[i].begin(), latencies[i].end());
  }
  outcome.seconds = seconds;
  outcome.p50_us = Quantile(all, 0.50);
  outcome.p99_us = Quantile(all, 0.99);
  return outcome;
}

// --- ours ------------------------------------------------------------------------------------

class OursClient : public Client {
 public:
  OursClient(aggregates::CommandService& service, int salesperson, const Company& company)
      : service_(service),
        customers_(company.customers[static_cast<std::size_t>(salesperson)]),
        meta_(As("s" + std::to_string(salesperson))) {
    meta_.now_ms = kT0 + events::kMsPerSecond;
  }
  int Run(std::uint64_t n) override {
    const aggregates::CustomerCommand command = aggregates::RecordFollowUp{
        .channel = events::FollowUpChannel::kPhone, .notes = kNotes, .next_contact_at_ms = kT0 + 7 * events::kMsPerDay};
    Must(service_.ExecuteCustomer(meta_, customers_[n % customers_.size()], command).status(), "follow-up");
    return 1;
  }

 private:
  aggregates::CommandService& service_;
  const std::vector<std::string>& customers_;
  aggregates::CommandMeta meta_;
};

// The client's streams and the version each is at, as a command handler caches them.
struct ClientStreams {
  std::vector<std::string> customers;
  std::vector<std::string> streams;
  std::vector<events::StreamVersion> versions;

  ClientStreams(const Company& company, int salesperson) {
    customers = company.customers[static_cast<std::size_t>(salesperson)];
    for (const std::string& customer : customers) {
      streams.push_back(company.stream_of.at(customer));
      versions.push_back(company.heads.at(streams.back()));
    }
  }
};

class OursAppendClient : public Client {
 public:
  OursAppendClient(log::EventLog& log, int salesperson, const Company& company)
      : log_(log), actor_("s" + std::to_string(salesperson)), own_(company, salesperson), salesperson_(salesperson) {}
  int Run(std::uint64_t n) override {
    const std::size_t i = n % own_.streams.size();
    log::AppendBatch batch;
    batch.recorded_at_ms = kT0 + events::kMsPerSecond;
    batch.streams.push_back(
        {own_.streams[i],
         own_.versions[i],
         {{FollowUp(own_.customers[i], "f" + std::to_string(salesperson_) + "-" + std::to_string(n)), actor_,
           std::nullopt}}});
    Must(log_.Append(std::move(batch)).status(), "append");
    ++own_.versions[i];
    return 1;
  }

 private:
  log::EventLog& log_;
  std::string actor_;
  ClientStreams own_;
  int salesperson_;
};

struct RawRocks {
  std::unique_ptr<log::RocksStore> store;
  rocksdb::ColumnFamilyHandle* family = nullptr;
  std::string stored_value;  // the bytes our log stores for one follow-up event
  std::atomic<std::uint64_t> next_key{1};
};

class RocksClient : public Client {
 public:
  explicit RocksClient(RawRocks& raw) : raw_(raw) {}
  int Run(std::uint64_t) override {
    rocksdb::WriteOptions options;
    options.sync = true;
    rocksdb::WriteBatch batch;
    batch.Put(raw_.family, log::EventKey(raw_.next_key.fetch_add(1)), raw_.stored_value);
    const rocksdb::Status written = raw_.store->db().Write(options, &batch);
    if (!written.ok()) Die("rocksdb write: " + written.ToString());
    return 1;
  }

 private:
  RawRocks& raw_;
};

// --- SQLite ----------------------------------------------------------------------------------

Row FollowUpRow(const std::string& stream, events::StreamVersion version, const std::string& customer, int salesperson,
                std::string follow_up_id) {
  const events::TimeMs at = kT0 + events::kMsPerSecond;
  return RowOf(stream, version, FollowUp(customer, std::move(follow_up_id)), "s" + std::to_string(salesperson), at, at);
}

class SqliteClient : public Client {
 public:
  SqliteClient(Sqlite& sqlite, int salesperson, const Company& company)
      : sqlite_(sqlite), own_(company, salesperson), salesperson_(salesperson) {}
  int Run(std::uint64_t n) override {
    const std::size_t i = n % own_.streams.size();
    // The event is decided (and encoded) before the write lock, as a handler would.
    const Row row = FollowUpRow(own_.streams[i], own_.versions[i] + 1, own_.customers[i], salesperson_,
                                "f" + std::to_string(salesperson_) + "-" + std::to_string(n));
    std::lock_guard lock(sqlite_.mutex);
    sqlite_.Exec("BEGIN IMMEDIATE");
    const events::StreamVersion head = sqlite_.Head(own_.streams[i]);
    if (head != own_.versions[i]) Die("sqlite: stream moved under its only writer");
    sqlite_.Insert(row);
    sqlite_.Exec("COMMIT");
    ++own_.versions[i];
    return 1;
  }

 private:
  Sqlite& sqlite_;
  ClientStreams own_;
  int salesperson_;
};

// --- PostgreSQL ------------------------------------------------------------------------------

class PgClient : public Client {
 public:
  PgClient(const std::string& conninfo, int salesperson, const Company& company, int batch)
      : conn_(PgConnect(conninfo)), own_(company, salesperson), salesperson_(salesperson), batch_(batch) {
    PgPrepare(conn_, "head", "SELECT version FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1");
    PgPrepare(conn_, "insert",
              "INSERT INTO events(stream_id, version, type, data, actor_id, recorded_at, effective_at) VALUES ($1, "
              "$2, $3, $4, $5, to_timestamp($6::bigint / 1000.0), to_timestamp($6::bigint / 1000.0))");
    PgPrepareCommandStatements(conn_);
  }
  ~PgClient() override { PQfinish(conn_); }

  int Run(std::uint64_t n) override { return batch_ == 1 ? RunOne(n) : RunBatch(n); }

 private:
  int RunOne(std::uint64_t n) {
    const std::size_t i = n % own_.streams.size();
    const Row row = FollowUpRow(own_.streams[i], own_.versions[i] + 1, own_.customers[i], salesperson_,
                                "f" + std::to_string(salesperson_) + "-" + std::to_string(n));
    PgExec(conn_, "BEGIN");
    const char* head_params[] = {row.stream_id.c_str()};
    PGresult* head = PgMust(conn_, PQexecPrepared(conn_, "head", 1, head_params, nullptr, nullptr, 0), "head");
    const events::StreamVersion at = PQntuples(head) == 0 ? 0 : std::strtoull(PQgetvalue(head, 0, 0), nullptr, 10);
    PQclear(head);
    if (at != own_.versions[i]) Die("postgres: stream moved under its only writer");
    const std::string version = std::to_string(row.version), recorded = std::to_string(row.recorded_at_ms);
    const char* insert_params[] = {row.stream_id.c_str(), version.c_str(),      row.type.c_str(),
                                   row.data.c_str(),      row.actor_id.c_str(), recorded.c_str()};
    PQclear(PgMust(conn_, PQexecPrepared(conn_, "insert", 6, insert_params, nullptr, nullptr, 0), "insert"));
    PgExec(conn_, "COMMIT");
    ++own_.versions[i];
    return 1;
  }

  int RunBatch(std::uint64_t n) {
    std::vector<Row> rows;
    std::vector<std::string> distinct;
    std::map<std::size_t, events::StreamVersion> next;  // stream index -> next version
    for (int k = 0; k < batch_; ++k) {
      const std::uint64_t command = n * static_cast<std::uint64_t>(batch_) + static_cast<std::uint64_t>(k);
      const std::size_t i = command % own_.streams.size();
      auto [it, fresh] = next.try_emplace(i, own_.versions[i]);
      if (fresh) distinct.push_back(own_.streams[i]);
      rows.push_back(FollowUpRow(own_.streams[i], ++it->second, own_.customers[i], salesperson_,
                                 "f" + std::to_string(salesperson_) + "-" + std::to_string(command)));
    }
    PgExec(conn_, "BEGIN");
    const std::string distinct_array = PgTextArray(distinct);
    const char* head_params[] = {distinct_array.c_str()};
    PGresult* heads = PgMust(conn_, PQexecPrepared(conn_, "heads", 1, head_params, nullptr, nullptr, 0), "heads");
    for (int r = 0; r < PQntuples(heads); ++r) {
      const std::string stream = PQgetvalue(heads, r, 0);
      const auto at = std::strtoull(PQgetvalue(heads, r, 1), nullptr, 10);
      const auto own = std::find(own_.streams.begin(), own_.streams.end(), stream);
      if (own == own_.streams.end() || own_.versions[static_cast<std::size_t>(own - own_.streams.begin())] != at)
        Die("postgres: stream moved under its only writer");
    }
    PQclear(heads);
    PgInsertRows(conn_, rows);
    PgExec(conn_, "COMMIT");
    for (const auto& [i, version] : next) own_.versions[i] = version;
    return batch_;
  }

  PGconn* conn_;
  ClientStreams own_;
  int salesperson_;
  int batch_;
};

// The PostgreSQL table of the commands benchmark, filled with the set-up's events.
void PgSeed(const std::string& conninfo, const Company& company) {
  PGconn* conn = PgConnect(conninfo);
  PgCreateEventsTable(conn);
  PgPrepareCommandStatements(conn);
  PgExec(conn, "BEGIN");
  PgInsertRows(conn, company.rows);
  PgExec(conn, "COMMIT");
  PgExec(conn, "VACUUM ANALYZE events");
  PQfinish(conn);
}

// --- commands --------------------------------------------------------------------------------

int RunCommands(const Flags& flags) {
  if (flags.dir.empty()) Die("commands needs --dir");
  std::filesystem::remove_all(flags.dir);
  std::filesystem::create_directories(flags.dir);
  const Company company = SetUp(flags.dir);
  std::vector<std::unique_ptr<Client>> clients;
  const auto salesperson = [](int client) { return client % kSalespeople; };

  std::unique_ptr<log::EventLog> log;
  std::unique_ptr<aggregates::CommandService> service;
  RawRocks raw;
  std::unique_ptr<Sqlite> sqlite;
  std::string system = flags.system;
  if (system == "ours" || system == "ours-append") {
    log = Must(log::EventLog::Open(LogIn(flags.dir, true)), "reopen log with sync");
    if (system == "ours") service = Must(aggregates::CommandService::Open(*log), "open command service");
    for (int c = 0; c < flags.clients; ++c) {
      if (service)
        clients.push_back(std::make_unique<OursClient>(*service, salesperson(c), company));
      else
        clients.push_back(std::make_unique<OursAppendClient>(*log, salesperson(c), company));
    }
  } else if (system == "rocksdb") {
    log::StoreOptions options;
    options.path = flags.dir + "/raw";
    raw.store = Must(log::RocksStore::Open(options), "open raw rocksdb");
    raw.family = raw.store->Family(log::kEventsFamily);
    events::EventEnvelope envelope;
    envelope.seq = company.rows.size() + 1;
    envelope.stream_id = company.stream_of.at(company.customers[0][0]);
    envelope.stream_version = company.heads.at(envelope.stream_id) + 1;
    envelope.recorded_at_ms = envelope.effective_at_ms = kT0 + events::kMsPerSecond;
    envelope.actor_id = "s0";
    raw.stored_value = events::EncodeRecord(envelope, events::EncodeEvent(FollowUp(company.customers[0][0], "f0-0")));
    log::AppendRecordHash(&raw.stored_value);
    for (int c = 0; c < flags.clients; ++c) clients.push_back(std::make_unique<RocksClient>(raw));
  } else if (system == "sqlite") {
    sqlite = std::make_unique<Sqlite>(flags.dir + "/sqlite.db");
    sqlite->Exec("BEGIN");
    for (const Row& row : company.rows) sqlite->Insert(row);
    sqlite->Exec("COMMIT");
    for (int c = 0; c < flags.clients; ++c)
      clients.push_back(std::make_unique<SqliteClient>(*sqlite, salesperson(c), company));
  } else if (system == "postgres" || system == "postgres-batch") {
    if (flags.pg.empty()) Die("postgres needs --pg CONNINFO");
    PgSeed(flags.pg, company);
    const int batch = system == "postgres" ? 1 : flags.batch;
    if (batch > 1) system += "-" + std::to_string(batch);
    for (int c = 0; c < flags.clients; ++c)
      clients.push_back(std::make_unique<PgClient>(flags.pg, salesperson(c), company, batch));
  } else {
    Die("unknown --system " + system);
  }

  const Outcome outcome = Measure(clients, flags.warmup, flags.seconds);
  std::string extra;
  if (log) {
    const log::LogStats stats = log->Stats();
    extra = " events_per_fsync=" +
            std::to_string(stats.commit_groups == 0
                               ? 0.0
                               : static_cast<double>(stats.appended_events) / static_cast<double>(stats.commit_groups));
  }
  std::printf("PEER_RESULT system=%s clients=%d commands=%llu seconds=%.3f rate=%.1f p50_us=%.0f p99_us=%.0f%s\n",
              system.c_str(), flags.clients, static_cast<unsigned long long>(outcome.commands), outcome.seconds,
              static_cast<double>(outcome.commands) / outcome.seconds, outcome.p50_us, outcome.p99_us, extra.c_str());
  clients.clear();
  service.reset();
  log.reset();
  raw.store.reset();
  sqlite.reset();
  std::filesystem::remove_all(flags.dir);
  return 0;
}

// --- the rebuild peer ------------------------------------------------------------------------

// 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix milliseconds.
constexpr events::TimeMs kPgEpochMs = 946684800000;

std::string PgTimestamp(events::TimeMs ms) {  // "2026-03-02 02:00:00.123+00"
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%03d+00", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

// Text as a field of COPY's text format.
void CopyText(std::string_view text, std::string* out) {
  for (const char c : text) {
    switch (c) {
      case '\\': *out += "\\\\"; break;
      case '\t': *out += "\\t"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      default: *out += c;
    }
  }
}

int PgLoad(const Flags& flags) {
  if (flags.data.empty() || flags.pg.empty()) Die("pg-load needs --data and --pg");
  log::LogOptions options;
  options.store.path = flags.data;
  options.store.mode = log::OpenMode::kReadOnly;
  auto log = Must(log::EventLog::Open(options), "open log");
  PGconn* conn = PgConnect(flags.pg);
  PgExec(conn, "DROP TABLE IF EXISTS events");
  // Constraints are added after the load (faster to build once); the table then has exactly
  // the shape of the commands benchmark's, plus the payload and the envelope's other fields.
  PgExec(conn,
         "CREATE TABLE events(seq bigserial, stream_id text NOT NULL, version int NOT NULL, type text NOT NULL, "
         "data jsonb NOT NULL, payload bytea NOT NULL, actor_id text NOT NULL, command_id text NOT NULL, "
         "recorded_at timestamptz NOT NULL, effective_at timestamptz NOT NULL)");
  PQclear(PgMust(conn, PQexec(conn, "COPY events FROM STDIN"), "copy"));
  const Clock::time_point began = Clock::now();
  std::string buffer;
  std::uint64_t rows = 0;
  static const char kHex[] = "0123456789abcdef";
  for (auto cursor = log->Scan(1); cursor->Valid(); cursor->Next()) {
    const events::RecordedEvent& recorded = cursor->event();
    const events::EventEnvelope& envelope = recorded.envelope;
    buffer += std::to_string(envelope.seq) + '\t';
    CopyText(envelope.stream_id, &buffer);
    buffer += '\t' + std::to_string(envelope.stream_version) + '\t';
    buffer += events::EventTypeName(recorded.event);
    buffer += '\t';
    CopyText(projections::json::DumpJson(projections::json::EventDataJson(recorded.event)), &buffer);
    buffer += "\t\\\\x";
    for (const unsigned char c : events::EncodeEvent(recorded.event)) {
      buffer += kHex[c >> 4];
      buffer += kHex[c & 15];
    }
    buffer += '\t';
    CopyText(envelope.actor_id, &buffer);
    buffer += '\t';
    CopyText(envelope.command_id, &buffer);
    buffer += '\t' + PgTimestamp(envelope.recorded_at_ms) + '\t' + PgTimestamp(envelope.effective_at_ms) + '\n';
    ++rows;
    if (buffer.size() > (1u << 20)) {
      if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) Die(PQerrorMessage(conn));
      buffer.clear();
    }
  }
  if (!buffer.empty() && PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1)
    Die(PQerrorMessage(conn));
  if (PQputCopyEnd(conn, nullptr) != 1) Die(PQerrorMessage(conn));
  PQclear(PgMust(conn, PQgetResult(conn), "copy end"));
  PgExec(conn, "ALTER TABLE events ADD PRIMARY KEY (seq), ADD UNIQUE (stream_id, version)");
  PgExec(conn, "VACUUM ANALYZE events");
  std::printf("PEER_RESULT system=pg-load events=%llu seconds=%.3f\n", static_cast<unsigned long long>(rows),
              std::chrono::duration<double>(Clock::now() - began).count());
  PQfinish(conn);
  return 0;
}

std::uint64_t BigEndian(const char* bytes, int length) {
  std::uint64_t value = 0;
  for (int i = 0; i < length; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

events::TimeMs PgTimeMs(const char* bytes) {  // binary timestamptz: microseconds since 2000
  return static_cast<events::TimeMs>(static_cast<std::int64_t>(BigEndian(bytes, 8)) / 1000) + kPgEpochMs;
}

int PgRebuild(const Flags& flags) {
  if (flags.pg.empty()) Die("pg-rebuild needs --pg");
  PGconn* conn = PgConnect(flags.pg);
  PgPrepare(conn, "page",
            "SELECT seq, stream_id, version, recorded_at, effective_at, actor_id, command_id, payload FROM events "
            "WHERE seq > $1 ORDER BY seq LIMIT $2");
  std::vector<std::unique_ptr<projections::Projection>> views;
  for (const projections::ProjectionKind& kind : projections::AllProjections()) views.push_back(kind.make());
  const std::string page = std::to_string(flags.page);
  std::uint64_t last = 0, applied = 0, pages = 0;
  double query_seconds = 0;
  events::RecordedEvent recorded;
  const Clock::time_point began = Clock::now();
  for (;;) {
    const std::string after = std::to_string(last);
    const char* params[] = {after.c_str(), page.c_str()};
    const Clock::time_point asked = Clock::now();
    PGresult* rows = PgMust(conn, PQexecPrepared(conn, "page", 2, params, nullptr, nullptr, 1), "page");
    query_seconds += std::chrono::duration<double>(Clock::now() - asked).count();
    const int count = PQntuples(rows);
    for (int r = 0; r < count; ++r) {
      events::EventEnvelope& envelope = recorded.envelope;
      envelope.seq = BigEndian(PQgetvalue(rows, r, 0), 8);
      envelope.stream_id.assign(PQgetvalue(rows, r, 1), static_cast<std::size_t>(PQgetlength(rows, r, 1)));
      envelope.stream_version = BigEndian(PQgetvalue(rows, r, 2), 4);
      envelope.recorded_at_ms = PgTimeMs(PQgetvalue(rows, r, 3));
      envelope.effective_at_ms = PgTimeMs(PQgetvalue(rows, r, 4));
      envelope.actor_id.assign(PQgetvalue(rows, r, 5), static_cast<std::size_t>(PQgetlength(rows, r, 5)));
      envelope.command_id.assign(PQgetvalue(rows, r, 6), static_cast<std::size_t>(PQgetlength(rows, r, 6)));
      recorded.event = Must(events::DecodeEvent(std::string_view(PQgetvalue(rows, r, 7),
                                                                 static_cast<std::size_t>(PQgetlength(rows, r, 7)))),
                            "decode payload");
      for (auto& view : views) view->Apply(recorded);
      last = envelope.seq;
      ++applied;
    }
    PQclear(rows);
    ++pages;
    if (count < flags.page) break;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
  std::printf("PEER_RESULT system=pg-rebuild events=%llu pages=%llu seconds=%.3f rate=%.1f query_seconds=%.3f\n",
              static_cast<unsigned long long>(applied), static_cast<unsigned long long>(pages), seconds,
              static_cast<double>(applied) / seconds, query_seconds);
  PQfinish(conn);
  return 0;
}

}  // namespace
}  // namespace crm::bench::peers

int main(int argc, char** argv) {
  using namespace crm::bench::peers;
  const Flags flags = ParseFlags(argc, argv);
  if (flags.mode == "commands") return RunCommands(flags);
  if (flags.mode == "mix") return RunMix(flags);
  if (flags.mode == "pg-load") return PgLoad(flags);
  if (flags.mode == "pg-rebuild") return PgRebuild(flags);
  Die("unknown mode " + flags.mode);
}
