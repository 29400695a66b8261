#!/usr/bin/env bash
# Regenerates tests/fixtures/keras2/ (Keras 2 HDF5 and QKeras fixtures) with the real frameworks.
#
# TensorFlow 2.15 is the last release whose tf.keras is Keras 2, and QKeras needs Keras 2, so
# this runs in its own virtual environment under build/ (git-ignored), made on first use:
#   tools/make_keras2_fixtures.sh            # creates build/venv-tf if needed, then generates
#   KERAS2_VENV=/elsewhere tools/make_keras2_fixtures.sh
# Idempotent: the pins are stamped into the venv, so a second run installs nothing, and the
# generator rewrites only files whose bytes changed.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${KERAS2_VENV:-build/venv-tf}"

# Exact versions that work together on Python 3.11. Why the extra pins:
#  - qkeras 0.9.0 (the last release) declares the unrelated package "pyparser" instead of
#    pyparsing, which it imports: pyparsing must be installed by hand.
#  - tensorflow-model-optimization >= 0.8 depends on tf_keras, which drags in a second, full
#    `tensorflow` wheel next to tensorflow-cpu; 0.7.5 is what QKeras 0.9.0 was made against.
#  - TensorFlow 2.15 needs numpy < 2.
#  - HGQ (version 1; 0.2.6 is its last release) makes the proxy-model fixtures. It declares
#    `tensorflow`, which would pull a second, full TensorFlow wheel over tensorflow-cpu: it is
#    installed on its own, without dependencies (it needs nothing the pins lack).
pins=(
  tensorflow-cpu==2.15.1
  keras==2.15.0
  qkeras==0.9.0
  tensorflow-model-optimization==0.7.5
  pyparsing==3.1.4
  numpy==1.26.4
  h5py==3.16.0
  protobuf==4.25.9
  ml-dtypes==0.3.2
  scipy==1.17.1
  scikit-learn==1.9.1
  keras-tuner==1.4.8
  networkx==3.6.1
)
no_deps=(HGQ==0.2.6)

if [[ ! -x "$venv/bin/python" ]]; then
  echo "creating $venv" >&2
  python3 -m venv "$venv"
fi
stamp="$venv/.nnfpga-keras2-pins"
if [[ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]} ${no_deps[*]}" ]]; then
  echo "installing ${pins[*]} ${no_deps[*]} into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${pins[@]}"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "${no_deps[@]}"
  printf '%s' "${pins[*]} ${no_deps[*]}" >"$stamp"
fi

exec "$venv/bin/python" tools/make_keras2_fixtures.py "$@"
