"""A rigorous worst-case bound on |fixed - float| for a configured nnfpga graph.

Input: the configured IR as JSON (`nnfpga show MODEL --json OUT.json`) and a batch of inputs.
Output, per graph output: the float value of every element (computed here in double from the
trained parameters, as `predict --float` does) and an upper bound on |fixed - float| for that
element, propagated layer by layer.

The bound is per element and per row: each layer's bound uses the actual float values |x| of that
row (for the terms |x| * |p - p_q| that parameter quantization adds), so it is tight where the data
is small and still rigorous. It holds only while nothing overflows (saturation or wrap-around is
not a rounding error): callers must check the emulator's overflow counts are zero first.

Conventions followed (src/emulate/*.cpp, docs/layers.md):
  cast(v, T) with source fraction Fs: error 0 if Fs <= F_T, else < 2^-F_T (AP_TRN, AP_TRN_ZERO)
  or <= 2^-(F_T+1) (the AP_RND family).
  Input:   x_q = cast(x, result_t).
  Dense:   acc = cast(b_q, accum_t); acc = cast(acc + cast(x_q*w_q, accum_t), accum_t); y =
           cast(acc, result_t).
  ReLU / Clip / Reshape / Flatten: exact op on the mantissa, then cast to result_t; Clip's bounds
           are quantized into the input's type (qparams min/max).
  LeakyReLU: x_q >= 0 ? x_q : x_q * alpha_q, then cast.
  BatchNorm: cast(x_q * s_q + b_q, result_t), product and sum exact.
  Sigmoid / TanH: table of N = table_size entries over [-8, 8) / [-4, 4), entry i =
           cast(f(centre_i), table_t), index floor((x_q - lo) * N / width) clamped, entry cast to
           result_t.
  PReLU:   as LeakyReLU with one alpha per element (qparams alpha, the input's shape).
  HardSigmoid: v = x_q * slope_q + offset_q exactly; 0 below 0, cast(1) above 1, else cast(v).
  Softsign / Softplus / ELU: tables as Sigmoid over [-16, 16) / [-8, 8) / [-8, 0); Softplus is
           cast(x_q) from 8 on, ELU from 0 on.
  Add / Subtract / Multiply / Average / Maximum / Minimum: the exact result of the inputs
           (broadcast numpy-style), one cast (Average: the exact sum times 2^-k for 2^k inputs).
           Concatenate: each input cast, joined on the IR axis `axis` (default the last).
  Transpose: values moved, then cast.
  DepthwiseConv1D/2D: per input channel c and multiplier m, Dense's bound over the window of
           channel c alone (kernel [kh, kw, C, M], output channel c*M + m).
  Conv1D/Conv2D: Dense over each position's window (kh, kw, c), padding exact zeros.
  MaxPool / AveragePool (and the Global ones): the maximum, or the exact sum of the window's
           input elements cast into accum_t, divided by n and rounded once into result_t.
  ZeroPadding / Cropping / UpSampling: values moved, padding exact zeros, then cast.
  Softmax: d_j = max(x_q) - x_q_j; e_j = exp-table[round_half_up(d_j * N / 8)] (clamped; entry
           k = cast(exp(-8k/N), table_t)); S = sum e_j in accum_t, in index order; inv =
           recip-table[floor(S * N / R)] (clamped; R = next power of two >= axis length; entry r =
           cast(1 / ((r + 1/2) * R / N), table_t)); y_j = cast(e_j * inv, result_t).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np


class BoundError(Exception):
    """The bound cannot be stated for this graph (an op or type it does not cover)."""


_RND_MODES = {"AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV"}
_TRN_MODES = {"AP_TRN", "AP_TRN_ZERO"}


@dataclass(frozen=True)
class FixedType:
    signed: bool
    width: int
    integer: int
    quant: str = "AP_TRN"
    overflow: str = "AP_WRAP"

    @property
    def frac(self) -> int:
        return self.width - self.integer

    @property
    def max_value(self) -> float:
        bits = self.width - 1 if self.signed else self.width
        return ((1 << bits) - 1) * 2.0 ** -self.frac

    @property
    def min_value(self) -> float:
        return -(1 << (self.width - 1)) * 2.0 ** -self.frac if self.signed else 0.0


def parse_type(text: str) -> FixedType:
    m = re.fullmatch(r"\s*(?:ap_)?(u?)(fixed|int)\s*<([^<>]*)>\s*", text)
    if not m:
        raise BoundError(f"cannot parse type {text!r}")
    args = [a.strip() for a in m.group(3).split(",")]
    signed = m.group(1) == ""
    width = int(args[0])
    if m.group(2) == "int":
        return FixedType(signed, width, width)
    quant = args[2] if len(args) > 2 else "AP_TRN"
    overflow = args[3] if len(args) > 3 else "AP_WRAP"
    if quant not in _RND_MODES | _TRN_MODES:
        raise BoundError(f"unknown quantization mode in {text!r}")
    return FixedType(signed, width, int(args[1]), quant, overflow)


def quant_error(src_frac: float, t: FixedType) -> float:
    """Largest |cast(v, t) - v| for v with `src_frac` fraction bits (inf: any real), no overflow."""
    if src_frac <= t.frac:
        return 0.0
    step = 2.0 ** -t.frac
    return step if t.quant in _TRN_MODES else step / 2


def _qvalues(q: dict) -> np.ndarray:
    t = parse_type(q["type"])
    return np.asarray(q["mantissa"], dtype=np.float64) * 2.0 ** -t.frac


def _param(node: dict, name: str) -> np.ndarray:
    p = node["params"][name]
    return np.asarray(p["data"], dtype=np.float64).reshape(p["shape"])


def _attr_float(node: dict, name: str, default: float) -> float:
    a = node.get("attrs", {}).get(name)
    if a is None:
        return default
    return float(next(iter(a.values())))


def _type(node: dict, key: str) -> FixedType:
    text = node["types"].get(key)
    if text is None:
        raise BoundError(f"node {node['name']} has no '{key}' type")
    return parse_type(text)


@dataclass
class Value:
    """One layer's output for a batch: float values, their error bound, and the fixed type."""

    x: np.ndarray  # [rows, *shape], float path
    e: np.ndarray  # same shape: |fixed - float| <= e
    t: FixedType  # result type of the fixed path (its mantissa fraction is t.frac)


# ---- per-op bounds. Each returns the layer's Value given its input Value. ----


def _input(node, raw):
    t = _type(node, "result")
    x = np.asarray(raw, dtype=np.float64)
    return Value(x, np.full_like(x, quant_error(math.inf, t)), t)


def _dense(node, v: Value):
    w = _param(node, "weight")  # [n_in, n_out]
    wq = _qvalues(node["qparams"]["weight"]).reshape(w.shape)
    acc_t, res_t = _type(node, "accum"), _type(node, "result")
    n_in, n_out = w.shape
    lead = v.x.shape[:-1]
    x = v.x.reshape(-1, n_in)
    e = v.e.reshape(-1, n_in)
    y = x @ w
    err = e @ np.abs(wq) + np.abs(x) @ np.abs(w - wq)
    if "bias" in node["params"]:
        b = _param(node, "bias")
        bq = _qvalues(node["qparams"]["bias"])
        y = y + b
        err = err + np.abs(b - bq)
        err = err + quant_error(parse_type(node["qparams"]["bias"]["type"]).frac, acc_t)
    # Each product cast to accum_t rounds when accum_t is coarser; the sums of accum_t values are
    # exact at its fraction (overflow excluded by the caller).
    err = err + n_in * quant_error(v.t.frac + _qparam_type(node, "weight").frac, acc_t)
    err = err + quant_error(acc_t.frac, res_t)
    return Value(y.reshape(*lead, n_out), err.reshape(*lead, n_out), res_t)


def _qparam_type(node, name) -> FixedType:
    return parse_type(node["qparams"][name]["type"])


def _relu(node, v: Value):
    t = _type(node, "result")
    return Value(np.maximum(v.x, 0.0), v.e + quant_error(v.t.frac, t), t)


def _reshape(node, v: Value):
    t = _type(node, "result") if "result" in node["types"] else v.t
    shape = (v.x.shape[0], *node["output_shape"])
    return Value(v.x.reshape(shape), (v.e + quant_error(v.t.frac, t)).reshape(shape), t)


def _leaky_relu(node, v: Value):
    t = _type(node, "result")
    alpha = _attr_float(node, "alpha", 0.01)
    alpha_q = float(_qvalues(node["qparams"]["alpha"])[0])
    alpha_t = _qparam_type(node, "alpha")
    y = np.where(v.x >= 0, v.x, alpha * v.x)
    # f_a(x) = x >= 0 ? x : a x is max(1, |a|)-Lipschitz; swapping a for a_q at the fixed input
    # x_q costs |x_q| |a - a_q| <= (|x| + e) |a - a_q|.
    err = max(1.0, abs(alpha), abs(alpha_q)) * v.e + (np.abs(v.x) + v.e) * abs(alpha - alpha_q)
    err = err + max(quant_error(v.t.frac, t), quant_error(v.t.frac + alpha_t.frac, t))
    return Value(y, err, t)


def _clip(node, v: Value):
    t = _type(node, "result")
    lo = _attr_float(node, "min", -math.inf)
    hi = _attr_float(node, "max", math.inf)
    lo_q = float(_qvalues(node["qparams"]["min"])[0])
    hi_q = float(_qvalues(node["qparams"]["max"])[0])
    # clip(x, lo, hi) is 1-Lipschitz in (x, lo, hi) under the max norm. An infinite bound is
    # quantized to the type's extreme mantissa, which no input exceeds: no error from it.
    d_lo = 0.0 if math.isinf(lo) else abs(lo - lo_q)
    d_hi = 0.0 if math.isinf(hi) else abs(hi - hi_q)
    err = np.maximum(v.e, max(d_lo, d_hi)) + quant_error(v.t.frac, t)
    return Value(np.clip(v.x, lo, hi), err, t)


def _batchnorm(node, v: Value):
    t = _type(node, "result")
    s, b = _param(node, "scale"), _param(node, "bias")
    sq, bq = _qvalues(node["qparams"]["scale"]), _qvalues(node["qparams"]["bias"])
    sq, bq = sq.reshape(s.shape), bq.reshape(b.shape)
    frac = max(v.t.frac + _qparam_type(node, "scale").frac, _qparam_type(node, "bias").frac)
    err = np.abs(sq) * v.e + np.abs(v.x) * np.abs(s - sq) + np.abs(b - bq) + quant_error(frac, t)
    return Value(v.x * s + b, err, t)


def _table_entry_error(table_t: FixedType, lo: float, hi: float) -> float:
    """|cast(f, table_t) - f| for every f in [lo, hi] the table holds; saturation included."""
    if table_t.overflow.startswith("AP_SAT") and table_t.overflow != "AP_SAT_ZERO":
        low = table_t.min_value
        if table_t.overflow == "AP_SAT_SYM" and table_t.signed:
            low = -table_t.max_value  # the most negative code is never produced
        sat = max(0.0, hi - table_t.max_value, low - lo)
        return quant_error(math.inf, table_t) + sat
    if hi > table_t.max_value or lo < table_t.min_value:
        raise BoundError(f"table type {table_t} cannot hold [{lo}, {hi}] without wrapping")
    return quant_error(math.inf, table_t)


def _lookup(node, v: Value, sigmoid: bool):
    t, table_t = _type(node, "result"), _type(node, "table")
    n = int(node["settings"]["table_size"])
    width = 16.0 if sigmoid else 8.0
    hi = width / 2
    f = (lambda z: 1.0 / (1.0 + np.exp(-z))) if sigmoid else np.tanh
    slope = 0.25 if sigmoid else 1.0
    # |f(x_q) - f(centre)|: half a bin times the largest slope inside the range; beyond it the
    # index clamps to the end entry, and f moves at most to its asymptote.
    # (Both functions are odd-symmetric about their centre, so one tail stands for both ends.)
    tail = float(1.0 - f(hi - width / (2 * n)))
    table_err = max(slope * width / (2 * n), tail)
    f_lo, f_hi = (0.0, 1.0) if sigmoid else (-1.0, 1.0)
    err = (
        slope * v.e
        + table_err
        + _table_entry_error(table_t, f_lo, f_hi)
        + quant_error(table_t.frac, t)
    )
    return Value(f(v.x), err, t)


def _softmax(node, v: Value):
    t, table_t, acc_t = _type(node, "result"), _type(node, "table"), _type(node, "accum")
    n_tab = int(node["settings"]["table_size"])
    axis = v.x.shape[-1]
    r_range = float(1 << max(0, (axis - 1).bit_length()))  # next power of two >= axis
    x, e = v.x, v.e
    p = np.exp(x - x.max(axis=-1, keepdims=True))  # float numerators, max entry 1
    big_p = p.sum(axis=-1, keepdims=True)  # >= 1
    q_t = _table_entry_error(table_t, 0.0, 1.0)
    # Exp entry vs exp(-d_j): table rounding, index rounding (half a bin of 8/N, exp 1-Lipschitz
    # on d >= 0) or clamping beyond 8, and |d_q - d| <= e_j + max_i e_i.
    idx_err = max(4.0 / n_tab, math.exp(-8.0 + 8.0 / n_tab))
    delta = q_t + idx_err + e + e.max(axis=-1, keepdims=True)
    acc_err = axis * quant_error(table_t.frac, acc_t)
    d_sum = delta.sum(axis=-1, keepdims=True) + acc_err
    # The fixed sum holds entry 0 = cast(1, table_t) for the largest input, the rest are >= 0.
    s_lo = np.maximum(big_p - d_sum, 1.0 - q_t - acc_err)
    if np.any(s_lo <= 0):
        raise BoundError(f"softmax {node['name']}: the fixed sum is not provably positive")
    # Reciprocal index: |centre - S| <= R / (2N), more when S >= R and the index clamps.
    d_c = r_range / (2 * n_tab) + np.maximum(0.0, big_p + d_sum - r_range)
    c_lo = np.maximum(s_lo - d_c, 0.5 * r_range / n_tab)
    recip_err = _table_entry_error(table_t, 0.0, float(np.max(1.0 / c_lo)))
    inv_hi = 1.0 / c_lo + recip_err
    inv_err = recip_err + d_c / (c_lo * s_lo) + d_sum / (s_lo * big_p)
    err = delta * inv_hi + p * inv_err + quant_error(2 * table_t.frac, t)
    return Value(p / big_p, err, t)


def _prelu(node, v: Value):
    t = _type(node, "result")
    alpha = _param(node, "alpha").reshape(v.x.shape[1:])
    alpha_q = _qvalues(node["qparams"]["alpha"]).reshape(alpha.shape)
    y = np.where(v.x >= 0, v.x, alpha * v.x)
    lip = np.maximum(1.0, np.maximum(np.abs(alpha), np.abs(alpha_q)))
    err = lip * v.e + (np.abs(v.x) + v.e) * np.abs(alpha - alpha_q)
    err = err + max(quant_error(v.t.frac, t),
                    quant_error(v.t.frac + _qparam_type(node, "alpha").frac, t))
    return Value(y, err, t)


def _hard_sigmoid(node, v: Value):
    t = _type(node, "result")
    slope, offset = _attr_float(node, "slope", 0.2), _attr_float(node, "offset", 0.5)
    slope_q = float(_qvalues(node["qparams"]["slope"])[0])
    offset_q = float(_qvalues(node["qparams"]["offset"])[0])
    p_frac = _qparam_type(node, "slope").frac
    # clip(., 0, 1) is 1-Lipschitz; the affine part moves by |s_q| e + (|x| + e) |s - s_q| + |o -
    # o_q|. The cast of 1 or of v rounds once.
    err = (abs(slope_q) * v.e + (np.abs(v.x) + v.e) * abs(slope - slope_q)
           + abs(offset - offset_q) + quant_error(max(v.t.frac + p_frac, p_frac, 0), t))
    return Value(np.clip(slope * v.x + offset, 0.0, 1.0), err, t)


def _table_with_identity(node, v: Value):
    """Softsign, Softplus, ELU (docs/layers.md): a table, and x itself where the function is x."""
    t, table_t = _type(node, "result"), _type(node, "table")
    n = int(node["settings"]["table_size"])
    op = node["op"]
    # The tail terms apply only to elements whose fixed input may lie beyond the table.
    lo_reach, hi_reach = v.x - v.e, v.x + v.e
    if op == "Softsign":
        f, width, slope = (lambda z: z / (1 + np.abs(z))), 32.0, 1.0
        tail = np.where(np.maximum(-lo_reach, hi_reach) >= 16.0,
                        float(1.0 - f(16.0 - 16.0 / n)), 0.0)
        f_lo, f_hi = -1.0, 1.0
    elif op == "Softplus":
        f, width, slope = (lambda z: np.logaddexp(0.0, z)), 16.0, 1.0
        # Below the table: entry 0 vs softplus(x) <= softplus(-8 + 8/N). From 8 on the fixed
        # path is x, which softplus exceeds by log(1 + exp(-x)) <= log(1 + exp(-8)).
        tail = (np.where(lo_reach < -8.0, float(np.logaddexp(0.0, -8.0 + 8.0 / n)), 0.0)
                + np.where(hi_reach >= 8.0, float(np.log1p(np.exp(-8.0))), 0.0))
        f_lo, f_hi = 0.0, float(np.logaddexp(0.0, 8.0))
    else:
        alpha = _attr_float(node, "alpha", 1.0)
        f = lambda z: np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))  # noqa: E731
        width, slope = 8.0, max(1.0, abs(alpha))
        tail = np.where(lo_reach < -8.0, abs(alpha) * math.exp(-8.0 + 4.0 / n), 0.0)
        f_lo, f_hi = min(0.0, -alpha), max(0.0, -alpha)
    table_err = slope * width / (2 * n) + tail
    err = (slope * v.e + table_err + _table_entry_error(table_t, f_lo, f_hi)
           + max(quant_error(table_t.frac, t), quant_error(v.t.frac, t)))
    return Value(f(v.x), err, t)


def _merge(node, vs: list[Value]):
    t = _type(node, "result")
    op = node["op"]
    frac = max(v.t.frac for v in vs)
    # A (1, 1, C) or (H, W, 1) operand is read again at every position it is broadcast to.
    xs = np.broadcast_arrays(*[v.x for v in vs])
    es = np.broadcast_arrays(*[v.e for v in vs])
    vs = [Value(x, e, v.t) for x, e, v in zip(xs, es, vs)]
    if op in ("Add", "Average"):
        y = sum(v.x for v in vs)
        err = sum(v.e for v in vs)
        if op == "Average":
            k = len(vs).bit_length() - 1
            y, err, frac = y / len(vs), err / len(vs), frac + k
    elif op == "Subtract":
        y, err = vs[0].x - vs[1].x, vs[0].e + vs[1].e
    elif op == "Multiply":
        y = np.prod([v.x for v in vs], axis=0)
        err = np.prod([np.abs(v.x) + v.e for v in vs], axis=0) - np.abs(y)
        frac = sum(v.t.frac for v in vs)
    else:
        pick = np.maximum if op == "Maximum" else np.minimum
        y = vs[0].x
        for v in vs[1:]:
            y = pick(y, v.x)
        err = np.max([v.e for v in vs], axis=0)  # max and min are 1-Lipschitz in the max norm
    return Value(y, err + quant_error(frac, t), t)


def _concatenate(node, vs: list[Value]):
    t = _type(node, "result")
    axis = _ints(node, "axis", [-1])[0]
    axis = axis + 1 if axis >= 0 else axis  # the batch axis comes first here
    return Value(np.concatenate([v.x for v in vs], axis=axis),
                 np.concatenate([v.e + quant_error(v.t.frac, t) for v in vs], axis=axis), t)


def _transpose(node, v: Value):
    t = _type(node, "result") if "result" in node["types"] else v.t
    perm = [0] + [p + 1 for p in _ints(node, "perm", None)]
    return Value(v.x.transpose(perm), v.e.transpose(perm) + quant_error(v.t.frac, t), t)


def _ints(node, key, default):
    a = node.get("attrs", {}).get(key)
    if a is None:
        return default
    v = next(iter(a.values()))
    return [int(i) for i in v] if isinstance(v, list) else [int(v)]


def _as_2d(v: Value, axes: int):
    """[rows, [H,] W, C] as [rows, H, W, C] (a 1-D map is the 2-D case with H = 1)."""
    if axes == 1:
        return v.x[:, None], v.e[:, None]
    return v.x, v.e


def _windows(node, x, e, kernel, axes, fill):
    """Every output position's window, [rows, oh, ow, kh*kw, C] in (kh, kw) order, of x padded
    with `fill` and e padded with 0 (strides, dilations, pads as the IR's attributes)."""
    k = [1] * (2 - axes) + list(kernel)
    s = [1] * (2 - axes) + _ints(node, "strides", [1] * axes)
    d = [1] * (2 - axes) + _ints(node, "dilations", [1] * axes)
    p = [0, 0] * (2 - axes) + _ints(node, "pads", [0, 0] * axes)
    widths = ((0, 0), (p[0], p[1]), (p[2], p[3]), (0, 0))
    xp = np.pad(x, widths, constant_values=fill)
    ep = np.pad(e, widths)
    out = [(xp.shape[1 + a] - d[a] * (k[a] - 1) - 1) // s[a] + 1 for a in range(2)]
    xs, es = [], []
    for i in range(k[0]):
        for j in range(k[1]):
            sl = (slice(None), slice(i * d[0], i * d[0] + s[0] * (out[0] - 1) + 1, s[0]),
                  slice(j * d[1], j * d[1] + s[1] * (out[1] - 1) + 1, s[1]))
            xs.append(xp[sl])
            es.append(ep[sl])
    return np.stack(xs, axis=3), np.stack(es, axis=3)


def _conv(node, v: Value):
    """Conv1D/Conv2D: Dense's bound over each position's window, padding as exact zeros."""
    axes = 1 if node["op"] == "Conv1D" else 2
    w = _param(node, "weight")
    x, e = _as_2d(v, axes)
    cx, ce = _windows(node, x, e, w.shape[:axes], axes, 0.0)
    rows, oh, ow = cx.shape[:3]
    n_in = int(np.prod(w.shape[:-1]))
    flat = dict(node, params=dict(node["params"], weight=dict(node["params"]["weight"],
                                                                shape=[n_in, w.shape[-1]])))
    y = _dense(flat, Value(cx.reshape(rows, oh, ow, n_in), ce.reshape(rows, oh, ow, n_in), v.t))
    shape = (rows, *node["output_shape"])
    return Value(y.x.reshape(shape), y.e.reshape(shape), y.t)


def _depthwise_conv(node, v: Value):
    """DepthwiseConv1D/2D: Dense's bound per channel over that channel's window."""
    axes = 1 if node["op"] == "DepthwiseConv1D" else 2
    w = _param(node, "weight")  # [[kh,] kw, C, M]
    wq = _qvalues(node["qparams"]["weight"]).reshape(w.shape)
    acc_t, res_t = _type(node, "accum"), _type(node, "result")
    x, e = _as_2d(v, axes)
    cx, ce = _windows(node, x, e, w.shape[:axes], axes, 0.0)  # [rows, oh, ow, taps, C]
    taps, c, m = int(np.prod(w.shape[:axes])), w.shape[-2], w.shape[-1]
    w2, wq2 = w.reshape(taps, c, m), wq.reshape(taps, c, m)
    y = np.einsum("rhwtc,tcm->rhwcm", cx, w2)
    err = (np.einsum("rhwtc,tcm->rhwcm", ce, np.abs(wq2))
           + np.einsum("rhwtc,tcm->rhwcm", np.abs(cx), np.abs(w2 - wq2)))
    if "bias" in node["params"]:
        b = _param(node, "bias").reshape(c, m)
        bq = _qvalues(node["qparams"]["bias"]).reshape(c, m)
        y, err = y + b, err + np.abs(b - bq)
        err = err + quant_error(parse_type(node["qparams"]["bias"]["type"]).frac, acc_t)
    err = err + taps * quant_error(v.t.frac + _qparam_type(node, "weight").frac, acc_t)
    err = err + quant_error(acc_t.frac, res_t)
    shape = (x.shape[0], *node["output_shape"])
    return Value(y.reshape(shape), err.reshape(shape), res_t)


def _pool(node, v: Value):
    """The pools: the maximum (1-Lipschitz) or the exact sum over the window's input elements,
    cast once into accum_t, divided by n and rounded once."""
    op = node["op"]
    axes = 1 if op.endswith("1D") else 2
    x, e = _as_2d(v, axes)
    if op.startswith("Global"):
        kernel, node = list(x.shape[1:3])[2 - axes:], dict(node, attrs={})
    else:
        kernel = _ints(node, "pool_size", None)
    is_max = "Max" in op
    cx, ce = _windows(node, x, e, kernel, axes, -np.inf if is_max else np.nan)
    t = _type(node, "result")
    shape = (x.shape[0], *node["output_shape"])
    if is_max:
        return Value(cx.max(axis=3).reshape(shape),
                     ce.max(axis=3).reshape(shape) + quant_error(v.t.frac, t), t)
    real = ~np.isnan(cx)
    n = (real.sum(axis=3) if not _ints(node, "count_include_pad", [0])[0]
         else np.full(real.shape[:3] + real.shape[4:], cx.shape[3]))
    total = np.where(real, cx, 0.0).sum(axis=3)
    err = ce.sum(axis=3) + quant_error(v.t.frac, _type(node, "accum"))
    return Value((total / n).reshape(shape), (err / n).reshape(shape) + quant_error(math.inf, t),
                 t)


def _relayout(node, v: Value):
    """ZeroPadding, Cropping, UpSampling: values moved (padding exact zeros), then cast."""
    op = node["op"]
    axes = 1 if op.endswith("1D") else 2
    x, e = _as_2d(v, axes)
    if op.startswith("ZeroPadding"):
        p = [0, 0] * (2 - axes) + _ints(node, "pads", None)
        widths = ((0, 0), (p[0], p[1]), (p[2], p[3]), (0, 0))
        x, e = np.pad(x, widths), np.pad(e, widths)
    elif op.startswith("Cropping"):
        c = [0, 0] * (2 - axes) + _ints(node, "crops", None)
        sl = (slice(None), slice(c[0], x.shape[1] - c[1]), slice(c[2], x.shape[2] - c[3]))
        x, e = x[sl], e[sl]
    else:
        size = [1] * (2 - axes) + _ints(node, "size", None)
        for a in range(2):
            x, e = np.repeat(x, size[a], axis=1 + a), np.repeat(e, size[a], axis=1 + a)
    t = _type(node, "result") if "result" in node["types"] else v.t
    shape = (x.shape[0], *node["output_shape"])
    return Value(x.reshape(shape), e.reshape(shape) + quant_error(v.t.frac, t), t)


_MULTI_INPUT = {
    "Add": _merge, "Subtract": _merge, "Multiply": _merge, "Average": _merge,
    "Maximum": _merge, "Minimum": _merge, "Concatenate": _concatenate,
}

_OPS = {
    "PReLU": _prelu,
    "HardSigmoid": _hard_sigmoid,
    "Softsign": _table_with_identity,
    "Softplus": _table_with_identity,
    "ELU": _table_with_identity,
    "Dense": _dense,
    "ReLU": _relu,
    "LeakyReLU": _leaky_relu,
    "Clip": _clip,
    "BatchNormalization": _batchnorm,
    "Flatten": _reshape,
    "Reshape": _reshape,
    "Sigmoid": lambda n, v: _lookup(n, v, True),
    "TanH": lambda n, v: _lookup(n, v, False),
    "Softmax": _softmax,
    "Conv1D": _conv,
    "Conv2D": _conv,
    "DepthwiseConv1D": _depthwise_conv,
    "DepthwiseConv2D": _depthwise_conv,
    "Transpose": _transpose,
    **{f"{kind}{d}": _pool for kind in ("MaxPool", "AveragePool", "GlobalMaxPool",
                                         "GlobalAveragePool") for d in ("1D", "2D")},
    **{f"{kind}{d}": _relayout for kind in ("ZeroPadding", "Cropping", "UpSampling")
       for d in ("1D", "2D")},
}


def propagate(ir: dict, inputs: list[np.ndarray]) -> dict[str, Value]:
    """Every node's Value for a batch; `inputs` in the graph's input order, batch axis first."""
    values: dict[str, Value] = {}
    feeds = dict(zip(ir["inputs"], inputs))
    for node in ir["nodes"]:
        if node["op"] == "Input":
            values[node["name"]] = _input(node, feeds[node["name"]])
            continue
        if node["op"] in _MULTI_INPUT:
            values[node["name"]] = _MULTI_INPUT[node["op"]](
                node, [values[i] for i in node["inputs"]])
            continue
        op = _OPS.get(node["op"])
        if op is None:
            raise BoundError(f"no error bound for op {node['op']} (node {node['name']})")
        if len(node["inputs"]) != 1:
            raise BoundError(f"node {node['name']} has {len(node['inputs'])} inputs")
        values[node["name"]] = op(node, values[node["inputs"][0]])
    return values


def output_bounds(ir: dict, inputs: list[np.ndarray]) -> list[Value]:
    values = propagate(ir, inputs)
    return [values[name] for name in ir["outputs"]]
