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
  # Line tables only (-g1): a sanitizer's report still names each frame's file and line, and
  # the build takes 453 s instead of 525 with full debug info (docs/benchmarks.md, "Build time").
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1
               -DCRM_SANITIZE=address,undefined -DCRM_TEST_EACH_CASE=OFF) ;;
  *) echo "usage: scripts/build.sh release|asan" >&2; exit 2 ;;
esac

cmake -S . -B "build/$flavour" -DCRM_WERROR=ON "${flags[@]}" >/dev/null
shift || true
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "build/$flavour" -j "$(nproc)" "${targets[@]}"
