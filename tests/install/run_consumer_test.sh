#!/usr/bin/env bash
# Installs a built tree with `cmake --install` into a scratch prefix, builds the consumer project
# (tests/install/consumer/) against it with find_package(nnfpga), and runs it on a model: what a
# C++ user of nnfpga does. Usage: run_consumer_test.sh BUILD_DIR MODEL
set -euo pipefail
build=$1
model=$2
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/nnfpga_install_XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
# The installed tree stands alone: public headers only, no src/ internals.
if grep -rhoE '#include "[a-z_]+/[a-z_./]+"' "$scratch/prefix/include" | grep -v '"nnfpga/'; then
  echo "an installed header includes something that is not installed" >&2
  exit 1
fi
test -x "$scratch/prefix/bin/nnfpga"
cmake -S "$here/consumer" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/build" >/dev/null
"$scratch/build/consumer" "$model" "$scratch/work"
