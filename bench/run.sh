#!/usr/bin/env bash
# Runs every benchmark (one command): builds Release if needed, then prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
build/bench/emulator_bench "$@"
