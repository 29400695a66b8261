#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs them for SECONDS in all (default 60): the
# ONNX reader two thirds of it, the Keras reader's architecture side one third.
# Usage: tests/fuzz/run_fuzzers.sh [SECONDS] [BUILD_DIR]
# Findings land in BUILD_DIR/fuzz-artifacts/; the corpus grows in BUILD_DIR/fuzz-corpus/ (the
# checked-in seeds under tests/fuzz/corpus/ are only read).
set -euo pipefail
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${2:-$root/build-fuzz}

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DNNFPGA_FUZZ=ON -DNNFPGA_TESTS=OFF \
  -DNNFPGA_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_onnx_reader fuzz_keras_reader

mkdir -p "$build/fuzz-corpus/onnx" "$build/fuzz-corpus/keras" "$build/fuzz-artifacts"
# Protobuf's own death on bad UTF-8 or recursion is a log line, not a crash; leaks are checked.
"$build/tests/fuzz/fuzz_onnx_reader" "$build/fuzz-corpus/onnx" "$here/corpus/onnx" \
  -max_total_time="$((seconds * 2 / 3))" -max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
  -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1
"$build/tests/fuzz/fuzz_keras_reader" "$build/fuzz-corpus/keras" "$here/corpus/keras" \
  -max_total_time="$((seconds - seconds * 2 / 3))" -max_len=65536 -rss_limit_mb=2048 \
  -malloc_limit_mb=1024 -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1
