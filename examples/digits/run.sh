#!/usr/bin/env bash
# The bundled example, from a fresh Debian machine (as root): installs only what it needs, builds
# only the nnfpga command, converts the digits MLP (trained by train.py beside this file) and
# emulates the test split, printing float accuracy, fixed-point accuracy and the per-layer
# overflow counts; then writes its HLS project (with the latency and resource estimate) to
# build/digits_prj and checks the project's C simulation against the emulator, bit for bit, with
# g++. Extra arguments go to `nnfpga evaluate`.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
step() { printf '\n=== [%d s] %s ===\n' "$((SECONDS - start))" "$*"; }

step "1/4 installing the C++ build dependencies (apt) and AMD's ap_types headers (pip install hls4ml)"
bash tools/setup.sh --example
step "2/4 building the nnfpga command into build/ (the tests are built by tools/run_tests.sh)"
bash tools/build.sh
step "3/4 the digits MLP: float vs fixed-point accuracy on the test split, and overflows"
build/nnfpga evaluate examples/digits/digits_mlp.onnx \
  -c examples/digits/config.yml \
  -i examples/digits/test_x.npy -l examples/digits/test_y.npy "$@"
step "4/4 its HLS project (build/digits_prj) and its C simulation against the emulator"
build/nnfpga convert examples/digits/digits_mlp.onnx -c examples/digits/config.yml \
  -o build/digits_prj --top digits_mlp
build/nnfpga csim build/digits_prj -n 2000
printf '\ndone in %d s\n' "$((SECONDS - start))"
