#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine (as root): installs what it needs, then runs
# the C++ tests (Release, then again under AddressSanitizer and UndefinedBehaviorSanitizer, the
# ap_types differential test included), a short fuzzing run of the readers over their seed
# corpus, then builds and installs the Python package and runs the Python tests: its API, the
# example notebook, and the interoperability tests against the real frameworks.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# The compiler by the name pip's build of the Python package gives it (tools/build.sh says why).
export CXX=${CXX:-g++}

# Each stage's wall time, printed together at the end (and on failure), so that a slow stage
# shows before CI's time limit does.
stage_names=()
stage_seconds=()
stage_start=$SECONDS
current=""
finish_stage() {
  if [[ -n "$current" ]]; then
    stage_names+=("$current")
    stage_seconds+=($((SECONDS - stage_start)))
  fi
}
print_times() {
  finish_stage
  current=""
  printf '\n=== stage times ===\n'
  for i in "${!stage_names[@]}"; do
    printf '%6d s  %s\n' "${stage_seconds[$i]}" "${stage_names[$i]}"
  done
  printf '%6d s  total\n' "$SECONDS"
}
trap print_times EXIT
step() {
  finish_stage
  current="$*"
  stage_start=$SECONDS
  printf '\n=== %s ===\n' "$*"
}

step "installing dependencies"
bash tools/setup.sh

step "Release build and unit tests"
# The core as a unity build here (the Python wheel's build is one too, so ccache gives it these
# objects); each file on its own in the sanitizer build, which catches a missing include.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNNFPGA_TESTS=ON -DNNFPGA_BENCH=ON \
  -DNNFPGA_UNITY_BUILD=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

step "ASan + UBSan build and unit tests"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DNNFPGA_SANITIZE=ON -DNNFPGA_TESTS=ON \
  -DNNFPGA_BENCH=OFF -DNNFPGA_UNITY_BUILD=OFF >/dev/null
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
