"""HGQ (version 1, the `HGQ` package on tf.keras) proxy models, made by HGQ itself.

An HGQ model (HQuantize, HDense) learns a bit width per weight and per activation feature;
`HGQ.to_proxy_model` turns it into plain Keras layers with the quantized weights and a
FixedPointQuantizer after each (int8 variables keep_negative, bits, integers; RND and SAT in the
config). Here the bit widths are set at random (so that they differ by element, as after
training) before `trace_minmax` sizes the integer bits on the data, then the proxy is made and
saved both ways users have it: `model.save('<name>.h5')` and `to_json()` +
`save_weights('<name>_weights.h5')` (hls4ml's example-models naming). y is the proxy's output.
"""

import json

import numpy as np
import tensorflow as tf

from .common import REL, VERSIONS, describe_layers, npy_bytes, predict, saved_bytes, write

ROWS = 10000


def _hgq():
    import HGQ  # noqa: F401  (registers FixedPointQuantizer for loading)
    return HGQ


def _quantizer_listing(proxy):
    """Each FixedPointQuantizer's modes and its distinct (keep_negative, bits, integers)."""
    out = []
    for layer in proxy.layers:
        if type(layer).__name__ != "FixedPointQuantizer":
            continue
        k, b, i = (v.numpy().astype(int) for v in (layer.keep_negative, layer.bits,
                                                   layer.integers))
        kinds = sorted({(int(a), int(c), int(d)) for a, c, d in zip(k.ravel(), b.ravel(),
                                                                   i.ravel())})
        out.append({"name": layer.name, "RND": layer.RND, "SAT": layer.SAT,
                    "shape": list(b.shape), "kbi": [list(t) for t in kinds[:12]],
                    "distinct": len(kinds)})
    return out


def quantizers_json(quantizers):
    return (json.dumps(quantizers, indent=1) + "\n").encode()


def hgq1_proxy_mlp(seed, aggressive):
    HGQ = _hgq()
    name = "hgq1_proxy_mlp" + ("" if aggressive else "_sat")
    tf.keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model = tf.keras.Sequential([
        HGQ.HQuantize(input_shape=(8,), beta=0, name="inp_q"),
        HGQ.HDense(16, activation="relu", beta=0, name="dense_1"),
        HGQ.HDense(8, activation="relu", beta=0, name="dense_2"),
        HGQ.HDense(4, beta=0, name="dense_3"),
    ], name=name)
    for layer in model.layers:  # bit widths differing by element, as after training
        for q in [getattr(layer, "kq", None), getattr(layer, "paq", None)]:
            if q is not None:
                q.fbw.assign(rng.integers(2, 8, q.fbw.shape).astype(np.float32))
    x = rng.uniform(-4, 4, (ROWS, 8)).astype(np.float32)
    HGQ.trace_minmax(model, x, verbose=False)
    proxy = HGQ.to_proxy_model(model, aggressive=aggressive)
    y = predict(proxy, x)
    y_hgq = predict(model, x)
    h5 = write(f"{name}.h5", saved_bytes(proxy.save))
    write(f"{name}.json", proxy.to_json().encode())
    weights = write(f"{name}_weights.h5", saved_bytes(lambda p: proxy.save_weights(str(p))))
    tf.keras.backend.clear_session()
    back = tf.keras.models.load_model(h5, compile=False)
    if not np.array_equal(predict(back, x), y):
        raise RuntimeError(f"{name}: reloaded proxy differs")
    back = tf.keras.models.model_from_json((h5.parent / f"{name}.json").read_text())
    back.load_weights(str(weights))
    if not np.array_equal(predict(back, x), y):
        raise RuntimeError(f"{name}: json + weights reloaded differs")
    write(f"{name}.x.npy", npy_bytes(x))
    write(f"{name}.y.npy", npy_bytes(y))
    quantizers = _quantizer_listing(proxy)
    # Also on its own: MANIFEST.json holds NaN elsewhere, which strict JSON readers refuse.
    write(f"{name}.quantizers.json", quantizers_json(quantizers))
    cfg = json.loads(proxy.to_json())
    return {"file": f"{REL}/{name}.h5",
            "also": [f"{REL}/{name}.json", f"{REL}/{name}_weights.h5"],
            "framework": f"HGQ {HGQ.__version__} on tf.keras {VERSIONS['keras']}",
            "saved_as": "HGQ.to_proxy_model(model, aggressive=%s): proxy.save('<name>.h5'); "
                        "proxy.to_json() + proxy.save_weights('<name>_weights.h5')" % aggressive,
            "model_class": cfg["class_name"],
            "tests": "HGQ1 proxy: FixedPointQuantizer with per-element bit widths, Dense and "
                     "ReLU between them; overflow " + ("WRAP" if aggressive else "SAT"),
            "expect": "accept", "layers": describe_layers(cfg),
            "quantizers": quantizers, "quantizers_file": f"{name}.quantizers.json",
            "proxy_equals_hgq_model": bool(np.array_equal(y, y_hgq)),
            "x": f"{name}.x.npy", "y": f"{name}.y.npy",
            "x_shape": list(x.shape), "y_shape": list(y.shape),
            "checks": ["load_model(h5) and model_from_json + load_weights reproduce y bit for "
                       "bit"]}
