"""``nnfpga.tune(client=...)``: the search's evaluations as Dask tasks (docs/tune.md).

The search loop stays in this process (src/tune/); each batch of configurations becomes one task
per configuration on the cluster. The model and the search data travel once: ``start`` scatters
them to every worker, where they are rebuilt (IR JSON into a graph, the float reference run) the
first time a task needs them and kept for the next tasks. A task sends one configuration's JSON
and returns its measurement's JSON; JSON's doubles round-trip exactly, so the points, the front
and the choice are those of a local run.
"""

from __future__ import annotations

import threading
from typing import Any, List, Optional, Tuple

import numpy as np

from . import _core


class _WorkerState:
    """The context and the search data on a worker. It pickles as its inputs alone; the
    ``_core.TuneWorker`` (the graph, the float reference outputs) is built on the worker at its
    first task, once per worker process, whatever the number of its threads."""

    def __init__(self, context_json: str, arrays: List[np.ndarray],
                 labels: Optional[List[int]]) -> None:
        self._inputs: Tuple[str, List[np.ndarray], Optional[List[int]]] = (
            context_json, arrays, labels)
        self._lock = threading.Lock()
        self._worker: Optional[Any] = None

    def __getstate__(self) -> Tuple[str, List[np.ndarray], Optional[List[int]]]:
        return self._inputs

    def __setstate__(self, inputs: Tuple[str, List[np.ndarray], Optional[List[int]]]) -> None:
        self.__init__(*inputs)  # type: ignore[misc]

    def measure(self, config_json: str) -> str:
        with self._lock:
            if self._worker is None:
                context_json, arrays, labels = self._inputs
                self._worker = _core.TuneWorker(
                    context_json, [np.ascontiguousarray(a, dtype=np.float64) for a in arrays],
                    labels)
        return self._worker.measure(config_json)


def _measure_on_worker(config_json: str, state: _WorkerState) -> str:
    return state.measure(config_json)


class DaskMeasurer:
    """What the C++ search calls (through ``_core.tune``'s ``measurer``): ``start`` once with the
    context and the search part, then ``measure`` per batch, answers in order."""

    def __init__(self, client: Any) -> None:
        for method in ("scatter", "map", "gather"):
            if not callable(getattr(client, method, None)):
                raise TypeError(
                    f"client must be a dask.distributed.Client (it has no {method}()), "
                    f"not {type(client).__name__}")
        self._client = client
        self._state: Optional[Any] = None

    def start(self, context_json: str, arrays: List[np.ndarray],
              labels: Optional[List[int]]) -> None:
        self._state = self._client.scatter(_WorkerState(context_json, arrays, labels),
                                           broadcast=True, hash=False)

    def measure(self, configs: List[str]) -> List[str]:
        if self._state is None:
            raise RuntimeError("DaskMeasurer.measure before start")
        futures = self._client.map(_measure_on_worker, configs, state=self._state, pure=False)
        return list(self._client.gather(futures))
