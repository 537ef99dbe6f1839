// What the modes of peers_driver share: its flags, dying on errors (a benchmark that goes wrong
// must stop, not report), the SQL peers' event table and their connections, and percentiles.
#pragma once

#include <cstdint>
#include <libpq-fe.h>
#include <mutex>
#include <sqlite3.h>
#include <string>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"
#include "events/status.h"

namespace crm::bench::peers {

[[noreturn]] void Die(const std::string& what);

template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) Die(std::string(what) + ": " + result.status().ToString());
  return std::move(result).value();
}

void Must(const Status& status, const char* what);

struct Flags {
  std::string mode;
  std::string system;
  int clients = 1;
  double seconds = 5;
  double warmup = 1;
  std::string dir;
  std::string pg;
  std::string data;
  int batch = 16;
  int page = 500;
  std::uint64_t commands = 20'000;         // mix: commands measured
  std::uint64_t preload_events = 200'000;  // mix: events of history loaded before measuring
};

// argv[1] is the mode; then --flag value pairs. Dies on anything it does not know.
Flags ParseFlags(int argc, char** argv);

// One event row as the SQL peers store it.
struct Row {
  std::string stream_id;
  events::StreamVersion version = 0;
  std::string type;
  std::string data;  // the event as JSON
  std::string actor_id;
  events::TimeMs recorded_at_ms = 0;
  events::TimeMs effective_at_ms = 0;
};

// The row of `event` in `stream` at `version`: its type name and its data as JSON.
Row RowOf(std::string stream_id, events::StreamVersion version, const events::Event& event, std::string actor_id,
          events::TimeMs recorded_at_ms, events::TimeMs effective_at_ms);
// The row of one recorded event.
Row RowOf(const events::RecordedEvent& recorded);

// The q-quantile (0..1) of `values`, reordering them; 0 when empty.
double Quantile(std::vector<float>& values, double q);

// --- SQLite: WAL, synchronous=FULL, the events table, one writer behind `mutex` ---------------

void SqliteMust(int rc, sqlite3* db, const char* what);

struct Sqlite {
  sqlite3* db = nullptr;
  sqlite3_stmt* head = nullptr;
  sqlite3_stmt* insert = nullptr;
  std::mutex mutex;  // the one writer

  explicit Sqlite(const std::string& path);
  ~Sqlite();
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  void Exec(const char* sql);
  void Insert(const Row& row);
  events::StreamVersion Head(const std::string& stream);  // 0: no event yet
};

// --- PostgreSQL through libpq ----------------------------------------------------------------

PGconn* PgConnect(const std::string& conninfo);
// Dies unless `result` succeeded; returns it (the caller clears it).
PGresult* PgMust(PGconn* conn, PGresult* result, const char* what);
void PgExec(PGconn* conn, const char* sql);
void PgPrepare(PGconn* conn, const char* name, const char* sql);
// A PostgreSQL array literal of text elements.
std::string PgTextArray(const std::vector<std::string>& values);

// (Re)creates the commands' `events` table, empty: seq bigserial, stream_id, version, type,
// data jsonb, actor_id, recorded_at, effective_at, unique(stream_id, version).
void PgCreateEventsTable(PGconn* conn);
// Prepares on `conn`: "heads" ($1 text[] of streams -> stream_id, max(version)) and
// "insert_rows" ($1..$7 arrays of stream, version, type, data, actor, recorded ms, effective ms).
void PgPrepareCommandStatements(PGconn* conn);
// Inserts `rows` with one "insert_rows" (prepared on `conn`).
void PgInsertRows(PGconn* conn, const std::vector<Row>& rows);

}  // namespace crm::bench::peers
