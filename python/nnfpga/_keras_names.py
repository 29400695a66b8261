"""Keras layer names for a graph read from a Keras model's ONNX export, which loses them.

The export (through torch.onnx) names layers after ops ('/MatMul', 'node_add_1'). The Keras model
itself knows the names, so the layers it expands into are matched one to one, in order, with the
graph's layers: a Dense with an activation becomes '<name>' and '<name>_<activation>', as hls4ml
names them. When the two sequences do not match exactly (a layer fused away by canonicalization,
a branching model whose order differs) the export's names are kept, with a warning: a wrong name
would be worse than an ugly one.
"""

from __future__ import annotations

import warnings
from typing import Any, Dict, List, Optional, Tuple

from . import _core

_ACTIVATIONS = {
    "relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "TanH", "softmax": "Softmax",
    "leaky_relu": "LeakyReLU",
}
_PASSIVE = ("InputLayer", "Dropout")
_SINGLE_OP = {"ReLU": "ReLU", "LeakyReLU": "LeakyReLU", "Softmax": "Softmax",
              "Flatten": "Flatten", "Reshape": "Reshape",
              "BatchNormalization": "BatchNormalization"}


def _activation_name(layer: Any) -> Optional[str]:
    act = getattr(layer, "activation", None)
    return getattr(act, "__name__", None) if act is not None else None


def _layer_ops(layer: Any) -> Optional[List[Tuple[str, Optional[str]]]]:
    """(IR name, IR op) for each layer the Keras layer becomes; None when not known."""
    cls = type(layer).__name__
    if cls in _PASSIVE:
        return []
    if cls == "Dense":
        ops: List[Tuple[str, Optional[str]]] = [(layer.name, "Dense")]
        act = _activation_name(layer)
        if act not in (None, "linear"):
            ops.append((f"{layer.name}_{act}", _ACTIVATIONS.get(act or "")))
        return ops
    if cls == "Activation":
        act = _activation_name(layer)
        return [] if act == "linear" else [(layer.name, _ACTIVATIONS.get(act or ""))]
    if cls in _SINGLE_OP:
        return [(layer.name, _SINGLE_OP[cls])]
    return None


def _input_layer_name(model: Any) -> Optional[str]:
    for layer in list(getattr(model, "layers", [])) + list(getattr(model, "_layers", [])):
        if type(layer).__name__ == "InputLayer":
            return layer.name
    return None


def with_keras_names(graph: _core.Graph, model: Any) -> _core.Graph:
    expected: List[Tuple[str, Optional[str]]] = []
    for layer in model.layers:
        ops = _layer_ops(layer)
        if ops is None:
            return _keep(graph, f"layer '{layer.name}' ({type(layer).__name__})")
        expected += ops
    layers = [info for info in graph.layers() if info["op"] != "Input"]
    found = [info["op"] for info in layers]
    if found != [op for _, op in expected]:
        return _keep(graph, f"ops {found} against Keras's {[op for _, op in expected]}")
    renames: Dict[str, str] = {info["name"]: name for info, (name, _) in zip(layers, expected)}
    input_name = _input_layer_name(model)
    if input_name and len(graph.inputs) == 1:
        renames[graph.inputs[0]] = input_name
    renames = {old: new for old, new in renames.items() if old != new}
    return graph.renamed(renames) if renames else graph


def _keep(graph: _core.Graph, why: str) -> _core.Graph:
    warnings.warn(f"nnfpga: Keras layer names could not be matched with the export ({why}); "
                  "the layers keep the exporter's names", stacklevel=4)
    return graph
