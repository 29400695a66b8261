"""The QKeras fixtures: Sequential models of QDense, QActivation and QBatchNormalization with
every quantizer kind, weights drawn onto (and exactly between) the quantizers' grids, inputs
full of ties and saturating values, each saved as .h5, read back with load_qmodel, traced
layer by layer and checked against the reference numerics (qkeras_checks.py).
"""

import numpy as np
import tensorflow as tf
from qkeras import QActivation, QBatchNormalization, QDense
from qkeras.quantizers import binary, quantized_bits, quantized_po2, quantized_relu, ternary
from qkeras.utils import load_qmodel

from .common import (QUANT_ROWS, REL, TRACE_ROWS, VERSIONS, L, describe_layers, h5_config,
                     npy_bytes, npz_bytes, predict, saved_bytes, write)
from .qkeras_checks import check_qmodel
from .qkeras_numerics import on_grid, spec_of


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
