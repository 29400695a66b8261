"""The number formats QKeras quantizers produce, and their reference numerics: the fixed-point
type (or value set) each quantizer object maps to, derived from the installed QKeras source
(see evidence.py), a plain-numpy quantizer of that type that must equal QKeras bit for bit,
grid membership, tie and saturation counts, and alpha='auto_po2' recomputed in float32 numpy.
"""

import numpy as np


def rne(v):
    return np.round(v)  # numpy rounds half to even, like tf.round


def spec_of(q):
    """The number format a QKeras quantizer object produces, derived from its source
    (see evidence()). Returns a dict: kind, type, lsb/codes for fixed-point kinds."""
    name = type(q).__name__
    c = q.get_config()
    if name == "quantized_bits" and not isinstance(q.alpha, str):
        assert q.alpha in (None, 1, 1.0) and not q.use_stochastic_rounding, c
        kn = int(bool(q.keep_negative))
        ub = q.bits - kn
        sym = int(bool(q.symmetric)) if kn else 0
        lo, hi = (-(2 ** ub) + sym if kn else 0), 2 ** ub - 1
        ap = f"ap_{'' if kn else 'u'}fixed<{q.bits},{q.integer + kn},AP_RND_CONV," \
             f"{'AP_SAT_SYM' if sym else 'AP_SAT'}>"
        return {"kind": "fixed", "type": ap, "signed": bool(kn), "width": q.bits,
                "int_bits_incl_sign": q.integer + kn, "lsb": 2.0 ** (q.integer - ub),
                "code_min": lo, "code_max": hi, "rounding": "half to even (tf.round)",
                "overflow": "saturate" + (" symmetric (code -2^(W-1) unused)" if sym else "")}
    if name == "quantized_bits":  # alpha 'auto' / 'auto_po2'
        assert q.alpha == "auto_po2", c
        half = 2 ** (q.bits - 1) - 1
        return {"kind": "auto_po2", "type": f"per output channel j: scale_j * ap_fixed<{q.bits},"
                f"{q.integer + 1},AP_RND_INF,AP_SAT_SYM>(w / scale_j), scale_j a power of two "
                "recomputed from the float kernel (not stored in the file)",
                "width": q.bits, "base_lsb": 2.0 ** (q.integer - (q.bits - 1)),
                "code_min": -half, "code_max": half,
                "rounding": "half away from zero (floor(|x|/s + 0.5))", "overflow": "saturate symmetric"}
    if name == "quantized_relu":
        assert not q.use_sigmoid and not q.use_stochastic_rounding, c
        ns = float(q.negative_slope)
        if ns == 0.0:
            return {"kind": "fixed", "type": f"ap_ufixed<{q.bits},{q.integer},AP_RND_CONV,AP_SAT>",
                    "signed": False, "width": q.bits, "int_bits_incl_sign": q.integer,
                    "lsb": 2.0 ** (q.integer - q.bits), "code_min": 0, "code_max": 2 ** q.bits - 1,
                    "rounding": "half to even (tf.round)", "overflow": "saturate (negatives -> 0)"}
        ub = q.bits - 1
        return {"kind": "relu_slope", "negative_slope": ns,
                "type": f"ap_fixed<{q.bits},{q.integer + 1},AP_RND_CONV,AP_SAT> of "
                        f"(x >= 0 ? x : {ns}*x), negative side clamped at -{ns}*2^{q.integer}",
                "signed": True, "width": q.bits, "int_bits_incl_sign": q.integer + 1,
                "lsb": 2.0 ** (q.integer - ub), "code_min": int(-ns * 2 ** ub), "code_max": 2 ** ub - 1,
                "rounding": "half to even (tf.round), applied to x and to slope*x",
                "overflow": "saturate"}
    if name == "binary":
        assert q.alpha in (None, 1, 1.0) and not q.use_01 and not q.use_stochastic_rounding, c
        return {"kind": "binary", "type": "1 bit {-1,+1}: x >= 0 -> +1 (also x = 0), x < 0 -> -1; "
                "holds in ap_int<2> (hls4ml: XnorPrecisionType, bit 1 = +1)", "values": [-1, 1]}
    if name == "ternary":
        assert q.alpha in (None, 1, 1.0) and not q.use_stochastic_rounding, c
        thr = float(np.float32(q.default_threshold if q.threshold is None else q.threshold))
        return {"kind": "ternary", "threshold_float32": thr, "values": [-1, 0, 1],
                "type": f"ap_int<2> {{-1,0,+1}}: |x| >= {thr!r} (float32 0.33) -> sign(x), else 0"}
    if name == "quantized_po2":
        assert not q.use_stochastic_rounding and not q.quadratic_approximation, c
        assert q.log2_rounding == "rnd"
        top = q._max_exp
        if q.max_value is not None:
            top = min(top, int(np.round(np.log2(q.max_value))))
        return {"kind": "po2", "min_exp": q._min_exp, "max_exp": q._max_exp, "max_value": q.max_value,
                "largest_exp": top,
                "type": f"sign + exponent ({q.bits} bits, hls4ml ExponentPrecisionType): "
                        f"+-2^e, e in [{q._min_exp},{top}], never 0 (|x| < 1e-7 -> +-2^{q._min_exp}); "
                        f"holds in ap_fixed<{top + 2 - q._min_exp},{top + 2}>",
                "rounding": "e = round_half_even(log2 |x|) in float32: threshold at 2^(k+0.5), "
                            "not at the arithmetic midpoint"}
    raise RuntimeError(f"no fixed-point mapping for {name} {c}")


def ref_quantize(spec, x):
    """What the claimed type computes, in numpy; must equal QKeras's output exactly."""
    x = np.asarray(x)
    kind = spec["kind"]
    if kind == "fixed":
        return np.clip(rne(x.astype(np.float64) / spec["lsb"]), spec["code_min"],
                       spec["code_max"]) * spec["lsb"]
    if kind == "relu_slope":
        r = x.astype(np.float64) / spec["lsb"]
        pos = np.clip(rne(r), 0, spec["code_max"])
        neg = np.clip(rne(r * spec["negative_slope"]), spec["code_min"], 0)
        return (pos + neg) * spec["lsb"]
    if kind == "binary":
        return np.where(x >= 0, 1.0, -1.0)
    if kind == "ternary":
        return np.where(np.abs(x.astype(np.float32)) >= np.float32(spec["threshold_float32"]),
                        np.sign(x), 0.0)
    if kind == "po2":
        x = x.astype(np.float32)
        eps = np.float32(1e-7)
        a = np.abs(x)
        f = np.where(a < eps, eps, a)
        if spec["max_value"] is not None:
            f = np.where(f >= np.float32(spec["max_value"]), np.float32(spec["max_value"]), f)
        e = np.clip(rne(np.log(f) / np.float32(np.log(2.0))), spec["min_exp"], spec["max_exp"])
        e = np.where(a < eps, spec["min_exp"], e)
        return np.where(x < 0, -1.0, 1.0) * np.exp2(e.astype(np.float64))
    raise RuntimeError(kind)


def on_grid(spec, y):
    y = np.asarray(y, np.float64)
    kind = spec["kind"]
    if kind in ("fixed", "relu_slope"):
        c = y / spec["lsb"]
        return bool(np.all(c == np.round(c)) and c.min() >= spec["code_min"] and c.max() <= spec["code_max"])
    if kind in ("binary", "ternary"):
        return bool(np.all(np.isin(y, spec["values"])))
    if kind == "po2":
        e = np.log2(np.abs(y))
        return bool(np.all(e == np.round(e)) and e.min() >= spec["min_exp"] and e.max() <= spec["largest_exp"])
    raise RuntimeError(kind)


def tie_and_saturation_counts(spec, x):
    """How often the quantizer's input lies exactly half-way between two codes, and beyond
    its range: evidence that the fixtures exercise rounding and saturation."""
    if spec["kind"] not in ("fixed", "relu_slope"):
        return {"exact_zero_inputs": int(np.sum(np.asarray(x) == 0)), "elements": int(np.size(x))}
    r = np.asarray(x, np.float64) / spec["lsb"]
    if spec["kind"] == "relu_slope":
        r = np.where(r < 0, r * spec["negative_slope"], r)
    tie = (r - np.floor(r)) == 0.5
    inside = (r > spec["code_min"] - 0.5) & (r < spec["code_max"] + 0.5)
    return {"ties_in_range": int(np.sum(tie & inside)), "outside_range": int(np.sum(~inside)),
            "elements": int(r.size)}


def auto_po2_numpy(q, w):
    """QKeras quantized_bits(alpha='auto_po2') re-done in float32 numpy, to prove a reader can
    recompute the scales from the float kernel (they are not saved anywhere)."""
    f32 = np.float32
    m, m_i = f32(2 ** (q.bits - 1)), f32(2.0 ** q.integer)
    eps = f32(1e-7)
    x = (w / m_i).astype(f32)
    levels = f32((2 ** (q.bits - 1) - 1) * 2)

    def po2(s):
        return np.exp2(rne(np.log(s + eps) / f32(np.log(2.0)))).astype(f32)

    scale = po2(np.max(np.abs(x), axis=0, keepdims=True) * f32(2) / levels)
    for _ in range(5):
        v = np.floor(np.abs(x) / scale + f32(0.5))
        z = np.sign(x) * np.where(v < levels / 2, v, levels / 2)
        qx = np.mean(x * z, axis=0, keepdims=True, dtype=f32)
        qq = np.mean(z * z, axis=0, keepdims=True, dtype=f32)
        scale = po2(qx / (qq + eps))
    # z was rounded with the scale of the previous iteration, the result uses the last one.
    return (scale * m) .astype(f32), (scale * m_i * z).astype(f32), z
