"""Floats to fixed-point codes and back, bit for bit as nnfpga's emulator does it.

The emulator casts an input double into the input type like AMD's ``ap_fixed`` constructor from
double (nnfpga's src/fixed/exact.cpp, ``cast_double``): the double's mantissa and exponent are
read from its bits, shifted to the type's fraction bits, one LSB is added when the quantization
mode says so, and the overflow mode acts on the W-bit result. This module does the same with
exact Python integers (``cast_scalar``), and with NumPy for whole arrays (``cast_array``) where
``x * 2**F`` is an exact double; the rare elements outside that range take the exact path, so
both give the same codes. NaN and infinity are refused as the emulator refuses them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Tuple

import numpy as np

QUANTIZATIONS = ("AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF",
                 "AP_RND_CONV")
OVERFLOWS = ("AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM", "AP_WRAP_SM")

_MASK64 = (1 << 64) - 1


@dataclass(frozen=True)
class FixedFormat:
    """A fixed-point type: W bits, F of them below the binary point, with its cast modes."""

    width: int
    frac: int
    signed: bool
    rounding: str = "AP_TRN"
    overflow: str = "AP_WRAP"
    sat_bits: int = 0  # the N of ap_fixed<W, I, Q, O, N>: bits the wrapping modes saturate

    def __post_init__(self) -> None:
        if not 1 <= self.width <= 64:
            raise ValueError(f"fixed-point width {self.width} is outside 1..64")
        if self.rounding not in QUANTIZATIONS:
            raise ValueError(f"unknown quantization mode '{self.rounding}': one of "
                             f"{', '.join(QUANTIZATIONS)}")
        if self.overflow not in OVERFLOWS:
            raise ValueError(f"unknown overflow mode '{self.overflow}': one of "
                             f"{', '.join(OVERFLOWS)}")
        if self.overflow == "AP_WRAP_SM" and not self.signed:
            raise ValueError("AP_WRAP_SM needs a signed type")
        if not 0 <= self.sat_bits <= self.width:
            raise ValueError(f"saturation bits {self.sat_bits} outside 0..{self.width}")

    @property
    def min_code(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    @property
    def max_code(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1


def _round_up(q: str, negative: bool, half: bool, sticky: bool, lsb: bool) -> bool:
    """ap_fixed's quantization adjustment: whether one LSB is added to the floor."""
    if q == "AP_TRN":
        return False
    if q == "AP_TRN_ZERO":
        return negative and (half or sticky)
    if q == "AP_RND":
        return half
    if q == "AP_RND_ZERO":
        return half and (negative or sticky)
    if q == "AP_RND_MIN_INF":
        return half and sticky
    if q == "AP_RND_INF":
        return half and (not negative or sticky)
    return half and (lsb or sticky)  # AP_RND_CONV


def _sign_extend(bits: int, t: FixedFormat) -> int:
    bits &= (1 << t.width) - 1
    if t.signed and bits >> (t.width - 1):
        return bits - (1 << t.width)
    return bits


def _set_range(v: int, lo: int, hi: int, ones: bool) -> int:
    if hi < lo:
        return v
    mask = ((1 << (hi - lo + 1)) - 1) << lo
    return v | mask if ones else v & ~mask & _MASK64


def _wrap(bits: int, t: FixedFormat, lead_bit: bool, negative: bool) -> int:
    """The wrapping overflow modes with N saturated bits, as ap_fixed's overflow adjustment."""
    w, n = t.width, t.sat_bits
    if t.overflow == "AP_WRAP":
        if n == 0:
            return bits
        if not t.signed:
            return _set_range(bits, w - n, w - 1, True)
        bits = _set_range(bits, w - 1, w - 1, negative)
        return _set_range(bits, w - n, w - 2, not negative) if n > 1 else bits
    top = bool((bits >> (w - 1)) & 1)  # AP_WRAP_SM
    if n == 0:
        if lead_bit != top:
            bits = _set_range(~bits & _MASK64, w - 1, w - 1, lead_bit)
        return bits
    if n == 1 and negative != top:
        bits = ~bits & _MASK64
    elif n > 1:
        if bool((bits >> (w - n)) & 1) == negative:
            bits = ~bits & _MASK64
        bits = _set_range(bits, w - n, w - 2, not negative)
    return _set_range(bits, w - 1, w - 1, negative)


def cast_exact(mantissa: int, frac: int, t: FixedFormat) -> Tuple[int, bool]:
    """(code, overflowed): the value mantissa * 2**-frac cast into `t`."""
    shift = frac - t.frac
    if shift <= 0:
        floor, half, sticky = mantissa << -shift, False, False
    else:
        floor = mantissa >> shift
        half = bool((mantissa >> (shift - 1)) & 1)
        sticky = (mantissa & ((1 << (shift - 1)) - 1)) != 0
    q = floor + int(_round_up(t.rounding, mantissa < 0, half, sticky, bool(floor & 1)))
    over = q > t.max_code
    # AP_SAT_SYM never yields the most negative code of a signed type.
    under = q < t.min_code or (t.overflow == "AP_SAT_SYM" and t.signed and q == t.min_code)
    bits = q & ((1 << t.width) - 1)
    if not over and not under:
        return _sign_extend(bits, t), False
    if t.overflow in ("AP_WRAP", "AP_WRAP_SM"):
        out = _wrap(bits, t, bool((floor >> t.width) & 1), q < 0)
    elif t.overflow == "AP_SAT_ZERO":
        out = 0
    elif over:
        out = t.max_code
    elif t.signed:
        out = (1 << (t.width - 1)) | (1 if t.overflow == "AP_SAT_SYM" else 0)
    else:
        out = 0
    code = _sign_extend(out, t)
    return code, code != q


def cast_scalar(x: float, t: FixedFormat) -> int:
    """The code of the double `x` in `t`, read from the double's bits as the emulator reads them
    (a subnormal keeps the hidden bit and the smallest exponent, like ap_fixed's constructor)."""
    (raw,) = struct.unpack("<Q", struct.pack("<d", float(x)))
    field = (raw >> 52) & 0x7FF
    if field == 0x7FF:
        raise ValueError(f"cannot convert {'NaN' if x != x else 'infinity'} to fixed point")
    if raw & ~(1 << 63) == 0:
        return 0
    magnitude = (raw & ((1 << 52) - 1)) | (1 << 52)
    mantissa = -magnitude if raw >> 63 else magnitude
    return cast_exact(mantissa, 1075 - field, t)[0]


def _fast_codes(v: np.ndarray, negative: np.ndarray, t: FixedFormat) -> np.ndarray:
    """Codes of v = x * 2**F (exact doubles with |v| < 2**52) before overflow: the floor plus the
    rounding increment, from the remainder's class (0, below a half, a half, above a half)."""
    fl = np.floor(v)
    # Compared, not subtracted: v - fl can round (a tiny negative v), fl + 0.5 cannot (|v| < 2**52).
    mid = fl + 0.5
    half = v >= mid
    sticky = (v != fl) & (v != mid)
    lsb = (fl.astype(np.int64) & 1) == 1
    q = t.rounding
    if q == "AP_TRN":
        up = np.zeros(v.shape, dtype=bool)
    elif q == "AP_TRN_ZERO":
        up = negative & (half | sticky)
    elif q == "AP_RND":
        up = half
    elif q == "AP_RND_ZERO":
        up = half & (negative | sticky)
    elif q == "AP_RND_MIN_INF":
        up = half & sticky
    elif q == "AP_RND_INF":
        up = half & (~negative | sticky)
    else:
        up = half & (lsb | sticky)
    return fl.astype(np.int64) + up.astype(np.int64)


def cast_array(x: np.ndarray, t: FixedFormat) -> np.ndarray:
    """Codes (int64) of every element of `x` in `t`. Raises ValueError naming the first NaN or
    infinity (row and element of a 2-D batch), as the emulator refuses them."""
    x = np.asarray(x, dtype=np.float64)
    bad = ~np.isfinite(x)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        value = x[where]
        raise ValueError(f"input element {where} is {'NaN' if value != value else 'infinity'}: "
                         f"the accelerator takes finite numbers only")
    v = np.ldexp(x, t.frac) if -1000 < t.frac < 1000 else np.full(x.shape, np.inf)
    tiny = np.finfo(np.float64).tiny
    # Exact doubles, normal before and after the scale, small enough for int64 arithmetic.
    fast = (np.abs(v) < 2.0**52) & ((x == 0) | ((np.abs(x) >= tiny) & (np.abs(v) >= tiny)))
    codes = np.zeros(x.shape, dtype=np.int64)
    q = _fast_codes(np.where(fast, v, 0.0), x < 0, t)
    lo, hi = t.min_code, t.max_code
    inside = fast & (q >= lo) & (q <= hi)
    if t.overflow == "AP_SAT_SYM" and t.signed:
        inside &= q != lo
    codes[inside] = q[inside]
    simple_overflow = t.sat_bits == 0 and t.overflow in ("AP_SAT", "AP_SAT_ZERO", "AP_WRAP")
    if simple_overflow and t.width < 64:
        out = fast & ~inside
        if t.overflow == "AP_SAT":
            codes[out] = np.where(q[out] > hi, hi, lo)
        elif t.overflow == "AP_SAT_ZERO":
            codes[out] = 0
        else:  # two's complement wrap of the W low bits
            wrapped = q[out] & ((1 << t.width) - 1)
            if t.signed:
                wrapped = np.where(wrapped >> (t.width - 1) == 1, wrapped - (1 << t.width), wrapped)
            codes[out] = wrapped
        rest = ~fast
    else:
        rest = ~inside
    flat_x, flat_codes = x.reshape(-1), codes.reshape(-1)
    for k in np.flatnonzero(rest.reshape(-1)):
        flat_codes[k] = cast_scalar(float(flat_x[k]), t)
    return codes


def to_float(codes: np.ndarray, t: FixedFormat) -> np.ndarray:
    """The values of codes in `t`: code * 2**-F, as doubles (exact for widths up to 53)."""
    return np.ldexp(np.asarray(codes, dtype=np.int64).astype(np.float64), -t.frac)


def parse_type(spelling: str) -> Tuple[int, int, bool, str, str, int]:
    """(width, integer bits, signed, quantization, overflow, N) of an HLS spelling such as
    'ap_fixed<16,6,AP_RND,AP_SAT>', 'ap_ufixed<8,0>' or 'ap_int<8>'."""
    s = spelling.replace(" ", "")
    head, _, rest = s.partition("<")
    if not rest.endswith(">") or head not in ("ap_fixed", "ap_ufixed", "ap_int", "ap_uint"):
        raise ValueError(f"'{spelling}' is not an ap_fixed, ap_ufixed, ap_int or ap_uint type")
    args = rest[:-1].split(",")
    width = int(args[0])
    if head in ("ap_int", "ap_uint"):
        return width, width, head == "ap_int", "AP_TRN", "AP_WRAP", 0
    integer = int(args[1])
    quant = args[2] if len(args) > 2 else "AP_TRN"
    over = args[3] if len(args) > 3 else "AP_WRAP"
    n = int(args[4]) if len(args) > 4 else 0
    return width, integer, head == "ap_fixed", quant, over, n
