#!/usr/bin/env bash
# Runs every benchmark (one command): builds Release and the Python package if needed, then
# prints the figures: the emulator's throughput (C++), and the Python API against the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
build/bench/emulator_bench "$@"
echo
bash tools/install_python.sh >/dev/null
NNFPGA_BIN="$PWD/build/nnfpga" python3 bench/python_api.py
