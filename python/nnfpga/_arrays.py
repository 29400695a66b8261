"""Bringing user data into the shape and dtype the C++ core takes, and back."""

from __future__ import annotations

from typing import Any, List, Sequence, Tuple

import numpy as np

from . import _core
from .errors import InputError


def _as_float64(x: Any, name: str) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor
        x = x.detach().cpu().numpy()
    try:
        a = np.asarray(x)
        if a.dtype == object or a.dtype.kind not in "biuf":
            raise TypeError(f"dtype {a.dtype}")
        return np.ascontiguousarray(a, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputError(f"input '{name}': not an array of real numbers ({e})") from None


def prepare_inputs(graph: _core.Graph, X: Any,
                   layout: str = "source") -> Tuple[List[np.ndarray], bool]:
    """One float64 C-contiguous array per graph input, batch first, and whether the caller gave
    a single sample (without a batch axis), so that the outputs drop theirs too. ``layout`` is the
    axis order the arrays are given in: 'source' (the model file's) or 'ir' (channels-last)."""
    names = list(graph.inputs)
    if len(names) == 1:
        given = [X]
    elif isinstance(X, (list, tuple)) and len(X) == len(names):
        given = list(X)
    else:
        raise InputError(
            f"the model has {len(names)} inputs ({', '.join(names)}): give a list of "
            f"{len(names)} arrays"
        )
    arrays = [_as_float64(x, n) for x, n in zip(given, names)]
    shapes = [list(graph.shape_in_layout(n, layout)) for n in names]
    single = all(a.ndim == len(s) and list(a.shape) == s for a, s in zip(arrays, shapes))
    if single:
        arrays = [a[np.newaxis, ...] for a in arrays]
    return arrays, single


def finish_outputs(outputs: Sequence[np.ndarray], single: bool) -> Any:
    out = [o[0] if single else o for o in outputs]
    return out[0] if len(out) == 1 else out
