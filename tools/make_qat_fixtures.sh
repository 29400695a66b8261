#!/usr/bin/env bash
# Build the QAT fixtures (tests/fixtures/qonnx, hgq2, keras3) with the real frameworks.
# Parts: qonnx, hgq2, keras3, keras3_cnn (the Keras 3 CNNs and structures), hgq2_cnn.
#
# Creates, if missing, the virtual environment build/venv-qat (NNFPGA_QAT_VENV overrides)
# with pinned versions, then runs tools/make_qat_fixtures.py, passing on its arguments
# (`qonnx`, `hgq2`, `keras3` to build only those). The system Python is never touched.
#
# torch is installed first and alone, as torch==2.13.0: pip takes the CPU wheel this machine
# keeps on disk (pip's find-links); PyPI's own torch 2.13.0 for Linux x86_64 is a CUDA build
# of several GB, so the script refuses to go on if pip would fetch torch from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${NNFPGA_QAT_VENV:-build/venv-qat}"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Every package in the environment, pinned (pip freeze of a working venv, Python 3.11).
# brevitas 0.13.4 needs onnxoptimizer for export (its `export` extra, not installed by
# default) and setuptools < 81; hgq2 0.2.0 needs keras >= 3.15 and quantizers >= 1.2.2.
PINS="
torch==2.13.0
brevitas==0.13.4
qonnx==1.0.0
onnx==1.23.2
onnxoptimizer==0.4.2
onnxruntime==1.32.0
onnxscript==0.7.2
onnx-ir==1.1.0
keras==3.15.1
hgq2==0.2.0
quantizers==1.2.2
numpy==2.4.6
h5py==3.16.0
ml_dtypes==0.6.0
protobuf==7.36.2
setuptools==80.10.2
absl-py==2.5.1
attrs==26.1.0
bitstring==5.0.0
clize==5.0.2
dependencies==2.0.1
docutils==0.23
filelock==4.2.12
flatbuffers==25.12.19
fsspec==2026.9.0
importlib_metadata==10.2.0
Jinja2==3.1.6
lazy-importer==0.1.0
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
mpmath==1.3.0
namex==0.1.0
networkx==3.6.1
od==2.0.2
optree==0.20.0
packaging==26.3
Pygments==2.21.0
rich==15.0.0
sigtools==4.0.1
sympy==1.14.0
tibs==2.0.2
toposort==1.10
tqdm==4.70.1
typing_extensions==4.16.0
unfoldNd==0.2.3
zipp==4.1.2
"
DIRECT="brevitas qonnx onnx onnxoptimizer onnxruntime onnxscript keras hgq2 numpy h5py setuptools"

if [ ! -x "$PY" ]; then
  echo "creating $VENV"
  python3 -m venv "$VENV"
fi

STAMP="$VENV/.qat-pins.sha256"
PIN_HASH="$(printf '%s' "$PINS" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$PIN_HASH" ]; then
  CONSTRAINTS="$VENV/qat-constraints.txt"
  printf '%s\n' $PINS > "$CONSTRAINTS"
  if ! "$PY" -c 'import torch, sys; sys.exit(torch.__version__ != "2.13.0+cpu")' 2>/dev/null; then
    REPORT="$(mktemp)"
    "$PY" -m pip install --quiet --dry-run --ignore-installed --no-deps --report "$REPORT" \
      torch==2.13.0
    URL="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["install"][0]["download_info"]["url"])' "$REPORT")"
    rm -f "$REPORT"
    case "$URL" in
      file://*cpu*) echo "torch 2.13.0 from $URL" ;;
      *) echo "refusing to install torch from $URL (not the CPU wheel on this disk)" >&2; exit 1 ;;
    esac
    "$PY" -m pip install --quiet -c "$CONSTRAINTS" torch==2.13.0
  fi
  # shellcheck disable=SC2086
  "$PY" -m pip install --quiet -c "$CONSTRAINTS" $DIRECT
  "$PY" -m pip check
  echo "$PIN_HASH" > "$STAMP"
fi

# One thread: modest on a shared machine, and the same float results on every run.
OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" KERAS_BACKEND=torch "$PY" tools/make_qat_fixtures.py "$@"
