"""The integer-bit rule of ``suggest_types`` and the spelling of the types it suggests.

The rule is exact: it works on the binary exponent of the observed extremes (``math.frexp``)
rather than on a floating-point log2, so a power of two is never misjudged by a rounding error.
"""

from __future__ import annotations

import math
import re
from typing import Any, Dict, Optional

from .._core import type_info


def _exponent_above(v: float) -> int:
    """The smallest k with v < 2**k, for v > 0."""
    # frexp gives v = m * 2**e with 0.5 <= m < 1, so 2**(e-1) <= v < 2**e.
    return math.frexp(v)[1]


def _exponent_at_least(v: float) -> int:
    """The smallest k with v <= 2**k, for v > 0."""
    m, e = math.frexp(v)
    return e - 1 if m == 0.5 else e


def integer_bits(lo: float, hi: float, signed: bool) -> Optional[int]:
    """The fewest integer bits I (sign included for a signed type) whose range holds every value
    in [lo, hi], whatever the width: None when lo == hi == 0 (nothing to go by).

    signed (``ap_fixed<W,I>``, range [-2^(I-1), 2^(I-1) - 2^(I-W)]):
      - a positive maximum needs hi < 2^(I-1) (strictly, so that hi truncates into the range
        for every W): I = k + 1 with k the smallest integer such that hi < 2^k. A maximum of
        exactly 2^k therefore takes one bit more than a maximum just below it.
      - a negative minimum needs -2^(I-1) <= lo: I = k + 1 with k the smallest integer such that
        |lo| <= 2^k. A minimum of exactly -2^k fits in I = k + 1, as the most negative code.
      - I is the larger of the two.
    unsigned (``ap_ufixed<W,I>``, range [0, 2^I - 2^(I-W)]): hi < 2^I, so I = k with hi < 2^k;
    lo must be >= 0.
    I may come out zero or negative for values below 1 (``ap_fixed<16,-2>`` holds |x| < 2^-3
    with 18 fraction bits), which is what the width is best spent on.
    """
    if not signed and lo < 0:
        raise ValueError(f"an unsigned type cannot hold {lo}")
    needs = []
    if hi > 0:
        needs.append(_exponent_above(hi) + (1 if signed else 0))
    if lo < 0:
        needs.append(_exponent_at_least(-lo) + 1)
    return max(needs) if needs else None


_ANGLE = re.compile(r"<(.*)>")


def spell_type(configured: Dict[str, Any], width: int, integer: int, signed: bool) -> str:
    """The HLS spelling of a type of ``width`` bits and ``integer`` integer bits that keeps the
    configured type's quantization and overflow modes (and saturation bits), e.g.
    ``ap_fixed<16,6,AP_RND,AP_SAT>`` with width 16 and 8 integer bits gives
    ``ap_fixed<16,8,AP_RND,AP_SAT>``. Raises ConfigError when the result is not a valid type."""
    modes = [configured["quantization"], configured["overflow"]]
    inside = _ANGLE.search(configured["spelling"])
    parts = [p.strip() for p in inside.group(1).split(",")] if inside else []
    saturation = parts[4] if configured["spelling"].lstrip().startswith(
        ("ap_fixed", "ap_ufixed", "fixed", "ufixed")) and len(parts) > 4 else "0"
    tail = modes + [saturation]
    # nnfpga's printer omits trailing defaults; do the same so the suggestion reads like a config.
    for default in ("0", "AP_WRAP", "AP_TRN"):
        if tail and tail[-1] == default:
            tail.pop()
        else:
            break
    prefix = "ap_fixed" if signed else "ap_ufixed"
    spelling = f"{prefix}<{', '.join(map(str, [width, integer] + tail))}>"
    return type_info(spelling)["spelling"]
