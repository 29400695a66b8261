#!/usr/bin/env python3
"""Build the Keras 2 (HDF5) and QKeras test fixtures with the real frameworks.

Run through tools/make_keras2_fixtures.sh, which makes the pinned virtual environment
(TensorFlow 2.15 ships Keras 2; QKeras needs it). Writes tests/fixtures/keras2/:

  <name>.h5 | <name>.json + weights   the model, saved the way users save it
  <name>.x.npy, <name>.y.npy          float32 inputs and the framework's outputs
  <name>.trace.npz                    QKeras models: every layer's output (first TRACE_ROWS rows)
  MANIFEST.json                       what each file is, the quantizer -> fixed-point mapping
                                      derived from the installed QKeras source, and the checks

Nothing here is hand-written HDF5: the reader has to cope with what Keras writes. Each QKeras
layer is re-computed here with plain numpy from the fixed-point type the manifest claims, and
the script fails unless that reproduces QKeras bit for bit, so the manifest's mapping is
checked, not just asserted. Deterministic (fixed seeds, single-threaded TF, no timestamps in
the files) and idempotent: files whose bytes did not change are not rewritten.
"""

import hashlib
import io
import json
import os
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # plain Eigen kernels: same float results everywhere
warnings.filterwarnings("ignore")

import h5py  # noqa: E402
import keras  # noqa: E402  (Keras 2.15, the package behind tf.keras)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.threading.set_intra_op_parallelism_threads(1)

import qkeras  # noqa: E402
from qkeras import QActivation, QBatchNormalization, QDense  # noqa: E402
from qkeras.quantizers import binary, quantized_bits, quantized_po2, quantized_relu, ternary  # noqa: E402,F401
from qkeras.utils import load_qmodel  # noqa: E402

L = tf.keras.layers
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "keras2"
REL = OUT.relative_to(REPO).as_posix()
FLOAT_ROWS = 1000     # float models: enough to compare with a tolerance
QUANT_ROWS = 10000    # quantized models: every tie and saturation case many times over
TRACE_ROWS = 1000     # per-layer outputs of the first rows only, to keep the folder small
QKERAS_DIR = Path(qkeras.__file__).parent
KERAS_DIR = Path(keras.__file__).parent
VERSIONS = {"python": sys.version.split()[0], "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "qkeras": getattr(qkeras, "__version__", "?"), "h5py": h5py.__version__,
            "hdf5": h5py.version.hdf5_version, "numpy": np.__version__}


# --------------------------------------------------------------------------- writing

WRITTEN = []  # (relative path, bytes, status)


def write(name, data):
    """Idempotence: unchanged bytes keep the file (and its mtime) as it is."""
    path = OUT / name
    status = "unchanged"
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
        status = "written"
    WRITTEN.append((name, len(data), status))
    return path


def npy_bytes(a):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def npz_bytes(arrays):
    """np.savez stamps each member with the current time; this writes a fixed 1980 date."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for key, a in arrays.items():
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, npy_bytes(a), compresslevel=9)
    return buf.getvalue()


def saved_bytes(save):
    """Keras writes to a path; `save(path)` writes there, the bytes come back."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.h5"
        save(p)
        return p.read_bytes()


def cite(path, snippet, whole_line=False):
    """'file:line: text' of the first line of the installed source containing `snippet`;
    fails if QKeras/Keras changed so that the evidence no longer holds."""
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines, 1):
        if (line.strip() == snippet) if whole_line else (snippet in line):
            root = QKERAS_DIR.parent if "qkeras" in path.parts else KERAS_DIR.parent
            return f"{path.relative_to(root).as_posix()}:{i}: {line.strip()}"
    raise RuntimeError(f"evidence not found in {path}: {snippet!r}")


# --------------------------------------------------------------------------- fixed point

def rne(v):
    return np.round(v)  # numpy rounds half to even, like tf.round


def spec_of(q):
    """The number format a QKeras quantizer object produces, derived from its source
    (see evidence()). Returns a dict: kind, type, lsb/codes for fixed-point kinds."""
    name = type(q).__name__
    c = q.get_config()
    if name == "quantized_bits" and not isinstance(q.alpha, str):
        assert q.alpha in (None, 1, 1.0) and not q.use_stochastic_rounding, c
        kn = int(bool(q.keep_negative))
        ub = q.bits - kn
        sym = int(bool(q.symmetric)) if kn else 0
        lo, hi = (-(2 ** ub) + sym if kn else 0), 2 ** ub - 1
        ap = f"ap_{'' if kn else 'u'}fixed<{q.bits},{q.integer + kn},AP_RND_CONV," \
             f"{'AP_SAT_SYM' if sym else 'AP_SAT'}>"
        return {"kind": "fixed", "type": ap, "signed": bool(kn), "width": q.bits,
                "int_bits_incl_sign": q.integer + kn, "lsb": 2.0 ** (q.integer - ub),
                "code_min": lo, "code_max": hi, "rounding": "half to even (tf.round)",
                "overflow": "saturate" + (" symmetric (code -2^(W-1) unused)" if sym else "")}
    if name == "quantized_bits":  # alpha 'auto' / 'auto_po2'
        assert q.alpha == "auto_po2", c
        half = 2 ** (q.bits - 1) - 1
        return {"kind": "auto_po2", "type": f"per output channel j: scale_j * ap_fixed<{q.bits},"
                f"{q.integer + 1},AP_RND_INF,AP_SAT_SYM>(w / scale_j), scale_j a power of two "
                "recomputed from the float kernel (not stored in the file)",
                "width": q.bits, "base_lsb": 2.0 ** (q.integer - (q.bits - 1)),
                "code_min": -half, "code_max": half,
                "rounding": "half away from zero (floor(|x|/s + 0.5))", "overflow": "saturate symmetric"}
    if name == "quantized_relu":
        assert not q.use_sigmoid and not q.use_stochastic_rounding, c
        ns = float(q.negative_slope)
        if ns == 0.0:
            return {"kind": "fixed", "type": f"ap_ufixed<{q.bits},{q.integer},AP_RND_CONV,AP_SAT>",
                    "signed": False, "width": q.bits, "int_bits_incl_sign": q.integer,
                    "lsb": 2.0 ** (q.integer - q.bits), "code_min": 0, "code_max": 2 ** q.bits - 1,
                    "rounding": "half to even (tf.round)", "overflow": "saturate (negatives -> 0)"}
        ub = q.bits - 1
        return {"kind": "relu_slope", "negative_slope": ns,
                "type": f"ap_fixed<{q.bits},{q.integer + 1},AP_RND_CONV,AP_SAT> of "
                        f"(x >= 0 ? x : {ns}*x), negative side clamped at -{ns}*2^{q.integer}",
                "signed": True, "width": q.bits, "int_bits_incl_sign": q.integer + 1,
                "lsb": 2.0 ** (q.integer - ub), "code_min": int(-ns * 2 ** ub), "code_max": 2 ** ub - 1,
                "rounding": "half to even (tf.round), applied to x and to slope*x",
                "overflow": "saturate"}
    if name == "binary":
        assert q.alpha in (None, 1, 1.0) and not q.use_01 and not q.use_stochastic_rounding, c
        return {"kind": "binary", "type": "1 bit {-1,+1}: x >= 0 -> +1 (also x = 0), x < 0 -> -1; "
                "holds in ap_int<2> (hls4ml: XnorPrecisionType, bit 1 = +1)", "values": [-1, 1]}
    if name == "ternary":
        assert q.alpha in (None, 1, 1.0) and not q.use_stochastic_rounding, c
        thr = float(np.float32(q.default_threshold if q.threshold is None else q.threshold))
        return {"kind": "ternary", "threshold_float32": thr, "values": [-1, 0, 1],
                "type": f"ap_int<2> {{-1,0,+1}}: |x| >= {thr!r} (float32 0.33) -> sign(x), else 0"}
    if name == "quantized_po2":
        assert not q.use_stochastic_rounding and not q.quadratic_approximation, c
        assert q.log2_rounding == "rnd"
        top = q._max_exp
        if q.max_value is not None:
            top = min(top, int(np.round(np.log2(q.max_value))))
        return {"kind": "po2", "min_exp": q._min_exp, "max_exp": q._max_exp, "max_value": q.max_value,
                "largest_exp": top,
                "type": f"sign + exponent ({q.bits} bits, hls4ml ExponentPrecisionType): "
                        f"+-2^e, e in [{q._min_exp},{top}], never 0 (|x| < 1e-7 -> +-2^{q._min_exp}); "
                        f"holds in ap_fixed<{top + 2 - q._min_exp},{top + 2}>",
                "rounding": "e = round_half_even(log2 |x|) in float32: threshold at 2^(k+0.5), "
                            "not at the arithmetic midpoint"}
    raise RuntimeError(f"no fixed-point mapping for {name} {c}")


def ref_quantize(spec, x):
    """What the claimed type computes, in numpy; must equal QKeras's output exactly."""
    x = np.asarray(x)
    kind = spec["kind"]
    if kind == "fixed":
        return np.clip(rne(x.astype(np.float64) / spec["lsb"]), spec["code_min"],
                       spec["code_max"]) * spec["lsb"]
    if kind == "relu_slope":
        r = x.astype(np.float64) / spec["lsb"]
        pos = np.clip(rne(r), 0, spec["code_max"])
        neg = np.clip(rne(r * spec["negative_slope"]), spec["code_min"], 0)
        return (pos + neg) * spec["lsb"]
    if kind == "binary":
        return np.where(x >= 0, 1.0, -1.0)
    if kind == "ternary":
        return np.where(np.abs(x.astype(np.float32)) >= np.float32(spec["threshold_float32"]),
                        np.sign(x), 0.0)
    if kind == "po2":
        x = x.astype(np.float32)
        eps = np.float32(1e-7)
        a = np.abs(x)
        f = np.where(a < eps, eps, a)
        if spec["max_value"] is not None:
            f = np.where(f >= np.float32(spec["max_value"]), np.float32(spec["max_value"]), f)
        e = np.clip(rne(np.log(f) / np.float32(np.log(2.0))), spec["min_exp"], spec["max_exp"])
        e = np.where(a < eps, spec["min_exp"], e)
        return np.where(x < 0, -1.0, 1.0) * np.exp2(e.astype(np.float64))
    raise RuntimeError(kind)


def on_grid(spec, y):
    y = np.asarray(y, np.float64)
    kind = spec["kind"]
    if kind in ("fixed", "relu_slope"):
        c = y / spec["lsb"]
        return bool(np.all(c == np.round(c)) and c.min() >= spec["code_min"] and c.max() <= spec["code_max"])
    if kind in ("binary", "ternary"):
        return bool(np.all(np.isin(y, spec["values"])))
    if kind == "po2":
        e = np.log2(np.abs(y))
        return bool(np.all(e == np.round(e)) and e.min() >= spec["min_exp"] and e.max() <= spec["largest_exp"])
    raise RuntimeError(kind)


def tie_and_saturation_counts(spec, x):
    """How often the quantizer's input lies exactly half-way between two codes, and beyond
    its range: evidence that the fixtures exercise rounding and saturation."""
    if spec["kind"] not in ("fixed", "relu_slope"):
        return {"exact_zero_inputs": int(np.sum(np.asarray(x) == 0)), "elements": int(np.size(x))}
    r = np.asarray(x, np.float64) / spec["lsb"]
    if spec["kind"] == "relu_slope":
        r = np.where(r < 0, r * spec["negative_slope"], r)
    tie = (r - np.floor(r)) == 0.5
    inside = (r > spec["code_min"] - 0.5) & (r < spec["code_max"] + 0.5)
    return {"ties_in_range": int(np.sum(tie & inside)), "outside_range": int(np.sum(~inside)),
            "elements": int(r.size)}


def auto_po2_numpy(q, w):
    """QKeras quantized_bits(alpha='auto_po2') re-done in float32 numpy, to prove a reader can
    recompute the scales from the float kernel (they are not saved anywhere)."""
    f32 = np.float32
    m, m_i = f32(2 ** (q.bits - 1)), f32(2.0 ** q.integer)
    eps = f32(1e-7)
    x = (w / m_i).astype(f32)
    levels = f32((2 ** (q.bits - 1) - 1) * 2)

    def po2(s):
        return np.exp2(rne(np.log(s + eps) / f32(np.log(2.0)))).astype(f32)

    scale = po2(np.max(np.abs(x), axis=0, keepdims=True) * f32(2) / levels)
    for _ in range(5):
        v = np.floor(np.abs(x) / scale + f32(0.5))
        z = np.sign(x) * np.where(v < levels / 2, v, levels / 2)
        qx = np.mean(x * z, axis=0, keepdims=True, dtype=f32)
        qq = np.mean(z * z, axis=0, keepdims=True, dtype=f32)
        scale = po2(qx / (qq + eps))
    # z was rounded with the scale of the previous iteration, the result uses the last one.
    return (scale * m) .astype(f32), (scale * m_i * z).astype(f32), z


# --------------------------------------------------------------------------- inputs

def float_inputs(seed, shape):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.5, (FLOAT_ROWS, *shape))
    big = rng.random(x.shape) < 0.05  # tails that reach softplus/elu/sigmoid saturation
    return np.where(big, x * 4.0, x).astype(np.float32)


def quant_inputs(seed, feats, integer, bits=8):
    """Raw floats for an input QActivation quantized_bits(bits, integer): 55% uniform over
    1.5x the range (about a third saturate), 30% exactly on ties (k + 1/2) * lsb including
    ties just past both ends, 15% exactly on codes; the first rows are hand-picked edges."""
    rng = np.random.default_rng(seed)
    lsb, top, n = 2.0 ** (integer - bits + 1), 2.0 ** integer, 2 ** (bits - 1)
    shape = (QUANT_ROWS, feats)
    cat = rng.random(shape)
    uni = rng.uniform(-1.5 * top, 1.5 * top, shape)
    ties = (rng.integers(-n - 6, n + 6, shape) + 0.5) * lsb
    grid = rng.integers(-n - 3, n + 3, shape) * lsb
    x = np.where(cat < 0.55, uni, np.where(cat < 0.85, ties, grid))
    edges = [0.0, -0.0, lsb / 2, -lsb / 2, 1.5 * lsb, -1.5 * lsb, top - lsb, top - lsb / 2, top,
             -top, -top - lsb / 2, -top + lsb / 2, 1e3, -1e3, 100 * top, -100 * top]
    flat = x.reshape(-1)
    flat[:len(edges)] = edges
    return x.astype(np.float32)


# --------------------------------------------------------------------------- float models

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


def describe_layers(cfg):
    layers = cfg["config"]["layers"]
    out = []
    for lc in layers:
        d = {"name": lc["config"]["name"], "class_name": lc["class_name"]}
        if "inbound_nodes" in lc:
            d["inbound"] = [n[0] for node in lc["inbound_nodes"] for n in node]
        out.append(d)
    return out


def h5_config(path):
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["model_config"])


def h5_layout(path):
    """What a C++ HDF5 reader meets: attribute string kinds, every dataset's path/dtype/shape."""
    def kind(obj, name):
        a = obj.attrs.get_id(name)
        t, shape = a.get_type(), a.shape
        if isinstance(t, h5py.h5t.TypeStringID):
            s = "vlen" if t.is_variable_str() else f"fixed({t.get_size()})"
            cset = "utf8" if t.get_cset() == h5py.h5t.CSET_UTF8 else "ascii"
            return f"{s} {cset} string" + (f"[{shape[0]}]" if shape else " scalar")
        return f"{a.dtype}{list(shape)}"

    out = {"attributes": {}, "datasets": []}
    try:
        with h5py.File(path, "r") as f:
            def visit(name, obj):
                for a in obj.attrs:
                    out["attributes"][f"/{name}@{a}"] = kind(obj, a)
                if isinstance(obj, h5py.Dataset):
                    out["datasets"].append(f"/{name} {obj.dtype} {list(obj.shape)}")
            for a in f.attrs:
                out["attributes"][f"/@{a}"] = kind(f, a)
            f.visititems(visit)
    except OSError as e:
        return {"h5py_open_error": str(e).split("(")[-1].rstrip(")")}
    # the per-layer attributes repeat; one line per distinct (attribute name, kind) is enough
    seen, attrs = set(), {}
    for k, v in out["attributes"].items():
        key = (k.split("@")[1], v, k.count("/") > 2)
        if key not in seen:
            seen.add(key)
            attrs[k] = v
    out["attributes"] = attrs
    return out


def build_float(builder, seed):
    tf.keras.backend.clear_session()
    model, in_shape, tests = builder()
    init_float_weights(model, seed)
    x = float_inputs(seed, in_shape)
    return model, x, tests


def predict(model, x):
    return model(x, training=False).numpy().astype(np.float32)


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


# --------------------------------------------------------------------------- QKeras models

def qb(bits, integer, **kw):
    return quantized_bits(bits, integer, **kw)


def q_seq(name, in_integer, layers):
    """Sequential: raw input -> QActivation quantized_bits(8, in_integer) -> layers."""
    first = QActivation(f"quantized_bits(8,{in_integer},alpha=1)", name="q_in")
    return tf.keras.Sequential([L.InputLayer((4,), name="x"), first, *layers], name=name)


QMODELS = [
    ("qkeras_dense_8bit", 2, "QDense with 8-bit quantized_bits(alpha=1) kernels and biases "
     "(several (bits, integer) pairs), QActivation quantized_bits(10,4) between, final "
     "QActivation given as a quantizer object (serialized as a dict, not a string)",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d0"),
              QActivation("quantized_bits(10,4,alpha=1)", name="q0"),
              QDense(8, kernel_quantizer=qb(8, 1, alpha=1), bias_quantizer=qb(8, 3, alpha=1), name="d1"),
              QActivation("quantized_bits(8,3,keep_negative=1,alpha=1)", name="q1"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 1, alpha=1), name="d2"),
              QActivation(qb(8, 3, alpha=1), name="q_out")]),
    ("qkeras_dense_6bit", 1, "6-bit QDense, unsigned (keep_negative=0) kernel, bias and "
     "activation quantizers, a symmetric=1 kernel, a QDense without bias",
     lambda: [QDense(8, kernel_quantizer=qb(6, 0, alpha=1), bias_quantizer=qb(6, 1, alpha=1), name="d0"),
              QActivation("quantized_bits(6,2,alpha=1)", name="q0"),
              QDense(8, kernel_quantizer=qb(6, 1, keep_negative=0, alpha=1),
                     bias_quantizer=qb(6, 0, keep_negative=0, alpha=1), name="d1_unsigned"),
              QActivation("quantized_bits(6,2,0,keep_negative=False,alpha=1)", name="q1_unsigned"),
              QDense(8, use_bias=False, kernel_quantizer=qb(4, 0, symmetric=1, alpha=1), name="d2_sym_nobias"),
              QActivation("quantized_bits(6,3,1,alpha=1)", name="q2_sym"),
              QDense(4, kernel_quantizer=qb(6, 0, alpha=1), bias_quantizer=qb(6, 2, alpha=1), name="d3"),
              QActivation("quantized_bits(6,2,alpha=1)", name="q_out")]),
    ("qkeras_dense_auto_po2", 2, "QDense kernels with alpha='auto_po2' (explicit), and with alpha "
     "omitted, which QDense silently turns into 'auto_po2'; per-channel power-of-two scales",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha="auto_po2"), bias_quantizer=qb(8, 2, alpha=1), name="d0_auto_po2"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q0"),
              QDense(4, kernel_quantizer="quantized_bits(6,0)", bias_quantizer=qb(6, 2, alpha=1), name="d1_alpha_omitted"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_relu", 2, "quantized_relu as a QActivation string and as QDense's activation argument",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     activation=quantized_relu(6, 2), name="d0_relu"),
              QDense(8, kernel_quantizer=qb(8, 1, alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d1"),
              QActivation("quantized_relu(8,3)", name="q1_relu"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 0, alpha=1), name="d2"),
              QActivation("quantized_relu(4,1)", name="q_out")]),
    ("qkeras_relu_slope", 2, "quantized_relu(8,3,negative_slope=0.25): leaky quantized relu",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d0"),
              QActivation("quantized_relu(8,3,negative_slope=0.25)", name="q0_leaky"),
              QDense(4, kernel_quantizer=qb(8, 1, alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d1"),
              QActivation("quantized_relu(6,2,negative_slope=0.5)", name="q_out")]),
    ("qkeras_binary_ternary", 1, "binary() and ternary() activations",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 1, alpha=1), name="d0"),
              QActivation("binary()", name="q0_binary"),
              QDense(4, kernel_quantizer=qb(4, 0, alpha=1), bias_quantizer=qb(4, 0, alpha=1), name="d1"),
              QActivation("ternary()", name="q_out")]),
    ("qkeras_po2", 2, "quantized_po2 activations: (4, max_value=4) and (5) without max_value",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d0"),
              QActivation("quantized_po2(4,4)", name="q0_po2"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 1, alpha=1), name="d1"),
              QActivation("quantized_po2(5)", name="q_out")]),
    ("qkeras_qbn", 2, "QBatchNormalization with quantized_bits parameter quantizers (variance "
     "unquantized) and with QKeras's default po2 quantizers; the normalization itself is float",
     lambda: [QDense(8, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d0"),
              QBatchNormalization(gamma_quantizer=qb(8, 2, alpha=1), beta_quantizer=qb(8, 2, alpha=1),
                                  mean_quantizer=qb(8, 3, alpha=1), variance_quantizer=None, name="qbn_bits"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q0"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 1, alpha=1), name="d1"),
              QBatchNormalization(name="qbn_default"),
              QActivation("quantized_relu(8,3)", name="q_out")]),
    ("qkeras_weight_quantizers", 2, "binary(alpha=1), ternary(alpha=1) and quantized_po2(4) kernels "
     "and a quantized_po2(4) bias: values, not fixed-point grids, which nnfpga computes while "
     "reading (without alpha, QDense makes binary and ternary kernels 'auto_po2')",
     lambda: [QDense(8, kernel_quantizer=binary(alpha=1), bias_quantizer=qb(8, 2, alpha=1), name="d0_binary"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q0"),
              QDense(8, kernel_quantizer=ternary(alpha=1), bias_quantizer=quantized_po2(4), name="d1_ternary"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q1"),
              QDense(4, kernel_quantizer=quantized_po2(4), bias_quantizer=qb(8, 2, alpha=1), name="d2_po2"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
]


def draw_on_grid(rng, shape, spec, frac):
    """Weights for a fixed-point quantizer: mostly uniform within `frac` of its range, a quarter
    exactly on ties and a tenth exactly on codes there, and 8% past the ends (they saturate).
    Unsigned quantizers also get some negatives, which clamp to 0."""
    lsb = spec["lsb"]
    lo, hi = spec["code_min"] * lsb, spec["code_max"] * lsb
    a, b = (lo * frac, hi * frac) if lo < 0 else (-0.2 * hi * frac, hi * frac)
    cat = rng.random(shape)
    codes = rng.integers(int(np.floor(a / lsb)), int(np.ceil(b / lsb)), shape)
    past = np.where(rng.random(shape) < 0.5, lo, hi) * rng.uniform(1.0, 1.25, shape)
    if lo == 0:
        past = hi * rng.uniform(1.0, 1.25, shape)
    v = np.where(cat < 0.25, (codes + 0.5) * lsb, np.where(cat < 0.35, codes * lsb,
                 np.where(cat < 0.43, past, rng.uniform(a, b, shape))))
    return v.astype(np.float32)


def draw_for_values(rng, shape, spec):
    """Weights for a sign, threshold or power-of-two quantizer: uniform, with exact zeros, the
    ternary threshold itself (both signs), values within 2^-12..2^-8 (relative) of the po2
    boundaries 2^(k+1/2), on either side, and values past the largest power. (Not closer: where
    float32 log rounds a weight onto the boundary, QKeras's result depends on TensorFlow's log
    implementation, and nnfpga refuses such a weight.)"""
    cat = rng.random(shape)
    v = rng.uniform(-1.5, 1.5, shape)
    if spec["kind"] == "ternary":
        v = np.where(cat < 0.15, np.sign(v) * spec["threshold_float32"], v)
    if spec["kind"] == "po2":
        k = rng.integers(spec["min_exp"], spec["largest_exp"], shape)
        near = np.exp2(k + 0.5) * (1 + np.sign(rng.uniform(-1, 1, shape)) * np.exp2(rng.uniform(-12, -8, shape)))
        v = np.where(cat < 0.3, np.sign(v) * near, v)
        v = np.where(cat > 0.95, np.sign(v) * rng.uniform(1.0, 2.0, shape) * 2.0 ** spec["largest_exp"], v)
    v = np.where((cat > 0.9) & (cat <= 0.95), 0.0, v)
    return v.astype(np.float32)


def draw_weights(rng, shape, spec, frac):
    if spec["kind"] in ("binary", "ternary", "po2"):
        return draw_for_values(rng, shape, spec)
    return draw_on_grid(rng, shape, spec, frac)


def init_qweights(model, seed):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, QDense):
            k = layer.kernel_quantizer_internal
            if getattr(k, "alpha", None) == "auto_po2":
                col = np.exp2(rng.integers(-4, 2, layer.units)).astype(np.float32)
                kern = (rng.uniform(-1, 1, layer.kernel.shape) * col * 0.9).astype(np.float32)
            else:
                kern = draw_weights(rng, layer.kernel.shape, spec_of(k), 0.4)
            vals = [kern]
            if layer.use_bias:
                vals.append(draw_weights(rng, layer.bias.shape, spec_of(layer.bias_quantizer_internal), 0.3))
            layer.set_weights(vals)
        elif isinstance(layer, QBatchNormalization):
            n = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, n), rng.uniform(-0.5, 0.5, n),
                               rng.uniform(-1.0, 1.0, n), rng.uniform(0.5, 2.0, n)])


def layer_quantizers(layer, cfg):
    """(role, quantizer object, as serialized in model_config) for every quantizer of a layer."""
    c = cfg["config"]
    if isinstance(layer, QActivation):
        return [("activation", layer.quantizer, c["activation"])]
    out = []
    if isinstance(layer, QDense):
        out.append(("kernel", layer.kernel_quantizer_internal, c["kernel_quantizer"]))
        if layer.use_bias:
            out.append(("bias", layer.bias_quantizer_internal, c["bias_quantizer"]))
        if hasattr(layer.activation, "get_config"):
            out.append(("activation", layer.activation, c["activation"]))
    if isinstance(layer, QBatchNormalization):
        for role in ("gamma", "beta", "mean", "variance"):
            q = getattr(layer, f"{role}_quantizer_internal")
            out.append((role, q, c[f"{role}_quantizer"]))
    return out


def check_qmodel(name, model, path, x, trace, cfg_layers):
    """Re-compute every layer from the claimed types; return per-layer facts for the manifest."""
    facts = []
    prev = x
    with h5py.File(path, "r") as f:
        stored = {ln: {k: np.array(f["model_weights"][ln][ln][k]) for k in f["model_weights"][ln][ln]}
                  for ln in f["model_weights"].attrs["layer_names"].astype(str)
                  if ln in f["model_weights"] and ln in f["model_weights"][ln]}
    cfg_by_name = {c["config"]["name"]: c for c in cfg_layers}
    for layer in model.layers:
        out = trace[layer.name]
        info = {"layer": layer.name, "class_name": type(layer).__name__, "quantizers": []}
        for role, q, serialized in layer_quantizers(layer, cfg_by_name[layer.name]):
            entry = {"role": role, "serialized": serialized}
            if q is not None:
                entry.update({"class_name": type(q).__name__, "str": str(q)})
                if not (isinstance(serialized, dict) and serialized.get("config") == q.get_config()):
                    entry["config"] = q.get_config()  # what the string (or dict) expands to
                try:
                    entry["expected_type"] = spec_of(q)
                except (AssertionError, RuntimeError):
                    entry["expected_type"] = None  # QBN's quantized_relu_po2 defaults: values recorded
            info["quantizers"].append(entry)
        qs = {e["role"]: e for e in info["quantizers"]}

        if isinstance(layer, QActivation):
            spec = qs["activation"]["expected_type"]
            ref = ref_quantize(spec, prev)
            if not np.array_equal(ref, out.astype(np.float64)):
                bad = np.argwhere(ref != out)[:3]
                raise RuntimeError(f"{name}/{layer.name}: {spec['type']} differs from QKeras at {bad}")
            qs["activation"]["input_counts"] = tie_and_saturation_counts(spec, prev)
        elif isinstance(layer, QDense):
            w = stored[layer.name]
            kernel = w["kernel:0"]
            kq = layer.kernel_quantizer_internal(tf.constant(kernel)).numpy()
            kspec = qs["kernel"]["expected_type"]
            if kspec["kind"] == "auto_po2":
                scale, mine, z = auto_po2_numpy(layer.kernel_quantizer_internal, kernel)
                qscale = np.asarray(layer.kernel_quantizer_internal.scale)
                if not (np.array_equal(mine, kq) and np.array_equal(scale, qscale)):
                    raise RuntimeError(f"{name}/{layer.name}: auto_po2 recomputation differs")
                step = (qscale * kspec["base_lsb"]).reshape(-1)
                codes = kq / step
                if not (np.all(codes == np.round(codes)) and np.abs(codes).max() <= kspec["code_max"]):
                    raise RuntimeError(f"{name}/{layer.name}: auto_po2 kernel off its grid")
                direct = np.sign(kernel) * np.minimum(np.floor(np.abs(kernel / step) + 0.5), kspec["code_max"])
                qs["kernel"]["auto_po2"] = {
                    "scale_attribute": qscale.reshape(-1).tolist(),
                    "scale_log2": np.log2(qscale).reshape(-1).astype(int).tolist(),
                    "kernel_lsb_per_channel": step.tolist(),
                    "meaning": "kernel_q[:, j] = quantizer.scale[j] * (code * 2^(integer-bits+1)), |code| <= "
                               "2^(bits-1)-1; quantizer.scale is computed in call() from the float kernel "
                               "(max-abs start, 5 least-squares rounds, each rounded to a power of two) "
                               "and is NOT stored in the .h5",
                    "codes_equal_round_half_away(w/lsb_j)": bool(np.array_equal(direct, codes)),
                    "recomputed_in_numpy": True}
            else:
                if not (on_grid(kspec, kq) and np.array_equal(ref_quantize(kspec, kernel), kq)):
                    raise RuntimeError(f"{name}/{layer.name}: kernel not on {kspec['type']}")
                qs["kernel"]["input_counts"] = tie_and_saturation_counts(kspec, kernel)
            pre = prev.astype(np.float64) @ kq.astype(np.float64)
            if layer.use_bias:
                bspec = qs["bias"]["expected_type"]
                bq = layer.bias_quantizer_internal(tf.constant(w["bias:0"])).numpy()
                if not (on_grid(bspec, bq) and np.array_equal(ref_quantize(bspec, w["bias:0"]), bq)):
                    raise RuntimeError(f"{name}/{layer.name}: bias not on {bspec['type']}")
                qs["bias"]["input_counts"] = tie_and_saturation_counts(bspec, w["bias:0"])
                pre = pre + bq.astype(np.float64)
            if not np.array_equal(pre.astype(np.float32).astype(np.float64), pre):
                raise RuntimeError(f"{name}/{layer.name}: accumulation not exact in float32")
            if "activation" in qs:
                spec = qs["activation"]["expected_type"]
                qs["activation"]["input_counts"] = tie_and_saturation_counts(spec, pre)
                pre = ref_quantize(spec, pre)
            if not np.array_equal(pre, out.astype(np.float64)):
                raise RuntimeError(f"{name}/{layer.name}: exact re-computation differs")
            info["exact"] = "x @ Q(kernel) + Q(bias) is exact in float32 here; output reproduced bit for bit"
        elif isinstance(layer, QBatchNormalization):
            p = stored[layer.name]
            applied = {}
            for role, key in (("gamma", "gamma:0"), ("beta", "beta:0"), ("mean", "moving_mean:0"),
                              ("variance", "moving_variance:0")):
                q = getattr(layer, f"{role}_quantizer_internal")
                v = q(tf.constant(p[key])).numpy() if q is not None else p[key]
                applied[role] = v
                qs[role]["float"] = p[key].tolist()
                qs[role]["quantized"] = v.tolist()
                spec = qs[role].get("expected_type")
                if spec and not (on_grid(spec, v) and np.array_equal(ref_quantize(spec, p[key]), v)):
                    raise RuntimeError(f"{name}/{layer.name}: {role} not on {spec['type']}")
            ref = ((prev.astype(np.float64) - applied["mean"]) / np.sqrt(applied["variance"].astype(np.float64) + layer.epsilon)
                   * applied["gamma"] + applied["beta"])
            err = float(np.max(np.abs(ref - out)))
            if err > 1e-5:
                raise RuntimeError(f"{name}/{layer.name}: batchnorm differs by {err}")
            info["epsilon"] = layer.epsilon
            info["float_computation"] = ("tf.nn.batch_normalization in float32: x * (gamma_q * rsqrt(var_q + "
                                         "eps)) + (beta_q - mean_q * gamma_q * rsqrt(var_q + eps)); "
                                         f"float64 re-computation within {err:.2e}")
        else:
            raise RuntimeError(f"{name}: unexpected layer {type(layer).__name__}")
        facts.append(info)
        prev = out
    return facts


def q_fixture(name, in_integer, tests, make_layers, seed):
    tf.keras.backend.clear_session()
    model = q_seq(name, in_integer, make_layers())
    init_qweights(model, seed)
    x = quant_inputs(seed, 4, in_integer)
    path = write(f"{name}.h5", saved_bytes(model.save))
    back = load_qmodel(str(path), compile=False)
    y = predict(back, x)
    if not np.array_equal(predict(model, x), y):
        raise RuntimeError(f"{name}: reloaded model differs from the one saved")
    tracer = tf.keras.Model(back.inputs, [l.output for l in back.layers])
    trace = {l.name: t.numpy() for l, t in zip(back.layers, tracer(x, training=False))}
    if not np.array_equal(trace[back.layers[-1].name], y):
        raise RuntimeError(f"{name}: trace disagrees with the output")
    cfg = h5_config(path)
    facts = check_qmodel(name, back, path, x, trace, cfg["config"]["layers"])
    final = facts[-1]["quantizers"][0]["expected_type"]
    if not on_grid(final, y):
        raise RuntimeError(f"{name}: output not on the grid of {final['type']}")
    write(f"{name}.x.npy", npy_bytes(x))
    write(f"{name}.y.npy", npy_bytes(y))
    write(f"{name}.trace.npz", npz_bytes({k: v[:TRACE_ROWS] for k, v in trace.items()}))
    return {"file": f"{REL}/{name}.h5", "framework": f"tf.keras {VERSIONS['keras']} + qkeras "
            f"{VERSIONS['qkeras']}", "saved_as": "h5: model.save('<name>.h5'); read back with "
            "qkeras.utils.load_qmodel", "model_class": cfg["class_name"], "tests": tests,
            "expect": "accept", "layers": describe_layers(cfg), "x": f"{name}.x.npy",
            "y": f"{name}.y.npy", "trace": f"{name}.trace.npz", "trace_rows": TRACE_ROWS,
            "trace_keys": list(trace), "x_shape": list(x.shape), "y_shape": list(y.shape),
            "input_quantizer": f"quantized_bits(8,{in_integer}) -> lsb 2^{in_integer - 7}; x has exact ties "
                               "(k+1/2)*lsb, exact codes, values past both ends, and in row 0..3: "
                               "0, -0, +-lsb/2, +-1.5 lsb, top-lsb, top-lsb/2, top, -top, -top-lsb/2, "
                               "-top+lsb/2, +-1e3, +-100*top",
            "output_quantizer": final["type"],
            "per_layer": facts,
            "checks": ["load_qmodel(file) reproduces the in-memory model bit for bit",
                       "kernel/bias read from the .h5 with h5py, quantized by QKeras, equal the numpy "
                       "model of expected_type and lie on its grid",
                       "every QActivation / QDense output equals the numpy re-computation exactly",
                       "y lies on the grid of the final quantizer"]}


# --------------------------------------------------------------------------- experiments

def rounding_experiments():
    """Exact ties pushed through the quantizers, recorded for the reader of the manifest."""
    res = {}
    q = quantized_bits(8, 3, alpha=1)
    lsb = 2.0 ** -4
    t = (np.arange(-4, 4) + 0.5) * lsb
    res["quantized_bits(8,3,alpha=1) on ties (k+1/2)*lsb"] = {
        "x/lsb": (t / lsb).tolist(), "q(x)/lsb": (q(tf.constant(t, tf.float32)).numpy() / lsb).tolist(),
        "verdict": "round half to even (AP_RND_CONV): -3.5->-4, -2.5->-2, 0.5->0, 1.5->2, 2.5->2"}
    t = np.array([-8.5, -8.0 - lsb / 2, 8.0 - lsb / 2, 8.0, 100.0])
    res["quantized_bits(8,3,alpha=1) past the ends"] = {
        "x": t.tolist(), "q(x)": q(tf.constant(t, tf.float32)).numpy().tolist(),
        "verdict": "saturates to -8 and 8-lsb (AP_SAT); 8-lsb/2 is a tie between code 127 and 128: even "
                   "128 wins, then the clip gives 127"}
    t = np.array([1e3, 1e5, 1e6, 1e7, 1e8, 3e38, -1e7], np.float32)
    got = q(tf.constant(t)).numpy()
    res["quantized_bits(8,3,alpha=1) on huge inputs"] = {
        "x": t.tolist(), "q(x)": got.tolist(),
        "verdict": "QKeras returns x + (q - x) (straight-through estimator) in float32; once |x| is so "
                   "large that q - x is not exact, the result is off the grid: first wrong here at "
                   + str(next((float(a) for a, b in zip(t, got) if b not in (8 - 2.0 ** -4, -8.0)), None))
                   + "; the fixtures keep |x| <= 1e3, where this cannot happen"}
    r = quantized_relu(6, 2)
    lsb = 2.0 ** -4
    t = (np.arange(-2, 4) + 0.5) * lsb
    res["quantized_relu(6,2) on ties"] = {
        "x/lsb": (t / lsb).tolist(), "q(x)/lsb": (r(tf.constant(t, tf.float32)).numpy() / lsb).tolist(),
        "verdict": "half to even as quantized_bits; negatives -> 0; max 4-lsb"}
    r = quantized_relu(8, 3, negative_slope=0.25)
    lsb = 2.0 ** -4
    t = np.array([-10, -6, -2, 2.5, -40, -200]) * lsb
    res["quantized_relu(8,3,negative_slope=0.25)"] = {
        "x/lsb": (t / lsb).tolist(), "q(x)/lsb": (r(tf.constant(t, tf.float32)).numpy() / lsb).tolist(),
        "verdict": "negative side is round_half_even(0.25*x/lsb): -2.5->-2, -1.5->-2, -0.5->0; "
                   "clamped at -0.25*2^3 = -2 (code -32), not at -8"}
    q = quantized_bits(4, 0, alpha="auto_po2")
    col = np.array([[7 / 8], [2.5 / 8], [-2.5 / 8], [1.5 / 8], [-0.5 / 8], [6 / 8]], np.float32)
    out = q(tf.constant(col)).numpy()
    res["quantized_bits(4,0,alpha='auto_po2') on one column with ties at scale 1/8"] = {
        "w*8": (col * 8).reshape(-1).tolist(), "q(w)*8": (out * 8).reshape(-1).tolist(),
        "scale_attribute": np.asarray(q.scale).reshape(-1).tolist(),
        "verdict": "auto_po2 rounds floor(|x|/s + 0.5): half AWAY from zero (2.5 -> 3, -2.5 -> -3, "
                   "-0.5 -> -1), unlike the alpha=1 path"}
    p = quantized_po2(4, 4)
    t = np.array([0.0, -0.0, 1e-9, -1e-9, 0.7, 0.75, 1.41421, 1.41422, 3.0, 5.0, -100.0], np.float32)
    res["quantized_po2(4,4)"] = {"x": t.tolist(), "q(x)": p(tf.constant(t)).numpy().tolist(),
                                 "verdict": "0 and -0 -> +2^-4 (never 0); rounding in the log domain: "
                                            "1.41421 -> 1, 1.41422 -> 2; max_value 4 clips"}
    t = np.array([-1.0, -1e-8, 0.0, 1e-8, 0.3299, 0.33, 0.34], np.float32)
    res["binary() / ternary()"] = {"x": t.tolist(), "binary": binary()(tf.constant(t)).numpy().tolist(),
                                   "ternary": ternary()(tf.constant(t)).numpy().tolist(),
                                   "verdict": "binary: 0 -> +1; ternary: |x| >= 0.33f -> sign"}
    return res


QK = QKERAS_DIR / "quantizers.py"
QL = QKERAS_DIR / "qlayers.py"
QN = QKERAS_DIR / "qnormalization.py"


def evidence():
    """Source lines of the installed packages that the mapping rests on (checked to exist)."""
    return {
        "quantized_bits: LSB and range": [
            cite(QK, "unsigned_bits = self.bits - self.keep_negative"),
            cite(QK, "m = K.cast_to_floatx(pow(2, unsigned_bits))"),
            cite(QK, "m_i = K.cast_to_floatx(K.pow(2, self.integer))"),
            cite(QK, "p = x * m / m_i"),
            cite(QK, "self.keep_negative  * (-m + self.symmetric), m - 1) / m"),
            "=> value = m_i * clip(round(x * m / m_i), -m*kn + symmetric, m-1) / m: lsb 2^(integer-bits+kn), "
            "codes [-2^(bits-1) (+1 if symmetric), 2^(bits-1)-1] signed or [0, 2^bits-1] unsigned: "
            "ap_fixed<bits, integer+1> / ap_ufixed<bits, integer>; `integer` excludes the sign bit"],
        "quantized_bits: rounding": [
            cite(QK, "output = x + tf.stop_gradient(-x + tf.round(x))"),
            "tf.round is round-half-to-even; confirmed in rounding_experiments => AP_RND_CONV"],
        "quantized_bits: positional arguments": [
            cite(QK, "def __init__(self,"), "(bits=8, integer=0, symmetric=0, keep_negative=True, "
            "alpha=None, ...): the THIRD positional argument is symmetric, not keep_negative"],
        "quantized_bits: alpha='auto_po2'": [
            cite(QK, "self.symmetric = True"),
            cite(QK, "levels = (2**(self.bits-1)-1) * 2 if self.symmetric else (2**self.bits)-1"),
            cite(QK, "for _ in range(5):"),
            cite(QK, "v = tf.floor(tf.abs(x) / scale + 0.5)"),
            cite(QK, "scale = scale * m"),
            "quantizer.scale is a tensor set during call(); the .h5 holds only the float kernel"],
        "QDense turns alpha=None into auto_po2": [
            cite(QL, "self.kernel_quantizer_internal._set_trainable_parameter()"),
            cite(QK, "self.alpha = \"auto_po2\"")],
        "QBatchNormalization defaults and the same rewrite for gamma/variance": [
            cite(QN, "beta_quantizer='quantized_po2(5)'"), cite(QN, "gamma_quantizer='quantized_relu_po2(6, 2048)'"),
            cite(QN, "mean_quantizer='quantized_po2(5)'"),
            cite(QN, "variance_quantizer='quantized_relu_po2(6, quadratic_approximation=True)'"),
            cite(QN, "self.gamma_quantizer_internal._set_trainable_parameter()"),
            cite(QN, "outputs = nn.batch_normalization(inputs,")],
        "quantized_relu": [
            cite(QK, "non_sign_bits = self.bits - (self.negative_slope != 0.0)"),
            cite(QK, "_round_through(p, self.use_stochastic_rounding) / m, 0.0,"),
            cite(QK, "_round_through(p * self.negative_slope,", whole_line=True),
            "=> lsb 2^(integer-bits) (2^(integer-bits+1) with a slope), max 2^integer - lsb: "
            "ap_ufixed<bits, integer>; with negative_slope: ap_fixed<bits, integer+1> of slope*x, "
            "clipped at -slope*2^integer; get_config() omits is_quantized_clip (default True)"],
        "binary": [cite(QK, "k_sign += (1.0 - tf.abs(k_sign))", whole_line=True),
                   cite(QK, "return x + tf.stop_gradient(-x + scale * k_sign)")],
        "ternary": [cite(QK, "self.default_threshold = 0.33"), cite(QK, "q = K.cast(tf.abs(x) >= thres")],
        "quantized_po2": [cite(QK, "min_exp = -2**(effect_bits)"), cite(QK, "x_filter = tf.where(x_abs < eps, eps, x_abs)"),
                          cite(QK, "x_log2 = _round_through(tf.keras.backend.log(x_input) / log2)"),
                          cite(QK, "x_sign += (1.0 - tf.abs(x_sign))")],
        "QActivation config keeps the constructor argument verbatim (string or quantizer object)": [
            cite(QL, "config = {\"activation\": self.activation}")],
        "keras hard_sigmoid (Keras 2)": [cite(KERAS_DIR / "src" / "backend.py", "returns `0.2 * x + 0.5`")],
        ".weights.h5 suffix selects the Keras 3 weights layout": [
            cite(KERAS_DIR / "src" / "saving" / "saving_api.py", "if str(filepath).endswith(\".weights.h5\"):")],
    }


# --------------------------------------------------------------------------- main

def main():
    start = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    files = []
    for seed, builder in enumerate([seq_activations, seq_relu_family, seq_bn_reshape, func_merge,
                                    func_residual, unsupported_conv1d], start=1):
        files.append(float_fixture(builder, seed))
    files.append(json_fixture(7))
    files += malformed_fixtures("seq_relu_family.h5")
    for seed, (name, in_integer, tests, layers) in enumerate(QMODELS, start=100):
        files.append(q_fixture(name, in_integer, tests, layers, seed))

    for entry in files:
        names = [Path(entry["file"]).name, *[Path(w).name for w in entry.get("weights", [])]]
        names += [entry[k] for k in ("x", "y", "trace") if k in entry]
        entry["bytes"] = {n: (OUT / n).stat().st_size for n in names}
        entry["sha256"] = {n: hashlib.sha256((OUT / n).read_bytes()).hexdigest() for n in names}
        h5s = [n for n in names if n.endswith(".h5")]
        if h5s:
            entry["hdf5"] = {n: h5_layout(OUT / n) for n in h5s}

    manifest = {
        "generated_by": "tools/make_keras2_fixtures.sh (runs tools/make_keras2_fixtures.py in build/venv-tf)",
        "versions": VERSIONS,
        "determinism": "numpy seeds per model, single-threaded TF with oneDNN off; h5py writes no "
                       "timestamps (track_times off), so rerunning rewrites identical bytes; "
                       "npz members carry a fixed 1980 date",
        "hdf5_format": "h5py default libver 'earliest': superblock version 0, readable by HDF5 1.8/1.10 "
                       "(the bundled HDF5 is newer; see versions). String attributes are variable-"
                       "length ASCII (model_config, layer_names, weight_names, ...); weights float32",
        "rows": {"float models": FLOAT_ROWS, "qkeras models": QUANT_ROWS, "qkeras trace": TRACE_ROWS},
        "npy": "x, y and trace arrays are float32; y is model(x, training=False) of the reloaded model",
        "quantizer_mapping": {
            "quantized_bits(b,i,keep_negative=1,alpha=1|None)": "ap_fixed<b,i+1,AP_RND_CONV,AP_SAT>",
            "quantized_bits(b,i,keep_negative=0,alpha=1|None)": "ap_ufixed<b,i,AP_RND_CONV,AP_SAT>",
            "quantized_bits(b,i,symmetric=1,alpha=1|None)": "ap_fixed<b,i+1,AP_RND_CONV,AP_SAT_SYM>",
            "quantized_bits(b,i,alpha='auto_po2')": "per channel po2 scale_j * ap_fixed<b,i+1,AP_RND_INF,"
                                                   "AP_SAT_SYM>(w/scale_j); scales recomputed from weights",
            "quantized_relu(b,i)": "ap_ufixed<b,i,AP_RND_CONV,AP_SAT>",
            "quantized_relu(b,i,negative_slope=s)": "ap_fixed<b,i+1,AP_RND_CONV,AP_SAT> of leaky(x,s), "
                                                    "negative side clamped at -s*2^i",
            "binary()": "{-1,+1}, x>=0 -> +1 (1 bit, xnor encoding)",
            "ternary()": "ap_int<2> {-1,0,1}, threshold |x| >= 0.33f",
            "quantized_po2(b,m)": "+-2^e, e = clip(round_half_even(log2|x|)), never 0",
            "note": "alpha=1 must be explicit for QDense kernels (and QBatchNormalization gamma): "
                    "omitted, QKeras rewrites it to 'auto_po2'"},
        "evidence": evidence(),
        "rounding_experiments": rounding_experiments(),
        "files": files,
    }
    write("MANIFEST.json", (json.dumps(manifest, indent=1) + "\n").encode())

    total = 0
    for name, size, status in WRITTEN:
        print(f"{REL}/{name:42s} {size:9d} B  {status}")
    for p in sorted(OUT.iterdir()):
        total += p.stat().st_size
    stray = sorted({p.name for p in OUT.iterdir()} - {n for n, _, _ in WRITTEN} - {"README.md"})
    if stray:
        print("not written by this run (stale?): " + ", ".join(stray))
    print(f"{len(WRITTEN)} files, folder {total / 1e6:.2f} MB, {time.monotonic() - start:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
