"""The arrays profiling looks at: each layer's float output on X and each trained parameter,
paired with the configured type they are stored in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import numpy as np

# A parameter whose name differs from the precision key that types it (docs/configuration.md).
_PARAM_TYPE_KEY = {"alpha": "param"}

# Ops that move no bits: their result type is their input's (docs/configuration.md), so a
# suggestion for them would turn them into casts.
PASS_THROUGH_OPS = ("Flatten", "Reshape")


@dataclass
class Tensor:
    """One array profiled: a layer's output ('result') or one of its parameters."""

    layer: str
    op: str
    what: str  # 'result' or the parameter's name ('weight', 'bias', 'scale')
    type_key: str  # the precision key of its type ('result', 'weight', 'bias', 'scale')
    type: Dict[str, Any]  # nnfpga.type_info of the configured type
    values: np.ndarray
    # The type is the saturating one the model's own quantizer declares: values beyond it are
    # clipped by the model's definition, not overflows of a chosen type.
    clips_by_definition: bool = False


def param_type_key(name: str) -> str:
    """The precision key typing the parameter ``name``."""
    return _PARAM_TYPE_KEY.get(name, name)


def parameters(model: Any) -> List[Tensor]:
    """Every quantized parameter of every layer, as trained (float), in graph order."""
    found = []
    for layer in model.layers():
        for name in layer["params"]:
            key = param_type_key(name)
            if key not in layer["types"]:
                continue
            values = np.asarray(model.graph.param(layer["name"], name), dtype=np.float64)
            found.append(Tensor(layer["name"], layer["op"], name, key, layer["types"][key],
                                values))
    return found


def activations(
    model: Any, X: Any, trace: Optional[Dict[str, np.ndarray]] = None
) -> List[Tensor]:
    """Every layer's output on X from the float path (trained parameters, no quantization),
    in graph order, inputs included. ``trace`` reuses a float trace already computed."""
    trace = model.trace(X, mode="float") if trace is None else trace
    found = []
    for layer in model.layers():
        if layer["name"] in trace and "result" in layer["types"]:
            found.append(Tensor(layer["name"], layer["op"], "result", "result",
                                layer["types"]["result"],
                                np.asarray(trace[layer["name"]], dtype=np.float64),
                                bool(layer.get("clips_by_definition", False))))
    return found
