#!/usr/bin/env bash
# Builds the code generation, expression and SQL tests with AddressSanitizer and
# UndefinedBehaviorSanitizer in build-sanitize/ and runs them. The packages
# come from scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFSQL_SANITIZE=ON >/dev/null
cmake --build build-sanitize --parallel "$(nproc)" --target codegen_test key_codegen_test aggregate_codegen_test sliced_window_test function_binding_test types_test sql_test_runner
# LLVM's JIT maps code the leak checker cannot attribute, and the process-wide
# compile cache lives until exit by design; leaks are not what this run checks.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1
for test in codegen_test key_codegen_test aggregate_codegen_test sliced_window_test function_binding_test types_test sql_test_runner; do
  echo "== $test (address, undefined)"
  build-sanitize/tests/$test --gtest_brief=1
done
