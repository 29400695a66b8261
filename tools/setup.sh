#!/usr/bin/env bash
# Installs what nnfpga needs on a fresh Debian machine (run as root). Idempotent: a second run
# installs nothing new.
#   tools/setup.sh            everything: building, the whole test suite, the Python package
#   tools/setup.sh --example  only what building the CLI and running the bundled example need
#                             (the C++ libraries, and hls4ml for AMD's ap_types headers)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
case "$mode" in
  all | --example) ;;
  *) echo "usage: tools/setup.sh [--example]" >&2; exit 1 ;;
esac

# Building the CLI and the library. ccache lets later builds of the same sources (the Python
# wheel after the CLI, a second build directory) reuse what was compiled.
apt_packages=(
  g++ cmake make ccache python3 python3-pip
  libonnx-dev libprotobuf-dev protobuf-compiler
  libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libpugixml-dev libhdf5-dev libzip-dev libssl-dev
)
# The test suite: GoogleTest, clang for the fuzzers, clang-format, Verilator and Yosys, and tclsh
# (tcl) for the deployment folders' Vivado Tcl, run against recording stubs.
if [[ "$mode" == all ]]; then
  apt_packages+=(git libgtest-dev libgmock-dev clang clang-format libclang-rt-14-dev verilator yosys
    tcl)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "apt-get install: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ "$mode" == all ]]; then
  python3 -m pip install -q -r requirements-dev.txt
else
  # AMD's ap_types headers ship inside hls4ml: csim compares with them too. The version is the
  # one requirements-dev.txt pins.
  python3 -m pip install -q "$(grep -E '^hls4ml==' requirements-dev.txt)"
fi
