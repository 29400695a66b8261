"""Range statistics of one array against the fixed-point type it is stored in."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._collect import Tensor


@dataclass
class RangeRow:
    """The range of one layer's output or parameter, set against its configured type.

    ``min`` .. ``q3`` are over every value (NaN when there are none); ``outside`` counts values
    below the type's min or above its max (the quantization mode can still save a value less
    than one LSB above the max: the emulator's overflow counters are the exact verdict);
    ``below_lsb`` counts non-zero values whose magnitude is under the LSB, which the type
    quantizes to zero or to one LSB. ``clipped_by_model`` says the type is the saturating one
    the model's own quantizer declares (QKeras ``quantized_relu(6,0)``): values outside it are
    clipped by the model's definition, so they do not count as overflows."""

    layer: str
    op: str
    what: str
    type: str
    count: int
    zeros: int
    min: float
    max: float
    absmax: float
    median: float
    q1: float
    q3: float
    type_min: float
    type_max: float
    lsb: float
    outside: int
    below_lsb: int
    clipped_by_model: bool = False

    @property
    def overflows(self) -> bool:
        """Whether some value lies outside the type's range, other than the clipping the
        model's own quantizer defines."""
        return self.outside > 0 and not self.clipped_by_model

    @property
    def clipped(self) -> bool:
        """Whether values lie outside a type whose saturation the model's quantizer defines."""
        return self.outside > 0 and self.clipped_by_model


def range_row(tensor: Tensor) -> RangeRow:
    """The statistics of ``tensor.values`` against ``tensor.type``."""
    v = tensor.values.ravel()
    t = tensor.type
    nonzero = v[v != 0]
    if v.size:
        stats = (float(v.min()), float(v.max()), float(np.abs(v).max()), float(np.median(v)),
                 float(np.percentile(v, 25)), float(np.percentile(v, 75)))
    else:
        stats = (float("nan"),) * 6
    return RangeRow(
        layer=tensor.layer, op=tensor.op, what=tensor.what, type=t["spelling"],
        count=int(v.size), zeros=int(v.size - nonzero.size),
        min=stats[0], max=stats[1], absmax=stats[2], median=stats[3], q1=stats[4], q3=stats[5],
        type_min=float(t["min"]), type_max=float(t["max"]), lsb=float(t["lsb"]),
        outside=int(np.count_nonzero((v < t["min"]) | (v > t["max"]))),
        below_lsb=int(np.count_nonzero(np.abs(nonzero) < t["lsb"])),
        clipped_by_model=tensor.clips_by_definition,
    )
