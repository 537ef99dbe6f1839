#!/usr/bin/env bash
# Configures and builds one flavour of the project into build/<flavour>.
#   scripts/build.sh release   optimised, warnings are errors (what run.sh and benchmarks use)
#   scripts/build.sh asan      AddressSanitizer + UndefinedBehaviorSanitizer, for the second test run
#   scripts/build.sh release crm-server crm-replay   only these targets (run.sh's quick start)
set -euo pipefail
cd "$(dirname "$0")/.."

flavour="${1:-release}"
case "$flavour" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DCRM_SANITIZE=address,undefined -DCRM_TEST_EACH_CASE=OFF) ;;
  *) echo "usage: scripts/build.sh release|asan" >&2; exit 2 ;;
esac

cmake -S . -B "build/$flavour" -DCRM_WERROR=ON "${flags[@]}" >/dev/null
shift || true
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "build/$flavour" -j "$(nproc)" "${targets[@]}"
