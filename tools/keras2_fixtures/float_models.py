"""The float Keras 2 fixtures: models built layer by layer (Sequential and functional, every
activation, merge and normalization layer the reader covers, one unsupported layer), seeded
weights and inputs, each saved as .h5 (and one as JSON plus two weight files) and reloaded to
check Keras reproduces its outputs; and the malformed files made from a good one with h5py.
"""

import json
import tempfile
from pathlib import Path

import h5py
import numpy as np
import tensorflow as tf

from .common import (FLOAT_ROWS, OUT, REL, VERSIONS, L, describe_layers, h5_config, npy_bytes,
                     predict, saved_bytes, write)


def float_inputs(seed, shape):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.5, (FLOAT_ROWS, *shape))
    big = rng.random(x.shape) < 0.05  # tails that reach softplus/elu/sigmoid saturation
    return np.where(big, x * 4.0, x).astype(np.float32)


def init_float_weights(model, seed):
    """Random but non-trivial: batchnorm statistics away from 0/1 so they matter."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        vals = []
        for w in layer.weights:
            n, shape = w.name.split("/")[-1].split(":")[0], tuple(w.shape)
            if n == "kernel":
                fan_in = int(np.prod(shape[:-1]))
                vals.append(rng.uniform(-1.6, 1.6, shape) / np.sqrt(fan_in))
            elif n == "bias":
                vals.append(rng.uniform(-0.5, 0.5, shape))
            elif n == "gamma":
                vals.append(rng.uniform(0.5, 1.5, shape))
            elif n == "beta":
                vals.append(rng.uniform(-0.5, 0.5, shape))
            elif n == "moving_mean":
                vals.append(rng.uniform(-1.0, 1.0, shape))
            elif n == "moving_variance":
                vals.append(rng.uniform(0.5, 2.0, shape))
            elif n == "alpha":  # PReLU
                vals.append(rng.uniform(0.05, 0.5, shape))
            else:
                raise RuntimeError(f"no init rule for {w.name}")
        if vals:
            layer.set_weights([v.astype(np.float32) for v in vals])


def seq_activations():
    a = ["sigmoid", "tanh", "softsign", "softplus", "hard_sigmoid", "linear", "elu", "softmax"]
    layers = [L.InputLayer((8,), name="x"), L.Dense(16, activation="relu", name="dense_relu"),
              L.Dense(12, use_bias=False, name="dense_nobias")]
    widths = [12, 10, 10, 8, 8, 8, 6, 4]
    for i, (act, w) in enumerate(zip(a, widths)):
        layers.append(L.Activation(act, name=f"act_{act}"))
        if i + 1 < len(a):
            layers.append(L.Dense(widths[i + 1], name=f"dense_{i}"))
    return tf.keras.Sequential(layers, name="seq_activations"), (8,), (
        "Sequential: InputLayer, Dense(relu) and Dense(use_bias=False), then Dense layers "
        "(activation=linear) each followed by Activation(sigmoid|tanh|softsign|softplus|"
        "hard_sigmoid|linear|elu|softmax). Keras 2 hard_sigmoid is clip(0.2*x + 0.5, 0, 1)")


def seq_relu_family():
    return tf.keras.Sequential([
        L.InputLayer((8,), name="x"), L.Dense(12, name="d0"), L.ReLU(max_value=6.0, name="relu6"),
        L.Dense(12, name="d1"), L.ReLU(negative_slope=0.1, name="relu_slope"),
        L.Dense(10, name="d2"), L.LeakyReLU(alpha=0.2, name="leaky"),
        L.Dense(8, name="d3"), L.PReLU(name="prelu"),
        L.Dense(8, name="d4"), L.ELU(alpha=0.7, name="elu"),
        L.Dense(4, name="d5"), L.Softmax(name="softmax")], name="seq_relu_family"), (8,), (
        "Sequential: advanced activation layers ReLU(max_value=6), ReLU(negative_slope=0.1), "
        "LeakyReLU(alpha=0.2), PReLU (per-channel alpha weights), ELU(alpha=0.7), Softmax")


def seq_bn_reshape():
    return tf.keras.Sequential([
        L.InputLayer((2, 4), name="x"), L.Flatten(name="flatten_in"), L.Dense(12, name="d0"),
        L.BatchNormalization(epsilon=0.01, name="bn_full"), L.Activation("relu", name="relu"),
        L.Dropout(0.25, name="dropout"), L.Reshape((3, 4), name="reshape"),
        L.Flatten(name="flatten_mid"), L.Dense(8, name="d1"),
        L.BatchNormalization(scale=False, name="bn_noscale"), L.Dense(4, name="d2")],
        name="seq_bn_reshape"), (2, 4), (
        "Sequential with a rank-3 input: Flatten, BatchNormalization(epsilon=0.01) with non-default "
        "moving statistics, Dropout (inference: identity), Reshape((3,4)), Flatten, and "
        "BatchNormalization(scale=False), whose weights are only beta, moving_mean, moving_variance")


def func_merge():
    x = L.Input((8,), name="x")
    a = L.Dense(6, activation="tanh", name="branch_a")(x)
    b = L.Dense(6, name="branch_b")(x)
    c = L.Dense(6, activation="relu", name="branch_c")(x)
    merged = [L.Add(name="add3")([a, b, c]), L.Subtract(name="sub")([a, b]),
              L.Multiply(name="mul")([b, c]), L.Average(name="avg")([a, c]),
              L.Maximum(name="max3")([a, b, c]), L.Minimum(name="min")([b, c])]
    cat = L.Concatenate(axis=-1, name="concat")(merged)
    y = L.Dense(4, name="head")(cat)
    return tf.keras.Model(x, y, name="func_merge"), (8,), (
        "functional, three branches from one input merged by Add (3 inputs), Subtract, Multiply, "
        "Average, Maximum (3 inputs), Minimum, then Concatenate(axis=-1) of all six and Dense")


def func_residual():
    x = L.Input((8,), name="x")
    h = L.Dense(8, name="d0")(x)
    h = L.BatchNormalization(name="bn")(h)
    h = L.Activation("relu", name="relu")(h)
    h = L.Dropout(0.5, name="drop")(h)
    h = L.Dense(8, name="d1")(h)
    s = L.Add(name="skip")([h, x])  # the input tensor feeds two layers
    c = L.Concatenate(name="concat")([s, x])
    y = L.Dense(4, activation="softmax", name="head")(c)
    return tf.keras.Model(x, y, name="func_residual"), (8,), (
        "functional with a skip connection: the Input feeds Dense, Add and Concatenate; "
        "BatchNormalization, Dropout, Dense(softmax) head")


def func_nested():
    inner_seq = tf.keras.Sequential([
        L.Dense(6, activation="relu", name="seq_dense"), L.Dense(5, name="seq_dense2")],
        name="inner_seq")
    xi = L.Input((5,), name="inner_x")
    hi = L.Dense(5, activation="tanh", name="func_dense")(xi)
    inner_func = tf.keras.Model(xi, L.Add(name="func_add")([hi, xi]), name="inner_func")
    x = L.Input((4,), name="x")
    h = L.Dense(5, name="d0")(x)
    h = inner_func(h)
    h = inner_func(h)  # called twice: one set of weights, two calls
    h = inner_seq(h)
    y = L.Dense(3, name="head")(h)
    return tf.keras.Model(x, y, name="func_nested"), (4,), (
        "TF-era Keras 2 model with models used as layers: a functional model (Dense tanh + a "
        "residual Add) called twice, then a Sequential (two Dense); their weights are saved "
        "under the nested model's group as '<layer>/<weight>'")


def json_func_mlp():
    x = L.Input((6,), name="x")
    h = L.Dense(10, activation="relu", name="d0")(x)
    h = L.BatchNormalization(name="bn")(h)
    h = L.Dense(8, activation="tanh", name="d1")(h)
    y = L.Dense(4, activation="sigmoid", name="d2")(h)
    return tf.keras.Model(x, y, name="json_func_mlp"), (6,), (
        "architecture as JSON (model.to_json()) plus weights: <name>_weights.h5 from "
        "save_weights('<name>_weights.h5') is the legacy Keras 2 HDF5 layout (layer_names/"
        "weight_names attributes, groups named after layers); <name>.weights.h5 from "
        "save_weights('<name>.weights.h5') is, in TF 2.15, the Keras 3 layout "
        "(layers/<class-derived name>/vars/0..) because of the .weights.h5 suffix")


def unsupported_conv1d():
    return tf.keras.Sequential([
        L.InputLayer((8, 2), name="x"), L.Conv1D(4, 3, name="conv"), L.Flatten(name="flatten"),
        L.Dense(4, name="d0")], name="unsupported_conv1d"), (8, 2), (
        "a layer class the reader does not support (Conv1D); Keras itself loads it fine")


@tf.keras.utils.register_keras_serializable(package="nnfpga_fixture")
class ScaleShift(L.Layer):
    """Registered only inside this script: the saved class_name is 'nnfpga_fixture>ScaleShift'."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor + 1.0

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def build_float(builder, seed):
    tf.keras.backend.clear_session()
    model, in_shape, tests = builder()
    init_float_weights(model, seed)
    x = float_inputs(seed, in_shape)
    return model, x, tests


def float_fixture(builder, seed):
    model, x, tests = build_float(builder, seed)
    name = model.name
    y = predict(model, x)
    path = write(f"{name}.h5", saved_bytes(model.save))
    back = tf.keras.models.load_model(path, compile=False)
    if not np.array_equal(predict(back, x), y):
        raise RuntimeError(f"{name}: reloaded model differs")
    write(f"{name}.x.npy", npy_bytes(x))
    write(f"{name}.y.npy", npy_bytes(y))
    cfg = h5_config(path)
    return {"file": f"{REL}/{name}.h5", "framework": f"tf.keras {VERSIONS['keras']}",
            "saved_as": "h5: model.save('<name>.h5') (Keras 2 legacy HDF5, not compiled)",
            "model_class": cfg["class_name"], "tests": tests,
            "expect": "refuse" if name.startswith("unsupported_") else "accept",
            **({"why": tests} if name.startswith("unsupported_") else {}),
            "layers": describe_layers(cfg), "x": f"{name}.x.npy", "y": f"{name}.y.npy",
            "x_shape": list(x.shape), "y_shape": list(y.shape),
            "checks": ["tf.keras.models.load_model(file) reproduces y bit for bit"]}


def json_fixture(seed):
    model, x, tests = build_float(json_func_mlp, seed)
    name = model.name
    y = predict(model, x)
    write(f"{name}.json", model.to_json().encode())
    legacy = saved_bytes(lambda p: model.save_weights(str(p)))
    write(f"{name}_weights.h5", legacy)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.weights.h5"
        model.save_weights(str(p))
        write(f"{name}.weights.h5", p.read_bytes())
    for weights in (f"{name}_weights.h5", f"{name}.weights.h5"):
        tf.keras.backend.clear_session()
        back = tf.keras.models.model_from_json((OUT / f"{name}.json").read_text())
        back.load_weights(str(OUT / weights))
        if not np.array_equal(predict(back, x), y):
            raise RuntimeError(f"{name}: {weights} reloaded differs")
    write(f"{name}.x.npy", npy_bytes(x))
    write(f"{name}.y.npy", npy_bytes(y))
    cfg = json.loads(model.to_json())
    with h5py.File(OUT / f"{name}.weights.h5", "r") as f:
        v3_paths = []
        f.visititems(lambda n, o: v3_paths.append(n) if isinstance(o, h5py.Dataset) else None)
    return {"file": f"{REL}/{name}.json",
            "weights": [f"{REL}/{name}_weights.h5", f"{REL}/{name}.weights.h5"],
            "framework": f"tf.keras {VERSIONS['keras']}",
            "saved_as": "json+weights: model.to_json(); model.save_weights(...) twice",
            "model_class": cfg["class_name"], "tests": tests, "expect": "accept",
            "expect_weights": {f"{name}_weights.h5": "accept (legacy Keras 2 layout)",
                               f"{name}.weights.h5": "accept or refuse with a clear message "
                                                     "(Keras 3 layout, groups named after the layer CLASS in "
                                                     "model order, not the layer name: " + ", ".join(v3_paths) + ")"},
            "layers": describe_layers(cfg), "x": f"{name}.x.npy", "y": f"{name}.y.npy",
            "x_shape": list(x.shape), "y_shape": list(y.shape),
            "checks": ["model_from_json + load_weights reproduces y bit for bit, from both weight files"]}


def keras_refusal(load):
    try:
        load()
    except Exception as e:  # noqa: BLE001 - we record whatever Keras says
        return f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    return "Keras loaded it without error"


def malformed_fixtures(good):
    """Broken files made from a good one with h5py (a new file is written, so no freed space
    keeps the deleted data)."""
    out = []
    data = (OUT / good).read_bytes()
    cut = write("bad_truncated.h5", data[: len(data) * 3 // 5])
    out.append((cut, "the first 60% of the bytes of " + good, "HDF5 open fails: file truncated"))

    def copy_without(dst_name, skip):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "m.h5"
            with h5py.File(OUT / good, "r") as src, h5py.File(p, "w") as dst:
                def rec(s, t):  # noqa: E306
                    for k, v in s.attrs.items():
                        t.attrs[k] = v
                    for k in s:
                        full = s[k].name
                        if full in skip:
                            continue
                        if isinstance(s[k], h5py.Group):
                            rec(s[k], t.create_group(k))
                        else:
                            s.copy(k, t, name=k)
                rec(src, dst)
            return write(dst_name, p.read_bytes())

    p = copy_without("bad_no_model_weights.h5", {"/model_weights"})
    out.append((p, "copy of " + good + " without the /model_weights group",
                "the model_config is intact but there are no weights"))
    p = copy_without("bad_missing_kernel.h5", {"/model_weights/d1/d1/kernel:0"})
    out.append((p, "copy of " + good + " without the dataset /model_weights/d1/d1/kernel:0 (the "
                "group's weight_names attribute still lists it)", "a listed weight is missing"))

    tf.keras.backend.clear_session()
    m = tf.keras.Sequential([L.InputLayer((4,), name="x"), L.Dense(4, name="d0"),
                             ScaleShift(3.0, name="scale_shift")], name="unsupported_custom_layer")
    init_float_weights(m, 99)
    p = write("unsupported_custom_layer.h5", saved_bytes(m.save))
    out.append((p, "Dense then a custom layer class registered only while saving "
                   "(class_name 'nnfpga_fixture>ScaleShift')", "unknown layer class"))
    del tf.keras.utils.get_custom_objects()["nnfpga_fixture>ScaleShift"]

    entries = []
    for path, made, why in out:
        entry = {"file": f"{REL}/{path.name}", "framework": f"tf.keras {VERSIONS['keras']} + h5py "
                 f"{VERSIONS['h5py']}", "made": made, "expect": "refuse", "why": why,
                 "keras_itself": keras_refusal(lambda: tf.keras.models.load_model(path, compile=False))}
        if path.name != "bad_truncated.h5":
            entry["layers"] = describe_layers(h5_config(path))
        entries.append(entry)
    return entries
