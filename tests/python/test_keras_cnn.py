"""Keras 3 CNNs and model structures through nnfpga's Python module: the fixtures of
tests/fixtures/keras3 (made by tools/make_qat_fixtures.sh keras3_cnn) and models built here with
Keras 3 on torch, given as objects. Image batches go in as NumPy arrays in Keras's own layout
(channels-last); the float path matches Keras, and the unsupported layers are named at once."""

from __future__ import annotations

import os

import numpy as np
import pytest

from conftest import REPO

os.environ.setdefault("KERAS_BACKEND", "torch")

import nnfpga  # noqa: E402

KERAS3 = REPO / "tests" / "fixtures" / "keras3"
CNNS = ["cnn_conv2d", "cnn_conv1d", "cnn_residual", "cnn_encoder_decoder", "cnn_depthwise2d",
        "cnn_depthwise1d", "cnn_separable", "keras_structures"]


def keras_out(model, x):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=np.float64)


@pytest.mark.parametrize("stem", CNNS)
def test_fixture_float_path_matches_keras(stem):
    x = np.load(KERAS3 / f"{stem}.x.npy")
    want = np.load(KERAS3 / f"{stem}.y.npy")
    model = nnfpga.convert(str(KERAS3 / f"{stem}.keras"))
    got = model.predict(x, mode="float")
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())


def cnn_with_shared_block():
    """A small image classifier as users write one: Conv2D/pool blocks, a nested Sequential
    block used twice (shared weights), Flatten and Dense."""
    import keras
    from keras import layers as L

    keras.utils.set_random_seed(7)
    block = keras.Sequential([keras.Input((6, 6, 4)),
                              L.Conv2D(4, 3, padding="same", activation="relu", name="blk_conv")],
                             name="block")
    x = keras.Input((12, 12, 3), name="image")
    h = L.Conv2D(4, 3, padding="same", activation="relu", name="stem")(x)
    h = L.MaxPooling2D(name="pool")(h)
    h = block(block(h))
    h = L.GlobalAveragePooling2D(keepdims=True, name="gap")(h)
    y = L.Dense(3, activation="softmax", name="head")(L.Flatten(name="flat")(h))
    return keras.Model(x, y, name="classifier")


def test_keras_object_cnn_with_a_shared_nested_block(tmp_path):
    model = cnn_with_shared_block()
    x = np.random.default_rng(1).standard_normal((16, 12, 12, 3)).astype(np.float32)
    want = keras_out(model, x)
    converted = nnfpga.convert(model, output_dir=str(tmp_path / "prj"))
    names = [layer["name"] for layer in converted.layers()]
    assert "blk_conv" in names and "block_call2_blk_conv" in names, names
    np.testing.assert_allclose(converted.predict(x, mode="float"), want, rtol=1e-5, atol=1e-6)


def test_unsupported_cnn_layers_are_all_named():
    with pytest.raises(nnfpga.UnsupportedError) as info:
        nnfpga.convert(str(KERAS3 / "unsupported_cnn.keras"))
    text = str(info.value)
    listed = {line.strip().split(" (")[0] for line in text.splitlines() if line.startswith("  ")}
    assert listed == {"conv_cf", "up_bilinear", "dense_gelu"}, text
    assert "channels_first" in text and "bilinear" in text and "gelu" in text, text


WIDE = ["--set", "Model.Precision=ap_fixed<26,12,AP_RND_CONV,AP_SAT>",
        "--set", "Model.Precision.table=ap_fixed<20,4,AP_RND_CONV,AP_SAT>",
        *[a for op in ("Sigmoid", "TanH") for a in ("--set", f"LayerType.{op}.TableSize=65536")]]


@pytest.mark.parametrize("stem", ["cnn_conv2d", "cnn_conv1d", "cnn_residual",
                                  "cnn_encoder_decoder"])
def test_fixed_path_within_the_bound(nnfpga_bin, tmp_path, stem):
    """Through the CLI, with types wide enough that nothing overflows: the fixed outputs stay
    within bound.py's rigorous bound around the float path, which equals Keras's."""
    import json

    import bound
    from conftest import run_cli

    model, xfile = KERAS3 / f"{stem}.keras", KERAS3 / f"{stem}.x.npy"
    x, want = np.load(xfile), np.load(KERAS3 / f"{stem}.y.npy").astype(np.float64)
    overflows = run_cli(nnfpga_bin, "predict", model, *WIDE, "-i", xfile, "-o",
                        tmp_path / "fixed.npy", "--dtype", "float64", "--overflows").stdout
    for line in overflows.splitlines()[1:]:
        assert line.split()[-3:] == ["0", "0", "0"], overflows
    fixed = np.load(tmp_path / "fixed.npy")
    run_cli(nnfpga_bin, "show", model, *WIDE, "--json", tmp_path / "ir.json")
    ir = json.loads((tmp_path / "ir.json").read_text())
    value = bound.output_bounds(ir, [x.astype(np.float64)])[0]
    np.testing.assert_allclose(value.x.reshape(want.shape), want, rtol=1e-5,
                               atol=1e-5 * np.abs(want).max())
    err = np.abs(fixed - value.x.reshape(fixed.shape))
    allowed = value.e.reshape(fixed.shape)
    assert np.all(err <= allowed), f"worst excess {float((err - allowed).max())}"
    # Not vacuous: well below the outputs' scale (the deepest, the encoder-decoder, about 1/5).
    assert float(allowed.max()) < 0.5 * float(np.abs(want).max())
