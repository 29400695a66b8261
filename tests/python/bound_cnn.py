"""bound.py's worst-case |fixed - float| bound for the CNN ops (docs/layers.md): importing this
module adds them to bound.py's table. Kept beside bound.py, in its conventions:

  Conv1D/2D: per output position, Dense's bound over the window (padding is 0, exact).
  MaxPool:   max is 1-Lipschitz: the window's largest input error, then the cast to result_t.
  AveragePool, the global pools: the exact window sum cast once to accum_t, the exact quotient
             by n rounded once to result_t: sum(e)/n + err(accum cast)/n + err(result cast).
  UpSampling: the positions repeated, each value cast to result_t (normally the input's type).
Spatial axes are channels-last ([H,] W, C); 1-D ops are the 2-D ones with H = 1.
"""

from __future__ import annotations

import math

import numpy as np

import bound
from bound import Value, _param, _qparam_type, _qvalues, _type, quant_error


def _ints(node: dict, name: str, default: list) -> list:
    a = node.get("attrs", {}).get(name)
    return default if a is None else [int(v) for v in next(iter(a.values()))]


def _int(node: dict, name: str, default: int) -> int:
    a = node.get("attrs", {}).get(name)
    if a is None:
        return default
    v = next(iter(a.values()))
    return int(v[0] if isinstance(v, list) else v)


def _as_2d(a: np.ndarray, one_d: bool) -> np.ndarray:
    return a[:, np.newaxis] if one_d else a


def _windows(a: np.ndarray, kernel, strides, dilations, pads, fill: float) -> np.ndarray:
    """[rows, OH, OW, KH, KW, C] of a [rows, H, W, C] array padded with `fill`."""
    top, bottom, left, right = pads
    p = np.pad(a, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    kh, kw = kernel
    oh = (p.shape[1] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (p.shape[2] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    out = np.empty((a.shape[0], oh, ow, kh, kw, a.shape[3]))
    for i in range(kh):
        for j in range(kw):
            rows = i * dilations[0] + strides[0] * np.arange(oh)
            cols = j * dilations[1] + strides[1] * np.arange(ow)
            out[:, :, :, i, j, :] = p[:, rows][:, :, cols]
    return out


def _geometry(node: dict, one_d: bool, kernel):
    rank = 1 if one_d else 2
    strides = _ints(node, "strides", [1] * rank)
    dilations = _ints(node, "dilations", [1] * rank)
    pads = _ints(node, "pads", [0] * (2 * rank))
    if one_d:
        return [1, *kernel], [1, *strides], [1, *dilations], [0, 0, *pads]
    return list(kernel), strides, dilations, pads


def _conv(node, v: Value):
    w = _param(node, "weight")
    one_d = w.ndim == 3
    wq = _qvalues(node["qparams"]["weight"]).reshape(w.shape)
    w2, wq2 = (w[np.newaxis], wq[np.newaxis]) if one_d else (w, wq)
    kernel, strides, dilations, pads = _geometry(node, one_d, w.shape[:-2])
    x = _windows(_as_2d(v.x, one_d), kernel, strides, dilations, pads, 0.0)
    e = _windows(_as_2d(v.e, one_d), kernel, strides, dilations, pads, 0.0)
    lead = x.shape[:3]
    n_in, n_out = int(np.prod(w2.shape[:3])), w2.shape[3]
    x, e = x.reshape(-1, n_in), e.reshape(-1, n_in)
    wm, wqm = w2.reshape(n_in, n_out), wq2.reshape(n_in, n_out)
    acc_t, res_t = _type(node, "accum"), _type(node, "result")
    y = x @ wm
    err = e @ np.abs(wqm) + np.abs(x) @ np.abs(wm - wqm)
    if "bias" in node["params"]:
        b, bq = _param(node, "bias"), _qvalues(node["qparams"]["bias"])
        y, err = y + b, err + np.abs(b - bq)
        err = err + quant_error(_qparam_type(node, "bias").frac, acc_t)
    err = err + n_in * quant_error(v.t.frac + _qparam_type(node, "weight").frac, acc_t)
    err = err + quant_error(acc_t.frac, res_t)
    shape = (lead[0], lead[2], n_out) if one_d else (*lead, n_out)
    return Value(y.reshape(shape), err.reshape(shape), res_t)


def _pool(node, v: Value, average: bool, global_pool: bool):
    one_d = v.x.ndim == 3
    x2, e2 = _as_2d(v.x, one_d), _as_2d(v.e, one_d)
    if global_pool:
        kernel, strides, dilations, pads = list(x2.shape[1:3]), [1, 1], [1, 1], [0, 0, 0, 0]
    else:
        kernel, strides, dilations, pads = _geometry(node, one_d, _ints(node, "pool_size", []))
    # Padding is never a candidate nor a term: NaN marks it.
    x = _windows(x2, kernel, strides, dilations, pads, math.nan)
    e = _windows(e2, kernel, strides, dilations, pads, math.nan)
    res_t = _type(node, "result") if "result" in node["types"] else v.t
    if not average:
        y, err = np.nanmax(x, axis=(3, 4)), np.nanmax(e, axis=(3, 4))
        err = err + quant_error(v.t.frac, res_t)
    else:
        inside = (~np.isnan(x)).sum(axis=(3, 4))
        count_pad = _int(node, "count_include_pad", 0)
        n = kernel[0] * kernel[1] if count_pad else inside
        acc_t = _type(node, "accum")
        y = np.nansum(x, axis=(3, 4)) / n
        err = (np.nansum(e, axis=(3, 4)) + quant_error(v.t.frac, acc_t)) / n
        err = err + quant_error(math.inf, res_t)
    if global_pool:
        y, err = y.reshape(y.shape[0], -1), err.reshape(err.shape[0], -1)
    elif one_d:
        y, err = y[:, 0], err[:, 0]
    return Value(y, err, res_t)


def _upsampling(node, v: Value):
    sizes = _ints(node, "size", [])
    res_t = _type(node, "result") if "result" in node["types"] else v.t
    x, e = v.x, v.e + quant_error(v.t.frac, res_t)
    for axis, s in enumerate(sizes, start=1):
        x, e = np.repeat(x, s, axis=axis), np.repeat(e, s, axis=axis)
    return Value(x, e, res_t)


bound._OPS.update({
    "Conv1D": _conv, "Conv2D": _conv,
    "MaxPool1D": lambda n, v: _pool(n, v, False, False),
    "MaxPool2D": lambda n, v: _pool(n, v, False, False),
    "AveragePool1D": lambda n, v: _pool(n, v, True, False),
    "AveragePool2D": lambda n, v: _pool(n, v, True, False),
    "GlobalMaxPool1D": lambda n, v: _pool(n, v, False, True),
    "GlobalMaxPool2D": lambda n, v: _pool(n, v, False, True),
    "GlobalAveragePool1D": lambda n, v: _pool(n, v, True, True),
    "GlobalAveragePool2D": lambda n, v: _pool(n, v, True, True),
    "UpSampling1D": _upsampling, "UpSampling2D": _upsampling,
})
