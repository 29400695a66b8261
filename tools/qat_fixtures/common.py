"""Shared by the QAT fixture generators: deterministic writers, test inputs that hit a
quantizer's ties and saturation, and a NumPy model of AMD's ap_fixed cast used to decide,
by experiment, which HLS type reproduces a framework quantizer bit for bit.

The ap_fixed model follows docs/fixed-point.md (the semantics src/fixed/ implements): scale
to the mantissa, quantize (Q), then handle overflow (O). Values here are float64 and every
quantity involved is a dyadic rational far below 2^52, so the arithmetic is exact.
"""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
N_ROWS = 10_000

Q_MODES = ("AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF",
           "AP_RND_CONV")
O_MODES = ("AP_WRAP", "AP_SAT", "AP_SAT_SYM", "AP_SAT_ZERO")

WRITTEN = []  # (path, bytes, changed) in the order written, for the closing summary


# --------------------------------------------------------------------------- writing


def write_if_changed(path, data):
    """Idempotence: an unchanged file keeps its bytes and mtime."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    changed = not (path.exists() and path.read_bytes() == data)
    if changed:
        path.write_bytes(data)
    WRITTEN.append((path, len(data), changed))


def npy_bytes(array):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def write_npy(path, array):
    write_if_changed(path, npy_bytes(array))


def json_text(obj):
    return json.dumps(obj, indent=1, sort_keys=False, default=_json_default) + "\n"


def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return rel(o)
    raise TypeError(f"not JSON serializable: {type(o)}")


def write_json(path, obj):
    write_if_changed(path, json_text(obj).encode())


def _canonical_config(text):
    """config.json with `shared_object_id` (Python id() of objects several layers share, which
    change every run) renumbered by first appearance."""
    ids = {}

    def walk(o):
        if isinstance(o, dict):
            return {k: (ids.setdefault(v, len(ids)) if k == "shared_object_id" else walk(v))
                    for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    return json.dumps(walk(json.loads(text)), sort_keys=True)


def write_keras(path, tmp_path):
    """Keras stamps metadata.json with the save time and config.json with `shared_object_id`
    values that are Python object ids; everything else is deterministic. Keep the existing
    file when model.weights.h5 is byte-identical and config.json equal up to those ids, so a
    rerun changes nothing."""
    new = Path(tmp_path).read_bytes()
    Path(tmp_path).unlink()
    path = Path(path)
    if path.exists():
        try:
            old_zip, new_zip = zipfile.ZipFile(path), zipfile.ZipFile(io.BytesIO(new))
            same = sorted(old_zip.namelist()) == sorted(new_zip.namelist())
            same = same and old_zip.read("model.weights.h5") == new_zip.read("model.weights.h5")
            same = same and _canonical_config(old_zip.read("config.json")) == \
                _canonical_config(new_zip.read("config.json"))
        except (zipfile.BadZipFile, KeyError, ValueError):
            same = False
        if same:
            new = path.read_bytes()
    write_if_changed(path, new)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rel(path):
    return str(Path(path).resolve().relative_to(REPO))


def file_entry(path):
    return {"file": rel(path), "bytes": Path(path).stat().st_size, "sha256": sha256(path)}


# --------------------------------------------------------------------------- ap_fixed


def mantissa_range(width, signed):
    """Smallest and largest mantissa of ap_fixed (signed) / ap_ufixed of `width` bits."""
    width = np.asarray(width, dtype=np.float64)
    signed = np.asarray(signed, dtype=bool)
    lo = np.where(signed, -(2.0 ** (width - 1)), 0.0)
    hi = np.where(signed, 2.0 ** (width - 1) - 1, 2.0 ** width - 1)
    return lo, hi


def quantize_mantissa(v, q, float32_half=False):
    """Round the exact mantissa v by HLS mode q. With float32_half, the modes that add 0.5 do
    it in float32 as HGQ2 does (floor(x * 2^f + 0.5) on float32 tensors), which rounds up some
    values just below a tie; the exact ap_fixed semantics are float32_half=False."""
    if float32_half and q in ("AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF"):
        v32 = np.asarray(v, dtype=np.float32)
        a32 = np.abs(v32)
        half = np.float32(0.5)
        if q == "AP_RND":
            return np.floor(v32 + half).astype(np.float64)
        if q == "AP_RND_ZERO":
            return (np.sign(v32) * -np.floor(-a32 + half)).astype(np.float64)
        if q == "AP_RND_MIN_INF":
            return (-np.floor(-v32 + half)).astype(np.float64)
        return (np.sign(v32) * np.floor(a32 + half)).astype(np.float64)
    if q == "AP_TRN":
        return np.floor(v)
    if q == "AP_TRN_ZERO":
        return np.trunc(v)
    if q == "AP_RND":
        return np.floor(v + 0.5)
    if q == "AP_RND_ZERO":
        return np.sign(v) * np.ceil(np.abs(v) - 0.5)
    if q == "AP_RND_MIN_INF":
        return np.ceil(v - 0.5)
    if q == "AP_RND_INF":
        return np.sign(v) * np.floor(np.abs(v) + 0.5)
    if q == "AP_RND_CONV":
        return np.round(v)  # NumPy rounds half to even
    raise ValueError(q)


def ap_cast(x, width, integer, signed, q, o, float32_half=False):
    """The value of ap_[u]fixed<width, integer, q, o>(x) for each element; width, integer and
    signed broadcast against x (per-channel and per-element types)."""
    x = np.asarray(x, dtype=np.float64)
    width = np.asarray(width, dtype=np.float64)
    frac = width - np.asarray(integer, dtype=np.float64)
    m = quantize_mantissa(x * 2.0 ** frac, q, float32_half)
    lo, hi = mantissa_range(width, signed)
    if o == "AP_WRAP":
        span = 2.0 ** width
        m = np.mod(m - lo, span) + lo
    elif o == "AP_SAT":
        m = np.clip(m, lo, hi)
    elif o == "AP_SAT_SYM":
        m = np.clip(m, np.where(lo < 0, -hi, lo), hi)
    elif o == "AP_SAT_ZERO":
        m = np.where((m < lo) | (m > hi), 0.0, m)
    else:
        raise ValueError(o)
    return m * 2.0 ** -frac


def type_name(width, integer, signed, q, o):
    base = "ap_fixed" if signed else "ap_ufixed"
    return f"{base}<{int(width)},{int(integer)},{q},{o}>"


def matching_modes(x, y, width, integer, signed, float32_half=False):
    """Every (Q, O) pair for which the ap_fixed cast of x equals the framework's y exactly."""
    y = np.asarray(y, dtype=np.float64)
    out = []
    for q in Q_MODES:
        for o in O_MODES:
            if np.array_equal(ap_cast(x, width, integer, signed, q, o, float32_half), y):
                out.append(f"{q},{o}")
    return out


def float32_half_inexact(x, width, integer):
    """Elements whose float32 `x * 2^F + 0.5` is not exact: where HGQ2's RND can round up a
    value that lies just below a tie."""
    frac = np.asarray(width, dtype=np.float64) - np.asarray(integer, dtype=np.float64)
    v = np.asarray(x, dtype=np.float64) * 2.0 ** frac
    return np.asarray(v.astype(np.float32) + np.float32(0.5), dtype=np.float64) != v + 0.5


# --------------------------------------------------------------------------- inputs


def tie_probe(frac, width, signed, shape, seed=0):
    """Values that separate the rounding and overflow modes of a type (frac, width and signed
    broadcast to the tensor `shape`; the probe gets a leading axis): for mantissas at, next to
    and past both ends of the range, around zero and at random inside it, the exact value,
    the ties m+0.5 and m-0.5 (so both even and odd neighbours), a quarter point, and the
    float32 neighbours one ulp either side of each tie."""
    rng = np.random.default_rng(seed)
    frac = np.broadcast_to(np.asarray(frac, dtype=np.float64), shape)
    lo, hi = (np.broadcast_to(a, shape) for a in mantissa_range(np.broadcast_to(width, shape),
                                                                 np.broadcast_to(signed, shape)))
    # float32 holds mantissas exactly only below 2^24: wider types (32-bit biases) are probed
    # inside that range, without saturation
    lo, hi = np.maximum(lo, -(2.0 ** 22)), np.minimum(hi, 2.0 ** 22)
    zero = np.zeros(shape)
    mants = [lo - 3, lo - 1, lo, lo + 1, zero - 1, zero, zero + 1, hi - 1, hi, hi + 1, hi + 3]
    mants += [np.floor(lo + rng.random(shape) * (hi - lo + 1)) for _ in range(8)]
    rows, ties = [], []
    for m in mants:
        for off in (0.0, 0.5, -0.5, 0.25):
            v = ((m + off) * 2.0 ** -frac).astype(np.float32)
            rows.append(v)
            if off in (0.5, -0.5):
                ties.append(v)
    ties = np.stack(ties)
    return np.concatenate([np.stack(rows), np.nextafter(ties, np.float32(np.inf)),
                           np.nextafter(ties, np.float32(-np.inf))])


def count_ties(x, frac):
    v = np.asarray(x, dtype=np.float64) * 2.0 ** np.asarray(frac, dtype=np.float64)
    return int(np.sum(v - np.floor(v) == 0.5))


def quantizer_input(rng, n, cols, frac, width, signed):
    """`n` rows of float32 inputs for an input quantizer with per-column `frac`, `width` and
    `signed` (each broadcast to `cols`): a mix per element of uniform values over 1.5x the
    range (saturation on both sides), exact ties, exact grid points, values one ulp off a tie,
    gaussians and large values. The first rows are the structured cases: every column at,
    next to and past both ends of the range, and at the ties around zero."""
    frac = np.broadcast_to(np.asarray(frac, dtype=np.float64), (cols,))
    lo, hi = (np.broadcast_to(a, (cols,)) for a in mantissa_range(np.broadcast_to(width, (cols,)),
                                                                   np.broadcast_to(signed, (cols,))))
    step = 2.0 ** -frac
    lo_v, hi_v = lo * step, hi * step
    span = hi_v - lo_v
    kind = rng.integers(0, 8, size=(n, cols))
    uniform = lo_v - 0.25 * span + rng.random((n, cols)) * 1.5 * span
    m = np.floor(lo + rng.random((n, cols)) * (hi - lo + 1))
    tie = (m + np.where(rng.random((n, cols)) < 0.5, 0.5, -0.5)) * step
    grid = m * step
    gauss = rng.standard_normal((n, cols)) * (span / 4)
    big = np.where(rng.random((n, cols)) < 0.5, -1.0, 1.0) * span * (2 + 8 * rng.random((n, cols)))
    x = np.select([kind <= 1, kind == 2, kind == 3, kind == 4, kind == 5, kind == 6],
                  [uniform, tie, tie, grid, gauss, big], default=uniform)
    x = x.astype(np.float32)
    off = kind == 3
    x[off] = np.nextafter(x[off], np.where(rng.random(off.sum()) < 0.5, np.float32(-np.inf),
                                            np.float32(np.inf)).astype(np.float32))
    # structured first rows: every column at both ends, past both ends, at ties next to 0
    head = [lo_v - step, lo_v, lo_v + 0.5 * step, -0.5 * step, 0 * step, 0.5 * step, 1.5 * step,
            hi_v - 0.5 * step, hi_v, hi_v + 0.5 * step, hi_v + step, 4 * hi_v, 4 * lo_v - step]
    x[:len(head)] = np.stack(head).astype(np.float32)
    return x


def describe_exactness(name, a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    diff = np.abs(a - b)
    return {"between": name, "elements": int(a.size), "mismatches": int(np.sum(a != b)),
            "max_abs_diff": float(diff.max()) if diff.size else 0.0}


def summary():
    total = 0
    for path, size, changed in WRITTEN:
        total += size
        print(f"  {'wrote' if changed else 'same '} {size:>9,d} B  {rel(path)}")
    print(f"  {len(WRITTEN)} files, {total:,d} bytes")
