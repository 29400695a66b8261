#!/usr/bin/env bash
# Configures build/ (Release) and builds the command line tool build/nnfpga, and nothing else.
# Extra arguments go to cmake's configure step. A build directory configured here for the first
# time leaves the test suite and the benchmarks out (tools/run_tests.sh turns them on) and
# compiles the core as a unity build (CMakeLists.txt, NNFPGA_UNITY_BUILD); one configured before
# keeps its options, so `cmake --build build` still builds everything it had.
set -euo pipefail
cd "$(dirname "$0")/.."
# The compiler by the name pip's build of the Python package gives it, so that ccache, which
# tells compilers apart by name, hands that build these objects.
export CXX=${CXX:-g++}
first=()
if [[ ! -f build/CMakeCache.txt ]]; then first=(-DNNFPGA_TESTS=OFF -DNNFPGA_BENCH=OFF -DNNFPGA_UNITY_BUILD=ON); fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${first[@]}" "$@" >/dev/null
cmake --build build -j"$(nproc)" --target nnfpga
