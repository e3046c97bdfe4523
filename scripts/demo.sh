#!/usr/bin/env bash
# Installs, builds and runs `fsql demo`: the embedded broker, the traffic
# generator and the fraud rules in rules/, for 30 seconds by default.
# Extra arguments go to `fsql demo`, e.g. `scripts/demo.sh --duration 60`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh fsql
exec ./build/cli/fsql demo "$@"
