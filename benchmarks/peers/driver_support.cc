#include "peers/driver_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "events/event_types.h"
#include "projections/json/event_json.h"
#include "projections/json/json_text.h"

namespace crm::bench::peers {

void Die(const std::string& what) {
  std::fprintf(stderr, "peers_driver: %s\n", what.c_str());
  std::exit(1);
}

void Must(const Status& status, const char* what) {
  if (!status.ok()) Die(std::string(what) + ": " + status.ToString());
}

Flags ParseFlags(int argc, char** argv) {
  if (argc < 2) Die("usage: peers_driver commands|mix|pg-load|pg-rebuild [flags] (see peers_driver.cc's comment)");
  Flags flags;
  flags.mode = argv[1];
  for (int i = 2; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) Die(flag + " needs a value");
    const std::string value = argv[i + 1];
    if (flag == "--system")
      flags.system = value;
    else if (flag == "--clients")
      flags.clients = std::atoi(value.c_str());
    else if (flag == "--seconds")
      flags.seconds = std::atof(value.c_str());
    else if (flag == "--warmup")
      flags.warmup = std::atof(value.c_str());
    else if (flag == "--dir")
      flags.dir = value;
    else if (flag == "--pg")
      flags.pg = value;
    else if (flag == "--data")
      flags.data = value;
    else if (flag == "--batch")
      flags.batch = std::atoi(value.c_str());
    else if (flag == "--page")
      flags.page = std::atoi(value.c_str());
    else if (flag == "--commands")
      flags.commands = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--preload-events")
      flags.preload_events = std::strtoull(value.c_str(), nullptr, 10);
    else
      Die("unknown flag " + flag);
  }
  if (flags.clients < 1 || flags.batch < 1 || flags.page < 1 || flags.commands < 1)
    Die("--clients, --batch, --page and --commands must be >= 1");
  return flags;
}

Row RowOf(std::string stream_id, events::StreamVersion version, const events::Event& event, std::string actor_id,
          events::TimeMs recorded_at_ms, events::TimeMs effective_at_ms) {
  return {std::move(stream_id),
          version,
          std::string(events::EventTypeName(event)),
          projections::json::DumpJson(projections::json::EventDataJson(event)),
          std::move(actor_id),
          recorded_at_ms,
          effective_at_ms};
}

Row RowOf(const events::RecordedEvent& recorded) {
  const events::EventEnvelope& envelope = recorded.envelope;
  return RowOf(envelope.stream_id, envelope.stream_version, recorded.event, envelope.actor_id, envelope.recorded_at_ms,
               envelope.effective_at_ms);
}

double Quantile(std::vector<float>& values, double q) {
  if (values.empty()) return 0;
  const std::size_t k = std::min(values.size() - 1, static_cast<std::size_t>(q * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return static_cast<double>(values[k]);
}

// --- SQLite ----------------------------------------------------------------------------------

void SqliteMust(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) Die(std::string(what) + ": " + sqlite3_errmsg(db));
}

Sqlite::Sqlite(const std::string& path) {
  SqliteMust(
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr), db,
      "open");
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=FULL");
  Exec(
      "CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, version INTEGER NOT "
      "NULL, type TEXT NOT NULL, data TEXT NOT NULL, actor_id TEXT NOT NULL, recorded_at INTEGER NOT NULL, "
      "effective_at INTEGER NOT NULL, UNIQUE(stream_id, version))");
  SqliteMust(sqlite3_prepare_v2(db, "SELECT version FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1", -1,
                                &head, nullptr),
             db, "prepare head");
  SqliteMust(sqlite3_prepare_v2(db,
                                "INSERT INTO events(stream_id, version, type, data, actor_id, recorded_at, "
                                "effective_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                -1, &insert, nullptr),
             db, "prepare insert");
}

Sqlite::~Sqlite() {
  sqlite3_finalize(head);
  sqlite3_finalize(insert);
  sqlite3_close(db);
}

void Sqlite::Exec(const char* sql) {
  SqliteMust(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

void Sqlite::Insert(const Row& row) {
  sqlite3_reset(insert);
  const auto text = [&](int column, const std::string& value) {
    sqlite3_bind_text(insert, column, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  };
  text(1, row.stream_id);
  sqlite3_bind_int64(insert, 2, static_cast<sqlite3_int64>(row.version));
  text(3, row.type);
  text(4, row.data);
  text(5, row.actor_id);
  sqlite3_bind_int64(insert, 6, row.recorded_at_ms);
  sqlite3_bind_int64(insert, 7, row.effective_at_ms);
  SqliteMust(sqlite3_step(insert), db, "insert");
}

events::StreamVersion Sqlite::Head(const std::string& stream) {
  sqlite3_reset(head);
  sqlite3_bind_text(head, 1, stream.data(), static_cast<int>(stream.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(head);
  SqliteMust(rc, db, "head");
  return rc == SQLITE_ROW ? static_cast<events::StreamVersion>(sqlite3_column_int64(head, 0)) : 0;
}

// --- PostgreSQL ------------------------------------------------------------------------------

PGconn* PgConnect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die(std::string("postgres connect: ") + PQerrorMessage(conn));
  return conn;
}

PGresult* PgMust(PGconn* conn, PGresult* result, const char* what) {
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN)
    Die(std::string("postgres ") + what + ": " + PQerrorMessage(conn));
  return result;
}

void PgExec(PGconn* conn, const char* sql) {
  PQclear(PgMust(conn, PQexec(conn, sql), sql));
}

void PgPrepare(PGconn* conn, const char* name, const char* sql) {
  PQclear(PgMust(conn, PQprepare(conn, name, sql, 0, nullptr), name));
}

std::string PgTextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

void PgCreateEventsTable(PGconn* conn) {
  PgExec(conn, "DROP TABLE IF EXISTS events");
  PgExec(conn,
         "CREATE TABLE events(seq bigserial PRIMARY KEY, stream_id text NOT NULL, version int NOT NULL, type text "
         "NOT NULL, data jsonb NOT NULL, actor_id text NOT NULL, recorded_at timestamptz NOT NULL, effective_at "
         "timestamptz NOT NULL, UNIQUE(stream_id, version))");
}

void PgPrepareCommandStatements(PGconn* conn) {
  PgPrepare(conn, "heads",
            "SELECT stream_id, max(version) FROM events WHERE stream_id = ANY($1::text[]) GROUP BY stream_id");
  PgPrepare(conn, "insert_rows",
            "INSERT INTO events(stream_id, version, type, data, actor_id, recorded_at, effective_at) "
            "SELECT s, v, t, d::jsonb, a, to_timestamp(r / 1000.0), to_timestamp(e / 1000.0) "
            "FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[]) "
            "AS u(s, v, t, d, a, r, e)");
}

void PgInsertRows(PGconn* conn, const std::vector<Row>& rows) {
  std::vector<std::string> columns[7];
  for (const Row& row : rows) {
    columns[0].push_back(row.stream_id);
    columns[1].push_back(std::to_string(row.version));
    columns[2].push_back(row.type);
    columns[3].push_back(row.data);
    columns[4].push_back(row.actor_id);
    columns[5].push_back(std::to_string(row.recorded_at_ms));
    columns[6].push_back(std::to_string(row.effective_at_ms));
  }
  std::string arrays[7];
  const char* params[7];
  for (int i = 0; i < 7; ++i) {
    arrays[i] = PgTextArray(columns[i]);
    params[i] = arrays[i].c_str();
  }
  PQclear(PgMust(conn, PQexecPrepared(conn, "insert_rows", 7, params, nullptr, nullptr, 0), "insert_rows"));
}

}  // namespace crm::bench::peers
