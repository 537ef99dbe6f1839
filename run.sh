#!/usr/bin/env bash
# Installs what is missing, builds, and (once issue 5 lands) starts crm-server on ./data.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
echo "==> building (release)"
scripts/build.sh release

bin="$PWD/build/release/bin"
cat <<MSG

Built: $bin/crm-server, $bin/crm-replay

The HTTP server (crm-server) is not implemented yet: it arrives with issue 5, and this script
will then start it on ./data with demo data. What works today is the event log underneath:
  $bin/crm-replay verify --data DIR     walk a log's hash chain and stream index
  ./test.sh                             run every test (release and sanitizer builds)
  $bin/append_benchmark                 durable append throughput vs raw RocksDB
MSG
