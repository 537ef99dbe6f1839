#!/usr/bin/env bash
# Installs the Debian packages the project needs, and only those that are missing.
# Idempotent: on a machine that has everything it runs no apt-get at all.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  lld                     # a faster linker for the ~40 binaries (CMakeLists.txt)
  librocksdb-dev          # the log and the stored views
  libcapnp-dev capnproto  # the event encoding
  libboost-dev libboost-system-dev  # the HTTP server (Asio/Beast)
  nlohmann-json3-dev      # the API's JSON
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev              # SHA-256 for the hash chain and token hashes
  libicu-dev              # NFKC normalisation of customer names
  libjemalloc-dev         # crm-server's allocator
  libhowardhinnant-date-dev tzdata  # company time zone for working days
  libpq-dev libsqlite3-dev  # benchmarks/peers: PostgreSQL and SQLite beside our log (issue 6)
  curl                    # run.sh waits for the server with it, and its examples use it
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
