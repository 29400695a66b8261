#!/usr/bin/env bash
# Runs every benchmark (one command): builds Release and the Python package if needed, then
# prints the figures: the emulator's throughput (C++), the CMVM optimizer against the CSD
# baseline and da4ml, the Python API against the CLI, and the Verilog backend against da4ml
# (needs yosys and da4ml; tens of minutes: two Yosys runs per width).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
build/bench/emulator_bench "$@"
echo
build/bench/cmvm_bench
if python3 -c "import da4ml" 2>/dev/null; then
  echo
  python3 bench/cmvm_vs_da4ml.py build/bench/cmvm_bench
fi
echo
bash tools/install_python.sh >/dev/null
NNFPGA_BIN="$PWD/build/nnfpga" python3 bench/python_api.py
echo
NNFPGA_BIN="$PWD/build/nnfpga" python3 bench/verilog_vs_da4ml.py
