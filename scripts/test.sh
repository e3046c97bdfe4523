#!/usr/bin/env bash
# Installs, builds and runs every test (unit, end-to-end on the embedded broker,
# and process tests with kcat).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure --timeout 300
