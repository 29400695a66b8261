"""The QKeras CNN fixtures: QConv1D, QConv2D and QConv2DBatchnorm with QActivation, pooling and
QDense, weights drawn onto (and exactly between) the quantizers' grids as for the dense
fixtures, inputs full of ties and saturating values. Saved as .h5 (`model.save`) or, for one, as
an architecture .json with `<name>_weights.h5` beside it (hls4ml's example-models naming), read
back with QKeras and run; y is QKeras's output.

QConv2DBatchnorm folds its batch normalization into the kernel and bias at every call, in
float32 (qkeras/qconv2d_batchnorm.py, `call` with training=False: inv = gamma *
rsqrt(moving_variance + epsilon), kernel * inv and inv * (bias - moving_mean) + beta, then the
kernel and bias quantizers). The folded float values and the quantized ones QKeras computed are
kept in `<name>.folded.npz`, for the reader's folding to be compared with.
"""

import json

import numpy as np
import tensorflow as tf
from qkeras import (QActivation, QAveragePooling2D, QConv1D, QConv2D, QConv2DBatchnorm, QDense,
                    QDepthwiseConv2D, QDepthwiseConv2DBatchnorm, QGlobalAveragePooling2D,
                    QSeparableConv1D, QSeparableConv2D)
from qkeras.utils import load_qmodel

from .common import (REL, VERSIONS, L, describe_layers, h5_config, npy_bytes, npz_bytes, predict,
                     saved_bytes, write)
from .qkeras_models import draw_weights, qb, quant_inputs
from .qkeras_numerics import spec_of

ROWS = 2000  # an image is 72 values: 2,000 rows keep each x under 600 KB
# The depthwise, separable and pooling fixtures (after the first four): about 25,000 input values
# each (100 KB); every row holds many windows.
SMALL_VALUES = 25000

# Rows of the later fixtures' <name>.trace.npz (every layer's output): a few KB per layer.
CNN_TRACE_ROWS = 24

# Which quantizer quantizes a weight, by the weight's name.
_QUANTIZER_OF = {"kernel": "kernel_quantizer_internal",
                 "depthwise_kernel": "depthwise_quantizer_internal",
                 "pointwise_kernel": "pointwise_quantizer_internal",
                 "bias": "bias_quantizer_internal"}


def _on_quantizer_grid(rng, layer, weight):
    """A weight drawn onto (and between) its quantizer's grid; freely for an auto_po2 kernel
    (scaled per channel anyway) or a weight without a quantizer."""
    name = weight.name.split("/")[-1].split(":")[0]
    q = getattr(layer, _QUANTIZER_OF[name], None)
    shape = tuple(weight.shape)
    # A binary/ternary kernel without alpha ('auto_po2' scales from the data): drawn freely too.
    data_scaled = getattr(q, "alpha", None) in ("auto", "auto_po2") and \
        type(q).__name__ in ("binary", "ternary")
    spec = spec_of(q) if q is not None and not data_scaled else {"kind": "float"}
    if spec["kind"] in ("auto_po2", "float"):
        return rng.uniform(-0.6, 0.6, shape).astype(np.float32)
    return draw_weights(rng, shape, spec, 0.3 if name == "bias" else 0.4)


def _folded_layer_weights(rng, layer):
    """QDepthwiseConv2DBatchnorm's weights by name: kernel and bias drawn freely (the folding
    moves them off any grid anyway), batch normalization statistics away from 0 and 1."""
    ranges = {"gamma": (0.5, 1.5), "beta": (-0.5, 0.5), "moving_mean": (-1.0, 1.0),
              "moving_variance": (0.5, 2.0), "bias": (-0.5, 0.5), "depthwise_kernel": (-0.6, 0.6)}
    vals = []
    for w in layer.weights:
        name = w.name.split("/")[-1].split(":")[0]
        if name == "iteration":
            vals.append(np.array(-1, dtype=np.int64))
        else:
            lo, hi = ranges[name]
            vals.append(rng.uniform(lo, hi, tuple(w.shape)).astype(np.float32))
    return vals


def _conv_weights(rng, layer):
    kern = draw_weights(rng, layer.kernel.shape, spec_of(layer.kernel_quantizer_internal), 0.4)
    vals = [kern]
    if layer.use_bias:
        vals.append(draw_weights(rng, layer.bias.shape, spec_of(layer.bias_quantizer_internal), 0.3))
    return vals


def init_cnn_weights(model, seed):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, QConv2DBatchnorm):
            # Kernel and bias drawn freely: the folding moves them off any grid anyway.
            n = layer.filters
            vals = [rng.uniform(-0.6, 0.6, layer.kernel.shape).astype(np.float32)]
            if layer.use_bias:
                vals.append(rng.uniform(-0.5, 0.5, n).astype(np.float32))
            gamma, beta, mean, var = (rng.uniform(lo, hi, n).astype(np.float32) for lo, hi in
                                      [(0.5, 1.5), (-0.5, 0.5), (-1.0, 1.0), (0.5, 2.0)])
            # layer.weights: kernel, bias, gamma, beta, iteration, moving_mean, moving_variance.
            layer.set_weights(vals + [gamma, beta, np.array(-1, dtype=np.int64), mean, var])
        elif isinstance(layer, QDepthwiseConv2DBatchnorm):
            layer.set_weights(_folded_layer_weights(rng, layer))
        elif isinstance(layer, (QConv1D, QConv2D, QDense)):
            layer.set_weights(_conv_weights(rng, layer))
        elif isinstance(layer, (QDepthwiseConv2D, QSeparableConv1D, QSeparableConv2D)):
            layer.set_weights([_on_quantizer_grid(rng, layer, w) for w in layer.weights])


def folded(layer):
    """QKeras's folded kernel and bias (get_folded_weights, the same float32 arithmetic as
    call), and the two after the layer's quantizers."""
    kernel, bias = (t.numpy() for t in layer.get_folded_weights())
    kq = getattr(layer, "kernel_quantizer_internal", None) or layer.depthwise_quantizer_internal
    q_kernel = kq(tf.constant(kernel)).numpy()
    q_bias = (layer.bias_quantizer_internal(tf.constant(bias)).numpy()
              if layer.bias_quantizer_internal is not None else bias)
    return {f"{layer.name}.kernel": kernel, f"{layer.name}.bias": bias,
            f"{layer.name}.q_kernel": q_kernel, f"{layer.name}.q_bias": q_bias}


CNN_MODELS = [
    ("qkeras_cnn2d", (6, 6, 2), 2, "h5",
     "QConv2D ('same' and 'valid', quantized_bits kernels and biases) + QActivation "
     "quantized_relu + MaxPooling2D + Flatten + QDense + QActivation quantized_bits",
     lambda: [QConv2D(4, (3, 3), padding="same", kernel_quantizer=qb(8, 0, alpha=1),
                      bias_quantizer=qb(8, 2, alpha=1), name="conv1"),
              QActivation("quantized_relu(8,3)", name="relu1"),
              L.MaxPooling2D((2, 2), name="pool1"),
              QConv2D(3, (2, 2), kernel_quantizer=qb(6, 0, alpha=1),
                      bias_quantizer=qb(6, 2, alpha=1), name="conv2"),
              QActivation("quantized_relu(6,2)", name="relu2"),
              L.Flatten(name="flatten"),
              QDense(5, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_conv2d_bn", (6, 6, 2), 2, "h5",
     "QConv2DBatchnorm (folded in float32 at every call) with quantized_bits kernel and bias "
     "quantizers, + QActivation quantized_relu + Flatten + QDense",
     lambda: [QConv2DBatchnorm(4, (3, 3), padding="same", kernel_quantizer=qb(8, 1, alpha=1),
                               bias_quantizer=qb(10, 3, alpha=1), name="conv_bn"),
              QActivation("quantized_relu(8,3)", name="relu1"),
              L.Flatten(name="flatten"),
              QDense(5, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("unsupported_qkeras_cnn", (6, 6, 2), 2, "h5",
     "QKeras CNN layers in forms nnfpga refuses, each to be named in one error: a "
     "QSeparableConv2D whose depthwise ternary() has no alpha (QKeras makes it 'auto_po2', "
     "scales from the data), a QAveragePooling2D with an average_quantizer over 'same' windows "
     "that cross the border (QKeras scales their average of fewer elements by the whole area)",
     lambda: [QSeparableConv2D(4, (3, 3), padding="same", depthwise_quantizer="ternary()",
                               pointwise_quantizer=qb(8, 0, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1), name="separable_ternary"),
              QAveragePooling2D((4, 4), padding="same", average_quantizer=qb(8, 0, alpha=1),
                                name="average_same")]),
    ("qkeras_conv1d", (12, 3), 1, "json",
     "QConv1D (strides 2 'same'; dilation 2 'valid', no bias) + QActivation quantized_relu + "
     "Flatten + QDense, saved as <name>.json + <name>_weights.h5",
     lambda: [QConv1D(4, 5, strides=2, padding="same", kernel_quantizer=qb(8, 0, alpha=1),
                      bias_quantizer=qb(8, 2, alpha=1), name="conv1"),
              QActivation("quantized_relu(8,3)", name="relu1"),
              QConv1D(3, 2, dilation_rate=2, use_bias=False, kernel_quantizer=qb(6, 0, alpha=1),
                      name="conv2"),
              QActivation("quantized_relu(6,2)", name="relu2"),
              L.Flatten(name="flatten"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_depthwise", (6, 6, 2), 2, "h5",
     "QDepthwiseConv2D: 'same' with depth_multiplier 2; stride 2 with depth_multiplier 2, "
     "without bias, its kernel quantized_bits(6,0) without alpha (QKeras makes it 'auto_po2', "
     "one scale per m); dilation 2 with a "
     "quantized_relu activation; then Flatten + QDense",
     lambda: [QDepthwiseConv2D((3, 3), padding="same", depth_multiplier=2,
                               depthwise_quantizer=qb(8, 0, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1), name="dw1"),
              QActivation("quantized_relu(8,3)", name="relu1"),
              QDepthwiseConv2D((2, 2), strides=2, depth_multiplier=2, use_bias=False,
                               depthwise_quantizer=qb(6, 0), name="dw2"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q2"),
              QDepthwiseConv2D((2, 2), dilation_rate=2, depthwise_quantizer=qb(8, 1, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1),
                               activation="quantized_relu(8,3)", name="dw3"),
              L.Flatten(name="flatten"),
              QDense(5, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_depthwise_bn", (6, 6, 2), 2, "h5",
     "QDepthwiseConv2DBatchnorm (depth_multiplier 2, folded in float32 at every call, output "
     "channel c*M+m) with quantized_bits kernel and bias quantizers, + QActivation "
     "quantized_relu + Flatten + QDense",
     lambda: [QDepthwiseConv2DBatchnorm((3, 3), padding="same", depth_multiplier=2,
                                        depthwise_quantizer=qb(8, 1, alpha=1),
                                        bias_quantizer=qb(10, 3, alpha=1), name="dw_bn"),
              QActivation("quantized_relu(8,3)", name="relu1"),
              L.Flatten(name="flatten"),
              QDense(5, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_separable", (6, 6, 2), 2, "h5",
     "QSeparableConv2D: 'same' with a quantized_relu activation; stride 2, depth_multiplier 2, "
     "no bias; then Flatten + QDense",
     lambda: [QSeparableConv2D(4, (3, 3), padding="same", depthwise_quantizer=qb(8, 0, alpha=1),
                               pointwise_quantizer=qb(8, 0, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1),
                               activation="quantized_relu(8,3)", name="sep1"),
              QSeparableConv2D(3, (2, 2), strides=2, depth_multiplier=2, use_bias=False,
                               depthwise_quantizer=qb(6, 0, alpha=1),
                               pointwise_quantizer=qb(6, 0, alpha=1), name="sep2"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q2"),
              L.Flatten(name="flatten"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_separable1d", (12, 3), 2, "h5",
     "QSeparableConv1D: 'same' with depth_multiplier 2 and a quantized_relu activation; "
     "'valid' with dilation 2 (QKeras 0.9.0's 'causal' fails under TF 2.15: its call passes no "
     "inputs to Keras's _compute_causal_padding); then Flatten + QDense",
     lambda: [QSeparableConv1D(4, 3, padding="same", depth_multiplier=2,
                               depthwise_quantizer=qb(8, 0, alpha=1),
                               pointwise_quantizer=qb(8, 0, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1),
                               activation="quantized_relu(8,3)", name="sep1"),
              QSeparableConv1D(3, 2, dilation_rate=2,
                               depthwise_quantizer=qb(6, 0, alpha=1),
                               pointwise_quantizer=qb(6, 0, alpha=1),
                               bias_quantizer=qb(6, 2, alpha=1), name="sep2"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q2"),
              L.Flatten(name="flatten"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_avgpool", (9, 9, 2), 2, "h5",
     "QAveragePooling2D with average_quantizer (3x3: sum * q(1/9), with a quantized_bits "
     "activation; 1x2 stride 1: sum * 0.5, no activation) and QGlobalAveragePooling2D with "
     "average_quantizer (area 6) and a quantized_relu activation, after a QConv2D",
     lambda: [QConv2D(3, (3, 3), padding="same", kernel_quantizer=qb(8, 0, alpha=1),
                      bias_quantizer=qb(8, 2, alpha=1), name="conv1"),
              QActivation("quantized_relu(8,3)", name="relu1"),
              QAveragePooling2D((3, 3), average_quantizer=qb(8, 0, alpha=1),
                                activation="quantized_bits(8,3,alpha=1)", name="avg1"),
              QAveragePooling2D((1, 2), strides=(1, 1), average_quantizer=qb(8, 0, alpha=1),
                                name="avg2"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q2"),
              QGlobalAveragePooling2D(average_quantizer=qb(6, 0, alpha=1),
                                      activation="quantized_relu(8,3)", name="gap"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_avgpool_plain", (7, 7, 2), 2, "h5",
     "QAveragePooling2D and QGlobalAveragePooling2D without average_quantizer (Keras's average, "
     "then the activation): 3x3 stride 2 'same' (border windows of 4 and 6 elements) and a "
     "global average over 4x4",
     lambda: [QAveragePooling2D((3, 3), strides=2, padding="same",
                                activation="quantized_bits(8,2,alpha=1)", name="avg_same"),
              QGlobalAveragePooling2D(activation="quantized_bits(8,1,alpha=1)", name="gap"),
              QDense(4, kernel_quantizer=qb(8, 0, alpha=1), bias_quantizer=qb(8, 2, alpha=1),
                     name="dense"),
              QActivation("quantized_bits(8,3,alpha=1)", name="q_out")]),
    ("qkeras_avgpool_area25", (5, 5, 2), 2, "h5",
     "QGlobalAveragePooling2D over 5x5 with average_quantizer: QKeras's float32 "
     "(sum / 25) * 25 is not the sum for every sum, so its sum * q(1/25) is off by a float32 "
     "ulp there; the first rows hold every sum where that changes the output (30 of the "
     "6,376 possible, found in NumPy float32), and the outputs that differ are counted",
     lambda: [QGlobalAveragePooling2D(average_quantizer=qb(8, 0, alpha=1),
                                      activation="quantized_bits(12,2,alpha=1)", name="gap25")]),
]

# The first fixtures keep 2,000 rows; the later ones about SMALL_VALUES input values each.
FULL_ROWS = {"qkeras_cnn2d", "qkeras_conv2d_bn", "qkeras_conv1d"}


def area25_risky_sums():
    """The sums (in codes of the input's quantized_bits(8,2), 2^-5) of 25 inputs for which
    QKeras's float32 ((sum / 25) * 25) * q(1/25), q = quantized_bits(8,0), rounds into
    quantized_bits(12,2) differently from the exact sum * q(1/25): every such sum of the
    6,376 possible, enumerated here in NumPy float32 as TensorFlow computes it."""
    f = np.float32
    codes = np.arange(-128 * 25, 127 * 25 + 1)
    q = np.round(f(1 / 25) * 2 ** 7) / 2 ** 7
    via_average = ((((codes / 32).astype(f) / f(25)) * f(25)) * f(q)).astype(np.float64)
    exact = codes / 32 * q
    cast = lambda v: np.clip(np.round(v * 2 ** 9), -2 ** 11, 2 ** 11 - 1)  # noqa: E731
    return codes[cast(via_average) != cast(exact)]


def areas_returning_every_sum(largest=128, below=2 ** 23):
    """The pool areas (2..largest) for which float32 (sum / area) * area is the sum again for
    every integer sum below `below` (float32 scales by powers of two exactly, so this covers
    every fixed-point sum of that many significant bits): QKeras's average pools compute
    sum * q(1/area) exactly at these areas (docs/quantized-models.md)."""
    sums = np.arange(1, below, dtype=np.float32)
    return [a for a in range(2, largest + 1)
            if np.array_equal((sums / np.float32(a)) * np.float32(a), sums)]


def with_area25_sums(x):
    """x with its first rows' first channel set to inputs on the grid whose sums are the risky
    ones (the codes spread evenly over the 25 positions), so that the fixture holds each."""
    x = x.copy()
    for row, total in enumerate(area25_risky_sums()):
        base, extra = divmod(int(total), 25)
        codes = np.full(25, base) + (np.arange(25) < extra)
        x[row, :, :, 0] = (codes / 32).reshape(5, 5)
    return x


def cnn_fixture(name, shape, in_integer, saved_as, tests, make_layers, seed):
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(seed)
    first = QActivation(f"quantized_bits(8,{in_integer},alpha=1)", name="q_in")
    model = tf.keras.Sequential([L.InputLayer(shape, name="x"), first, *make_layers()], name=name)
    init_cnn_weights(model, seed)
    features = int(np.prod(shape))
    rows = (100 if name.startswith("unsupported_")  # a refusal needs few rows
            else ROWS if name in FULL_ROWS else min(ROWS, SMALL_VALUES // features))
    x = quant_inputs(seed, features, in_integer)[:rows].reshape((rows, *shape))
    if name == "qkeras_avgpool_area25":
        x = with_area25_sums(x)
    files = {}
    if saved_as == "h5":
        path = write(f"{name}.h5", saved_bytes(model.save))
        back = load_qmodel(str(path), compile=False)
        cfg = h5_config(path)
        files = {"file": f"{REL}/{name}.h5", "saved_as": "h5: model.save('<name>.h5'); read "
                 "back with qkeras.utils.load_qmodel"}
    else:
        from qkeras.utils import _add_supported_quantized_objects
        objects = {}
        _add_supported_quantized_objects(objects)
        text = model.to_json()
        write(f"{name}.json", text.encode())
        weights = write(f"{name}_weights.h5", saved_bytes(lambda p: model.save_weights(str(p))))
        back = tf.keras.models.model_from_json(text, custom_objects=objects)
        back.load_weights(str(weights))
        cfg = json.loads(text)
        files = {"file": f"{REL}/{name}.json", "weights": [f"{REL}/{name}_weights.h5"],
                 "saved_as": "model.to_json() + model.save_weights('<name>_weights.h5'); read "
                 "back with model_from_json + load_weights"}
    y = predict(back, x)
    if not np.array_equal(predict(model, x), y):
        raise RuntimeError(f"{name}: reloaded model differs from the one saved")
    write(f"{name}.x.npy", npy_bytes(x))
    write(f"{name}.y.npy", npy_bytes(y))
    extra = {}
    if name == "qkeras_avgpool_area25":
        extra = {"risky_sums_in_codes": [int(v) for v in area25_risky_sums()],
                 "areas_returning_every_sum_below_2^23": areas_returning_every_sum()}
    if name not in FULL_ROWS and not name.startswith("unsupported_"):
        # Every layer's output on the first rows, for the layers to be compared one by one.
        tracer = tf.keras.Model(back.inputs, [l.output for l in back.layers], name="tracer")
        outs = tracer(x[:CNN_TRACE_ROWS], training=False)
        trace = {l.name: t.numpy() for l, t in zip(back.layers, outs)}
        if not np.array_equal(trace[back.layers[-1].name], y[:CNN_TRACE_ROWS]):
            raise RuntimeError(f"{name}: trace disagrees with the output")
        write(f"{name}.trace.npz", npz_bytes(trace))
        extra = {**extra, "trace": f"{name}.trace.npz", "trace_rows": CNN_TRACE_ROWS,
                 "trace_keys": list(trace)}
    bn_layers = [l for l in back.layers
                 if isinstance(l, (QConv2DBatchnorm, QDepthwiseConv2DBatchnorm))]
    if bn_layers:
        arrays = {}
        for layer in bn_layers:
            arrays.update(folded(layer))
        write(f"{name}.folded.npz", npz_bytes(arrays))
        extra = {**extra, "folded": f"{name}.folded.npz", "folded_keys": list(arrays)}
    return {**files, "framework": f"tf.keras {VERSIONS['keras']} + qkeras {VERSIONS['qkeras']}",
            "model_class": cfg["class_name"], "tests": tests, "expect": "accept",
            "layers": describe_layers(cfg), "x": f"{name}.x.npy", "y": f"{name}.y.npy",
            "x_shape": list(x.shape), "y_shape": list(y.shape), **extra,
            **({"expect": "refuse", "why": tests} if name.startswith("unsupported_") else {}),
            "input_quantizer": f"quantized_bits(8,{in_integer}); x holds exact ties, codes and "
                               "values past both ends (as the dense fixtures)",
            "checks": ["the reloaded model reproduces the in-memory one bit for bit"]}
