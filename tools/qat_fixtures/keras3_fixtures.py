"""tests/fixtures/keras3/: float Keras 3 models (PyTorch backend) saved as .keras, two
Sequential and two functional, covering the core layers, activations and merge layers a
Keras reader has to know; each with 1,000 seeded input rows and Keras' own outputs.

The manifest records, for every layer, its class, its config keys that change the
arithmetic, and where each of its variables sits in model.weights.h5 (checked against the
variables Keras holds), since a reader has to find them there without Keras.
"""

import io
import json
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import h5py
import keras
import numpy as np
import torch
from keras import layers as L
from keras import ops

from . import common
from .common import FIXTURES, describe_exactness

OUT = FIXTURES / "keras3"
N_ROWS = 1000
ARITH_KEYS = ("units", "activation", "use_bias", "axis", "epsilon", "center", "scale",
              "momentum", "max_value", "negative_slope", "threshold", "alpha", "rate",
              "target_shape", "data_format", "shared_axes")


def _init(seed):
    return dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
                bias_initializer=keras.initializers.RandomUniform(-0.5, 0.5, seed=seed + 1000))


def sequential():
    act_chain = ["tanh", "softsign", "softplus", "hard_sigmoid", "elu", "linear"]
    layers = [keras.Input((16,), name="x"),
              L.Dense(12, name="dense_0", **_init(1)), L.Activation("relu", name="act_relu"),
              L.Dense(12, name="dense_1", **_init(2)),
              L.BatchNormalization(epsilon=0.01, name="batchnorm"),
              L.Activation("sigmoid", name="act_sigmoid"),
              L.Dropout(0.3, name="dropout")]
    for n, act in enumerate(act_chain, start=2):
        layers += [L.Dense(10, name=f"dense_{n}", **_init(n)), L.Activation(act, name=f"act_{act}")]
    layers += [L.Dense(8, activation="tanh", name="dense_tanh_inline", **_init(20)),
               L.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.05, name="relu_layer"),
               L.Dense(8, name="dense_9", **_init(21)),
               L.LeakyReLU(negative_slope=0.2, name="leaky_relu"),
               L.Dense(8, name="dense_10", **_init(22)), L.PReLU(name="prelu"),
               L.Dense(8, name="dense_11", **_init(23)), L.ELU(alpha=0.7, name="elu_layer"),
               L.Dense(6, name="dense_out", **_init(24)), L.Activation("softmax", name="act_softmax")]
    model = keras.Sequential(layers, name="keras_sequential")
    rng = np.random.default_rng(31)
    bn = model.get_layer("batchnorm")
    bn.set_weights([rng.uniform(0.5, 1.5, 12), rng.uniform(-0.5, 0.5, 12),
                    rng.uniform(-0.3, 0.3, 12), rng.uniform(0.2, 2.0, 12)])
    model.get_layer("prelu").set_weights([rng.uniform(0.05, 0.5, 8)])
    return model, (16,)


def functional():
    x = keras.Input((2, 8), name="x")
    flat = L.Flatten(name="flatten")(x)
    a = L.Dense(12, activation="relu", name="dense_a", **_init(41))(flat)
    b = L.Dense(12, activation="sigmoid", name="dense_b", **_init(42))(flat)
    s = L.Add(name="add")([a, b])
    d = L.Subtract(name="subtract")([a, b])
    p = L.Multiply(name="multiply")([a, b])
    avg = L.Average(name="average")([a, b, s])
    mx = L.Maximum(name="maximum")([a, d])
    mn = L.Minimum(name="minimum")([b, d])
    c = L.Concatenate(name="concatenate")([s, d, p, avg, mx, mn])
    h = L.Dense(16, name="dense_c", **_init(43))(c)
    h = L.BatchNormalization(name="batchnorm", center=False)(h)
    h = L.Reshape((4, 4), name="reshape")(h)
    h = L.Softmax(axis=-1, name="softmax_rows")(h)
    h = L.Flatten(name="flatten_2")(h)
    h = L.Dense(5, activation="softsign", name="dense_out", **_init(44))(h)
    model = keras.Model(x, h, name="keras_functional")
    rng = np.random.default_rng(32)
    model.get_layer("batchnorm").set_weights([rng.uniform(0.5, 1.5, 16), rng.uniform(-0.3, 0.3, 16),
                                              rng.uniform(0.5, 3.0, 16)])
    return model, (2, 8)


def merge():
    """Every merge layer on branches of different ranges, including three- and four-input ones
    (Average of 2 and 4: one shift; keras_functional has an Average of 3)."""
    x = keras.Input((6,), name="x")
    a = L.Dense(5, activation="tanh", name="dense_a", **_init(61))(x)
    b = L.Dense(5, name="dense_b", **_init(62))(x)
    c = L.Dense(5, activation="relu", name="dense_c", **_init(63))(x)
    d = L.Dense(5, activation="sigmoid", name="dense_d", **_init(64))(x)
    merged = [L.Add(name="add3")([a, b, c]), L.Subtract(name="subtract")([a, b]),
              L.Multiply(name="multiply3")([a, b, c]), L.Average(name="average2")([a, b]),
              L.Average(name="average4")([a, b, c, d]), L.Maximum(name="maximum3")([a, b, c]),
              L.Minimum(name="minimum")([b, d])]
    cat = L.Concatenate(axis=-1, name="concatenate")(merged)
    y = L.Dense(4, name="head", **_init(65))(cat)
    return keras.Model(x, y, name="keras_merge"), (6,)


def new_activations():
    """The activations beyond the ReLU family and sigmoid/tanh, by name and as layers."""
    layers = [keras.Input((8,), name="x")]
    for n, act in enumerate(["elu", "softsign", "softplus", "hard_sigmoid"]):
        layers += [L.Dense(8, name=f"dense_{n}", **_init(70 + n)),
                   L.Activation(act, name=f"act_{act}")]
    layers += [L.Dense(8, name="dense_4", **_init(75)), L.PReLU(name="prelu"),
               L.Dense(8, name="dense_5", **_init(76)), L.ELU(alpha=0.7, name="elu_layer"),
               L.Dense(4, name="dense_out", **_init(77))]
    model = keras.Sequential(layers, name="keras_activations")
    model.get_layer("prelu").set_weights([np.random.default_rng(33).uniform(-0.4, 0.6, 8)])
    return model, (8,)


MODELS = [
    ("keras_sequential", sequential, 51,
     "Sequential 16 -> ... -> 6: Dense + Activation relu, sigmoid, tanh, softsign, softplus, "
     "hard_sigmoid, elu, linear, softmax; a Dense with activation='tanh' inline; "
     "BatchNormalization (epsilon 0.01, non-default gamma, beta, moving mean and variance); "
     "Dropout(0.3); ReLU(max_value=1.5, negative_slope=0.1, threshold=0.05); "
     "LeakyReLU(0.2); PReLU (per-unit alpha); ELU(0.7)"),
    ("keras_functional", functional, 52,
     "functional (2, 8) -> 5: Flatten, two Dense branches (relu, sigmoid), Add, Subtract, "
     "Multiply, Average (3 inputs), Maximum, Minimum, Concatenate, Dense, BatchNormalization "
     "(center=False), Reshape((4, 4)), Softmax(axis=-1) layer, Flatten, Dense(softsign)"),
    ("keras_merge", merge, 53,
     "functional 6 -> 4: four Dense branches (tanh, linear, relu, sigmoid) merged by Add (3 "
     "inputs), Subtract, Multiply (3 inputs), Average (2 and 4 inputs), Maximum (3 inputs), "
     "Minimum, then Concatenate(axis=-1) of all seven and Dense"),
    ("keras_activations", new_activations, 54,
     "Sequential 8 -> 4: Dense + Activation elu, softsign, softplus, hard_sigmoid (Keras 3: "
     "relu6(x + 3) / 6); PReLU (alpha per unit, some negative); ELU(0.7); Dense"),
]


def _h5(path):
    return h5py.File(io.BytesIO(zipfile.ZipFile(path).read("model.weights.h5")), "r")


def layer_table(model, path):
    """Each layer, its arithmetic config, and where its variables are in the .h5, found by
    Keras' rule (trainable variables, then non-trainable, numbered in creation order) and
    checked against the file."""
    h5 = _h5(path)
    groups = {h5["layers"][g]["vars"].attrs.get("name"): f"layers/{g}"
              for g in h5["layers"] if "vars" in h5["layers"][g]}
    rows = []
    for layer in model.layers:
        cfg = layer.get_config()
        row = {"name": layer.name, "class": type(layer).__name__,
               "config": {k: cfg[k] for k in ARITH_KEYS if k in cfg}}
        if layer.name in groups:
            row["h5_group"] = groups[layer.name]
        variables = layer._trainable_variables + layer._non_trainable_variables
        row["variables"] = []
        for j, v in enumerate(variables):
            h5_path = f"{groups[layer.name]}/vars/{j}"
            stored = np.asarray(h5[h5_path])
            assert np.array_equal(stored, ops.convert_to_numpy(v)), (layer.name, v.name)
            row["variables"].append({"name": v.name, "h5": h5_path, "shape": list(stored.shape),
                                     "dtype": str(stored.dtype)})
        rows.append(row)
    return rows


def h5_tree(path):
    items = []
    _h5(path).visititems(lambda n, o: items.append(
        f"{n} {list(o.shape)} {o.dtype}" if isinstance(o, h5py.Dataset) else
        f"{n}/" + (f" (name={o.attrs['name']})" if "name" in o.attrs else "")))
    return items


def keras_fixture(name, build, seed, what):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model, in_shape = build()
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((N_ROWS, *in_shape)) * 1.5).astype(np.float32)
    with torch.no_grad():
        y = ops.convert_to_numpy(model(x, training=False)).astype(np.float32)
    path = OUT / f"{name}.keras"
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch) / f"{name}.keras"
        model.save(tmp)
        common.write_keras(path, tmp)
    with torch.no_grad():
        y2 = ops.convert_to_numpy(keras.models.load_model(path)(x, training=False))
    common.write_npy(OUT / f"{name}.x.npy", x)
    common.write_npy(OUT / f"{name}.y.npy", y)
    check = describe_exactness("model(x) vs load_model(file)(x)", y, y2)
    print(f"  {name}: {len(model.layers)} layers; reload {'exact' if not check['mismatches'] else 'DIFFERS'}")
    cfg = json.loads(zipfile.ZipFile(path).read("config.json"))
    return {
        "name": name, "what": what, "seed": seed,
        "files": [common.file_entry(path)],
        "x": common.file_entry(OUT / f"{name}.x.npy"),
        "y": common.file_entry(OUT / f"{name}.y.npy"),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
        "y_is": "Keras model(x, training=False) on the torch backend (float32)",
        "expect": "accept",
        "checks": [check],
        "config_json_top": {"class_name": cfg["class_name"], "module": cfg.get("module"),
                            "config_keys": sorted(cfg["config"].keys())},
        "layers": layer_table(model, path),
        "model.weights.h5": h5_tree(path),
    }


def activation_notes():
    """Definitions a reader has to match, from the installed Keras (torch backend)."""
    import inspect

    from keras.src.backend.torch import nn as tnn

    def ref(fn):
        lines, start = inspect.getsourcelines(fn)
        p = inspect.getsourcefile(fn)
        return f"{p[p.index('site-packages/') + 14:]}:{start}-{start + len(lines) - 1}"
    t = np.linspace(-4, 4, 9, dtype=np.float32)
    hs = ops.convert_to_numpy(keras.activations.hard_sigmoid(t))
    return {
        "hard_sigmoid": {"definition": "relu6(x + 3) / 6 (torch.nn.functional.hardsigmoid); "
                                       "Keras 2's 0.2 * x + 0.5 clipped is gone",
                         "source": ref(tnn.hard_sigmoid),
                         "sample": {"x": t.tolist(), "y": hs.tolist()}},
        "LeakyReLU": "negative_slope defaults to 0.3 (Keras 3 renamed alpha to negative_slope)",
        "ReLU": "max_value, negative_slope and threshold: y = x >= max ? max : x >= threshold ? x "
                ": negative_slope * (x - threshold)",
        "ELU": "alpha * (exp(x) - 1) for x <= 0",
        "softplus": f"torch.nn.functional.softplus ({ref(tnn.softplus)})",
        "softsign": f"x / (1 + |x|) ({ref(tnn.softsign)})",
        "BatchNormalization": "(x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta "
                              "at inference; gamma absent if scale=False, beta if center=False",
    }


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    entries = [keras_fixture(*spec) for spec in MODELS]
    manifest = {
        "generated_by": "tools/make_qat_fixtures.sh (tools/make_qat_fixtures.py, "
                        "tools/qat_fixtures/keras3_fixtures.py)",
        "versions": {p: version(p) for p in ("keras", "torch", "h5py", "numpy")},
        "keras_backend": keras.backend.backend(),
        "keras_file_layout": {
            "zip_members": ["metadata.json (keras_version, date_saved)",
                            "config.json (the model's serialized config)",
                            "model.weights.h5 (the variables)"],
            "h5_rule": "layers/<group>/vars/<n>: <group> is the snake_case class name, with _1, "
                       "_2 ... for repeats (dense, dense_1, batch_normalization, ...), NOT the "
                       "layer's name, which is the `name` attribute of that vars/ group; <n> "
                       "numbers the layer's trainable variables then its non-trainable ones in "
                       "creation order (Dense: 0 kernel [in, out], 1 bias; BatchNormalization: "
                       "gamma, beta, moving_mean, moving_variance, each present only if used; "
                       "PReLU: 0 alpha). Layers without variables still get an empty group.",
        },
        "activation_notes": activation_notes(),
        "models": entries,
    }
    common.write_json(OUT / "MANIFEST.json", manifest)
