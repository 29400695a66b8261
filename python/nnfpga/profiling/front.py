"""The Pareto front of ``nnfpga tune``, plotted: resources (the objective) against the quality
loss, latency as colour, the chosen point and the uniform ap_fixed<16,6> baseline marked.

    from nnfpga import profiling
    fig = profiling.plot_front("out/front.json")     # or the report nnfpga.tune returns
    fig.savefig("front.png")

From the command line (what ``nnfpga tune`` runs to draw DIR/front.png)::

    python -m nnfpga.profiling.front DIR/front.json DIR/front.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Union

from ._plots import pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _report(front: Union[str, Path, Dict[str, Any]]) -> Dict[str, Any]:
    if isinstance(front, (str, Path)):
        return json.loads(Path(front).read_text())
    if isinstance(front, dict) and "front" in front:
        return front
    raise TypeError("plot_front takes the path of front.json or the report nnfpga.tune returns")


def plot_front(front: Union[str, Path, Dict[str, Any]], title: str = "") -> "Figure":
    """The front as a figure (see the module's help). ``front``: the path of front.json, or the
    ``report`` of ``nnfpga.tune``."""
    report = _report(front)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    points = [p for p in report["front"] if p["on_front"]]
    xs = [p["loss"] for p in points]
    ys = [p["objective"] for p in points]
    latency = [p["latency_cycles"] for p in points]
    scatter = ax.scatter(xs, ys, c=latency, cmap="viridis", s=28, zorder=2, label="front")
    fig.colorbar(scatter, ax=ax, label="latency (cycles)")
    chosen, base = report["chosen"], report["baseline"]
    ax.scatter([chosen["loss"]], [chosen["objective"]], s=160, facecolors="none",
               edgecolors="#e4572e", linewidths=2, zorder=3, label="chosen")
    ax.scatter([base["loss"]], [base["objective"]], marker="s", s=70, color="#555555",
               zorder=3, label="uniform ap_fixed<16,6>")
    ax.axvline(report["bound"], color="#9aa5b1", linestyle="--", linewidth=1, label="bound")
    objective = report["objective"]
    what = objective["kind"]
    if what == "weighted":
        what = (f"LUT + {objective['dsp_weight']:g} DSP + {objective['bram_weight']:g} BRAM18")
    ax.set_ylabel(f"estimated {what} ({report['backend']})")
    loss = "accuracy drop, points" if report["quality"] == "accuracy" else report["quality"]
    ax.set_xlabel(f"loss on the search part ({loss})")
    ax.set_yscale("log")
    ax.set_title(title or f"nnfpga tune: {report['evaluated']} points evaluated")
    ax.legend(loc="center right", fontsize="small")
    fig.tight_layout()
    return fig


def main(argv: Any = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m nnfpga.profiling.front FRONT.json OUT.png", file=sys.stderr)
        return 1
    plot_front(args[0]).savefig(args[1], dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
