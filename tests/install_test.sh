#!/usr/bin/env bash
# Installs the fsql build in $1 to a temporary prefix, then configures, builds
# and runs the outside project in $2 against it with the C++ compiler $3.
# Fails when find_package(fsql) or the build fails, when a public header
# includes an internal one, or when the rule's output is not the expected row.
set -euo pipefail
build_dir=$1
project_dir=$2
compiler=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >"$work/install.log"

# The public headers must compile with nothing but the install prefix on the include path.
for header in "$work"/prefix/include/fsql/*.h; do
  echo "#include <fsql/$(basename "$header")>" | "$compiler" -std=c++20 -fsyntax-only -I"$work/prefix/include" -x c++ -
done
if grep -rn '#include "' "$work/prefix/include/fsql"; then
  echo "a public header includes a project header" >&2
  exit 1
fi

cmake -S "$project_dir" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log"
cmake --build "$work/build" >"$work/build.log"
output=$("$work/build/outside")
expected='{"sensor":"s2","fahrenheit":104}'
if [[ "$output" != "$expected" ]]; then
  echo "outside project printed '$output', expected '$expected'" >&2
  exit 1
fi
echo "outside project: $output"
