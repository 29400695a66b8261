"""The profiling figures, drawn with matplotlib.

matplotlib is imported only when a figure is drawn, so ``import nnfpga`` stays light and the
statistics work without it. Figures come from pyplot, so a notebook shows them inline and a
script can ``plt.show()`` them; the library itself never shows or closes them.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ._ranges import RangeRow

FORMATS = ("png", "svg")

_BAND = "#9aa5b1"
_BAND_OVERFLOW = "#e4572e"
_BAND_CLIPPED = "#f2a541"  # values beyond a type the model's own quantizer clips to


def pyplot() -> Any:
    """matplotlib.pyplot, on the Agg backend when there is no display to draw on.

    A backend chosen by the user (MPLBACKEND, a notebook's inline backend, or pyplot already
    imported) is left alone."""
    import matplotlib

    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _horizontal() -> Dict[str, Any]:
    """boxplot's argument for horizontal boxes: 'orientation' from matplotlib 3.10, which
    deprecates the 'vert' of the versions before."""
    import matplotlib

    major, minor = (int(p) for p in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def _log2_magnitudes(values: np.ndarray) -> np.ndarray:
    magnitudes = np.abs(values[np.isfinite(values)].ravel())
    return np.log2(magnitudes[magnitudes > 0])


def range_figure(rows: Sequence["RangeRow"], values: Sequence[np.ndarray], title: str,
                 label_what: bool) -> "Figure":
    """Horizontal box plots of log2|x| (non-zero values; whiskers at 1.5 IQR, as hls4ml
    draws them), one per row, over a band per row from log2(LSB) to log2 of the type's largest
    magnitude, with a marker at the largest |x|: a marker right of its band overflows, values
    left of the band are lost to quantization. Rows with values outside the type have their
    band and marker in red, or in amber when the type is the model's own quantizer's, which
    clips them by definition."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.42 * max(len(rows), 1)), layout="constrained")
    data, positions = [], []
    for y, (row, v) in enumerate(zip(rows, values)):
        top = max(abs(row.type_min), abs(row.type_max))
        lo, hi = math.log2(row.lsb), math.log2(top)
        color = _BAND_OVERFLOW if row.overflows else _BAND_CLIPPED if row.clipped else _BAND
        ax.barh(y, hi - lo, left=lo, height=0.8, color=color, alpha=0.3, zorder=1)
        logs = _log2_magnitudes(v)
        if logs.size:
            data.append(logs)
            positions.append(y)
            ax.plot([logs.max()], [y], marker="D", markersize=5, zorder=3, linestyle="none",
                    color=_BAND_OVERFLOW if row.overflows else
                    _BAND_CLIPPED if row.clipped else "k")
    if data:
        ax.boxplot(data, positions=positions, widths=0.5, showfliers=False, manage_ticks=False,
                   zorder=2, **_horizontal())
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r.layer} / {r.what}" if label_what else r.layer for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first layer on top
    ax.set_xlabel("log2 |x|")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.legend(handles=[
        Patch(color=_BAND, alpha=0.3, label="type range (LSB to max)"),
        Patch(color=_BAND_OVERFLOW, alpha=0.3, label="type range, values outside"),
        Patch(color=_BAND_CLIPPED, alpha=0.3, label="quantizer's range, clipped by the model"),
        Line2D([], [], marker="D", markersize=5, color="k", linestyle="none", label="max |x|"),
    ], loc="outside lower center", ncols=3, fontsize="small")
    return fig


def error_figure(layers: Sequence[str], max_lsb: Sequence[float], rms_lsb: Sequence[float],
                 scatter: Optional[tuple] = None) -> "Figure":
    """Per-layer fixed-vs-float error in result LSBs (max and RMS, symlog axis), and with
    ``scatter`` = (name, float values, fixed values) a scatter of the output layer."""
    plt = pyplot()
    ncols = 2 if scatter is not None else 1
    fig, axes = plt.subplots(1, ncols, figsize=(6 * ncols, 1.6 + 0.42 * max(len(layers), 4)),
                             layout="constrained", squeeze=False)
    ax = axes[0][0]
    y = np.arange(len(layers))
    ax.barh(y - 0.2, max_lsb, height=0.4, label="max |fixed - float|")
    ax.barh(y + 0.2, rms_lsb, height=0.4, label="RMS")
    ax.set_yticks(y)
    ax.set_yticklabels(layers)
    ax.set_ylim(len(layers) - 0.5, -0.5)
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("error in LSBs of the layer's result type")
    ax.set_title("fixed point vs float, per layer")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2,
               fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    if scatter is not None:
        name, want, got = scatter
        ax = axes[0][1]
        ax.scatter(want, got, s=4, alpha=0.5, rasterized=True)
        ends = [float(min(want.min(), got.min())), float(max(want.max(), got.max()))]
        ax.plot(ends, ends, color="k", linewidth=0.8, label="fixed = float")
        ax.set_xlabel("float")
        ax.set_ylabel("fixed point")
        ax.set_title(f"output '{name}'")
        ax.legend(fontsize="small")
    return fig


def save_figures(figures: Dict[str, "Figure"], save: Union[str, os.PathLike], fmt: str
                 ) -> List[Path]:
    """Writes each figure as ``<name>.<fmt>``. ``save`` is a directory (when it exists or ends
    with a path separator; created if needed) or else a prefix put before the names:
    'plots/' gives plots/weights.png, 'plots/digits_' gives plots/digits_weights.png."""
    text = os.fspath(save)
    if os.path.isdir(text) or text.endswith(("/", os.sep)):
        stems = [Path(text) / name for name in figures]
    else:
        stems = [Path(text + name) for name in figures]
    import matplotlib

    written = []
    for stem, fig in zip(stems, figures.values()):
        stem.parent.mkdir(parents=True, exist_ok=True)
        path = stem.with_name(f"{stem.name}.{fmt}")
        # No date and a fixed salt for the SVG ids: the same model and data write the same file.
        with matplotlib.rc_context({"svg.hashsalt": "nnfpga"}):
            fig.savefig(path, format=fmt, dpi=110,
                        metadata={"Date": None} if fmt == "svg" else None)
        written.append(path)
    return written


def check_format(fmt: str) -> None:
    """Raises InputError for a format other than png or svg."""
    if fmt not in FORMATS:
        from ..errors import InputError

        raise InputError(f"unknown figure format '{fmt}': use 'png' or 'svg'")
