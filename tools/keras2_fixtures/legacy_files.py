"""Keras-2-era model files as the field's public example models have them: an architecture
.json with its weights beside it as <name>_weights.h5 (hls4ml's example-models naming), and the
Keras 2.0 Sequential JSON whose `config` is the plain list of its layers.

TensorFlow 2.15 writes `{"config": {"name": ..., "layers": [...]}}`; Keras 2.0 and 2.1 wrote the
list alone, with no InputLayer (the first layer carries `batch_input_shape`) and only
`class_name` and `config` per layer. Keras 2.0 does not run on Python 3.11, so the list form is
made here from TensorFlow 2.15's JSON by exactly those changes, and tf.keras 2.15 (whose
Sequential.from_config still takes a list) loads it back and must reproduce the outputs.
"""

import json

import numpy as np
import tensorflow as tf

from .common import L, REL, VERSIONS, describe_layers, npy_bytes, predict, saved_bytes, write

ROWS = 1000


def keras20_list_json(model):
    """The Keras 2.0 form of a Sequential's to_json()."""
    cfg = json.loads(model.to_json())
    layers = cfg["config"]["layers"]
    if layers[0]["class_name"] != "InputLayer":
        raise RuntimeError("expected TF 2.15 to write the Sequential's InputLayer first")
    shape = layers[0]["config"]["batch_input_shape"]
    listed = [{"class_name": lc["class_name"], "config": dict(lc["config"])} for lc in layers[1:]]
    listed[0]["config"]["batch_input_shape"] = shape
    return json.dumps({"class_name": "Sequential", "config": listed,
                       "keras_version": cfg["keras_version"], "backend": cfg["backend"]})


def keras20_seq_mlp(seed):
    name = "keras20_seq_mlp"
    tf.keras.utils.set_random_seed(seed)
    model = tf.keras.Sequential([L.Dense(12, activation="relu", name="dense_1", input_shape=(7,)),
                                 L.Dense(6, activation="tanh", name="dense_2"),
                                 L.Dense(3, activation="softmax", name="dense_3")], name=name)
    rng = np.random.default_rng(seed)
    for layer in model.layers:  # non-zero biases, so that a bias read wrong shows
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel, rng.normal(0, 0.3, bias.shape).astype(np.float32)])
    x = rng.normal(0, 1.5, (ROWS, 7)).astype(np.float32)
    y = predict(model, x)
    text = keras20_list_json(model)
    write(f"{name}.json", text.encode())
    weights = write(f"{name}_weights.h5", saved_bytes(lambda p: model.save_weights(str(p))))
    tf.keras.backend.clear_session()
    back = tf.keras.models.model_from_json(text)
    back.load_weights(str(weights))
    if not np.array_equal(predict(back, x), y):
        raise RuntimeError(f"{name}: the list-config JSON reloaded by tf.keras differs")
    write(f"{name}.x.npy", npy_bytes(x))
    write(f"{name}.y.npy", npy_bytes(y))
    return {"file": f"{REL}/{name}.json", "weights": [f"{REL}/{name}_weights.h5"],
            "framework": f"tf.keras {VERSIONS['keras']}",
            "saved_as": "the Keras 2.0 Sequential JSON (config = the list of layers, no "
                        "InputLayer, batch_input_shape on the first layer, class_name and config "
                        "only), made from model.to_json() (Keras 2.0 does not run on Python "
                        "3.11); weights by the legacy model.save_weights('<name>_weights.h5')",
            "model_class": "Sequential",
            "tests": "Keras 2.0 list config; <name>_weights.h5 found beside the .json",
            "expect": "accept",
            "layers": describe_layers({"config": {"layers": json.loads(text)["config"]}}),
            "x": f"{name}.x.npy", "y": f"{name}.y.npy",
            "x_shape": list(x.shape), "y_shape": list(y.shape),
            "checks": ["tf.keras.models.model_from_json(the list JSON) + load_weights reproduces "
                       "y bit for bit"]}
