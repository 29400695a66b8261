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
                    QDepthwiseConv2D, QGlobalAveragePooling2D, QSeparableConv2D)
from qkeras.utils import load_qmodel

from .common import (REL, VERSIONS, L, describe_layers, h5_config, npy_bytes, npz_bytes, predict,
                     saved_bytes, write)
from .qkeras_models import draw_weights, qb, quant_inputs
from .qkeras_numerics import spec_of

ROWS = 2000  # an image is 72 values: 2,000 rows keep each x under 600 KB


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
        elif isinstance(layer, (QConv1D, QConv2D, QDense)):
            layer.set_weights(_conv_weights(rng, layer))


def folded(layer):
    """QKeras's folded kernel and bias (get_folded_weights, the same float32 arithmetic as
    call), and the two after the layer's quantizers."""
    kernel, bias = (t.numpy() for t in layer.get_folded_weights())
    q_kernel = layer.kernel_quantizer_internal(tf.constant(kernel)).numpy()
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
     "QKeras layers nnfpga does not read yet, each to be named in one error: QDepthwiseConv2D, "
     "QSeparableConv2D, QAveragePooling2D, QGlobalAveragePooling2D",
     lambda: [QDepthwiseConv2D((3, 3), depthwise_quantizer=qb(8, 0, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1), name="depthwise"),
              QSeparableConv2D(4, (3, 3), padding="same", depthwise_quantizer=qb(8, 0, alpha=1),
                               pointwise_quantizer=qb(8, 0, alpha=1),
                               bias_quantizer=qb(8, 2, alpha=1), name="separable"),
              QAveragePooling2D((2, 2), average_quantizer=qb(8, 0, alpha=1), name="average"),
              QGlobalAveragePooling2D(average_quantizer=qb(8, 0, alpha=1), name="global_average")]),
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
]


def cnn_fixture(name, shape, in_integer, saved_as, tests, make_layers, seed):
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(seed)
    first = QActivation(f"quantized_bits(8,{in_integer},alpha=1)", name="q_in")
    model = tf.keras.Sequential([L.InputLayer(shape, name="x"), first, *make_layers()], name=name)
    init_cnn_weights(model, seed)
    features = int(np.prod(shape))
    rows = 100 if name.startswith("unsupported_") else ROWS  # a refusal needs few rows
    x = quant_inputs(seed, features, in_integer)[:rows].reshape((rows, *shape))
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
    bn_layers = [l for l in back.layers if isinstance(l, QConv2DBatchnorm)]
    if bn_layers:
        arrays = {}
        for layer in bn_layers:
            arrays.update(folded(layer))
        write(f"{name}.folded.npz", npz_bytes(arrays))
        extra = {"folded": f"{name}.folded.npz", "folded_keys": list(arrays)}
    return {**files, "framework": f"tf.keras {VERSIONS['keras']} + qkeras {VERSIONS['qkeras']}",
            "model_class": cfg["class_name"], "tests": tests, "expect": "accept",
            "layers": describe_layers(cfg), "x": f"{name}.x.npy", "y": f"{name}.y.npy",
            "x_shape": list(x.shape), "y_shape": list(y.shape), **extra,
            **({"expect": "refuse", "why": tests} if name.startswith("unsupported_") else {}),
            "input_quantizer": f"quantized_bits(8,{in_integer}); x holds exact ties, codes and "
                               "values past both ends (as the dense fixtures)",
            "checks": ["the reloaded model reproduces the in-memory one bit for bit"]}
