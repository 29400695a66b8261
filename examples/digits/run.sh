#!/usr/bin/env bash
# The bundled example, from a fresh Debian machine (as root): installs what nnfpga needs, builds
# it, converts the digits MLP (trained by train.py beside this file) and emulates the test split,
# printing float accuracy, fixed-point accuracy and the per-layer overflow counts; then writes its
# HLS project (with the latency and resource estimate) to build/digits_prj and checks the
# project's C simulation against the emulator, bit for bit, with g++.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/setup.sh
bash tools/build.sh
build/nnfpga evaluate examples/digits/digits_mlp.onnx \
  -c examples/digits/config.yml \
  -i examples/digits/test_x.npy -l examples/digits/test_y.npy "$@"
build/nnfpga convert examples/digits/digits_mlp.onnx -c examples/digits/config.yml \
  -o build/digits_prj --top digits_mlp
build/nnfpga csim build/digits_prj -n 2000
