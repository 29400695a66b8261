"""tests/fixtures/keras3/cnn_*: float Keras 3 CNNs (PyTorch backend) saved as .keras, for the
Keras reader's convolution, pooling and position-moving layers and the model structures the
reader flattens (a nested model, a layer called twice, Permute, activation strings). Each with
64 seeded input rows and Keras' own outputs; CNN_MANIFEST.json lists every layer's arithmetic
config and where its variables are in model.weights.h5.

The sizes are chosen so that every padding rule is exercised: 'same' with an odd total (the
extra pad at the end, TensorFlow's split), 'same' average pooling whose last window is partly
padding (Keras divides by the real elements), causal and dilated Conv1D, strides that do not
divide the input.
"""

import json
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import keras
import numpy as np
import torch
from keras import layers as L
from keras import ops

from . import common
from .common import describe_exactness
from . import keras3_fixtures
from .keras3_fixtures import OUT, h5_tree, layer_table

N_ROWS = 64
H5_TOO = ("keras_structures", "cnn_residual")  # also saved as Keras 3's legacy .h5
CNN_KEYS = ("filters", "kernel_size", "strides", "padding", "dilation_rate", "pool_size",
            "size", "interpolation", "cropping", "keepdims", "depth_multiplier", "dims",
            "groups")


def _init(seed):
    return dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
                bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, seed=seed + 1000))


def cnn2d():
    """Conv2D 'same' with an odd total pad (12 + 4x4 kernel: 1 before, 2 after), a dilated
    Conv2D without bias (Keras refuses strides with dilation), a strided 'same' one; max and average pooling (the latter 'same' over an odd size: its last
    window half padding); ZeroPadding2D, Cropping2D, Flatten, Dense."""
    layers = [keras.Input((12, 12, 2), name="x"),
              L.Conv2D(4, 4, padding="same", activation="relu", name="conv_same", **_init(1)),
              L.MaxPooling2D(2, name="max_pool"),
              L.Conv2D(5, (3, 2), dilation_rate=(2, 1), use_bias=False,
                       name="conv_strided", **_init(2)),
              L.AveragePooling2D(2, padding="same", name="avg_pool_same"),
              L.ZeroPadding2D(((1, 0), (0, 2)), name="zero_pad"),
              L.Cropping2D(((0, 1), (1, 0)), name="crop"),
              L.Conv2D(3, 2, strides=2, padding="same", activation="tanh", name="conv_s2_same",
                       **_init(3)),
              L.MaxPooling2D((1, 2), strides=1, padding="same", name="max_pool_same"),
              L.Flatten(name="flatten"),
              L.Dense(5, name="dense_out", **_init(4))]
    return keras.Sequential(layers, name="cnn2d"), (12, 12, 2)


def cnn1d():
    """Conv1D causal and dilated, 'same' with stride 2, pools with default and explicit
    strides, ZeroPadding1D, Cropping1D, UpSampling1D, both global pools (one keepdims)."""
    x = keras.Input((20, 3), name="x")
    h = L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu", name="conv_causal",
                 **_init(11))(x)
    h = L.MaxPooling1D(2, strides=1, name="max_pool")(h)
    h = L.Conv1D(5, 4, strides=2, padding="same", name="conv_same_s2", **_init(12))(h)
    h = L.AveragePooling1D(3, padding="same", name="avg_pool_same")(h)
    h = L.ZeroPadding1D((1, 2), name="zero_pad")(h)
    h = L.Cropping1D((1, 0), name="crop")(h)
    h = L.UpSampling1D(2, name="upsample")(h)
    h = L.Conv1D(4, 2, activation="sigmoid", name="conv_valid", **_init(13))(h)
    a = L.GlobalAveragePooling1D(name="gap")(h)
    m = L.GlobalMaxPooling1D(keepdims=True, name="gmp_keep")(h)
    m = L.Flatten(name="flatten")(m)
    y = L.Dense(3, name="dense_out", **_init(14))(L.Concatenate(name="cat")([a, m]))
    return keras.Model(x, y, name="cnn1d"), (20, 3)


def residual():
    """A residual block (Conv2D -> Conv2D -> Add with the block's input -> ReLU), a 1x1
    Conv2D branch from the image joined by Concatenate on the channels, global pools
    (GlobalAveragePooling2D, GlobalMaxPooling2D keepdims) and Dense."""
    x = keras.Input((8, 8, 3), name="x")
    a = L.Conv2D(4, 3, padding="same", activation="relu", name="conv_a", **_init(21))(x)
    b = L.Conv2D(4, 3, padding="same", name="conv_b", **_init(22))(a)
    r = L.ReLU(name="relu")(L.Add(name="add")([a, b]))
    side = L.Conv2D(2, 1, name="conv_1x1", **_init(23))(x)
    c = L.Concatenate(name="cat_channels")([r, side])
    p = L.MaxPooling2D(2, name="pool")(c)
    g = L.GlobalAveragePooling2D(name="gap")(p)
    k = L.Flatten(name="flatten")(L.GlobalMaxPooling2D(keepdims=True, name="gmp_keep")(p))
    y = L.Dense(4, name="dense_out", **_init(24))(L.Concatenate(name="cat")([g, k]))
    return keras.Model(x, y, name="residual"), (8, 8, 3)


def encoder_decoder():
    """Conv2D and MaxPooling2D down to 4x4, UpSampling2D (2 and (2, 1) then (1, 2)) back to
    16x16, a sigmoid Conv2D head: an image in, an image out."""
    layers = [keras.Input((16, 16, 1), name="x"),
              L.Conv2D(4, 3, padding="same", activation="relu", name="enc_1", **_init(31)),
              L.MaxPooling2D(2, name="down_1"),
              L.Conv2D(6, 3, padding="same", activation="relu", name="enc_2", **_init(32)),
              L.MaxPooling2D(2, name="down_2"),
              L.Conv2D(6, 3, padding="same", activation="relu", name="bottleneck", **_init(33)),
              L.UpSampling2D(2, name="up_1"),
              L.Conv2D(4, 3, padding="same", activation="relu", name="dec_1", **_init(34)),
              L.UpSampling2D((2, 1), name="up_2h"),
              L.UpSampling2D((1, 2), name="up_2w"),
              L.Conv2D(1, 3, padding="same", activation="sigmoid", name="dec_out", **_init(35))]
    return keras.Sequential(layers, name="encoder_decoder"), (16, 16, 1)


def depthwise2d():
    """A depthwise-separable CNN written by hand: DepthwiseConv2D (depth multiplier 2, 'same'
    with an odd pad, stride 2) then a 1x1 Conv2D, a DepthwiseConv2D without bias, pools,
    Flatten, Dense."""
    layers = [keras.Input((9, 9, 3), name="x"),
              L.DepthwiseConv2D(4, strides=2, padding="same", depth_multiplier=2,
                                activation="relu", name="dw1",
                                depthwise_initializer=keras.initializers.GlorotUniform(seed=81),
                                bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, 82)),
              L.Conv2D(5, 1, activation="relu", name="pw1", **_init(83)),
              L.DepthwiseConv2D((2, 3), use_bias=False, name="dw2",
                                depthwise_initializer=keras.initializers.GlorotUniform(seed=84)),
              L.AveragePooling2D(2, name="pool"),
              L.Flatten(name="flatten"),
              L.Dense(4, name="dense_out", **_init(85))]
    return keras.Sequential(layers, name="depthwise2d"), (9, 9, 3)


def depthwise1d():
    """DepthwiseConv1D with dilation and depth multiplier 3, 'same'; GlobalMaxPooling1D."""
    x = keras.Input((12, 2), name="x")
    h = L.DepthwiseConv1D(3, dilation_rate=2, padding="same", depth_multiplier=3,
                          activation="tanh", name="dw",
                          depthwise_initializer=keras.initializers.GlorotUniform(seed=91),
                          bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, 92))(x)
    h = L.Conv1D(4, 1, name="pw", **_init(93))(h)
    y = L.Dense(3, name="dense_out", **_init(94))(L.GlobalMaxPooling1D(name="gmp")(h))
    return keras.Model(x, y, name="depthwise1d"), (12, 2)


def separable():
    """SeparableConv2D (depth multiplier 2, 'same', split by the reader into a depthwise and a 1x1
    node), Permute of the two spatial axes, SeparableConv1D after a Reshape, Dense."""
    x = keras.Input((8, 6, 3), name="x")
    h = L.SeparableConv2D(5, 3, padding="same", depth_multiplier=2, activation="relu",
                          name="sep2d",
                          depthwise_initializer=keras.initializers.GlorotUniform(seed=95),
                          pointwise_initializer=keras.initializers.GlorotUniform(seed=96),
                          bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, 97))(x)
    h = L.Permute((2, 1, 3), name="swap_hw")(h)
    h = L.MaxPooling2D(2, name="pool")(h)
    h = L.Reshape((12, 5), name="rows")(h)
    h = L.SeparableConv1D(4, 2, strides=2, use_bias=False, name="sep1d",
                          depthwise_initializer=keras.initializers.GlorotUniform(seed=98),
                          pointwise_initializer=keras.initializers.GlorotUniform(seed=99))(h)
    y = L.Dense(3, name="dense_out", **_init(100))(L.Flatten(name="flat")(h))
    return keras.Model(x, y, name="separable"), (8, 6, 3)


def structures():
    """What the reader flattens: a Dense called twice (shared weights), a nested Sequential, a
    nested functional model called twice (its layers appear twice, sharing weights), and the
    activation strings that are one or two IR ops (leaky_relu, selu, relu6, hard_tanh)."""
    inner_seq = keras.Sequential([keras.Input((6,)),
                                  L.Dense(5, activation="selu", name="seq_dense", **_init(41)),
                                  L.Dense(4, activation="relu6", name="seq_dense_2", **_init(42))],
                                 name="inner_seq")
    ix = keras.Input((4,), name="ix")
    ih = L.Dense(4, activation="hard_tanh", name="func_dense", **_init(43))(ix)
    inner_func = keras.Model(ix, L.Add(name="func_add")([ix, ih]), name="inner_func")
    x = keras.Input((6,), name="x")
    shared = L.Dense(6, activation="tanh", name="shared", **_init(44))
    h = shared(shared(x))
    h = inner_func(inner_func(inner_seq(h)))
    h = L.Activation("leaky_relu", name="act_leaky")(h)
    y = L.Dense(3, name="dense_out", **_init(45))(h)
    return keras.Model(x, y, name="structures"), (6,)


def unsupported():
    """Three layers nnfpga refuses, each for its own reason, on parallel branches so that the
    one error lists all three: a channels_first Conv2D, a bilinear UpSampling2D and a gelu
    activation."""
    x = keras.Input((6, 6, 2), name="x")
    a = L.Conv2D(3, (3, 1), data_format="channels_first", name="conv_cf", **_init(51))(x)
    b = L.UpSampling2D(2, interpolation="bilinear", name="up_bilinear")(x)
    flat = L.Flatten(name="flatten")(x)
    c = L.Dense(4, activation="gelu", name="dense_gelu", **_init(52))(flat)
    h = L.Concatenate(name="cat")([L.Flatten(name="flat_a")(a), L.Flatten(name="flat_b")(b), c])
    y = L.Dense(2, name="dense_out", **_init(53))(h)
    return keras.Model(x, y, name="unsupported_cnn"), (6, 6, 2)


MODELS = [
    ("cnn_conv2d", cnn2d, 61,
     "Sequential (12, 12, 2) -> 5: Conv2D 4x4 'same' (odd total pad) relu, MaxPooling2D, Conv2D "
     "(3, 2) dilation (2, 1) no bias, AveragePooling2D 'same' (partial last "
     "window), ZeroPadding2D, Cropping2D, Conv2D stride 2 'same' tanh, MaxPooling2D (1, 2) "
     "stride 1 'same', Flatten, Dense"),
    ("cnn_conv1d", cnn1d, 62,
     "functional (20, 3) -> 3: Conv1D causal dilation 2 relu, MaxPooling1D stride 1, Conv1D "
     "stride 2 'same', AveragePooling1D 'same', ZeroPadding1D, Cropping1D, UpSampling1D, Conv1D "
     "sigmoid, GlobalAveragePooling1D and GlobalMaxPooling1D(keepdims) + Flatten, Concatenate, "
     "Dense"),
    ("cnn_residual", residual, 63,
     "functional (8, 8, 3) -> 4: Conv2D relu -> Conv2D, Add (residual), ReLU; Conv2D 1x1 side "
     "branch; Concatenate on the channels; MaxPooling2D; GlobalAveragePooling2D and "
     "GlobalMaxPooling2D(keepdims) + Flatten; Concatenate; Dense"),
    ("cnn_encoder_decoder", encoder_decoder, 64,
     "Sequential (16, 16, 1) -> (16, 16, 1): Conv2D + MaxPooling2D twice, Conv2D, UpSampling2D "
     "2, Conv2D, UpSampling2D (2, 1) and (1, 2), Conv2D sigmoid"),
    ("cnn_depthwise2d", depthwise2d, 67,
     "Sequential (9, 9, 3) -> 4: DepthwiseConv2D 4x4 depth_multiplier 2 stride 2 'same' relu, "
     "Conv2D 1x1 relu (a depthwise-separable block by hand), DepthwiseConv2D (2, 3) without "
     "bias, AveragePooling2D, Flatten, Dense"),
    ("cnn_depthwise1d", depthwise1d, 68,
     "functional (12, 2) -> 3: DepthwiseConv1D dilation 2 depth_multiplier 3 'same' tanh, "
     "Conv1D 1x1, GlobalMaxPooling1D, Dense"),
    ("cnn_separable", separable, 69,
     "functional (8, 6, 3) -> 3: SeparableConv2D 3x3 depth_multiplier 2 'same' relu, Permute "
     "(2, 1, 3), MaxPooling2D, Reshape, SeparableConv1D 2 stride 2 without bias, Flatten, Dense"),
    ("keras_structures", structures, 65,
     "functional 6 -> 3: Dense 'shared' called twice, a nested Sequential (Dense selu, Dense "
     "relu6), a nested functional model (Dense hard_tanh + Add with its input) called twice, "
     "Activation('leaky_relu'), Dense"),
    ("unsupported_cnn", unsupported, 66,
     "refused, every layer named in one error: Conv2D data_format='channels_first', "
     "UpSampling2D interpolation='bilinear', Dense activation='gelu', on parallel branches"),
]


def cnn_fixture(name, build, seed, what):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model, in_shape = build()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N_ROWS, *in_shape)).astype(np.float32)
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
    files = [common.file_entry(path)]
    if name in H5_TOO:
        # Keras 3's legacy HDF5 (model.save("x.h5")): a nested model's layers' weights sit in
        # its group, listed as "<layer>/<weight>".
        h5 = OUT / f"{name}.h5"
        with tempfile.TemporaryDirectory() as scratch:
            tmp = Path(scratch) / f"{name}.h5"
            model.save(tmp)
            with torch.no_grad():
                y3 = ops.convert_to_numpy(keras.models.load_model(tmp)(x, training=False))
            common.write_if_changed(h5, tmp.read_bytes())
        assert np.array_equal(y, y3), name
        files.append(common.file_entry(h5))
    print(f"  {name}: {len(model.layers)} layers; reload "
          f"{'exact' if not check['mismatches'] else 'DIFFERS'}")
    cfg = json.loads(zipfile.ZipFile(path).read("config.json"))
    return {
        "name": name, "what": what, "seed": seed,
        "files": files,
        "x": common.file_entry(OUT / f"{name}.x.npy"),
        "y": common.file_entry(OUT / f"{name}.y.npy"),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
        "y_is": "Keras model(x, training=False) on the torch backend (float32)",
        "expect": "refuse" if name.startswith("unsupported") else "accept", "checks": [check],
        "config_json_top": {"class_name": cfg["class_name"], "module": cfg.get("module")},
        "layers": layer_table(model, path),
        "model.weights.h5": h5_tree(path),
    }


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    # The CNN layers' arithmetic keys, beside the dense layers' (the manifest's layer table).
    keras3_fixtures.ARITH_KEYS = tuple(dict.fromkeys(keras3_fixtures.ARITH_KEYS + CNN_KEYS))
    entries = [cnn_fixture(*spec) for spec in MODELS]
    manifest = {
        "generated_by": "tools/make_qat_fixtures.sh keras3_cnn (tools/make_qat_fixtures.py, "
                        "tools/qat_fixtures/keras3_cnn_fixtures.py)",
        "versions": {p: version(p) for p in ("keras", "torch", "h5py", "numpy")},
        "keras_backend": keras.backend.backend(),
        "padding_notes": {
            "same": "per axis total = max((ceil(in / s) - 1) * s + d * (k - 1) + 1 - in, 0), "
                    "floor(total / 2) before, the rest after (keras/src/backend/torch/nn.py "
                    "_compute_padding_length / TensorFlow's rule)",
            "causal": "Conv1D: d * (k - 1) before, none after",
            "average_pooling_same": "the sum over the window's real elements divided by their "
                                    "number (count_include_pad=False)",
        },
        "models": entries,
    }
    common.write_json(OUT / "CNN_MANIFEST.json", manifest)
