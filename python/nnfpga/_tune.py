"""``nnfpga.tune``: the search of ``nnfpga tune`` from Python (docs/tune.md)."""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Union

import numpy as np

from . import _core
from ._arrays import prepare_inputs
from ._config import conversion_config
from ._sources import read_source
from .errors import InputError


class TuneResult(NamedTuple):
    """What ``nnfpga.tune`` returns: ``config, front, report = nnfpga.tune(...)``.

    config: the chosen configuration (hls4ml keys), ready for ``nnfpga.convert(hls_config=)``.
    front: the Pareto front (a pandas DataFrame when pandas is installed, else a list of dicts),
        one row per non-dominated point, plus the chosen and baseline points (flagged).
    report: everything front.json holds (holdout check and overflows, options, baseline), and
        every evaluated point under 'points'; ``nnfpga.profiling.plot_front(report)`` plots it.
    """

    config: Dict[str, Any]
    front: Union[Any, List[Dict[str, Any]]]
    report: Dict[str, Any]


def _labels(y: Any, batch: int) -> Optional[List[int]]:
    if y is None:
        return None
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] > 1:
        a = a.argmax(axis=1)  # one-hot rows
    a = a.reshape(-1)
    if a.shape[0] != batch:
        raise InputError(f"y holds {a.shape[0]} labels for {batch} samples")
    if a.dtype.kind == "f" and not np.all(a == np.floor(a)):
        raise InputError("y must hold class indices (non-negative integers) or one-hot rows")
    if np.any(a < 0):
        raise InputError("y must hold class indices (non-negative integers) or one-hot rows")
    return [int(v) for v in a]


def _progress_printer() -> Callable[[Dict[str, Any]], None]:
    """The CLI's progress line on stderr: rewritten in place on a terminal, else one line every
    5 s."""
    terminal = sys.stderr.isatty()
    last = [-1e9]

    def show(p: Dict[str, Any]) -> None:
        if p["elapsed_seconds"] - last[0] < (0.2 if terminal else 5.0):
            return
        last[0] = p["elapsed_seconds"]
        best = ("no feasible point yet" if p["best_objective"] is None else
                f"best {p['best_objective']:.0f} (loss {p['best_loss']:.3g})")
        sys.stderr.write(
            f"{chr(13) if terminal else ''}tune [{p['stage']}]: {p['evaluated']} points "
            f"evaluated, {best}, {p['elapsed_seconds']:.1f} s, about {p['left_seconds']:.0f} s "
            f"left at most{'   ' if terminal else chr(10)}")
        sys.stderr.flush()

    return show


def _table(rows: List[Dict[str, Any]]) -> Union[Any, List[Dict[str, Any]]]:
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame(rows)


def tune(
    model: Any,
    X: Any,
    y: Any = None,
    hls_config: Optional[Dict[str, Any]] = None,
    max_accuracy_drop: float = 0.5,
    max_error: float = 0.01,
    error: str = "relative",
    backend: str = "hls",
    part: Optional[str] = None,
    clock_period: Optional[float] = None,
    objective: str = "weighted",
    dsp_weight: float = 100.0,
    bram_weight: float = 200.0,
    max_latency: Optional[int] = None,
    max_interval: Optional[int] = None,
    search_reuse: bool = False,
    holdout: float = 0.3,
    seed: int = 1,
    integer_margin: int = 1,
    start_fraction: int = 16,
    allow_qat_changes: bool = False,
    threshold: float = 0.5,
    threads: int = 0,
    client: Any = None,
    progress: Union[bool, Callable[[Dict[str, Any]], Any]] = False,
    example_input: Any = None,
    input_shape: Optional[Sequence[int]] = None,
    weights: Optional[str] = None,
) -> TuneResult:
    """Searches every layer's weight, bias and result types (and, under a latency or interval
    bound, reuse factors and strategies) for the configuration with the lowest estimated
    ``objective`` that keeps the quality bound, as ``nnfpga tune`` does; see docs/tune.md.

    model: anything ``nnfpga.convert`` reads (a path, ONNX bytes, a torch or Keras model).
    X: the data (one array, or a list per model input), batch first, in the model's layout.
    y: class labels (indices or one-hot rows): the bound is then ``max_accuracy_drop``
        percentage points against the float model; without y, ``max_error`` bounds the output
        error ('relative': ||fixed-float||_2/||float||_2, or 'absolute': max |fixed-float|).
    hls_config: a base configuration (part, clock, IO type, settings the search leaves alone).
    objective: 'weighted' (LUT + dsp_weight*DSP + bram_weight*BRAM18), 'lut', 'dsp', 'ff' or
        'bram', from the estimate of ``backend`` ('hls' or 'verilog').
    holdout, seed: the fraction of samples kept out of the search: the validation set of the
        pick (the cheapest point that meets the bound on both parts is chosen).
    client: a ``dask.distributed.Client``: the evaluations run as tasks on its cluster (the
        model and the search data are sent to each worker once); the result is the local one.
    progress: True prints the CLI's progress line on stderr (points evaluated, best so far,
        time left); a callable receives the same as a dict after every batch.
    Returns a ``TuneResult`` (config, front, report). Raises ConfigError when no configuration
    meets the bound.
    """
    source = read_source(model, example_input, input_shape, "auto", False, weights)
    graph = source.graph
    tree = conversion_config(hls_config, part, clock_period, None)
    arrays, single = prepare_inputs(graph, X)
    if single:
        raise InputError("tune needs a batch of samples, not a single one")
    labels = _labels(y, arrays[0].shape[0])
    measurer = None
    if client is not None:
        from ._dask import DaskMeasurer

        measurer = DaskMeasurer(client)
    report_progress = _progress_printer() if progress is True else (progress or None)
    started = time.monotonic()
    text = _core.tune(
        graph, json.dumps(tree), arrays, labels, float(max_accuracy_drop), float(max_error),
        error, backend, objective, float(dsp_weight), float(bram_weight), int(max_latency or 0),
        int(max_interval or 0), bool(search_reuse), float(holdout), int(seed),
        int(integer_margin), int(start_fraction), bool(allow_qat_changes), float(threshold),
        int(threads), measurer, report_progress)
    if progress is True and sys.stderr.isatty() and time.monotonic() - started >= 0.2:
        sys.stderr.write("\n")
    report = json.loads(text)
    rows = [{k: v for k, v in p.items()} for p in report["front"]]
    for row in rows:
        row["chosen"] = row["id"] == report["chosen"]["id"]
        row["baseline"] = row["id"] == report["baseline"]["id"]
    return TuneResult(report["config"], _table(rows), report)
