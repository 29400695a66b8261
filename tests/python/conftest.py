"""Shared helpers for the Python interoperability tests.

The fixtures themselves are made by tools/make_fixtures.py and described in
tests/fixtures/onnx/MANIFEST.json; tests read that manifest rather than globbing,
so a fixture added without a description is noticed.
"""

import json
import os
from pathlib import Path

# Keras 3 chooses its backend at first import and defaults to TensorFlow, which is not
# installed; this must run before any test module imports keras.
os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "tests" / "fixtures" / "onnx" / "MANIFEST.json"


def manifest_entries(expect=None):
    """Manifest rows, optionally only those the reader should "accept" or "refuse"."""
    files = json.loads(MANIFEST.read_text())["files"]
    return [f for f in files if expect is None or f["expect"] == expect]


def fixture_params(expect=None):
    """For @pytest.mark.parametrize: one param per fixture, id'd by its file name."""
    return [pytest.param(f, id=Path(f["file"]).name) for f in manifest_entries(expect)]


def example_input(entry, batch=4, seed=0):
    """A float32 input for a fixture: symbolic dims become `batch` (the only symbolic dim
    an accepted fixture has is the batch)."""
    shape = [d if isinstance(d, int) else batch for d in entry["inputs"][0]["shape"]]
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def run_onnxruntime(path, x):
    """Reference outputs of an ONNX file, all outputs in graph order."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})


@pytest.fixture(scope="session")
def repo_root():
    return REPO


@pytest.fixture(scope="session")
def nnfpga_bin():
    """The CLI under test; tools/run_tests.sh and CI set NNFPGA_BIN to its absolute path.

    A missing binary is a failure, not a skip: a skipped interoperability test would hide that
    nothing was checked."""
    path = os.environ.get("NNFPGA_BIN", str(REPO / "build" / "nnfpga"))
    if not Path(path).is_file():
        pytest.fail(
            f"nnfpga binary not found at {path}: build it (cmake --build BUILD --target nnfpga) "
            "and set NNFPGA_BIN=/abs/path/to/nnfpga",
            pytrace=False,
        )
    return path


def run_cli(nnfpga, *args, check=True):
    """Runs `nnfpga ARGS...`; with `check`, a non-zero exit fails the test showing stderr."""
    import subprocess

    proc = subprocess.run([str(nnfpga), *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        pytest.fail(
            f"nnfpga {' '.join(map(str, args))} exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}",
            pytrace=False,
        )
    return proc


def run_onnxruntime_rows(path, x):
    """onnxruntime on a batch, one row at a time when the model's batch axis is fixed at 1."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    if sess.get_inputs()[0].shape[0] != 1:
        return sess.run(None, {name: x})
    rows = [sess.run(None, {name: x[r : r + 1]}) for r in range(x.shape[0])]
    return [np.concatenate([row[k] for row in rows]) for k in range(len(rows[0]))]
