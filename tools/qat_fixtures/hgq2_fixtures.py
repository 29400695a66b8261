"""tests/fixtures/hgq2/: HGQ2 models (Keras 3 on the PyTorch backend) saved as .keras, with a
JSON sidecar per model giving, for every quantizer, where its bit widths are stored in the
file, the raw stored values, the effective k/i/f HGQ2 computes from them, and the ap_fixed
type of each element.

How HGQ2 keeps bit widths (hgq 0.2.0, checked here on every quantizer): a quantizer is a
Keras layer `Quantizer` (attribute iq/kq/bq/oq of a QLayer) wrapping an internal layer
(`quantizer`, FixedPointQuantizerKBI or FixedPointQuantizerKIF) whose Keras variables hold
k (uint8, keep-negative), and b and i (KBI) or i and f (KIF) as float32, broadcastable to the
quantized tensor (shape from heterogeneous_axis/homogeneous_axis), plus i_decay_speed in
WRAP mode. They are saved like any Keras variables: model.weights.h5 at
layers/<layer>/<attr>/quantizer/vars/<n>, numbered trainable variables first (in creation
order) then non-trainable ones. i is trainable unless overflow_mode is WRAP, so the numbering
depends on the overflow mode. The stored b, i, f are not integers after training: HGQ2
rounds them half to even (round_conv) when it uses them, then takes i = max(i, -f).

Each model's mapping is checked on a probe of ties and out-of-range values through each
HGQ2 quantizer, on the tensors the model quantized, and by a NumPy forward pass that reads
only the .keras file and the sidecar and must reproduce HGQ2's output exactly.
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
from hgq.config import QuantizerConfig
from hgq.layers import QDense
from hgq.quantizer.internal import fixed_point_quantizer as fpq
from hgq.utils import trace_minmax
from keras import ops
from quantizers.fixed_point import _fixed_point_ops as fxo

from . import common
from .common import FIXTURES, N_ROWS, ap_cast, describe_exactness, matching_modes

OUT = FIXTURES / "hgq2"
ROUND_TO_Q = {"RND": "AP_RND", "RND_CONV": "AP_RND_CONV", "TRN": "AP_TRN",
              "TRN_ZERO": "AP_TRN_ZERO", "RND_ZERO": "AP_RND_ZERO",
              "RND_MIN_INF": "AP_RND_MIN_INF", "RND_INF": "AP_RND_INF",
              "S_RND": "AP_RND", "S_RND_CONV": "AP_RND_CONV"}
OVERFLOW_TO_O = {"WRAP": "AP_WRAP", "SAT": "AP_SAT", "SAT_SYM": "AP_SAT_SYM",
                 "WRAP_SM": "AP_WRAP_SM"}
SIZES = (16, 12, 8, 4)


def src_ref(obj):
    import inspect
    lines, start = inspect.getsourcelines(obj)
    path = inspect.getsourcefile(obj)
    return f"{path[path.index('site-packages/') + 14:]}:{start}-{start + len(lines) - 1}"


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


# --------------------------------------------------------------------------- quantizer table


def _h5(path):
    z = zipfile.ZipFile(path)
    return h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")


def layer_group(h5, layer_name):
    """Keras names a layer's group after its class (layers/q_dense, layers/q_dense_1, ...),
    not after the layer; the layer's name is the `name` attribute of the group's vars/."""
    found = [f"layers/{g}" for g in h5["layers"]
             if "vars" in h5["layers"][g] and h5["layers"][g]["vars"].attrs.get("name") == layer_name]
    assert len(found) == 1, (layer_name, found)
    return found[0]


def _find_vars_group(h5, layer_name, attr, inner_name):
    group = f"{layer_group(h5, layer_name)}/{attr}/quantizer/vars"
    assert h5[group].attrs.get("name") == inner_name, (group, inner_name)
    return group


def _effective(kind, stored):
    """HGQ2's k, i, f from the stored variables: round half to even (round_conv), f = b - i
    for KBI, then i = max(i, -f) (quantizers/fixed_point/_fixed_point_ops.py __call__)."""
    k = stored["k"].astype(np.float64)
    if kind == "kbi":
        b, i = np.round(stored["b"].astype(np.float64)), np.round(stored["i"].astype(np.float64))
        f = b - i
    else:
        i, f = np.round(stored["i"].astype(np.float64)), np.round(stored["f"].astype(np.float64))
    i = np.maximum(i, -f)
    return k, i, f


def _types(k, i, f, q, o):
    w, integer = k + i + f, k + i
    out = np.empty(np.shape(w), dtype=object)
    for idx in np.ndindex(np.shape(w)):
        out[idx] = "zero" if w[idx] <= 0 else common.type_name(w[idx], integer[idx], k[idx] > 0,
                                                                  q, o)
    return out


def quantizer_rows(model, keras_path):
    h5 = _h5(keras_path)
    rows = []
    for layer in model.layers:
        if not isinstance(layer, QDense):
            continue
        for attr in ("iq", "kq", "bq", "oq"):
            if attr == "iq" and not layer.enable_iq or attr == "oq" and not layer.enable_oq:
                continue
            wrapper = getattr(layer, attr)
            if wrapper is None:
                continue
            inner = wrapper.quantizer
            kind = wrapper.config.q_type
            group = _find_vars_group(h5, layer.name, attr, inner.name)
            order = inner._trainable_variables + inner._non_trainable_variables
            names = [v.name for v in order]
            stored = {n: np.asarray(h5[group][str(j)]) for j, n in enumerate(names)}
            k, i, f = _effective(kind, stored)
            # HGQ2's own view of the same numbers
            hk, hi, hf = (ops.convert_to_numpy(t).astype(np.float64) for t in inner.kif)
            hi = np.maximum(hi, -hf)
            assert np.array_equal(hk, k) and np.array_equal(hi, i) and np.array_equal(hf, f), \
                f"{layer.name}.{attr}: the stored-value rule disagrees with HGQ2's kif"
            q, o = ROUND_TO_Q[inner.round_mode], OVERFLOW_TO_O[inner.overflow_mode]
            types = _types(k, i, f, q, o)
            uniq = sorted(set(types.reshape(-1).tolist()))
            rows.append({
                "layer": layer.name, "quantizer": attr, "keras_name": wrapper.name,
                "inner_name": inner.name, "q_type": kind, "place": wrapper.config.place,
                "round_mode": inner.round_mode, "overflow_mode": inner.overflow_mode,
                "heterogeneous_axis": list(map(int, inner.bw_mapper.heterogeneous_axis)),
                "homogeneous_axis": list(map(int, inner.bw_mapper.homogeneous_axis)),
                "bw_shape": list(np.shape(k)),
                "h5_group": group,
                "h5_vars": {n: f"{group}/{j}" for j, n in enumerate(names)},
                "stored": {n: np.asarray(v).tolist() for n, v in stored.items()},
                "effective": {"k": k.astype(int).tolist(), "i": i.astype(int).tolist(),
                              "f": f.astype(int).tolist()},
                "hls": {"q": q, "o": o, "width": (k + i + f).astype(int).tolist(),
                        "integer": (k + i).astype(int).tolist(),
                        "signed": (k > 0).tolist()},
                "types": types.tolist(),
                "distinct_types": uniq,
                "zero_bit_elements": int(np.sum(k + i + f <= 0)),
            })
    return rows


def _rule_text():
    return {
        "stored_to_effective":
            "k = stored k (uint8); KBI: b = round_half_even(b), i = round_half_even(i), f = b - i; "
            "KIF: i = round_half_even(i), f = round_half_even(f); then i = max(i, -f)",
        "effective_to_type":
            "k + i + f <= 0: the element is 0 (HGQ2 zeroes it); else ap_fixed<k+i+f, k+i, Q, O> "
            "if k else ap_ufixed<i+f, i, Q, O> (i counts integer bits without the sign)",
        "round_mode_to_Q": ROUND_TO_Q, "overflow_mode_to_O": OVERFLOW_TO_O,
        "sources": {
            "KBI variables, rounding and f = b - i": src_ref(fpq.FixedPointQuantizerKBI),
            "KIF variables": src_ref(fpq.FixedPointQuantizerKIF),
            "k + i + f <= 0 gives 0": src_ref(fpq.FixedPointQuantizerBase.call),
            "i = max(i, -f); SAT clips before rounding, WRAP wraps after":
                src_ref(fxo.FixedPointQuantizer.__call__) + ", " +
                src_ref(fxo.FixedPointQuantizer.forward),
            "round modes (RND = floor(x + 0.5), RND_CONV = round half even, TRN = floor)":
                src_ref(fxo.round) + ", " + src_ref(fxo.round_conv) + ", " + src_ref(fxo.floor),
            "overflow modes (WRAP, SAT, SAT_SYM)": src_ref(fxo.wrap) + ", " + src_ref(fxo.sat) +
                                                   ", " + src_ref(fxo.sat_sym),
            "variable numbering in the .h5 (trainable first, then non-trainable)":
                "keras/src/layers/layer.py Layer.save_own_variables",
        },
        "notes": [
            "SAT clips to [min, max] before rounding; ap_fixed rounds then saturates. The "
            "results agree because the bounds are on the grid (checked by the probes).",
            "A KBI quantizer with overflow_mode WRAP on a weight (is_weight, RND) only rounds "
            "and never wraps (FixedPointQuantizerKBI.call); none of these fixtures uses it.",
            "Datalane quantizers in WRAP mode get i (and k) from trace_minmax or training, "
            "not from the config's i0; their stored i is what counts.",
        ],
    }


# --------------------------------------------------------------------------- evidence


def _arr(row, key):
    return np.asarray(row["hls"][key], dtype=np.float64 if key != "signed" else bool)


def match(x, y, row):
    """Which HLS modes reproduce HGQ2's y from x for this quantizer's per-element types. RND
    and its relatives add 0.5 in float32 inside HGQ2, which rounds up some values lying within
    a float32 rounding error below a tie; those elements are counted, checked against a model
    of that float32 addition, and left out of the exact comparison."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w_b, i_b, s_b = (np.broadcast_to(_arr(row, k), x.shape) for k in ("width", "integer", "signed"))
    live = w_b > 0
    res = {"values": int(x.size), "ties": common.count_ties(x[live], (w_b - i_b)[live]),
           "zero_bit_elements_give_0": bool(np.all(y[~live] == 0))}
    odd = np.zeros(x.shape, dtype=bool)
    if row["hls"]["q"] in ("AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF"):
        odd = live & common.float32_half_inexact(x, w_b, i_b)
        exact = ap_cast(x, np.maximum(w_b, 1), i_b, s_b, row["hls"]["q"], row["hls"]["o"])
        res["float32_half_inexact_elements"] = int(odd.sum())
        res["hgq2_differs_from_exact_ap_fixed_on"] = int(np.sum((exact != y) & odd))
        res["matching_modes_with_float32_half_model"] = matching_modes(
            x[live], y[live], w_b[live], i_b[live], s_b[live], float32_half=True)
    keep = live & ~odd
    res["matching_modes"] = matching_modes(x[keep], y[keep], w_b[keep], i_b[keep], s_b[keep])
    return res


def probe_row(layer, row, shape, seed):
    wrapper = getattr(layer, row["quantizer"])
    w, integer, signed = (np.broadcast_to(_arr(row, k), shape) for k in ("width", "integer",
                                                                           "signed"))
    live = w > 0
    probe = common.tie_probe(np.where(live, w - integer, 0), np.where(live, w, 2), signed, shape,
                             seed=seed)
    with torch.no_grad():
        y = ops.convert_to_numpy(wrapper(probe, training=False))
    return match(probe, y, row)


def layer_inputs(model, x):
    """The float input of every QDense and, for layers with an output quantizer, the value
    it quantizes (the activation output), via HGQ2's own layers."""
    dense = [l for l in model.layers if isinstance(l, QDense)]
    probe = keras.Model(model.inputs, [l.input for l in dense])
    with torch.no_grad():
        ins = probe(x, training=False)
    return dense, [ops.convert_to_numpy(t) for t in ins]


def emulate_from_file(keras_path, sidecar, x, float32_half=False):
    """NumPy forward pass that reads only the .keras file (kernels, biases) and the sidecar's
    types: what a C++ reader that follows the sidecar computes."""
    h5 = _h5(keras_path)
    cfg = json.loads(zipfile.ZipFile(keras_path).read("config.json"))
    by = {(r["layer"], r["quantizer"]): r for r in sidecar}
    h = x.astype(np.float64)
    for lc in cfg["config"]["layers"]:
        if lc["class_name"] != "QDense":
            continue
        name, c = lc["config"]["name"], lc["config"]

        def cast(v, key, name=name):
            r = by[(name, key)]
            w, i, s = _arr(r, "width"), _arr(r, "integer"), _arr(r, "signed")
            y = ap_cast(v, np.maximum(w, 1), i, s, r["hls"]["q"], r["hls"]["o"], float32_half)
            return np.where(np.broadcast_to(w, np.shape(v)) > 0, y, 0.0)
        g = layer_group(h5, name)
        kernel = np.asarray(h5[f"{g}/vars/0"], dtype=np.float64)
        h = cast(h, "iq") if c["enable_iq"] else h
        h = h @ cast(kernel, "kq")
        if c["use_bias"]:
            h = h + cast(np.asarray(h5[f"{g}/vars/1"], dtype=np.float64), "bq")
        if c["activation"] == "relu":
            h = np.maximum(h, 0.0)
        elif c["activation"] not in (None, "linear"):
            raise SystemExit(f"emulate: activation {c['activation']}")
        if c.get("enable_oq"):
            h = cast(h, "oq")
    return h


# --------------------------------------------------------------------------- the fixtures


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


def hgq_fixture(name, spec, seed, what):
    model = build(spec, seed)
    f, w, s = first_input_type(model)
    rng = np.random.default_rng(2000 + seed)
    x = common.quantizer_input(rng, N_ROWS, SIZES[0], np.broadcast_to(f, (SIZES[0],)),
                               np.broadcast_to(np.maximum(w, 1), (SIZES[0],)),
                               np.broadcast_to(s, (SIZES[0],)))
    with torch.no_grad():
        y = ops.convert_to_numpy(model(x, training=False)).astype(np.float32)

    path = OUT / f"{name}.keras"
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch) / f"{name}.keras"
        model.save(tmp)
        common.write_keras(path, tmp)
    reloaded = keras.models.load_model(path)
    with torch.no_grad():
        y_reloaded = ops.convert_to_numpy(reloaded(x, training=False)).astype(np.float32)

    rows = quantizer_rows(model, path)
    dense, ins = layer_inputs(model, x)
    for row in rows:
        layer = model.get_layer(row["layer"])
        li = ins[dense.index(layer)]
        with torch.no_grad():
            if row["quantizer"] == "iq":
                t_in = li
            elif row["quantizer"] == "kq":
                t_in = ops.convert_to_numpy(layer.kernel)
            elif row["quantizer"] == "bq":
                t_in = ops.convert_to_numpy(layer.bias)
            else:  # the output quantizer sees the activation's output
                pre = ops.matmul(layer.iq(li, training=False), layer.qkernel) + layer.qbias
                t_in = ops.convert_to_numpy(layer.activation(pre))
            t_out = ops.convert_to_numpy(getattr(layer, row["quantizer"])(t_in, training=False))
        # activations: one probe row per batch element, bit widths broadcast over (1, features)
        shape = ((1,) + np.shape(t_in)[1:] if row["quantizer"] in ("iq", "oq") else np.shape(t_in))
        row["evidence"] = {"probe_hgq2_quantizer": probe_row(layer, row, shape, seed),
                           "model_tensor": match(t_in, t_out, row)}
        chosen = f"{row['hls']['q']},{row['hls']['o']}"
        for k, e in row["evidence"].items():
            ok = chosen in e["matching_modes"] and e["zero_bit_elements_give_0"]
            if "matching_modes_with_float32_half_model" in e:
                ok = ok and chosen in e["matching_modes_with_float32_half_model"]
            if not ok:
                raise SystemExit(f"{name}: {row['layer']}.{row['quantizer']}: {chosen} does not "
                                 f"reproduce HGQ2 on {k}: {e}")

    sidecar_path = OUT / f"{name}.quantizers.json"
    sidecar = {"model": f"{name}.keras", "rules": "see MANIFEST.json hgq2_bit_widths",
               "quantizers": rows}
    common.write_json(sidecar_path, sidecar)
    emu = emulate_from_file(path, rows, x)
    emu32 = emulate_from_file(path, rows, x, float32_half=True)
    common.write_npy(OUT / f"{name}.x.npy", x)
    common.write_npy(OUT / f"{name}.y.npy", y)
    checks = [describe_exactness("model(x) vs load_model(file)(x)", y, y_reloaded),
              describe_exactness("NumPy forward from the .keras file and the sidecar types "
                                 "(exact ap_fixed semantics) vs y", y, emu),
              describe_exactness("the same forward with HGQ2's float32 `x*2^f + 0.5` in RND "
                                 "vs y", y, emu32)]
    rows_differ = np.nonzero(np.any(emu.astype(np.float32) != y, axis=1))[0]
    checks[1]["rows_that_differ"] = rows_differ.tolist()
    bad = [c for c in (checks[0], checks[2]) if c["mismatches"]]
    print(f"  {name}: {len(rows)} quantizers; "
          f"{'all checks exact' if not bad else 'MISMATCH: ' + str(bad)}")
    return {
        "name": name, "what": what, "seed": seed,
        "files": [common.file_entry(path), common.file_entry(sidecar_path)],
        "x": common.file_entry(OUT / f"{name}.x.npy"),
        "y": common.file_entry(OUT / f"{name}.y.npy"),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
        "y_is": "HGQ2 model(x, training=False) on the torch backend (float32)",
        "expect": "accept",
        "checks": checks,
        "quantizers": [{"layer": r["layer"], "quantizer": r["quantizer"],
                        "q_type": r["q_type"], "round_mode": r["round_mode"],
                        "overflow_mode": r["overflow_mode"], "bw_shape": r["bw_shape"],
                        "distinct_types": r["distinct_types"][:8] +
                        (["..."] if len(r["distinct_types"]) > 8 else []),
                        "zero_bit_elements": r["zero_bit_elements"],
                        "evidence": r["evidence"]} for r in rows],
    }


def keras_layout(path):
    z = zipfile.ZipFile(path)
    h5 = _h5(path)
    items = []
    h5.visititems(lambda n, o: items.append(
        f"{n} {list(o.shape)} {o.dtype}" if isinstance(o, h5py.Dataset) else
        f"{n}/" + (f" (name={o.attrs['name']})" if "name" in o.attrs else "")))
    return {"zip_members": z.namelist(), "model.weights.h5": items}


FLOAT32_NOTE = (
    "HGQ2's RND computes floor(x * 2^f + 0.5) on float32 tensors "
    "(quantizers/fixed_point/_fixed_point_ops.py round). The addition is exact except when "
    "x * 2^f lies in [0.25, 0.5), where the sum needs one more bit than float32 has; the one "
    "case that changes the result is x * 2^f = 0.5 - 2^-25 (0.49999997, the largest float32 "
    "below the tie at +0.5), where the sum rounds (half to even) up to 1.0: HGQ2 returns one LSB, "
    "ap_fixed's AP_RND returns 0. RND_CONV (torch.round) and TRN (floor) are exact. In these "
    "fixtures it happens only in the first layer's input quantizer, for inputs the generator "
    "put one float32 ulp below a tie; each model's checks list the rows (rows_that_differ). "
    "A reader with exact ap_fixed semantics differs from y.npy on exactly those rows; the "
    "NumPy forward that adds 0.5 in float32 reproduces y.npy everywhere.")


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    entries = [hgq_fixture(*spec) for spec in MODELS]
    manifest = {
        "generated_by": "tools/make_qat_fixtures.sh (tools/make_qat_fixtures.py, "
                        "tools/qat_fixtures/hgq2_fixtures.py)",
        "versions": {p: version(p) for p in ("hgq2", "quantizers", "keras", "torch", "h5py",
                                             "numpy")},
        "keras_backend": keras.backend.backend(),
        "hgq2_bit_widths": _rule_text(),
        "float32_rounding_in_hgq2": FLOAT32_NOTE,
        "layout_example": {"file": "hgq_mlp_per_layer.keras",
                           **keras_layout(OUT / "hgq_mlp_per_layer.keras")},
        "models": entries,
    }
    common.write_json(OUT / "MANIFEST.json", manifest)
