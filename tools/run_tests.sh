#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine (as root): installs what it needs, then runs
# the C++ tests (Release, then again under AddressSanitizer and UndefinedBehaviorSanitizer, the
# ap_types differential test included), a short fuzzing run of the readers over their seed
# corpus, then builds and installs the Python package and runs the Python tests: its API, the
# example notebook, and the interoperability tests against the real frameworks.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

step() { printf '\n=== %s ===\n' "$*"; }

step "installing dependencies"
bash tools/setup.sh

step "Release build and unit tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

step "ASan + UBSan build and unit tests"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DNNFPGA_SANITIZE=ON -DNNFPGA_BENCH=OFF \
  >/dev/null
cmake --build build-sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs"

step "fuzzing the ONNX and Keras readers for 60 s from their seed corpora"
bash tests/fuzz/run_fuzzers.sh 60

step "Python package: wheel built and installed (tools/install_python.sh)"
bash tools/install_python.sh

step "Python tests: the installed package and the CLI against PyTorch, Keras and onnxruntime"
# From the repository root python/ is not on sys.path, so `import nnfpga` is the installed wheel.
NNFPGA_BIN="$PWD/build/nnfpga" MPLBACKEND=Agg python3 -m pytest -q tests/python
