"""Keras models read by nnfpga's C++ Keras reader: .keras archives written by Keras 3 here, in
the test, and the Keras 2 .h5/.json files of tests/fixtures/keras2 (TensorFlow 2.15). The float
path matches Keras, the fixed-point path stays within the quantization bound, layers keep their
Keras names, and unsupported layers are all named at once."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import bound
from conftest import REPO

os.environ.setdefault("KERAS_BACKEND", "torch")

import nnfpga  # noqa: E402

KERAS2 = REPO / "tests" / "fixtures" / "keras2"
KERAS3 = REPO / "tests" / "fixtures" / "keras3"
WIDE = {"Model": {"Precision": "ap_fixed<24,10,AP_RND,AP_SAT>"}}


def randomize_batchnorm(model, seed):
    """Non-default moving statistics, so that a wrong folding shows."""
    import keras

    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32")
                               if i != 1 else rng.normal(0, 0.2, w.shape).astype("float32")
                               for i, w in enumerate(layer.get_weights())])


def sequential():
    import keras

    keras.utils.set_random_seed(3)
    model = keras.Sequential([
        keras.Input((10,), name="features"),
        keras.layers.Dense(16, activation="relu", name="fc1"),
        keras.layers.BatchNormalization(name="bn"),
        keras.layers.Dropout(0.2, name="drop"),
        keras.layers.Dense(8, name="fc2"),
        keras.layers.LeakyReLU(negative_slope=0.1, name="leaky"),
        keras.layers.Dense(4, activation="softmax", name="out"),
    ], name="seq")
    randomize_batchnorm(model, 3)
    return model


def functional():
    import keras

    keras.utils.set_random_seed(4)
    grid = keras.Input((4, 3), name="grid")
    x = keras.layers.Flatten(name="flat")(grid)
    x = keras.layers.Dense(12, activation="tanh", name="fc1")(x)
    x = keras.layers.ReLU(max_value=0.75, name="relu6ish")(x)
    x = keras.layers.Dense(6, use_bias=False, name="fc2")(x)
    x = keras.layers.BatchNormalization(name="bn", epsilon=0.01)(x)
    x = keras.layers.Activation("sigmoid", name="gate")(x)
    x = keras.layers.Reshape((2, 3), name="rows")(x)
    out = keras.layers.Softmax(name="row_softmax")(x)
    model = keras.Model(grid, out, name="func")
    randomize_batchnorm(model, 4)
    return model


def keras_out(model, x):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=np.float64)


@pytest.mark.parametrize("build,shape,names", [
    (sequential, (10,), ["features", "fc1", "fc1_relu", "bn", "fc2", "leaky", "out",
                         "out_softmax"]),
    (functional, (4, 3), ["grid", "flat", "fc1", "fc1_tanh", "relu6ish", "fc2", "gate", "rows",
                          "row_softmax"]),
])
def test_keras3_archive_float_fixed_and_names(build, shape, names, tmp_path, record_property):
    model = build()
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    x = np.random.default_rng(0).uniform(-2, 2, size=(1000, *shape)).astype(np.float32)
    want = keras_out(model, x)
    from_file = nnfpga.convert(str(path), hls_config=WIDE, output_dir=str(tmp_path / "a"))
    from_object = nnfpga.convert(model, hls_config=WIDE, output_dir=str(tmp_path / "b"))
    # A BatchNormalization right after a Dense folds into it (functional: bn into fc2); one
    # after an activation stays (sequential: bn). Dropout leaves no layer.
    assert [layer["name"] for layer in from_file.layers()] == names
    assert from_object.graph.to_json() == from_file.graph.to_json()

    np.testing.assert_allclose(from_file.predict(x, mode="float"), want, rtol=1e-5, atol=1e-6)
    counts = from_file.overflows(x)
    assert not any(c["result"] or c["accum"] for c in counts.values()), counts
    fixed = from_file.predict(x)
    value = bound.output_bounds(json.loads(from_file.graph.to_json()), [x.astype(np.float64)])[0]
    err = np.abs(fixed - want)
    allowed = value.e.reshape(fixed.shape) + 1e-4 * (1 + np.abs(want))
    record_property("max_abs_fixed_vs_keras", float(err.max()))
    assert np.all(err <= allowed)


@pytest.mark.parametrize("file", ["seq_bn_reshape.h5", "json_func_mlp.json"])
def test_keras2_files_match_tensorflow(file):
    stem = file.rsplit(".", 1)[0]
    x = np.load(KERAS2 / f"{stem}.x.npy")
    want = np.load(KERAS2 / f"{stem}.y.npy")
    model = nnfpga.convert(str(KERAS2 / file))
    np.testing.assert_allclose(model.predict(x, mode="float"), want, rtol=1e-5, atol=1e-6)


def test_unsupported_keras_layers_are_all_named():
    with pytest.raises(nnfpga.UnsupportedError) as info:
        nnfpga.convert(str(KERAS3 / "keras_sequential.keras"))
    text = str(info.value)
    # Only the ReLU with a threshold is left; the activations it used to list are read now.
    assert "relu_layer (ReLU)" in text and "1 layer is not supported" in text, text
    # The listed layers are the lines "  <name> (<Class>): <reason>"; compare the names whole
    # ("elu_layer" is a substring of "relu_layer").
    listed = {line.strip().split(" (")[0] for line in text.splitlines() if line.startswith("  ")}
    assert listed == {"relu_layer"}, text
    assert "keras_sequential.keras" in text


def test_broken_keras_files(tmp_path):
    truncated = tmp_path / "cut.keras"
    truncated.write_bytes((KERAS3 / "keras_functional.keras").read_bytes()[:500])
    with pytest.raises(nnfpga.InputError, match="cut.keras"):
        nnfpga.convert(str(truncated))
    with pytest.raises(nnfpga.InputError, match="no model_config"):
        nnfpga.convert(str(KERAS2 / "json_func_mlp_weights.h5"))


def test_keras20_json_with_weights_beside_it_says_which_file_it_read():
    x = np.load(KERAS2 / "keras20_seq_mlp.x.npy")
    want = np.load(KERAS2 / "keras20_seq_mlp.y.npy")
    with pytest.warns(UserWarning, match="keras20_seq_mlp_weights.h5, found beside it"):
        model = nnfpga.convert(str(KERAS2 / "keras20_seq_mlp.json"))
    np.testing.assert_allclose(model.predict(x, mode="float"), want, rtol=1e-5, atol=1e-6)


def test_weights_given_explicitly(tmp_path, recwarn):
    # The architecture alone in another folder, its weights given with weights=.
    alone = tmp_path / "arch.json"
    alone.write_bytes((KERAS2 / "keras20_seq_mlp.json").read_bytes())
    with pytest.raises(nnfpga.InputError, match="expected arch_weights.h5, arch.weights.h5 or "
                                                "arch.h5 beside it, found none"):
        nnfpga.convert(str(alone))
    model = nnfpga.convert(str(alone), weights=KERAS2 / "keras20_seq_mlp_weights.h5")
    x = np.load(KERAS2 / "keras20_seq_mlp.x.npy")
    np.testing.assert_allclose(model.predict(x, mode="float"),
                               np.load(KERAS2 / "keras20_seq_mlp.y.npy"), rtol=1e-5, atol=1e-6)
    assert not [w for w in recwarn if "found beside" in str(w.message)]
    # Both layouts of json_func_mlp's weights give the same graph; a file of another model is
    # named as such.
    legacy = nnfpga.config_from_model(str(KERAS2 / "json_func_mlp.json"),
                                      weights=str(KERAS2 / "json_func_mlp_weights.h5"),
                                      granularity="name")
    keras3 = nnfpga.config_from_model(str(KERAS2 / "json_func_mlp.json"),
                                      weights=str(KERAS2 / "json_func_mlp.weights.h5"),
                                      granularity="name")
    assert legacy == keras3
    with pytest.raises(nnfpga.InputError, match=r"expected weights of its layers \(dense_1, "
                                                r"dense_2, dense_3\), found weights of layers it "
                                                r"does not have \(bn, d0, d1, d2\)"):
        nnfpga.convert(str(alone), weights=str(KERAS2 / "json_func_mlp_weights.h5"))
    with pytest.raises(nnfpga.InputError, match="goes with a Keras architecture .json"):
        nnfpga.convert(str(KERAS2 / "seq_bn_reshape.h5"),
                       weights=str(KERAS2 / "json_func_mlp_weights.h5"))


@pytest.mark.parametrize("stem, layer", [("qkeras_conv2d_bn", "conv_bn"),
                                         ("qkeras_depthwise_bn", "dw_bn")])
def test_qkeras_batchnorm_folds_as_qkeras(stem, layer):
    """QKeras folds the batchnorm into the kernel and bias in float32 at every call
    (QConv2DBatchnorm per filter, QDepthwiseConv2DBatchnorm per output channel c*M+m); the reader
    does the same. QKeras's own folded values, before and after its quantizers, are in
    <stem>.folded.npz; the emulator's output equals QKeras's on every row."""
    model = nnfpga.convert(str(KERAS2 / f"{stem}.h5"))
    node = next(n for n in json.loads(model.graph.to_json())["nodes"] if n["name"] == layer)
    want = np.load(KERAS2 / f"{stem}.folded.npz")
    kernel = np.array(node["params"]["weight"]["data"]).reshape(want[f"{layer}.kernel"].shape)
    np.testing.assert_array_equal(kernel, want[f"{layer}.kernel"])
    np.testing.assert_array_equal(node["params"]["bias"]["data"], want[f"{layer}.bias"])
    for param, key in (("weight", f"{layer}.q_kernel"), ("bias", f"{layer}.q_bias")):
        q = node["qparams"][param]
        values = np.array(q["mantissa"]) * nnfpga.type_info(q["type"])["lsb"]
        np.testing.assert_array_equal(values.reshape(want[key].shape), want[key])
    x = np.load(KERAS2 / f"{stem}.x.npy")
    np.testing.assert_array_equal(model.predict(x), np.load(KERAS2 / f"{stem}.y.npy"))
