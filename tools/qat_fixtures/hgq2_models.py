"""The HGQ2 fixture models: 16-12-8-4 QDense MLPs with one bit width per tensor, per channel
and per element (HGQ2's default), in a mix of parametrizations (KBI, KIF), rounding and
overflow modes; build() trains each briefly with a fixed seed, plants bit widths that lie on
(and between) integers, and calibrates the WRAP activation quantizers.
"""

import keras
import numpy as np
from hgq.config import QuantizerConfig
from hgq.layers import QDense
from hgq.utils import trace_minmax
from keras import ops

SIZES = (16, 12, 8, 4)

# --------------------------------------------------------------------------- models


def _dense(name, units, iq, kq, bq, activation="relu", oq=None):
    kw = dict(enable_oq=oq is not None, oq_conf=oq) if oq is not None else {}
    return QDense(units, activation=activation, name=name, iq_conf=iq, kq_conf=kq, bq_conf=bq,
                  kernel_initializer=keras.initializers.GlorotUniform(seed=len(name) + units),
                  bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, seed=units),
                  **kw)


def per_layer():
    """One bit width per tensor (heterogeneous_axis=()), different per layer, and a mix of
    parametrizations, rounding and overflow modes."""
    t = dict(heterogeneous_axis=())
    layers = [
        _dense("dense1", 12,
               QuantizerConfig("kif", "datalane", k0=1, i0=1, f0=5, round_mode="RND",
                               overflow_mode="SAT", **t),
               QuantizerConfig("kbi", "weight", b0=7, i0=0, round_mode="RND",
                               overflow_mode="SAT_SYM", **t),
               QuantizerConfig("kbi", "bias", b0=10, i0=1, **t)),
        _dense("dense2", 8,
               QuantizerConfig("kif", "datalane", f0=4, round_mode="RND_CONV", **t),
               QuantizerConfig("kbi", "weight", b0=5, i0=0, round_mode="RND_CONV", **t),
               QuantizerConfig("kbi", "bias", b0=8, i0=1, **t)),
        _dense("dense3", 4,
               QuantizerConfig("kif", "datalane", f0=3, round_mode="TRN", **t),
               QuantizerConfig("kif", "weight", k0=1, i0=0, f0=3, round_mode="RND",
                               overflow_mode="SAT", **t),
               QuantizerConfig("kbi", "bias", b0=8, i0=1, **t), activation=None,
               oq=QuantizerConfig("kif", "datalane", k0=1, i0=2, f0=4, round_mode="RND",
                                  overflow_mode="SAT_SYM", **t)),
    ]
    return layers, None


def per_channel():
    """Inputs per feature (HGQ2's default for activations), kernels per output channel
    (heterogeneous_axis=(1,)), biases per channel; bit widths differ per channel."""
    layers = []
    for n, (units, act) in enumerate(zip(SIZES[1:], ("relu", "relu", None)), start=1):
        layers.append(_dense(
            f"dense{n}", units,
            QuantizerConfig("kif", "datalane", f0=4, homogeneous_axis=(0,)),
            QuantizerConfig("kbi", "weight", b0=6, i0=0, heterogeneous_axis=(1,)),
            QuantizerConfig("kbi", "bias", b0=8, i0=1, heterogeneous_axis=(0,)),
            activation=act))

    def plant(model, rng):
        for layer in model.layers:
            if not isinstance(layer, QDense):
                continue
            kq = layer.kq.quantizer
            kq._b.assign(_bits(rng, kq._b.shape, (1.5, 2.5, 3.0, 4.5, 5.0, 6.49, 7.5, 8.0)))
            iq = layer.iq.quantizer
            iq._f.assign(_bits(rng, iq._f.shape, (1.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0)))
    return layers, plant


def per_element():
    """HGQ2's defaults: a bit width per kernel element and per bias element (KBI, SAT_SYM
    weights), per feature for activations (KIF, WRAP); some weights get 0 bits (pruned)."""
    layers = [_dense(f"dense{n}", units, None, None, None, activation=act)
              for n, (units, act) in enumerate(zip(SIZES[1:], ("relu", "relu", None)), start=1)]

    def plant(model, rng):
        for layer in model.layers:
            if not isinstance(layer, QDense):
                continue
            kq = layer.kq.quantizer
            b = _bits(rng, kq._b.shape, (0.0, 0.4, 1.5, 2.0, 2.5, 3.0, 3.5, 4.49, 4.5, 5.0, 6.0,
                                         7.0, 8.0))
            kq._b.assign(b)
            w = np.abs(ops.convert_to_numpy(layer.kernel))
            i = np.ceil(np.log2(w + 1e-3)) + rng.integers(-1, 2, size=w.shape)
            kq._i.assign(i.astype(np.float32))
            iq = layer.iq.quantizer
            iq._f.assign(_bits(rng, iq._f.shape, (2.0, 3.0, 3.5, 4.0, 5.0, 5.5)))
    return layers, plant


def _bits(rng, shape, choices):
    """Stored bit widths as HGQ2 leaves them after training: floats, some exactly halfway
    (2.5, 3.5, 4.5 ...) so that a reader must round half to even as HGQ2 does."""
    return rng.choice(np.asarray(choices, dtype=np.float32), size=tuple(shape))


MODELS = [
    ("hgq_mlp_per_layer", per_layer, 11,
     "16-12-8-4 QDense/ReLU, one bit width per tensor (heterogeneous_axis=()), differing per "
     "layer: input KIF SAT RND; hidden inputs KIF WRAP with RND_CONV and TRN; kernels KBI "
     "SAT_SYM RND / RND_CONV and KIF SAT; biases KBI WRAP; an output quantizer KIF SAT_SYM"),
    ("hgq_mlp_per_channel", per_channel, 12,
     "16-12-8-4 QDense/ReLU: activations per feature, kernels per output channel "
     "(heterogeneous_axis=(1,)), biases per channel; bit widths planted per channel"),
    ("hgq_mlp_per_element", per_element, 13,
     "16-12-8-4 QDense/ReLU with HGQ2's default granularity: a bit width per kernel and bias "
     "element (KBI SAT_SYM RND kernels, KBI WRAP biases), per feature for activations "
     "(KIF WRAP RND); some kernel elements have 0 bits"),
]


def build(spec, seed):
    keras.backend.clear_session()  # fresh auto-names, so config.json does not depend on order
    keras.utils.set_random_seed(seed)
    layers, plant = spec()
    inp = keras.Input((SIZES[0],), name="x")
    h = inp
    for layer in layers:
        h = layer(h)
    model = keras.Model(inp, h, name="mlp")
    rng = np.random.default_rng(seed)
    # a short seeded training run, so that stored bit widths are the non-integers HGQ2 leaves
    xt = rng.standard_normal((2048, SIZES[0])).astype(np.float32)
    w_true = rng.standard_normal((SIZES[0], SIZES[-1])).astype(np.float32) / 4
    yt = np.tanh(xt @ w_true).astype(np.float32)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    model.fit(xt, yt, epochs=2, batch_size=256, verbose=0, shuffle=False)
    if plant is not None:
        plant(model, rng)
    # integer bits (and signs) of the WRAP activation quantizers from calibration data
    trace_minmax(model, xt, batch_size=1024, verbose=0)
    return model


def first_input_type(model):
    q = model.get_layer("dense1").iq.quantizer
    k, i, f = (ops.convert_to_numpy(t).astype(np.float64).reshape(-1) for t in q.kif)
    i = np.maximum(i, -f)
    return f, k + i + f, k > 0
