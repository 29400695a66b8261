"""PyTorch CNNs read from ONNX (tests/fixtures/onnx_cnn, made by tools/make_cnn_fixtures.py):
`nnfpga predict --float` takes and gives arrays in the file's NCHW layout by default and equals
onnxruntime; `--layout ir` takes the IR's channels-last arrays; the fixed-point path stays within
bound.py's rigorous bound of every fixture; refused files name every offending node. Same
tolerance as test_float_path.py: 1e-5 + 1e-5 * |onnxruntime|."""

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, run_cli, run_onnxruntime_rows
from test_float_path import assert_close, predict

MANIFEST = REPO / "tests" / "fixtures" / "onnx_cnn" / "MANIFEST.json"
ROWS = 200


def entries(expect):
    files = json.loads(MANIFEST.read_text())["files"]
    return [pytest.param(f, id=Path(f["file"]).stem) for f in files if f["expect"] == expect]


def random_input(entry, seed=7):
    shape = [ROWS] + entry["inputs"][0]["shape"][1:]
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("entry", entries("accept"))
def test_float_path_in_the_files_layout_matches_onnxruntime(entry, nnfpga_bin, tmp_path):
    model = REPO / entry["file"]
    x = random_input(entry)
    want = run_onnxruntime_rows(model, x)
    got, _ = predict(nnfpga_bin, model, x, tmp_path, len(want), "--float")
    for k, (g, w) in enumerate(zip(got, want)):
        assert_close(g, w, f"{Path(entry['file']).name} output {k}")


def test_ir_layout_takes_channels_last_arrays(nnfpga_bin, tmp_path):
    model = REPO / "tests" / "fixtures" / "onnx_cnn" / "encoder_decoder_torch.onnx"
    x = np.random.default_rng(3).standard_normal((5, 1, 8, 6)).astype(np.float32)
    want = run_onnxruntime_rows(model, x)[0]
    got, _ = predict(nnfpga_bin, model, x.transpose(0, 2, 3, 1).copy(), tmp_path, 1, "--float",
                     "--layout", "ir")
    assert_close(got[0], want.transpose(0, 2, 3, 1), "encoder_decoder_torch.onnx in NHWC")


def test_fixed_path_runs_on_images(nnfpga_bin, tmp_path):
    """The fixed-point path on a CNN: NCHW images in, the file's output shape out."""
    model = REPO / "tests" / "fixtures" / "onnx_cnn" / "cnn2d_torch.onnx"
    x = np.random.default_rng(4).standard_normal((6, 3, 8, 10)).astype(np.float32)
    got, _ = predict(nnfpga_bin, model, x, tmp_path, 1)
    assert got[0].shape == (6, 5)
    assert np.all(np.isfinite(got[0]))


# Types wide enough that nothing overflows (bound.py bounds rounding, not saturation).
WIDE = ["--set", "Model.Precision=ap_fixed<26,12,AP_RND_CONV,AP_SAT>",
        "--set", "Model.Precision.table=ap_fixed<20,4,AP_RND_CONV,AP_SAT>",
        *[a for op in ("Sigmoid", "TanH") for a in ("--set", f"LayerType.{op}.TableSize=65536")]]


def ir_axes_order(ir, name, rank):
    """numpy axes that take a batch in the file's layout to the IR's (source_axes[k] is the IR
    axis holding the file's axis k)."""
    axes = ir.get("source_axes", {}).get(name)
    if not axes:
        return list(range(rank + 1))
    return [0] + [1 + axes.index(j) for j in range(rank)]


@pytest.mark.parametrize("entry", entries("accept"))
def test_fixed_path_within_the_bound(entry, nnfpga_bin, tmp_path):
    """The fixed outputs stay within bound.py's bound around the float path, whose values
    (computed by bound.py from the IR alone) equal onnxruntime's."""
    import bound

    model = REPO / entry["file"]
    x = np.load(model.with_name(model.stem + ".x.npy")).astype(np.float64)
    want = run_onnxruntime_rows(model, x.astype(np.float32))
    run_cli(nnfpga_bin, "show", model, *WIDE, "--json", tmp_path / "ir.json")
    ir = json.loads((tmp_path / "ir.json").read_text())
    x_ir = x.transpose(ir_axes_order(ir, ir["inputs"][0], x.ndim - 1)).copy()
    fixed, proc = predict(nnfpga_bin, model, x_ir, tmp_path, len(want), "--layout", "ir", *WIDE,
                          "--overflows")
    for line in proc.stdout.splitlines()[1:]:
        assert line.split()[-3:] == ["0", "0", "0"], proc.stdout
    values = bound.output_bounds(ir, [x_ir])
    for k, (value, got, w) in enumerate(zip(values, fixed, want)):
        name = ir["outputs"][k]
        order = ir_axes_order(ir, name, w.ndim - 1)
        w_ir = w.astype(np.float64).transpose(order)
        what = f"{model.name} output {k}"
        assert_close(value.x.reshape(w_ir.shape), w_ir, what + " (bound.py's float path)")
        err = np.abs(got - value.x.reshape(got.shape))
        allowed = value.e.reshape(got.shape)
        assert np.all(err <= allowed), f"{what}: worst excess {float((err - allowed).max())}"
        # Not vacuous: well below the outputs' scale.
        assert float(allowed.max()) < 0.5 * float(np.abs(w).max()), what


@pytest.mark.parametrize("entry", entries("refuse"))
def test_refused_cnn_names_every_offending_node(entry, nnfpga_bin):
    proc = run_cli(nnfpga_bin, "show", REPO / entry["file"], check=False)
    assert proc.returncode == 3, proc.stderr
    model = __import__("onnx").load(str(REPO / entry["file"]))
    for node in model.graph.node:
        assert f"{node.name} ({node.op_type})" in proc.stderr, proc.stderr
