#!/usr/bin/env bash
# wrk benchmarks of crm-server over HTTP (issue 5 "Benchmark"), each figure beside a peer
# measured in the same run (docs/benchmarks.md, "HTTP API (wrk)").
#
#   benchmarks/http/run-wrk.sh [--quick] [--build DIR | --server BIN] [--duration SECONDS]
#
#   --quick           5 s per scenario instead of 20 s (under 2 minutes in all, 4 without)
#   --build DIR       a CMake build directory to build crm-server in and run it from
#                     (default: build/release through scripts/build.sh)
#   --server BIN      run this crm-server binary as it is, without building
#   --duration S      seconds per scenario (overrides --quick)
#
# What it does: measures the data disk's fdatasync rate with fio in a fresh temp dir, starts
# crm-server there on 127.0.0.1 (any free port) with a demo company (--demo), prepares
# (customer, holder's token) pairs from every salesperson's GET /v1/ownership (after each claims
# a few pool customers), runs the wrk scenarios (64 connections, 2 wrk threads), stops the
# server with SIGTERM (it must exit 0), removes the temp dir and prints a Markdown table.
# Installs wrk, fio, jq and curl with apt-get when missing (needs root; else says what to run).
#
# Environment: CONNECTIONS (64), WRK_THREADS (2), CLAIMS_PER_USER (8), TMPDIR (where the temp
# dir goes: it is the disk under test).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

duration=20
build_dir=""
server_bin=""
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
claims_per_user="${CLAIMS_PER_USER:-8}"

tmp=""
server_pid=""
server_log=""
base=""
admin_token=""

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

parse_args() {
  local explicit_duration=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) duration=5 ;;
      --build) build_dir="${2:?--build needs a directory}"; shift ;;
      --server) server_bin="${2:?--server needs a path}"; shift ;;
      --duration) explicit_duration="${2:?--duration needs seconds}"; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "run-wrk.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
  done
  if [ -n "$explicit_duration" ]; then duration="$explicit_duration"; fi
}

log() { echo "==> $*" >&2; }

# --- tools -----------------------------------------------------------------------------------

ensure_tools() {
  local missing=()
  local tool
  for tool in wrk fio jq curl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "run-wrk.sh: missing ${missing[*]}; install them as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "installing ${missing[*]} (Debian packages)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

build_server() {
  if [ -n "$server_bin" ]; then
    server_bin="$(cd "$(dirname "$server_bin")" && pwd)/$(basename "$server_bin")"
    [ -x "$server_bin" ] || { echo "run-wrk.sh: $server_bin is not executable" >&2; exit 1; }
    return 0
  fi
  if [ -z "$build_dir" ]; then
    log "building crm-server (scripts/build.sh release crm-server)"
    "$repo/scripts/build.sh" release crm-server >&2
    build_dir="$repo/build/release"
  else
    build_dir="$(mkdir -p "$build_dir" && cd "$build_dir" && pwd)"
    if [ ! -f "$build_dir/CMakeCache.txt" ]; then
      cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    log "building crm-server in $build_dir"
    cmake --build "$build_dir" -j "$(nproc)" --target crm-server >&2
  fi
  server_bin="$build_dir/bin/crm-server"
  [ -x "$server_bin" ] || { echo "run-wrk.sh: no $server_bin after the build" >&2; exit 1; }
}

# --- the server ------------------------------------------------------------------------------

# Stops the server (if still running) and removes the temp dir; runs on every exit.
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ $status -ne 0 ] && [ -n "$server_log" ] && [ -f "$server_log" ]; then
    echo "run-wrk.sh: failed; the end of the server's log:" >&2
    grep -v '"event":"request"' "$server_log" | tail -n 10 >&2 || true
  fi
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
  exit $status
}

start_server() {
  admin_token="bench-admin-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  server_log="$tmp/crm-server.log"
  log "starting crm-server --demo on 127.0.0.1 (data and log in $tmp)"
  # stderr carries one JSON line per request: it goes to a file on the same disk, as it would
  # in production.
  "$server_bin" --data "$tmp/data" --listen 127.0.0.1:0 --admin-token "$admin_token" --demo \
    >"$server_log" 2>&1 &
  server_pid=$!
  local port=""
  for _ in $(seq 1 240); do
    kill -0 "$server_pid" 2>/dev/null || { echo "run-wrk.sh: crm-server exited at start" >&2; exit 1; }
    port="$(grep -o '"event":"listening".*"port":[0-9]*' "$server_log" 2>/dev/null |
            grep -o '"port":[0-9]*' | head -n 1 | cut -d: -f2 || true)"
    if [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1; then
      base="http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.5
  done
  echo "run-wrk.sh: crm-server did not answer GET /v1/health within 120 s" >&2
  exit 1
}

# SIGTERM, then the exit status must be 0 (graceful shutdown: drain, flush, exit 0).
stop_server() {
  log "stopping crm-server with SIGTERM"
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=""
  server_exit="$rc"
  # The lifecycle lines of the log (everything but the per-request lines), counted by event.
  server_events="$(grep -o '"event":"[a-z_]*"' "$server_log" | grep -v '"event":"request"' |
                   cut -d'"' -f4 | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $1, $2; sep = ", " }')"
  if [ "$rc" -ne 0 ]; then
    echo "run-wrk.sh: crm-server exited $rc after SIGTERM (expected 0)" >&2
  fi
}

api() { # api TOKEN METHOD PATH [BODY]
  local token="$1" method="$2" path="$3" body="${4:-}"
  if [ -n "$body" ]; then
    curl -sS -X "$method" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "$body" "$base$path"
  else
    curl -sS -X "$method" -H "Authorization: Bearer $token" "$base$path"
  fi
}

metrics_snapshot() { api "$admin_token" GET /metrics >"$1"; }

# metric_delta BEFORE AFTER NAME_WITH_LABELS: the growth of one counter between two snapshots.
metric_delta() {
  awk -v name="$3" 'FNR == 1 { file++ } $1 == name { value[file] = $2 }
                    END { printf "%.0f\n", value[2] - value[1] }' "$1" "$2"
}

# non_2xx BEFORE AFTER ROUTE: "status×count" of every non-2xx answer on ROUTE, or "none".
non_2xx() {
  awk -v route="$3" '
    FNR == 1 { file++ }
    index($1, "crm_http_requests_total{route=\"" route "\",") == 1 {
      match($1, /status="[0-9]+"/); status = substr($1, RSTART + 8, 3)
      if (status !~ /^2/) count[status, file] = $2; seen[status] = 1
    }
    END {
      out = ""
      for (s in seen) { d = count[s, 2] - count[s, 1]; if (d > 0) out = out (out ? ", " : "") d "×" s }
      print (out ? out : "none")
    }' "$1" "$2"
}

# --- preparation -----------------------------------------------------------------------------

# Active salespeople of the demo (id, token), from DATA/demo-users.txt.
sales_users() {
  awk -F'\t' '!/^#/ && $2 == "sales" && $6 == "" { print $1 "\t" $5 }' "$tmp/data/demo-users.txt"
}

# Each salesperson claims (protects) up to CLAIMS_PER_USER pool customers, round robin, so the
# commands spread over more customers; refusals (cooldown, quota) are skipped.
claim_from_pool() {
  local users=() tokens=() claimed=() id token
  while IFS=$'\t' read -r id token; do users+=("$id"); tokens+=("$token"); claimed+=(0); done \
    < <(sales_users)
  local pool_ids
  pool_ids="$(api "${tokens[0]}" GET '/v1/pool?limit=1000' | jq -r '.items[].id')"
  local i=0 total=0 tries customer code
  for customer in $pool_ids; do
    for tries in $(seq 1 ${#users[@]}); do
      i=$(( (i + 1) % ${#users[@]} ))
      [ "${claimed[$i]}" -lt "$claims_per_user" ] || continue
      code="$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer ${tokens[$i]}" \
              -H 'Content-Type: application/json' -d '{}' "$base/v1/customers/$customer/protect")"
      if [ "${code:0:1}" = 2 ]; then claimed[$i]=$(( claimed[i] + 1 )); total=$((total + 1)); break; fi
    done
  done
  log "claimed $total pool customers"
}

# Writes "customer<TAB>token" lines: every customer each salesperson holds, read with their own
# token, interleaved so that consecutive lines belong to different salespeople.
prepare_pairs() {
  local rank=0 id token
  while IFS=$'\t' read -r id token; do
    api "$token" GET "/v1/ownership?userId=$id&limit=1000" |
      jq -r --arg token "$token" --argjson rank "$rank" \
        '.items | to_entries[] | "\(.key)\t\($rank)\t\(.value.id)\t\($token)"'
    rank=$((rank + 1))
  done < <(sales_users) | sort -t$'\t' -k1,1n -k2,2n | cut -f3,4 >"$tmp/pairs.tsv"
  pair_count="$(wc -l <"$tmp/pairs.tsv")"
  holder_count="$(cut -f2 "$tmp/pairs.tsv" | sort -u | wc -l)"
  log "$pair_count customers held by $holder_count salespeople"
  [ "$pair_count" -gt 0 ] || { echo "run-wrk.sh: no customer held by any salesperson" >&2; exit 1; }
}

# Sizes of what the reads answer: items and bytes of the pool page, mean bytes of a 360.
measure_bodies() {
  local page
  page="$(api "$1" GET '/v1/pool?limit=50')"
  pool_items="$(echo "$page" | jq '.items | length')"
  pool_bytes="$(printf '%s' "$page" | wc -c)"
  c360_bytes="$(while IFS=$'\t' read -r id token; do
                  curl -sS -o /dev/null -w '%{size_download}\n' -H "Authorization: Bearer $token" \
                    "$base/v1/customers/$id"
                done <"$tmp/pairs.tsv" | awk '{ sum += $1 } END { printf "%.0f", sum / NR }')"
}

# --- measurements ----------------------------------------------------------------------------

# The peer for commands: fdatasync'ed 4 KiB writes on the disk that holds the data dir.
measure_fsync() {
  log "fio: 4 KiB writes + fdatasync for ${duration} s in $tmp"
  mkdir -p "$tmp/fio"
  fio --name=fsync --directory="$tmp/fio" --rw=write --bs=4k --size=64m --fdatasync=1 \
      --runtime="$duration" --time_based --output-format=json >"$tmp/fio.json"
  fsync_iops="$(jq '.jobs[0].write.iops' "$tmp/fio.json")"
  fsync_p50_us="$(jq '.jobs[0].sync.lat_ns.percentile["50.000000"] / 1000' "$tmp/fio.json")"
  fsync_p99_us="$(jq '.jobs[0].sync.lat_ns.percentile["99.000000"] / 1000' "$tmp/fio.json")"
  rm -rf "$tmp/fio"
}

# run_wrk NAME ROUTE SCRIPT PATH [SCRIPT ARGS...]: one scenario; sets result_NAME fields.
run_wrk() {
  local name="$1" route="$2" script="$3" path="$4"
  shift 4
  log "wrk $name: $path, $connections connections, ${duration} s"
  metrics_snapshot "$tmp/metrics-before"
  wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$here/$script" \
      "$base$path" -- "$@" >"$tmp/wrk-$name.txt" 2>&1
  metrics_snapshot "$tmp/metrics-after"
  local line
  line="$(grep '^WRK_RESULT ' "$tmp/wrk-$name.txt")" || {
    echo "run-wrk.sh: wrk $name printed no result:" >&2; cat "$tmp/wrk-$name.txt" >&2; exit 1; }
  field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
  eval "rps_$name=$(field rps) p50_$name=$(field p50_us) p99_$name=$(field p99_us)"
  eval "requests_$name=$(field requests) status_$name=$(field status) socket_$name=$(field socket)"
  eval "seconds_$name=$(field seconds)"
  eval "codes_$name=\"$(non_2xx "$tmp/metrics-before" "$tmp/metrics-after" "$route")\""
  if [ "$name" = followups ]; then
    appended_events="$(metric_delta "$tmp/metrics-before" "$tmp/metrics-after" crm_log_appended_events_total)"
    fsync_batches="$(metric_delta "$tmp/metrics-before" "$tmp/metrics-after" crm_log_fsync_batches_total)"
  fi
  sed -n '1,/^WRK_RESULT/p' "$tmp/wrk-$name.txt" | grep -v '^WRK_RESULT' >&2
}

# --- the report ------------------------------------------------------------------------------

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
int() { # 12345.6 -> 12,346
  awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); r = ""
                         while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
                         print s r }'
}

errors_cell() { # errors_cell NAME: wrk's 4xx/5xx and socket errors, with the server's codes
  local status socket codes
  status="$(eval echo "\$status_$1")"; socket="$(eval echo "\$socket_$1")"
  codes="$(eval echo "\$codes_$1")"
  if [ "$status" = 0 ] && [ "$socket" = 0 ]; then echo "0"; return; fi
  echo "$status non-2xx ($codes), $socket socket"
}

row() { # row LABEL NAME PEER_CELL
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(int "$(eval echo "\$rps_$2")")" \
    "$(ms "$(eval echo "\$p50_$2")")" "$(ms "$(eval echo "\$p99_$2")")" "$(errors_cell "$2")" "$3"
}

print_report() {
  local cpu disk
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  disk="$(df -P "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $1 }')"
  cat <<EOF

### crm-server over HTTP, wrk $connections connections / $wrk_threads threads, ${duration} s per scenario

Machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), data dir on $disk; wrk and crm-server share the cores.
Load average (1/5/15 min) before: $load_before, after: $load_after.
$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1,2); $(fio --version); server: $server_bin (--demo).
Pool page: $pool_items items, $(int "$pool_bytes") bytes; customer 360: $(int "$c360_bytes") bytes on average over the $read_pair_count customers the salespeople hold; follow-ups over $pair_count customers held by $holder_count salespeople (after each claimed up to $claims_per_user from the pool).

| scenario | requests/s | p50 ms | p99 ms | errors | peer in the same run |
|---|---:|---:|---:|---|---|
$(row "GET /v1/health (peer: transport floor, no auth, no view)" health "—")
$(row "GET /v1/pool?limit=50 (sales token)" pool "**$(ratio "$rps_pool" "$rps_health")×** health")
$(row "GET /v1/customers/{id} (360, $read_pair_count ids, holder's token)" c360 "**$(ratio "$rps_c360" "$rps_health")×** health")
$(row "POST /v1/customers/{id}/followups (durable, $pair_count customers)" followups "**$(ratio "$rps_followups" "$fsync_iops")×** fio fsyncs/s")
| fio 4 KiB write + fdatasync, 1 job (peer: the disk's sync rate) | $(int "$fsync_iops") | $(ms "$fsync_p50_us") | $(ms "$fsync_p99_us") | — | — |

Group commit during the follow-ups (server metrics): $(int "$appended_events") events in $(int "$fsync_batches") fsync batches = $(ratio "$appended_events" "$fsync_batches") events per fsync; $(int "$(ratio "$fsync_batches" "$seconds_followups")") fsync batches/s = $(ratio "$(ratio "$fsync_batches" "$seconds_followups")" "$fsync_iops")× fio's fsyncs/s.
crm-server exit status after SIGTERM: $server_exit; its log's lifecycle lines: $server_events.
EOF
}

main() {
  parse_args "$@"
  ensure_tools
  build_server
  trap cleanup EXIT
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/crm-wrk.XXXXXX")"

  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  measure_fsync
  start_server
  local sales_token
  sales_token="$(sales_users | head -n 1 | cut -f2)"

  # Reads first, on the demo as loaded: the claims would shrink the pool page, and the
  # follow-ups would grow every 360 read after them.
  prepare_pairs
  measure_bodies "$sales_token"
  run_wrk health /v1/health get.lua /v1/health
  run_wrk pool /v1/pool get.lua '/v1/pool?limit=50' "$sales_token"
  run_wrk c360 '/v1/customers/{id}' customer360.lua /v1/customers "$tmp/pairs.tsv"
  read_pair_count="$pair_count"

  claim_from_pool
  prepare_pairs
  run_wrk followups '/v1/customers/{id}/followups' followups.lua /v1/customers "$tmp/pairs.tsv"
  load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

  stop_server
  print_report
  [ "$server_exit" -eq 0 ]
}

main "$@"
