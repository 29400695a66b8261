#!/usr/bin/env bash
# The CMVM optimizer benchmark (one command): builds only cmvm_bench (Release), prints its
# figures against the CSD baseline, then, when da4ml is installed, the comparison with da4ml's
# solver on the same matrices.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target cmvm_bench -j"$(nproc)" >/dev/null
build/bench/cmvm_bench
if python3 -c "import da4ml" 2>/dev/null; then
  echo
  python3 bench/cmvm_vs_da4ml.py build/bench/cmvm_bench
fi
