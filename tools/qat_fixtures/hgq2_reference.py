"""Checks of the HGQ2 bit-width mapping against HGQ2 itself: which HLS modes reproduce a
quantizer's output (on a probe of ties and out-of-range values, and on the tensors the model
quantized), and a NumPy forward pass that reads only the .keras file and the sidecar's types,
with exact ap_fixed semantics or with HGQ2's float32 rounding (FLOAT32_NOTE says why).
"""

import json
import zipfile

import keras
import numpy as np
import torch
from hgq.layers import QDense
from keras import ops

from . import common
from .common import ap_cast, matching_modes
from .hgq2_bit_widths import layer_group, weights_h5

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


def check_rows(name, model, rows, x, seed):
    """Adds to every quantizer row the evidence that its HLS modes reproduce HGQ2, on a probe
    and on the tensor the model quantized; stops the generator if they do not."""
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


def emulate_from_file(keras_path, sidecar, x, float32_half=False):
    """NumPy forward pass that reads only the .keras file (kernels, biases) and the sidecar's
    types: what a C++ reader that follows the sidecar computes."""
    h5 = weights_h5(keras_path)
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
