#!/usr/bin/env bash
# Installs everything nnfpga needs to build, test and run its example on a fresh Debian machine
# (run as root). Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  g++ cmake make git python3 python3-pip
  libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libpugixml-dev libhdf5-dev libzip-dev
  clang clang-format libclang-rt-14-dev
  verilator yosys
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q -r requirements-dev.txt
