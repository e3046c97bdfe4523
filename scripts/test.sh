#!/usr/bin/env bash
# Installs, builds and runs every test (unit, end-to-end on the embedded broker,
# and process tests with kcat), then the JIT, expression and SQL tests again
# under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest --output-on-failure --timeout 300)
bash scripts/test-sanitize.sh
