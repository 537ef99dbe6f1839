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
will then start it on ./data with demo data. What works today is the log, the rules and the
views underneath, and the compliance tool over a data directory:
  $bin/crm-replay --help                verify, rebuild, history, as-of, audit-report, what-if,
                                        export, backup, restore (docs/replay.md)
  ./test.sh                             run every test (release and sanitizer builds)
  $bin/append_benchmark                 durable append throughput vs raw RocksDB
MSG
