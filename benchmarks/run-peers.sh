#!/usr/bin/env bash
# Ours beside the peers a user would pick instead (issue 6), every figure measured in this one
# run, with the same commands, clients and durability; writes the "Peers (issue 6)" section of
# docs/benchmarks.md (between its run-peers.sh markers) and prints it.
#
#   benchmarks/run-peers.sh [--quick] [--build DIR] [--no-doc]
#
#   --quick       one round of 3 s command measurements, a 200k-event log, 5 s wrk runs (under 5
#                 minutes); default: 3 rounds of 5 s (medians), a 1M-event log, 15 s wrk runs
#                 (about 11 minutes)
#   --build DIR   the CMake build directory (default build/release); configured if needed
#   --no-doc      print the section, leave docs/benchmarks.md alone
#
# In one fresh temp dir ($TMPDIR, the disk under test), removed at the end:
#   1. fio: 4 KiB writes + fdatasync (the disk's sync rate: the hardware limit of durable writes)
#   2. PostgreSQL 15 initialised and started as the `postgres` user on 127.0.0.1 (any free
#      port, synchronous_commit=on), stopped at the end
#   3. durable commands at 64 and 1 clients (build/…/bin/peers_driver commands): ours (command
#      service), ours-append (EventLog::Append), raw RocksDB puts (sync), SQLite (WAL,
#      synchronous=FULL), PostgreSQL (a transaction per command; and 16 per transaction)
#   3b. the workload's full mix at 64 clients (peers_driver mix): ours (EventLog::Append of the
#      decided commands), SQLite, PostgreSQL, each after the same history
#   4. rebuild: generate-log, rebuild_benchmark (ours) vs peers_driver pg-load + pg-rebuild
#      (500-row pages decoded and applied to the same views)
#   5. crm-server --demo (benchmarks/http/run-wrk.sh's start-up): GET /v1/pool?limit=50 vs
#      nginx serving that same body as a static file, same wrk settings (64 connections,
#      2 threads, benchmarks/http/get.lua), GET /v1/health beside them; then run-wrk.sh's
#      durable follow-ups over HTTP
# Installs what is missing with apt-get (as root): postgresql-15, libpq-dev, libsqlite3-dev,
# nginx, fio, wrk, jq, curl.
set -euo pipefail

peers_here="$(cd "$(dirname "$0")" && pwd)"
peers_repo="$(cd "$peers_here/.." && pwd)"

# The server start-up, fio and helpers of the wrk benchmarks, without running them.
# shellcheck source=http/run-wrk.sh
source <(sed '/^main "\$@"$/d' "$peers_repo/benchmarks/http/run-wrk.sh")
here="$peers_repo/benchmarks/http"
repo="$peers_repo"

quick=0
write_doc=1
build_dir="$repo/build/release"
pg_bin=/usr/lib/postgresql/15/bin
pg_port=""
nginx_pid=""
command_seconds=5
command_warmup=1
rounds=3
log_events=1000000
wrk_seconds=15
client_counts=(64 1)
systems=(ours ours-append rocksdb sqlite postgres postgres-batch)
mix_systems=(ours sqlite postgres)
mix_clients=64
mix_commands=60000
mix_history=300000

peers_usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }

peers_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) quick=1 ;;
      --build) build_dir="${2:?--build needs a directory}"; shift ;;
      --no-doc) write_doc=0 ;;
      -h|--help) peers_usage; exit 0 ;;
      *) echo "run-peers.sh: unknown argument $1" >&2; peers_usage >&2; exit 2 ;;
    esac
    shift
  done
  if [ "$quick" = 1 ]; then
    command_seconds=3; rounds=1; log_events=200000; wrk_seconds=5; mix_commands=20000; mix_history=100000
  fi
}

peers_tools() {
  ensure_tools  # wrk fio jq curl, as run-wrk.sh installs them
  local packages=()
  [ -x "$pg_bin/initdb" ] || packages+=(postgresql-15)
  [ -f /usr/include/postgresql/libpq-fe.h ] || packages+=(libpq-dev)
  [ -f /usr/include/sqlite3.h ] || packages+=(libsqlite3-dev)
  [ -x /usr/sbin/nginx ] || packages+=(nginx)
  if [ ${#packages[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "run-peers.sh: as root: apt-get install -y ${packages[*]}" >&2; exit 1; }
    log "installing ${packages[*]} (Debian packages)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
}

peers_build() {
  mkdir -p "$build_dir"
  build_dir="$(cd "$build_dir" && pwd)"
  # Configure again when peers_driver is unknown (a build dir made before libpq was installed).
  if [ ! -f "$build_dir/CMakeCache.txt" ] || ! grep -q 'PostgreSQL_INCLUDE_DIR:PATH=/' "$build_dir/CMakeCache.txt"; then
    cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  log "building peers_driver generate-log rebuild_benchmark crm-server in $build_dir"
  cmake --build "$build_dir" -j "$(nproc)" --target peers_driver generate-log rebuild_benchmark crm-server >&2
  bin="$build_dir/bin"
  server_bin="$bin/crm-server"
}

peers_cleanup() {
  local status=$?
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then kill -QUIT "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_port" ] && [ -f "$tmp/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ $status -ne 0 ] && [ -f "$tmp/pg.log" ]; then tail -n 5 "$tmp/pg.log" >&2 || true; fi
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
  exit $status
}

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# --- PostgreSQL ------------------------------------------------------------------------------

pg_start() {
  # PostgreSQL refuses root: the cluster belongs to the `postgres` user of the Debian package.
  pg_port="$(free_port)"
  mkdir -p "$tmp/pg" "$tmp/pgsock"
  chown postgres: "$tmp/pg" "$tmp/pgsock"
  log "PostgreSQL 15: initdb and start in $tmp/pg on 127.0.0.1:$pg_port"
  runuser -u postgres -- "$pg_bin/initdb" -D "$tmp/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  touch "$tmp/pg.log" && chown postgres: "$tmp/pg.log"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w start -o \
    "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$tmp/pgsock \
     -c synchronous_commit=on -c fsync=on -c full_page_writes=on -c max_connections=200 \
     -c shared_buffers=1GB -c max_wal_size=4GB" >/dev/null
  pg="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
  pg_version="$("$pg_bin/postgres" --version)"
  pg_settings="$(psql "$pg" -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
                  WHERE name IN ('synchronous_commit','fsync','wal_sync_method','full_page_writes','commit_delay',
                                 'shared_buffers','wal_level')")"
}

pg_stop() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null
  pg_port=""
}

# --- measurements ----------------------------------------------------------------------------

# field LINE KEY: the value of KEY=value in a PEER_RESULT or WRK_RESULT line.
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# Runs every system at every client count, `rounds` times in turn (the disk's sync latency
# drifts over minutes: rounds spread the drift over every system); sets rate_<system>_<clients>,
# p50_…, p99_…, epf_… (system with - as _) from the round with the median rate.
measure_commands() {
  local round clients system line
  for round in $(seq 1 "$rounds"); do
    for clients in "${client_counts[@]}"; do
      for system in "${systems[@]}"; do
        log "commands (round $round/$rounds): $system, $clients clients, ${command_seconds} s after ${command_warmup} s"
        line="$("$bin/peers_driver" commands --system "$system" --clients "$clients" --seconds "$command_seconds" \
                 --warmup "$command_warmup" --dir "$tmp/commands" --pg "$pg" | grep '^PEER_RESULT')"
        echo "$line" >&2
        echo "${system//-/_}_$clients $line" >>"$tmp/commands.txt"
      done
    done
  done
  local key
  for key in $(cut -d' ' -f1 "$tmp/commands.txt" | sort -u); do
    line="$(grep "^$key " "$tmp/commands.txt" | awk '{ split($0, f, " rate="); split(f[2], r, " "); print r[1] "\t" $0 }' |
            sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2)' | cut -f2)"
    eval "rate_$key=$(field "$line" rate) p50_$key=$(field "$line" p50_us) p99_$key=$(field "$line" p99_us)"
    eval "epf_$key=$(field "$line" events_per_fsync)"
  done
}

# The workload's full mix (peers_driver mix): every system persists the same decided commands
# after the same history, `rounds` times in turn; sets mix_rate_<system>, mix_erate_…, mix_p50_…,
# mix_p99_…, mix_epf_… from the round with the median rate.
measure_mix() {
  local round system line
  for round in $(seq 1 "$rounds"); do
    for system in "${mix_systems[@]}"; do
      log "mix (round $round/$rounds): $system, $mix_clients clients, $mix_commands commands after $mix_history events"
      line="$("$bin/peers_driver" mix --system "$system" --clients "$mix_clients" --commands "$mix_commands" \
               --preload-events "$mix_history" --dir "$tmp/mix" --pg "$pg" | grep '^PEER_RESULT')"
      echo "$line" >&2
      echo "$system $line" >>"$tmp/mix.txt"
    done
  done
  for system in "${mix_systems[@]}"; do
    line="$(grep "^$system " "$tmp/mix.txt" | awk '{ split($0, f, " rate="); split(f[2], r, " "); print r[1] "\t" $0 }' |
            sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2)' | cut -f2)"
    eval "mix_rate_$system=$(field "$line" rate) mix_erate_$system=$(field "$line" events_rate)"
    eval "mix_p50_$system=$(field "$line" p50_us) mix_p99_$system=$(field "$line" p99_us)"
    eval "mix_epf_$system=$(field "$line" events_per_fsync)"
    mix_events="$(field "$line" events)"
  done
}

mix_row() { # mix_row LABEL SYSTEM
  local versus="—"
  [ "$2" = ours ] || versus="$(ratio "$mix_rate_ours" "$(eval echo "\$mix_rate_$2")")"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(int "$(eval echo "\$mix_rate_$2")")" \
    "$(int "$(eval echo "\$mix_erate_$2")")" "$(ms "$(eval echo "\$mix_p50_$2")")" \
    "$(ms "$(eval echo "\$mix_p99_$2")")" "$versus"
}

measure_rebuild() {
  log "generate-log: $log_events events into $tmp/log"
  "$bin/generate-log" --data "$tmp/log" --events "$log_events" >&2
  log "ours: rebuild_benchmark (every view, stored, no snapshots)"
  "$bin/rebuild_benchmark" --data "$tmp/log" \
    --benchmark_filter='^BM_(Rebuild|FoldInMemory)/view:0/snapshot_every:0/' \
    --benchmark_out="$tmp/rebuild.json" --benchmark_out_format=json >&2
  rate_rebuild="$(jq '.benchmarks[] | select(.name | startswith("BM_Rebuild/")) | .items_per_second' "$tmp/rebuild.json")"
  rate_fold="$(jq '.benchmarks[] | select(.name | startswith("BM_FoldInMemory/")) | .items_per_second' "$tmp/rebuild.json")"
  log "PostgreSQL: load the same log (COPY), then paged read-and-apply"
  local line
  line="$("$bin/peers_driver" pg-load --data "$tmp/log" --pg "$pg" | grep '^PEER_RESULT')"
  echo "$line" >&2
  rebuild_events="$(field "$line" events)"
  line="$("$bin/peers_driver" pg-rebuild --pg "$pg" --page 500 | grep '^PEER_RESULT')"
  echo "$line" >&2
  rate_pg_rebuild="$(field "$line" rate)"
  pg_rebuild_seconds="$(field "$line" seconds)"
  pg_query_seconds="$(field "$line" query_seconds)"
}

nginx_start() {
  local port
  port="$(free_port)"
  cat >"$tmp/nginx/nginx.conf" <<EOF
user $(id -un);
worker_processes $(nproc);
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $tmp/nginx/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$port;
    root $tmp/www;
    location / { default_type application/json; }
  }
}
EOF
  /usr/sbin/nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
  nginx_pid=$!
  nginx_base="http://127.0.0.1:$port"
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "$nginx_base/v1/pool" 2>/dev/null && return 0; sleep 0.1; done
  echo "run-peers.sh: nginx did not start" >&2; cat "$tmp/nginx/error.log" >&2; exit 1
}

# wrk_get NAME URL [TOKEN]: 64 connections, 2 threads, get.lua; sets rps_/p50_/p99_/errors_NAME.
wrk_get() {
  local name="$1" url="$2" token="${3:-}" line
  log "wrk $name: $url, $connections connections, ${wrk_seconds} s"
  line="$(wrk -t"$wrk_threads" -c"$connections" -d"${wrk_seconds}s" --timeout 10s -s "$here/get.lua" "$url" -- "$token" |
          grep '^WRK_RESULT')"
  echo "$line" >&2
  eval "rps_$name=$(field "$line" rps) p50_$name=$(field "$line" p50_us) p99_$name=$(field "$line" p99_us)"
  eval "errors_$name=$(( $(field "$line" status) + $(field "$line" socket) ))"
}

measure_reads() {
  start_server
  local token
  token="$(sales_users | head -n 1 | cut -f2)"
  mkdir -p "$tmp/nginx/logs" "$tmp/www/v1"
  chmod 755 "$tmp/www" "$tmp/www/v1"
  api "$token" GET '/v1/pool?limit=50' >"$tmp/www/v1/pool"
  chmod 644 "$tmp/www/v1/pool"
  pool_bytes="$(wc -c <"$tmp/www/v1/pool")"
  pool_items="$(jq '.items | length' "$tmp/www/v1/pool")"
  nginx_start
  cmp -s "$tmp/www/v1/pool" <(curl -fsS "$nginx_base/v1/pool?limit=50") || { echo "run-peers.sh: nginx body differs" >&2; exit 1; }
  wrk_get pool "$base/v1/pool?limit=50" "$token"
  wrk_get health "$base/v1/health"
  wrk_get nginx "$nginx_base/v1/pool?limit=50" "$token"
  kill -QUIT "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
  # Our side over HTTP: durable follow-ups from 64 connections, as run-wrk.sh runs them.
  claim_from_pool
  prepare_pairs
  run_wrk followups '/v1/customers/{id}/followups' followups.lua /v1/customers "$tmp/pairs.tsv"
  stop_server
}

# --- the report ------------------------------------------------------------------------------

met() { # met RATIO TARGET
  awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "**met**" : "**missed**") }'
}

command_row() { # command_row LABEL SYSTEM CLIENTS
  local key="${2//-/_}_$3" versus="—"
  [ "$2" = ours ] || versus="$(ratio "$(eval echo "\$rate_ours_$3")" "$(eval echo "\$rate_$key")")"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$3" "$(int "$(eval echo "\$rate_$key")")" \
    "$(ms "$(eval echo "\$p50_$key")")" "$(ms "$(eval echo "\$p99_$key")")" "$versus"
}

section() {
  local cpu disk
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  disk="$(df -P "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $1 }')"
  local r_pg r_mix_pg r_mix_sqlite r_sqlite r_append1 r_append64 r_rebuild r_pool
  r_pg="$(ratio "$rate_ours_64" "$rate_postgres_64")"
  r_mix_pg="$(ratio "$mix_rate_ours" "$mix_rate_postgres")"
  r_mix_sqlite="$(ratio "$mix_rate_ours" "$mix_rate_sqlite")"
  r_sqlite="$(ratio "$rate_ours_64" "$rate_sqlite_64")"
  r_append64="$(ratio "$rate_ours_append_64" "$rate_rocksdb_64")"
  r_append1="$(ratio "$rate_ours_append_1" "$rate_rocksdb_1")"
  r_rebuild="$(ratio "$rate_rebuild" "$rate_pg_rebuild")"
  r_pool="$(ratio "$rps_pool" "$rps_nginx")"
  r_http="$(ratio "$rps_followups" "$rate_postgres_64")"
  cat <<EOF
<!-- run-peers.sh: begin (generated by benchmarks/run-peers.sh$([ "$quick" = 1 ] && echo " --quick"); edit the script, not this) -->
Run of $(date -u '+%Y-%m-%d %H:%M UTC'): \`benchmarks/run-peers.sh$([ "$quick" = 1 ] && echo " --quick") --build ${build_dir#"$repo"/}\`.
Machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), temp dir on $disk (every peer's data and ours); load average (1/5/15 min) before: $load_before, after: $load_after.
$pg_version ($pg_settings); SQLite $(sqlite3 --version | cut -d' ' -f1); RocksDB as linked by the log; $(nginx -v 2>&1 | sed 's/.*: //'); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1,2); $(fio --version).

**Targets in this run**

| target | ours ÷ peer | |
|---|---:|---|
| durable commands ≥ 5× PostgreSQL, 64 clients: follow-ups | $r_pg | $(met "$r_pg" 5) |
| durable commands ≥ 5× PostgreSQL, 64 clients: the workload's full mix | $r_mix_pg | $(met "$r_mix_pg" 5) |
| the same over HTTP: crm-server's follow-ups (wrk, 64 connections) ÷ PostgreSQL, 64 clients | $r_http | $(met "$r_http" 5) |
| durable commands ≥ 3× SQLite, 64 clients: follow-ups | $r_sqlite | $(met "$r_sqlite" 3) |
| durable commands ≥ 3× SQLite, 64 clients: the workload's full mix | $r_mix_sqlite | $(met "$r_mix_sqlite" 3) |
| append ≥ 0.8× raw RocksDB, 64 clients | $r_append64 | $(met "$r_append64" 0.8) |
| append ≥ 0.8× raw RocksDB, 1 client | $r_append1 | $(met "$r_append1" 0.8) |
| rebuild ≥ 20× PostgreSQL paged apply | $r_rebuild | $(met "$r_rebuild" 20) |
| pool page ≥ 0.5× nginx static | $r_pool | $(met "$r_pool" 0.5) |

**Durable commands**: a salesperson per client recording follow-ups on the 8 customers they
hold, each acknowledged only once durable; ${command_seconds} s measured after ${command_warmup} s of warm-up;
p50/p99 per command. \`build/…/bin/peers_driver commands --system S --clients N --seconds ${command_seconds} --warmup ${command_warmup} --dir DIR --pg CONNINFO\`

| system | clients | commands/s | p50 ms | p99 ms | ours (command service) ÷ this |
|---|---:|---:|---:|---:|---:|
$(for c in "${client_counts[@]}"; do
  command_row "ours: CommandService, synced EventLog" ours "$c"
  command_row "ours: EventLog::Append only" ours-append "$c"
  command_row "raw RocksDB: Put of the same bytes, sync" rocksdb "$c"
  command_row "SQLite: WAL, synchronous=FULL" sqlite "$c"
  command_row "PostgreSQL: a transaction per command" postgres "$c"
  command_row "PostgreSQL: 16 commands per transaction" postgres-batch "$c"
done)
| ours over HTTP: crm-server \`POST /v1/customers/{id}/followups\` (wrk, demo company, $pair_count customers of $holder_count salespeople) | $connections | $(int "$rps_followups") | $(ms "$p50_followups") | $(ms "$p99_followups") | $(ratio "$rate_ours_64" "$rps_followups") |
| fio: 4 KiB write + fdatasync, 1 job | 1 | $(int "$fsync_iops") | $(ms "$fsync_p50_us") | $(ms "$fsync_p99_us") | $(ratio "$rate_ours_1" "$fsync_iops") (1 client) |

Events per fsync in our log: $(printf '%.1f' "${epf_ours_64:-0}") (command service, 64 clients), $(printf '%.1f' "${epf_ours_append_64:-0}") (append, 64 clients); append ÷ raw RocksDB: $r_append64 at 64 clients, $r_append1 at 1.

**Durable commands, the workload's full mix**: the seeded company of \`benchmarks/workload\` (seed 1, 200 salespeople, up to 50,000 customers: registrations, protections and reviews, contacts, follow-ups, extension and promotion requests and their decisions, reassignments, abandons, contracts, payments, and the sweeper's expiries and review time-outs). Every system first loads the same $(int "$mix_history") events of history unmeasured, then persists the next $(int "$mix_commands") commands ($(int "$mix_events") events) as decided, each one transaction acknowledged only once durable, after checking every stream it touches is at the version the command was decided on. One thread hands the commands in order to $mix_clients clients, holding a command back while an earlier one on any of its streams is still running (as a server's request queue would); latency is per command, from a client taking it to its acknowledgement. Ours: \`EventLog::Append\` of the command's streams (the log checks the expected versions); SQLite and PostgreSQL: BEGIN, the heads of the command's streams, the rows inserted, COMMIT (as in the follow-ups). \`build/…/bin/peers_driver mix --system S --clients $mix_clients --commands $mix_commands --preload-events $mix_history --dir DIR --pg CONNINFO\`

| system | commands/s | events/s | p50 ms | p99 ms | ours ÷ this |
|---|---:|---:|---:|---:|---:|
$(mix_row "ours: EventLog::Append, synced" ours
  mix_row "SQLite: WAL, synchronous=FULL" sqlite
  mix_row "PostgreSQL: a transaction per command" postgres)

Events per fsync in our log on the mix: $(printf '%.1f' "${mix_epf_ours:-0}").

**Rebuild**: a log of $(int "$rebuild_events") events from \`generate-log --data DIR --events $log_events\` (seed 1).
Ours: \`rebuild_benchmark --data DIR --benchmark_filter='^BM_(Rebuild|FoldInMemory)/view:0/snapshot_every:0/'\` (every view of AllProjections() folded and stored in RocksDB; the fold alone, nothing stored).
Peer: \`peers_driver pg-load --data DIR --pg CONNINFO\` (COPY into \`events\`), then \`peers_driver pg-rebuild --pg CONNINFO --page 500\`: keyset pages of 500 rows (binary results), each row's payload decoded into the same event values and applied to the same views, in memory.

| rebuild | events/s | ours (stored) ÷ this |
|---|---:|---:|
| ours: ProjectionHost rebuild, every view, stored | $(int "$rate_rebuild") | — |
| ours: the same fold in memory, nothing stored | $(int "$rate_fold") | $(ratio "$rate_rebuild" "$rate_fold") |
| PostgreSQL: 500-row pages, decoded and applied in memory | $(int "$rate_pg_rebuild") | **$r_rebuild** |

PostgreSQL paged apply: $pg_rebuild_seconds s in all, of which $pg_query_seconds s waiting for pages.

**Pool page**: \`GET /v1/pool?limit=50\` ($pool_items items, $(int "$pool_bytes") bytes) from \`crm-server --demo\` with a salesperson's token, vs nginx serving the same bytes as a static file (\`$(nproc)\` workers, access log on, keep-alive); \`wrk -t$wrk_threads -c$connections -d${wrk_seconds}s --timeout 10s -s benchmarks/http/get.lua URL -- TOKEN\`, one after the other.

| server | requests/s | p50 ms | p99 ms | errors | ours ÷ this |
|---|---:|---:|---:|---:|---:|
| crm-server GET /v1/pool?limit=50 | $(int "$rps_pool") | $(ms "$p50_pool") | $(ms "$p99_pool") | $errors_pool | — |
| nginx, the same JSON as a static file | $(int "$rps_nginx") | $(ms "$p50_nginx") | $(ms "$p99_nginx") | $errors_nginx | **$r_pool** |
| diagnostic: crm-server GET /v1/health (our transport's floor: no auth, no view, 26 bytes) | $(int "$rps_health") | $(ms "$p50_health") | $(ms "$p99_health") | $errors_health | $(ratio "$rps_pool" "$rps_health") |
<!-- run-peers.sh: end -->
EOF
}

# Replaces the generated part of "## Peers (issue 6)" in docs/benchmarks.md (or appends the
# section with it); the prose around the markers is kept.
update_doc() {
  local doc="$repo/docs/benchmarks.md"
  python3 - "$doc" "$tmp/section.md" <<'PY'
import re, sys
doc_path, section_path = sys.argv[1], sys.argv[2]
doc = open(doc_path, encoding="utf-8").read()
generated = open(section_path, encoding="utf-8").read().rstrip("\n") + "\n"
pattern = re.compile(r"<!-- run-peers\.sh: begin.*?<!-- run-peers\.sh: end -->\n?", re.S)
if pattern.search(doc):
    doc = pattern.sub(lambda _: generated, doc, count=1)
else:
    doc = doc.rstrip("\n") + "\n\n## Peers (issue 6)\n\n```sh\nbenchmarks/run-peers.sh --quick   # under 5 minutes\nbenchmarks/run-peers.sh           # about 11 minutes\n```\n\n" + generated
open(doc_path, "w", encoding="utf-8").write(doc)
PY
  log "updated the \"Peers (issue 6)\" section of docs/benchmarks.md"
}

peers_main() {
  peers_args "$@"
  peers_tools
  peers_build
  trap peers_cleanup EXIT
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/crm-peers.XXXXXX")"
  chmod 755 "$tmp"
  duration="$wrk_seconds"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

  measure_fsync
  pg_start
  measure_commands
  measure_mix
  measure_rebuild
  pg_stop
  measure_reads
  load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

  section >"$tmp/section.md"
  cat "$tmp/section.md"
  if [ "$write_doc" = 1 ]; then update_doc; fi
}

peers_main "$@"
