#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test twice: once optimised, once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh

for flavour in release asan; do
  echo "==> building ($flavour)"
  scripts/build.sh "$flavour"
  echo "==> testing ($flavour)"
  ctest --test-dir "build/$flavour" --output-on-failure -j "$(nproc)" --timeout 600
done
echo "==> all tests passed (release and asan)"
