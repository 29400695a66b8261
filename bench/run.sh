#!/usr/bin/env bash
# Runs every benchmark (one command): builds Release and the Python package if needed, then
# prints the figures: the emulator's throughput (C++) on the MLP and on the CNN, the CNN against
# hls4ml's C simulation (needs hls4ml; a few minutes, most of it g++ compiling hls4ml's
# project), the HLS project writing and C simulation against hls4ml's (needs hls4ml; tens of
# minutes on a loaded machine: both sides compile the CNN's C simulation), the CMVM optimizer
# against the CSD baseline and da4ml, the Python API against the CLI, and the Verilog backend
# against da4ml (needs yosys and da4ml; tens of minutes: two Yosys runs per width).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh -DNNFPGA_BENCH=ON
cmake --build build -j"$(nproc)" --target emulator_bench cmvm_bench cnn_bench stream_plan_bench
build/bench/emulator_bench "$@"
echo
build/bench/cnn_bench
echo
build/bench/stream_plan_bench
if KERAS_BACKEND=torch python3 -c "import hls4ml, keras" 2>/dev/null; then
  echo
  NNFPGA_BIN="$PWD/build/nnfpga" python3 bench/cnn_vs_hls4ml.py
  echo
  NNFPGA_BIN="$PWD/build/nnfpga" python3 bench/hls_project_bench.py
fi
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
