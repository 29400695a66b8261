"""``compare``: the fixed-point model against its float path, layer by layer."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Optional, Union

import numpy as np

from . import _plots, _text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_HEADERS = ("layer", "op", "type", "lsb", "max |diff|", "rms", "mean", "max/lsb", "rms/lsb")
_SCATTER_POINTS = 5000


@dataclass
class ErrorRow:
    """One layer's fixed-point output against its float output on the same inputs.

    diff = fixed - float over every value of the layer's output: ``max_abs`` = max |diff|,
    ``rms`` = sqrt(mean(diff^2)), ``mean`` = mean(diff) (a bias, e.g. from truncation), and
    ``max_lsb``, ``rms_lsb`` the same two in units of the layer's result LSB."""

    layer: str
    op: str
    type: str
    lsb: float
    count: int
    max_abs: float
    rms: float
    mean: float
    max_lsb: float
    rms_lsb: float


@dataclass
class Comparison:
    """What ``compare`` found: a row per layer, the figure (None when plot=False) and the
    files written."""

    rows: List[ErrorRow]
    figure: Optional["Figure"] = None
    files: List[Path] = field(default_factory=list)

    def table(self) -> str:
        """Every row as a text table."""
        return _text.table(_HEADERS, [
            (r.layer, r.op, r.type, r.lsb, r.max_abs, r.rms, r.mean, r.max_lsb, r.rms_lsb)
            for r in self.rows])

    def __repr__(self) -> str:
        return f"<Comparison: {len(self.rows)} layers>\n{self.table()}"


def _error_row(layer: dict, fixed: np.ndarray, floating: np.ndarray) -> ErrorRow:
    diff = (np.asarray(fixed, dtype=np.float64) - np.asarray(floating, dtype=np.float64)).ravel()
    lsb = float(layer["types"]["result"]["lsb"])
    if diff.size:
        max_abs, rms, mean = (float(np.abs(diff).max()), float(np.sqrt(np.mean(diff * diff))),
                              float(diff.mean()))
    else:
        max_abs = rms = mean = float("nan")
    return ErrorRow(layer["name"], layer["op"], layer["types"]["result"]["spelling"], lsb,
                    int(diff.size), max_abs, rms, mean, max_abs / lsb, rms / lsb)


def compare(
    model: Any,
    X: Any,
    save: Optional[Union[str, os.PathLike]] = None,
    fmt: str = "png",
    plot: bool = True,
    scatter: bool = True,
) -> Comparison:
    """Fixed point against float, layer by layer: ``model.trace(X)`` (bit-exact emulation)
    against ``model.trace(X, mode='float')`` (trained parameters, no quantization).

    The float trace runs every layer on the float outputs of the layers before, so a layer's
    difference includes what its inputs brought with them: it is the error a downstream user
    of that layer sees, not the error the layer adds.

    save: a directory or path prefix to write 'compare.<fmt>' to; fmt: 'png' or 'svg'.
    plot: False skips the figure. scatter: add a float-vs-fixed scatter of the first output
    layer (up to 5000 values) beside the per-layer errors.
    """
    _plots.check_format(fmt)
    fixed = model.trace(X)
    floating = model.trace(X, mode="float")
    layers = [entry for entry in model.layers()
              if entry["name"] in fixed and "result" in entry["types"]]
    result = Comparison([_error_row(entry, fixed[entry["name"]], floating[entry["name"]])
                         for entry in layers])
    if plot or save is not None:
        points = None
        if scatter and model.outputs:
            name = model.outputs[0]
            want, got = floating[name].ravel(), fixed[name].ravel()
            step = max(1, want.size // _SCATTER_POINTS)
            points = (name, want[::step], got[::step])
        result.figure = _plots.error_figure(
            [r.layer for r in result.rows], [r.max_lsb for r in result.rows],
            [r.rms_lsb for r in result.rows], points)
    if save is not None and result.figure is not None:
        result.files = _plots.save_figures({"compare": result.figure}, save, fmt)
    return result
