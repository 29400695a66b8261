"""``numerical``: the ranges of weights and activations against their configured types."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from . import _collect, _plots, _text
from ._ranges import RangeRow, range_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_HEADERS = ("layer", "what", "type", "min", "max", "|max|", "median", "q1", "q3", "type min",
            "type max", "lsb", "outside", "<lsb")


@dataclass
class Numerical:
    """What ``numerical`` found.

    weights: one row per quantized parameter of each layer (trained float values).
    activations: one row per layer output on X (float path).
    figures: 'weights' and 'activations' (empty when plot=False).
    files: the figure files written (when save was given).
    """

    weights: List[RangeRow]
    activations: List[RangeRow]
    figures: Dict[str, "Figure"] = field(default_factory=dict)
    files: List[Path] = field(default_factory=list)

    @property
    def rows(self) -> List[RangeRow]:
        """Weight rows, then activation rows."""
        return self.weights + self.activations

    def overflowing(self) -> List[RangeRow]:
        """The rows with values outside their type's range."""
        return [r for r in self.rows if r.overflows]

    def table(self) -> str:
        """Every row as a text table."""
        return _text.table(_HEADERS, [
            (r.layer, r.what, r.type, r.min, r.max, r.absmax, r.median, r.q1, r.q3, r.type_min,
             r.type_max, r.lsb, r.outside, r.below_lsb) for r in self.rows])

    def __repr__(self) -> str:
        return (f"<Numerical: {len(self.weights)} parameters, {len(self.activations)} layer "
                f"outputs, {len(self.overflowing())} outside their types>\n{self.table()}")


def numerical(
    model: Any,
    X: Any,
    save: Optional[Union[str, os.PathLike]] = None,
    fmt: str = "png",
    plot: bool = True,
) -> Numerical:
    """The ranges of a converted model's weights and activations, set against its types, as
    hls4ml's ``profiling.numerical`` shows them.

    model: a ``ModelGraph`` from ``nnfpga.convert``.
    X: input data (as for ``model.predict``); the activations are each layer's output on it
       from ``model.trace(X, mode='float')``, i.e. what the trained network computes, before
       any quantization, so they show the range the types have to hold.
    Weights are each layer's trained (float) parameters ('weight', 'bias', 'scale') against
    their configured types; activations are set against each layer's 'result' type.
    save: a directory or path prefix to write 'weights.<fmt>' and 'activations.<fmt>' to.
    fmt: 'png' or 'svg'.
    plot: False skips the figures (statistics only; matplotlib not needed) unless save is given.

    Each figure has one horizontal box plot of log2|x| per row (non-zero values, whiskers at
    the extremes) over a band from log2(LSB) to log2(largest magnitude) of its type, red
    when some value lies outside the type.
    """
    _plots.check_format(fmt)
    weights = _collect.parameters(model)
    outputs = _collect.activations(model, X)
    result = Numerical([range_row(t) for t in weights], [range_row(t) for t in outputs])
    if plot or save is not None:
        result.figures = {
            "weights": _plots.range_figure(
                result.weights, [t.values for t in weights],
                "Parameters (trained values) against their types", label_what=True),
            "activations": _plots.range_figure(
                result.activations, [t.values for t in outputs],
                "Layer outputs (float path) against their result types", label_what=False),
        }
    if save is not None:
        result.files = _plots.save_figures(result.figures, save, fmt)
    return result
