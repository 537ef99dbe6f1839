#!/usr/bin/env bash
# Installs what is missing, builds crm-server and crm-replay, and starts the server on ./data.
# The first start loads a demo company (three sales teams, a few hundred customers with 90 days
# of history) through the real commands; later starts serve what ./data holds.
#
#   CRM_LISTEN=127.0.0.1:8080   where to listen
#   CRM_DATA=./data             the data directory
# Stop with Ctrl-C: the server finishes the requests in flight and exits.
set -euo pipefail
cd "$(dirname "$0")"

listen="${CRM_LISTEN:-127.0.0.1:8080}"
data="${CRM_DATA:-./data}"
base="http://$listen"
bin="$PWD/build/release/bin"

scripts/install-deps.sh
echo "==> building crm-server and crm-replay (release)"
scripts/build.sh release crm-server crm-replay

# The first admin's token: made once, kept beside the data (only its hash is in the log).
first_start=false
if [ ! -e "$data/CURRENT" ]; then
  first_start=true
  mkdir -p "$data"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/admin-/' >"$data/admin-token.txt"
  chmod 600 "$data/admin-token.txt"
fi
if [ ! -s "$data/admin-token.txt" ]; then
  echo "run.sh: $data holds a log but no admin-token.txt; start $bin/crm-server yourself" >&2
  exit 1
fi
admin_token="$(cat "$data/admin-token.txt")"

echo "==> starting crm-server on $base (log: $data/crm-server.log)"
"$bin/crm-server" --data "$data" --listen "$listen" --admin-token "$admin_token" --demo \
  2>>"$data/crm-server.log" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' INT TERM

# Bounded wait: the first start writes the demo company (a few seconds of fsyncs).
for _ in $(seq 1 120); do
  if curl -fsS "$base/v1/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run.sh: crm-server stopped; the end of $data/crm-server.log says why:" >&2
    tail -n 5 "$data/crm-server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$base/v1/health" >/dev/null

# A demo user's token by role (the first of that role), from the file the first start wrote.
token_of() {
  awk -F'\t' -v role="$1" '!/^#/ && $2 == role && $6 == "" { print $5; exit }' "$data/demo-users.txt" 2>/dev/null
}
user_of() {
  awk -F'\t' -v role="$1" '!/^#/ && $2 == role && $6 == "" { print $1 " (" $4 ", " $3 ")"; exit }' \
    "$data/demo-users.txt" 2>/dev/null
}
sales="$(token_of sales)"
manager="$(token_of manager)"

cat <<MSG

crm-server is serving $base, data in $data ($([ "$first_start" = true ] && echo "demo company just loaded" || echo "as you left it")).
  admin token        $admin_token   ($data/admin-token.txt)
  demo users         $data/demo-users.txt   (id, role, team, name, token)
  server log         $data/crm-server.log   (one JSON line per request)
  API                README.md "API", docs/openapi.yaml

Try, as salesperson $(user_of sales) and manager $(user_of manager):
  curl -s -H "Authorization: Bearer $sales" "$base/v1/pool?limit=5"
  curl -s -G -H "Authorization: Bearer $sales" "$base/v1/search" --data-urlencode "q=科技"
  curl -s -H "Authorization: Bearer $manager" "$base/v1/analytics/funnel"

Compliance tool (stop the server for rebuild/backup/restore): $bin/crm-replay --help
Ctrl-C stops the server.
MSG
wait "$server"
