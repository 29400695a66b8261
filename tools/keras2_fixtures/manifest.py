"""MANIFEST.json of tests/fixtures/keras2/: every fixture entry completed with its files' sizes,
SHA-256 and, for HDF5 files, the layout a C++ reader meets (attribute string kinds, dataset
paths, dtypes and shapes), then the versions, determinism notes, the quantizer -> fixed-point
mapping, the evidence and the rounding experiments.
"""

import hashlib
import json
from pathlib import Path

import h5py

from .common import FLOAT_ROWS, OUT, QUANT_ROWS, TRACE_ROWS, VERSIONS, write
from .evidence import evidence, rounding_experiments


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


def write_manifest(files):
    """Completes the entries of `files` in place and writes MANIFEST.json."""
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
