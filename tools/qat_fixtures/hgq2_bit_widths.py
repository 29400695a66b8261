"""Where an HGQ2 model keeps its bit widths and what they mean: the quantizer variables' place
in the .keras file's model.weights.h5, the effective k, i, f HGQ2 computes from the stored
(non-integer) values, the ap_fixed type of every element, the rules and the HGQ2 source they
are read from (for the manifest), and the file's layout.
"""

import io
import zipfile

import h5py
import numpy as np
from hgq.layers import QDense
from hgq.quantizer.internal import fixed_point_quantizer as fpq
from keras import ops
from quantizers.fixed_point import _fixed_point_ops as fxo

from . import common

ROUND_TO_Q = {"RND": "AP_RND", "RND_CONV": "AP_RND_CONV", "TRN": "AP_TRN",
              "TRN_ZERO": "AP_TRN_ZERO", "RND_ZERO": "AP_RND_ZERO",
              "RND_MIN_INF": "AP_RND_MIN_INF", "RND_INF": "AP_RND_INF",
              "S_RND": "AP_RND", "S_RND_CONV": "AP_RND_CONV"}
OVERFLOW_TO_O = {"WRAP": "AP_WRAP", "SAT": "AP_SAT", "SAT_SYM": "AP_SAT_SYM",
                 "WRAP_SM": "AP_WRAP_SM"}


def src_ref(obj):
    import inspect
    lines, start = inspect.getsourcelines(obj)
    path = inspect.getsourcefile(obj)
    return f"{path[path.index('site-packages/') + 14:]}:{start}-{start + len(lines) - 1}"


# --------------------------------------------------------------------------- quantizer table


def weights_h5(path):
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
    h5 = weights_h5(keras_path)
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


def rule_text():
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


def keras_layout(path):
    z = zipfile.ZipFile(path)
    h5 = weights_h5(path)
    items = []
    h5.visititems(lambda n, o: items.append(
        f"{n} {list(o.shape)} {o.dtype}" if isinstance(o, h5py.Dataset) else
        f"{n}/" + (f" (name={o.attrs['name']})" if "name" in o.attrs else "")))
    return {"zip_members": z.namelist(), "model.weights.h5": items}
