"""The fixed-point path agrees with the float path within the error its types imply.

For every accepted fixture (and the digits example), under three configurations -- the default
(ap_fixed<16,6> data/weights/biases, auto accumulators, ap_fixed<18,8,AP_RND,AP_SAT> tables), a
wider one (Model.Precision = ap_fixed<24,8>) and a rounding one (ap_fixed<16,6,AP_RND_CONV,
AP_SAT>) -- the test:

1. saves the configured IR (`nnfpga show --json`) and computes from it, in bound.py, a rigorous
   per-element bound B on |fixed - float|, propagated layer by layer from the input quantization:
   parameter quantization (|x| * |p - p_q| with the row's actual float |x|), accumulator and result
   rounding, lookup-table bins and entries, saturation of table entries. See bound.py's docstring
   for the layer conventions it relies on and each op's formula.
2. runs `nnfpga predict --overflows` and requires zero result and accumulator overflows in every
   layer (the bound covers rounding only; the inputs are uniform in [-2, 2], well inside every
   type used here);
3. runs `nnfpga predict --float` and checks bound.py's own float evaluation of the IR matches it
   (so B is a bound around the same function the emulator's float path computes);
4. asserts |fixed - float| <= B + 1e-9 element-wise. The 1e-9 covers only the double rounding of
   the float path itself (values here are < 1e3, double rounding < 1e-12); it is no tolerance on
   the fixed-point error.

Softmax: the bound follows the emulator's two-table convention (src/emulate/softmax.cpp,
docs/layers.md) but treats the exp table's error, the index rounding and the input error of each
numerator independently and adds them, so it is rigorous but looser than the others (typically
5-20x the observed error; the deep bench MLP's Dense bound is ~50-150x, because it assumes every
input error of a 64-wide layer lines up with the weight signs, while the others are within 1.1-3x).

The bound and the observed error are printed (pytest -s) and recorded as properties
(bound_max_K, observed_max_K, worst_ratio_K per output K) in the JUnit XML.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from bound import output_bounds
from conftest import REPO, manifest_entries, run_cli

ROWS = 300
SEED = 7
DOUBLE_SLACK = 1e-9

CONFIGS = {
    "default": [],
    "wide24_8": ["--set", "Model.Precision=ap_fixed<24,8>"],
    # round-to-nearest-even and saturation: half-LSB rounding steps in the bound
    "rnd_conv_sat": ["--set", "Model.Precision=ap_fixed<16,6,AP_RND_CONV,AP_SAT>"],
}

DIGITS = "examples/digits/digits_mlp.onnx"

# The digits logits reach beyond +-32 on the test split, so the default ap_fixed<16,6> output
# wraps (32 of 3000 values): no rounding bound applies there. Its "default" case widens only the
# logits' integer part.
DIGITS_CONFIGS = {
    "default+logits18_8": ["--set", "LayerName.layer_4.Precision.result=ap_fixed<18,8>"],
    "wide24_8": CONFIGS["wide24_8"],
}


def cases():
    out = []
    for m in [e["file"] for e in manifest_entries("accept")] + [DIGITS]:
        configs = DIGITS_CONFIGS if m == DIGITS else CONFIGS
        out += [pytest.param(m, c, args, id=f"{Path(m).name}-{c}") for c, args in configs.items()]
    return out


def make_input(model):
    """uniform in [-2, 2]; the digits example gets its real test split (values in [0, 1))."""
    if model == DIGITS:
        return np.load(REPO / "examples" / "digits" / "test_x.npy")[:ROWS]
    entry = next(e for e in manifest_entries("accept") if e["file"] == model)
    shape = [ROWS] + list(entry["inputs"][0]["shape"][1:])
    return np.random.default_rng(SEED).uniform(-2.0, 2.0, shape).astype(np.float32)


def parse_overflow_table(text):
    """`predict --overflows` prints a table: layer op values result_overflows accum_overflows ..."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    header_at = next(i for i, ln in enumerate(lines) if ln.split()[:1] == ["layer"])
    header = lines[header_at].split()
    rows = []
    for ln in lines[header_at + 1 :]:
        # The layer name may hold spaces in principle; the numeric columns are the last ones.
        cells = ln.split()
        tail = dict(zip(header[2:], cells[len(cells) - (len(header) - 2) :]))
        rows.append((" ".join(cells[: len(cells) - (len(header) - 1)]), tail))
    return rows


def run_predict(nnfpga, model, x, tmp, n_out, *extra):
    xin = tmp / "x.npy"
    np.save(xin, x)
    tag = "float" if "--float" in extra else "fixed"
    outs = [tmp / f"{tag}{k}.npy" for k in range(n_out)]
    args = ["predict", model, "-i", xin, "--dtype", "float64", *extra]
    for o in outs:
        args += ["-o", o]
    proc = run_cli(nnfpga, *args)
    return [np.load(o) for o in outs], proc.stdout


@pytest.mark.parametrize("model,config,cfg", cases())
def test_fixed_within_type_bound(model, config, cfg, nnfpga_bin, tmp_path, record_property):
    model_path = REPO / model
    ir_path = tmp_path / "ir.json"
    run_cli(nnfpga_bin, "show", model_path, *cfg, "--json", ir_path)
    ir = json.loads(ir_path.read_text())
    n_out = len(ir["outputs"])

    x = make_input(model)
    fixed, table = run_predict(nnfpga_bin, model_path, x, tmp_path, n_out, *cfg, "--overflows")
    overflowing = [
        (layer, c)
        for layer, c in parse_overflow_table(table)
        if int(c["result_overflows"]) or int(c["accum_overflows"])
    ]
    assert not overflowing, (
        f"overflows with inputs in [-2, 2] make the rounding bound inapplicable:\n{table}"
    )
    floats, _ = run_predict(nnfpga_bin, model_path, x, tmp_path, n_out, *cfg, "--float")

    bounds = output_bounds(ir, [x.astype(np.float64)])
    summary = []
    for k, (fx, fl, b) in enumerate(zip(fixed, floats, bounds)):
        np.testing.assert_allclose(
            b.x.reshape(fl.shape), fl, rtol=1e-9, atol=1e-12,
            err_msg=f"output {k}: bound.py's float evaluation of the IR differs from --float",
        )
        bound = b.e.reshape(fl.shape)
        err = np.abs(fx - fl)
        worst = np.unravel_index(np.argmax(err - bound), err.shape)
        ratio = float(np.max(err / np.maximum(bound, 1e-300)))
        summary.append((k, float(bound.max()), float(err.max()), ratio))
        record_property(f"bound_max_{k}", float(bound.max()))
        record_property(f"observed_max_{k}", float(err.max()))
        record_property(f"worst_ratio_{k}", ratio)
        print(
            f"{Path(model).name} [{config}] output {k}: bound max {bound.max():.4g}, "
            f"observed max {err.max():.4g}, worst observed/bound {ratio:.3f}"
        )
        assert np.all(err <= bound + DOUBLE_SLACK), (
            f"output {k}: |fixed - float| = {err[worst]:.6g} exceeds the bound {bound[worst]:.6g} "
            f"at {worst} (fixed {fx[worst]!r}, float {fl[worst]!r}); row {worst[0]} input "
            f"{x[worst[0]].tolist()}"
        )
    assert summary


def test_overflow_table_parser():
    text = (
        "layer        op     values  result_overflows  accum_overflows  param_overflows\n"
        "x            Input    2400                 0                0                0\n"
        "node_linear  Dense    1200                 3                0                0\n"
    )
    rows = parse_overflow_table(text)
    assert rows[1][0] == "node_linear"
    assert rows[1][1]["result_overflows"] == "3"
