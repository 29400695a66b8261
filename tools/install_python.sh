#!/usr/bin/env bash
# Builds the Python package (the C++ core as the extension nnfpga._core, plus python/nnfpga) into
# a wheel in build/wheel/ and installs it for python3. Run tools/setup.sh first.
#
# The build runs without pip's build isolation, against the scikit-build-core and nanobind that
# requirements-dev.txt installs, in build-python/ kept between runs (as a plain `pip install .` does), so that a second run
# recompiles only what changed; with ccache (tools/setup.sh installs it) a first run reuses what
# the CLI's build compiled. The build's progress is shown ([12/41] Building ..., and
# scikit-build-core's *** steps); the whole log
# is in build/wheel-build.log, and printed in full when the build fails. A user's plain
# `pip install .` works too (`pip install -v .` shows the same progress).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build/wheel
mkdir -p build
log=build/wheel-build.log
echo "building the wheel (log: $log)"
: >"$log"
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" python3 -m pip wheel -v --no-build-isolation --no-deps . \
  -w build/wheel -C build-dir=build-python >"$log" 2>&1 </dev/null &
builder=$!
# Progress while pip runs: the build's percentage lines as they come.
tail -n +1 -f "$log" --pid="$builder" | grep --line-buffered -E '^\s*\[( *[0-9]+%|[0-9]+/[0-9]+)\]|^\s*\*\*\*' || true
if ! wait "$builder"; then
  cat "$log" >&2
  echo "the wheel build failed; its log is $log" >&2
  exit 1
fi
python3 -m pip install -q --force-reinstall --no-deps build/wheel/nnfpga-*.whl
python3 -c 'import nnfpga; print("nnfpga", nnfpga.__version__, "installed from build/wheel")'
