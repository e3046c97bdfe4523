#!/usr/bin/env bash
# Installs the Debian 12 packages fsql needs, then configures and builds it in
# build/. With target names as arguments (e.g. `fsql`) it builds only those,
# which saves the demo from building every test and benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ "$#" -gt 0 ]; then
  cmake --build build --parallel "$(nproc)" --target "$@"
else
  cmake --build build --parallel "$(nproc)"
fi
