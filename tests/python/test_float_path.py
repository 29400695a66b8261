"""nnfpga's float path (`predict --float`) against onnxruntime; refusal of unsupported models.

The float path runs the canonicalized graph (Constant/BatchNorm/scale folding, MatMul+Add -> Dense)
in double precision with the trained parameters, so it must compute the same function as the ONNX
file. onnxruntime computes in float32; both are compared in float64.

TOLERANCE (do not loosen): |nnfpga - onnxruntime| <= 1e-5 + 1e-5 * |onnxruntime| per element.
float32 arithmetic over these small layers stays far below this; a folding or layout mistake in
the frontend or a pass shows up far above it.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import (
    REPO,
    fixture_params,
    manifest_entries,
    run_cli,
    run_onnxruntime_rows,
)

ABS_TOL = 1e-5
REL_TOL = 1e-5
ROWS = 300
SEED = 20240611

DIGITS = REPO / "examples" / "digits" / "digits_mlp.onnx"
DIGITS_X = REPO / "examples" / "digits" / "test_x.npy"

EXIT_UNSUPPORTED = 3


def random_input(entry, rows=ROWS, seed=SEED):
    """float32 rows, normal with sd 1.5 (reaching the flat tails of sigmoid/tanh/softmax)."""
    shape = [rows] + [d for d in entry["inputs"][0]["shape"][1:]]
    if not all(isinstance(d, int) for d in shape):
        raise AssertionError(f"{entry['file']}: a non-batch input dim is symbolic: {shape}")
    return (1.5 * np.random.default_rng(seed).standard_normal(shape)).astype(np.float32)


def predict(nnfpga, model, x, tmp_path, n_outputs, *extra):
    """`nnfpga predict` with float64 output files; returns the outputs in graph order."""
    xin = tmp_path / "x.npy"
    np.save(xin, x)
    outs = [tmp_path / f"y{k}.npy" for k in range(n_outputs)]
    args = ["predict", model, "-i", xin, "--dtype", "float64", *extra]
    for o in outs:
        args += ["-o", o]
    proc = run_cli(nnfpga, *args)
    return [np.load(o) for o in outs], proc


def assert_close(got, want, what):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != onnxruntime {want.shape}"
    diff = np.abs(got - want)
    allowed = ABS_TOL + REL_TOL * np.abs(want)
    worst = np.unravel_index(np.argmax(diff - allowed), diff.shape)
    assert np.all(diff <= allowed), (
        f"{what}: max |nnfpga - onnxruntime| = {diff.max():.3g} at {worst} "
        f"(nnfpga {got[worst]!r}, onnxruntime {want[worst]!r}; allowed {allowed[worst]:.3g})"
    )
    return float(diff.max())


@pytest.mark.parametrize("entry", fixture_params("accept"))
def test_float_path_matches_onnxruntime(entry, nnfpga_bin, tmp_path, record_property):
    model = REPO / entry["file"]
    x = random_input(entry)
    want = run_onnxruntime_rows(model, x)
    got, _ = predict(nnfpga_bin, model, x, tmp_path, len(want), "--float")
    worst = 0.0
    for k, (g, w) in enumerate(zip(got, want)):
        worst = max(worst, assert_close(g, w, f"{Path(entry['file']).name} output {k}"))
    record_property("max_abs_diff", worst)
    print(f"{Path(entry['file']).name}: max |float - onnxruntime| = {worst:.3g}")


def test_float_path_digits_example(nnfpga_bin, tmp_path, record_property):
    """The bundled example on its own test split (real data, not random)."""
    x = np.load(DIGITS_X)
    want = run_onnxruntime_rows(DIGITS, x)
    got, _ = predict(nnfpga_bin, DIGITS, x, tmp_path, 1, "--float")
    worst = assert_close(got[0], want[0], "digits_mlp.onnx")
    record_property("max_abs_diff", worst)
    print(f"digits_mlp.onnx: max |float - onnxruntime| = {worst:.3g}")


def test_manifest_covers_bench_model():
    """The bench MLP is checked through the manifest; make sure it stays there."""
    files = {e["file"] for e in manifest_entries("accept")}
    assert "bench/models/mlp_16_64_32_32_5.onnx" in files


# ---- refusals ----

# Nodes whose op is used by no accepted fixture are offending by construction. These fixtures are
# refused for a reason other than the op type, so their offenders are named here:
OTHER_OFFENDERS = {
    # input x is [batch, seq, 8]: a dynamic non-batch dimension (reported for the graph input)
    "unsupported_dynamic_dim_torch.onnx": ["x"],
    # Dropout with training_mode = Constant(true)
    "unsupported_dropout_training_torch_legacy.onnx": ["/op/op.0/Dropout"],
}


def offending_nodes(entry):
    supported = {op for e in manifest_entries("accept") for op in e["ops"]}
    # The CNN fixtures' ops (tests/fixtures/onnx_cnn) are read too.
    cnn = json.loads((REPO / "tests" / "fixtures" / "onnx_cnn" / "MANIFEST.json").read_text())
    supported |= {op for e in cnn["files"] if e["expect"] == "accept" for op in e["ops"]}
    names = [n["name"] for n in entry["nodes"] if n["op"] not in supported]
    names += OTHER_OFFENDERS.get(Path(entry["file"]).name, [])
    assert names, f"{entry['file']}: the test does not know why this fixture is refused"
    return names


@pytest.mark.parametrize("command", ["show", "predict"])
@pytest.mark.parametrize("entry", fixture_params("refuse"))
def test_refused_model_names_every_offending_node(entry, command, nnfpga_bin, tmp_path):
    model = REPO / entry["file"]
    args = [command, model]
    if command == "predict":
        x = tmp_path / "x.npy"
        shape = [d if isinstance(d, int) else 2 for d in entry["inputs"][0]["shape"]]
        np.save(x, np.zeros(shape, dtype=np.float32))
        args += ["-i", x, "-o", tmp_path / "y.npy"]
    proc = run_cli(nnfpga_bin, *args, check=False)
    assert proc.returncode == EXIT_UNSUPPORTED, (
        f"exit code {proc.returncode}, expected {EXIT_UNSUPPORTED} (unsupported model)\n"
        f"stderr:\n{proc.stderr}"
    )
    # A name must appear as a whole token ("x" must not match inside another word).
    missing = [
        n
        for n in offending_nodes(entry)
        if not re.search(r"(?<![\w/.])" + re.escape(n) + r"(?![\w/.])", proc.stderr)
    ]
    assert not missing, f"stderr does not name {missing}:\n{proc.stderr}"
