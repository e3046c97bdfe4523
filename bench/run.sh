#!/usr/bin/env bash
# Runs the whole benchmark suite and prints its tables as Markdown. It runs
# every Nexmark query in memory and from a JSON-lines file, and the fraud
# rules with 10 thousand and 1 million accounts. It then runs the Kafka path
# through the embedded broker, and the DuckDB reference when bench/node_modules
# is installed (`npm ci --prefix bench`). Build first (README.md); then, from
# the repository root:
#
#   bash bench/run.sh               # about 12 minutes on 2 cores
#   EVENTS=200000 bash bench/run.sh # a quicker, noisier run
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -gt 0 ]]; then
  cat <<'USAGE'
usage: [EVENTS=N] [BUILD_DIR=DIR] bash bench/run.sh

Runs the whole benchmark suite (about 12 minutes on 2 cores with the default
1,000,000 events) and prints its tables as Markdown. It takes no arguments.
For a quick check that every query still plans and runs on tiny input, run
the smoke test instead: ctest --test-dir build -R nexmark
USAGE
  [[ "$1" == "--help" || "$1" == "-h" ]] && exit 0
  exit 2
fi

build=${BUILD_DIR:-build}
events=${EVENTS:-1000000}
driver="$build/bench/nexmark/nexmark_bench"
queries=bench/nexmark/queries
[[ -x "$driver" ]] || { echo "error: $driver not found; build first" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Queries in numeric order, without those fsql cannot plan yet.
runnable=()
for query in $(ls "$queries"/q*.sql | sort -V); do
  if grep -q '^-- expect-error:' "$query"; then
    echo "skipped $(basename "$query" .sql): $(sed -n 's/^-- expect-error: //p' "$query")"
  else
    runnable+=("$query")
  fi
done

echo
echo "## Nexmark in memory ($events events, compiled Calcs)"
echo
echo "| query | input | codegen | output rows | events/s per core | cores used | decode floor per core | fsql / floor | peak RSS | state |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for query in "${runnable[@]}"; do
  "$driver" run --query "$query" --events "$events"
done

echo
echo "## Nexmark from a JSON-lines file ($events events)"
echo
"$driver" generate --events "$events" --output "$work/events.jsonl"
echo "| query | input | codegen | output rows | events/s per core | cores used | decode floor per core | fsql / floor | peak RSS | state |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for query in "${runnable[@]}"; do
  "$driver" run --query "$query" --input "$work/events.jsonl"
done

echo
echo "## Fraud rules in memory"
echo
echo "| rule | accounts | codegen | input records | output rows | records/s per core | cores used | state |"
echo "|---|---|---|---|---|---|---|---|"
"$driver" fraud --accounts 10000 --transactions 200000 --spacing-ms 50
"$driver" fraud --accounts 1000000 --transactions 1000000 --spacing-ms 1

echo
echo "## Through the embedded Kafka broker"
echo
echo "| rule | path | input | records read | records written | per core | per second | cores used | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for q in q0 q1 q2; do
  "$driver" kafka --query "$queries/$q.sql" --events 1000000
done
"$driver" kafka --accounts 1000000 --events 1000000
echo
echo "| rule | path | input | outputs timed | p50 | p99 | max | cores used | writer lag |"
echo "|---|---|---|---|---|---|---|---|---|"
for rate in 10000 100000; do
  for q in q0 q1 q2; do
    "$driver" kafka --query "$queries/$q.sql" --rate "$rate" --duration 10
  done
  "$driver" kafka --accounts 1000000 --rate "$rate" --duration 10
done

if [[ -d bench/node_modules/@duckdb/node-api ]] && command -v node >/dev/null; then
  echo
  echo "## DuckDB batch reference (same $events events)"
  echo
  echo "| query | result rows | query CPU | events/s per core, query | events/s per core, load and query |"
  echo "|---|---|---|---|---|"
  node bench/duckdb_reference.mjs "$work/events.jsonl"
else
  echo
  echo "DuckDB reference skipped: run 'npm ci --prefix bench' to install @duckdb/node-api"
fi
