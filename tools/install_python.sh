#!/usr/bin/env bash
# Builds the Python package (the C++ core as the extension nnfpga._core, plus python/nnfpga) into
# a wheel in build/wheel/ and installs it for python3. Run tools/setup.sh first.
#
# The build runs without pip's build isolation, against the scikit-build-core and nanobind that
# requirements-dev.txt installs, in build/wheel-build/ kept between runs, so that a second run
# recompiles only what changed. A user's plain `pip install .` works too; it builds from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build/wheel
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" python3 -m pip wheel -q --no-build-isolation --no-deps . \
  -w build/wheel -C build-dir=build/wheel-build
python3 -m pip install -q --force-reinstall --no-deps build/wheel/nnfpga-*.whl
python3 -c 'import nnfpga; print("nnfpga", nnfpga.__version__, "installed from build/wheel")'
