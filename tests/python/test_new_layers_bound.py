"""The merge layers and the activations PReLU, ELU, Softsign, Softplus and HardSigmoid on the
Keras fixtures (Keras 2 .h5 from TensorFlow 2.15, Keras 3 .keras on torch), through the CLI:
the float path equals the framework's outputs, and the fixed path, with types wide enough that
nothing overflows, stays within the rigorous error bound of bound.py (tests/python/bound.py)."""

import json

import numpy as np
import pytest

import bound
from conftest import REPO, run_cli

WIDE = ["--set", "Model.Precision=ap_fixed<28,12,AP_RND_CONV,AP_SAT>",
        "--set", "Model.Precision.table=ap_fixed<20,4,AP_RND_CONV,AP_SAT>",
        "--set", "Model.Precision.param=ap_fixed<20,2,AP_RND_CONV,AP_SAT>",
        # Deep chains of table layers (seq_activations) compound the tables' interpolation.
        *[a for op in ("Sigmoid", "TanH", "Softsign", "Softplus", "ELU", "Softmax")
          for a in ("--set", f"LayerType.{op}.TableSize=65536")],
        # Softmax's reciprocal table starts at 2N/S: 17 integer bits for N = 65536.
        "--set", "LayerType.Softmax.Precision.table=ap_fixed<40,17,AP_RND_CONV,AP_SAT>"]
FIXTURES = [
    REPO / "tests" / "fixtures" / "keras2" / "func_merge.h5",
    REPO / "tests" / "fixtures" / "keras2" / "func_residual.h5",
    REPO / "tests" / "fixtures" / "keras2" / "func_nested.h5",
    REPO / "tests" / "fixtures" / "keras2" / "seq_activations.h5",
    REPO / "tests" / "fixtures" / "keras2" / "seq_relu_family.h5",
    REPO / "tests" / "fixtures" / "keras3" / "keras_merge.keras",
    REPO / "tests" / "fixtures" / "keras3" / "keras_activations.keras",
    REPO / "tests" / "fixtures" / "keras3" / "keras_functional.keras",
]


@pytest.mark.parametrize("model", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixed_path_within_the_bound(nnfpga_bin, tmp_path, model):
    stem = model.with_suffix("")
    x = np.load(f"{stem}.x.npy")
    want = np.load(f"{stem}.y.npy").astype(np.float64)
    run_cli(nnfpga_bin, "predict", model, *WIDE, "-i", f"{stem}.x.npy", "-o",
            tmp_path / "float.npy", "--float", "--dtype", "float64")
    got_float = np.load(tmp_path / "float.npy")
    np.testing.assert_allclose(got_float, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())

    overflows = run_cli(nnfpga_bin, "predict", model, *WIDE, "-i", f"{stem}.x.npy", "-o",
                        tmp_path / "fixed.npy", "--dtype", "float64", "--overflows").stdout
    for line in overflows.splitlines()[1:]:
        counts = line.split()[-3:]
        assert counts == ["0", "0", "0"], overflows
    fixed = np.load(tmp_path / "fixed.npy")

    run_cli(nnfpga_bin, "show", model, *WIDE, "--json", tmp_path / "ir.json")
    ir = json.loads((tmp_path / "ir.json").read_text())
    value = bound.output_bounds(ir, [x.astype(np.float64)])[0]
    np.testing.assert_allclose(value.x.reshape(want.shape), got_float, rtol=1e-12, atol=1e-12)
    err = np.abs(fixed - value.x.reshape(fixed.shape))
    allowed = value.e.reshape(fixed.shape)
    assert np.all(err <= allowed), f"worst excess {float((err - allowed).max())}"
    # The bound is worth checking only if it is not vacuous: well below the outputs' scale
    # (the softmax heads of the Keras 2 fixtures make it loosest, about a third of it).
    assert float(allowed.max()) < 0.5 * float(np.abs(want).max())
