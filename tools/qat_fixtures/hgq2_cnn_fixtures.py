"""tests/fixtures/hgq2/hgq_cnn*: HGQ2 CNNs (hgq2 0.2.0, Keras 3 on torch) for the reader's
QConv2D, QConv1D and QMaxPooling layers, with HGQ2's own outputs to be matched bit for bit.

The inputs are on the first input quantizer's grid and inside its range, so that its cast is
the identity in HGQ2 and in nnfpga alike. The bit widths are planted (per tensor, and HGQ2's
default per element for one kernel) rather than trained; the WRAP activation quantizers are
calibrated by trace_minmax as HGQ2's users do.
"""

import tempfile
from importlib.metadata import version
from pathlib import Path

import keras
import numpy as np
import torch
from hgq.config import QuantizerConfig
from hgq.layers import (QAveragePooling1D, QAveragePooling2D, QConv1D, QConv2D, QDense,
                        QGlobalAveragePooling1D, QGlobalAveragePooling2D, QGlobalMaxPooling1D,
                        QGlobalMaxPooling2D, QMaxPooling1D, QMaxPooling2D)
from hgq.utils import trace_minmax
from keras import layers as L
from keras import ops

from . import common
from .common import FIXTURES, describe_exactness

OUT = FIXTURES / "hgq2"
N_ROWS = 256
T = dict(heterogeneous_axis=())  # one bit width per tensor
FIRST_F, FIRST_I = 4, 2  # the first input quantizer: KIF, 1 + 2 + 4 bits, SAT


def _init(seed):
    return dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
                bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, seed=seed + 1))


def first_iq():
    return QuantizerConfig("kif", "datalane", k0=1, i0=FIRST_I, f0=FIRST_F, round_mode="RND",
                           overflow_mode="SAT", **T)


def cnn2d():
    """QConv2D 'same' relu (per-tensor bit widths), QMaxPooling2D, QConv2D stride 2 (a bit width
    per kernel element, HGQ2's default), Flatten, QDense."""
    x = keras.Input((8, 8, 2), name="x")
    h = QConv2D(4, 3, padding="same", activation="relu", name="qconv1", iq_conf=first_iq(),
                kq_conf=QuantizerConfig("kbi", "weight", b0=6, i0=0, round_mode="RND",
                                        overflow_mode="SAT_SYM", **T),
                bq_conf=QuantizerConfig("kbi", "bias", b0=8, i0=1, **T), **_init(1))(x)
    h = QMaxPooling2D(2, name="qpool",
                      iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T))(h)
    h = QConv2D(3, 2, strides=2, activation="relu", name="qconv2",
                iq_conf=QuantizerConfig("kif", "datalane", f0=4, **T), **_init(2))(h)
    h = L.Flatten(name="flatten")(h)
    y = QDense(3, name="qdense", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T),
               kq_conf=QuantizerConfig("kbi", "weight", b0=5, i0=0, **T), **_init(3))(h)
    return keras.Model(x, y, name="hgq_cnn2d"), (8, 8, 2)


def cnn1d():
    """QConv1D causal and dilated relu, QMaxPooling1D 'same', QConv1D without bias, Flatten,
    QDense."""
    x = keras.Input((16, 3), name="x")
    h = QConv1D(4, 3, padding="causal", dilation_rate=2, activation="relu", name="qconv1",
                iq_conf=first_iq(),
                kq_conf=QuantizerConfig("kbi", "weight", b0=6, i0=0, **T),
                bq_conf=QuantizerConfig("kbi", "bias", b0=8, i0=1, **T), **_init(11))(x)
    h = QMaxPooling1D(3, strides=2, padding="same", name="qpool",
                      iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T))(h)
    h = QConv1D(3, 2, use_bias=False, name="qconv2",
                iq_conf=QuantizerConfig("kif", "datalane", f0=4, **T),
                kq_conf=QuantizerConfig("kbi", "weight", b0=5, i0=0, **T), **_init(12))(h)
    h = L.Flatten(name="flatten")(h)
    y = QDense(2, name="qdense", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T),
               kq_conf=QuantizerConfig("kbi", "weight", b0=5, i0=0, **T), **_init(13))(h)
    return keras.Model(x, y, name="hgq_cnn1d"), (16, 3)


def avgpool2d():
    """QConv2D relu, QAveragePooling2D 2x2 (a power-of-two area: exact), QAveragePooling2D 3x3
    stride 1 (area 9) without oq, QGlobalAveragePooling2D with oq, QDense."""
    x = keras.Input((8, 8, 2), name="x")
    h = QConv2D(4, 3, padding="same", activation="relu", name="qconv1", iq_conf=first_iq(),
                kq_conf=QuantizerConfig("kbi", "weight", b0=6, i0=0, **T),
                bq_conf=QuantizerConfig("kbi", "bias", b0=8, i0=1, **T), **_init(21))(x)
    h = QAveragePooling2D(2, name="qavg1", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T))(h)
    h = QAveragePooling2D(3, strides=1, name="qavg2",
                          iq_conf=QuantizerConfig("kif", "datalane", f0=4, **T))(h)
    h = QGlobalAveragePooling2D(name="qgap", iq_conf=QuantizerConfig("kif", "datalane", f0=4, **T),
                                enable_oq=True,
                                oq_conf=QuantizerConfig("kif", "datalane", f0=3, **T))(h)
    y = QDense(3, name="qdense", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T),
               kq_conf=QuantizerConfig("kbi", "weight", b0=5, i0=0, **T), **_init(22))(h)
    return keras.Model(x, y, name="hgq_avgpool2d"), (8, 8, 2)


def avgpool1d():
    """QConv1D relu, QAveragePooling1D 3 stride 1 'same' (border windows of 2, padded evenly:
    uneven 'same' pads differ between Keras 3's backends and are refused), then
    QGlobalAveragePooling1D (keepdims) and QDense."""
    x = keras.Input((16, 3), name="x")
    h = QConv1D(4, 3, activation="relu", name="qconv1", iq_conf=first_iq(),
                kq_conf=QuantizerConfig("kbi", "weight", b0=6, i0=0, **T),
                bq_conf=QuantizerConfig("kbi", "bias", b0=8, i0=1, **T), **_init(31))(x)
    h = QAveragePooling1D(3, strides=1, padding="same", name="qavg",
                          iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T))(h)
    h = QGlobalAveragePooling1D(keepdims=True, name="qgap",
                                iq_conf=QuantizerConfig("kif", "datalane", f0=4, **T))(h)
    h = L.Flatten(name="flatten")(h)
    y = QDense(2, name="qdense", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T),
               kq_conf=QuantizerConfig("kbi", "weight", b0=5, i0=0, **T), **_init(32))(h)
    return keras.Model(x, y, name="hgq_avgpool1d"), (16, 3)


def globalmax():
    """QConv2D relu, then QGlobalMaxPooling2D (with oq) and, on the feature map reshaped to
    [16, 4], QGlobalMaxPooling1D keepdims; Concatenate, QDense."""
    x = keras.Input((6, 6, 2), name="x")
    h = QConv2D(4, 3, activation="relu", name="qconv1", iq_conf=first_iq(),
                kq_conf=QuantizerConfig("kbi", "weight", b0=6, i0=0, **T),
                bq_conf=QuantizerConfig("kbi", "bias", b0=8, i0=1, **T), **_init(41))(x)
    a = QGlobalMaxPooling2D(name="qgmax2d", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T),
                            enable_oq=True,
                            oq_conf=QuantizerConfig("kif", "datalane", f0=2, **T))(h)
    r = L.Reshape((16, 4), name="rows")(h)
    b = QGlobalMaxPooling1D(keepdims=True, name="qgmax1d",
                            iq_conf=QuantizerConfig("kif", "datalane", f0=4, **T))(r)
    b = L.Flatten(name="flatten")(b)
    h = L.Concatenate(name="cat")([a, b])
    y = QDense(3, name="qdense", iq_conf=QuantizerConfig("kif", "datalane", f0=3, **T),
               kq_conf=QuantizerConfig("kbi", "weight", b0=5, i0=0, **T), **_init(42))(h)
    return keras.Model(x, y, name="hgq_globalmax"), (6, 6, 2)


MODELS = [
    ("hgq_cnn2d", cnn2d, 71,
     "QConv2D 3x3 'same' relu (per-tensor KIF SAT input, KBI SAT_SYM kernel, KBI bias), "
     "QMaxPooling2D, QConv2D 2x2 stride 2 relu (HGQ2's default per-element kernel bit widths), "
     "Flatten, QDense"),
    ("hgq_cnn1d", cnn1d, 72,
     "QConv1D causal dilation 2 relu, QMaxPooling1D 3 stride 2 'same', QConv1D without bias, "
     "Flatten, QDense"),
    ("hgq_avgpool2d", avgpool2d, 73,
     "QConv2D relu, QAveragePooling2D 2x2, QAveragePooling2D 3x3 stride 1 (area 9, no oq), "
     "QGlobalAveragePooling2D with oq, QDense"),
    ("hgq_avgpool1d", avgpool1d, 74,
     "QConv1D relu, QAveragePooling1D 3 stride 1 'same', QGlobalAveragePooling1D keepdims, "
     "Flatten, QDense"),
    ("hgq_globalmax", globalmax, 75,
     "QConv2D relu, QGlobalMaxPooling2D with oq, and on a Reshape to [16, 4] "
     "QGlobalMaxPooling1D keepdims; Concatenate, QDense"),
]


def on_first_grid(rng, shape):
    """Inputs the first quantizer keeps as they are: multiples of 2^-f inside its range."""
    step = 2.0 ** -FIRST_F
    hi = 2.0 ** FIRST_I - step
    x = np.round(rng.standard_normal(shape) * 1.5 / step) * step
    return np.clip(x, -2.0 ** FIRST_I, hi).astype(np.float32)


def hgq_cnn_fixture(name, build, seed, what):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model, in_shape = build()
    rng = np.random.default_rng(seed)
    calib = on_first_grid(rng, (512, *in_shape))
    trace_minmax(model, calib, batch_size=512, verbose=0)
    x = on_first_grid(rng, (N_ROWS, *in_shape))
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
    print(f"  {name}: reload {'exact' if not check['mismatches'] else 'DIFFERS'}")
    return {"name": name, "what": what, "seed": seed,
            "files": [common.file_entry(path)],
            "x": common.file_entry(OUT / f"{name}.x.npy"),
            "y": common.file_entry(OUT / f"{name}.y.npy"),
            "x_shape": list(x.shape), "y_shape": list(y.shape),
            "y_is": "HGQ2 model(x, training=False) on the torch backend (float32)",
            "x_is": f"multiples of 2^-{FIRST_F} inside the first input quantizer's range",
            "expect": "accept", "checks": [check]}


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    entries = [hgq_cnn_fixture(*spec) for spec in MODELS]
    common.write_json(OUT / "CNN_MANIFEST.json", {
        "generated_by": "tools/make_qat_fixtures.sh hgq2_cnn (tools/make_qat_fixtures.py, "
                        "tools/qat_fixtures/hgq2_cnn_fixtures.py)",
        "versions": {p: version(p) for p in ("hgq2", "quantizers", "keras", "torch", "numpy")},
        "keras_backend": keras.backend.backend(),
        "models": entries})
