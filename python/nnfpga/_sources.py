"""Turning what a user hands to ``convert``/``config_from_model`` into an nnfpga graph.

Accepted: a path to a model file nnfpga's C++ readers take (ONNX, Keras ``.keras``/``.h5``, a
Keras architecture ``.json`` with its weights beside it, nnfpga's IR JSON); serialized ONNX bytes
or an ``onnx.ModelProto``; a ``torch.nn.Module`` with an example input (exported with
``torch.onnx`` in memory); a Keras 3 model object (saved as a ``.keras`` archive and read by the
same C++ Keras reader).
Frameworks are imported only when the object given is one of theirs.
"""

from __future__ import annotations

import inspect
import io
import os
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from . import _core
from .errors import InputError, InternalError


def _is_torch_module(obj: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.nn.Module)


def _is_keras_model(obj: Any) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(obj, keras.Model)


def _is_onnx_proto(obj: Any) -> bool:
    onnx = sys.modules.get("onnx")
    return onnx is not None and isinstance(obj, onnx.ModelProto)


def read_graph(
    model: Any,
    example_input: Any = None,
    input_shape: Optional[Sequence[int]] = None,
    exporter: str = "dynamo",
    weights: Optional[Any] = None,
) -> _core.Graph:
    """The canonical (untyped) graph of ``model``; see the module docstring for what it takes.
    ``weights``: the weights file of a Keras architecture ``.json`` (default: the one beside
    it, ``<name>_weights.h5``, ``<name>.weights.h5`` or ``<name>.h5``, said in a
    ``UserWarning``)."""
    if isinstance(model, _core.Graph):
        if weights is not None:
            raise InputError("weights= goes with a Keras architecture .json path, not a graph")
        return model
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        return _read_file(str(path), "" if weights is None else os.fspath(weights))
    if weights is not None:
        raise InputError("weights= goes with a Keras architecture .json path; "
                         f"{type(model).__qualname__} carries its own weights")
    if isinstance(model, (bytes, bytearray)):
        return _core.read_onnx_model(bytes(model), "<onnx bytes>")
    if _is_onnx_proto(model):
        return _core.read_onnx_model(model.SerializeToString(), "<onnx.ModelProto>")
    # Keras before torch: on the torch backend a Keras model is also a torch.nn.Module.
    if _is_keras_model(model):
        return _read_keras_model(model, input_shape)
    if _is_torch_module(model):
        return _read_torch(model, example_input, input_shape, exporter)
    raise InputError(
        f"cannot read a model from {type(model).__module__}.{type(model).__qualname__}: give a "
        "path (.onnx, .json, .keras, .h5), ONNX bytes, an onnx.ModelProto, a torch.nn.Module "
        "with example_input= or input_shape=, or a Keras 3 model"
    )


def _read_file(path: str, weights: str) -> _core.Graph:
    """Reads a model file; says which weights file a Keras .json was read with when it was
    found beside it rather than given."""
    found = _core.weights_file_for(path, weights)
    if found and not weights:
        others = [c for c in _core.keras_weights_candidates(path) if c != found]
        also = "".join(f"; {c} is there too, not read" for c in others)
        warnings.warn(f"nnfpga: reading the weights of {path} from {found}, found beside it "
                      f"(weights= to read others){also}", UserWarning, stacklevel=4)
    return _core.read_model(path, found)


def _torch_example(model: Any, example_input: Any, input_shape: Optional[Sequence[int]]) -> Any:
    import torch

    if example_input is None:
        if input_shape is None:
            raise InputError(
                "a torch.nn.Module needs example_input= (a tensor or array with a batch axis) "
                "or input_shape= (the shape of one sample) to be exported to ONNX"
            )
        example_input = torch.zeros((1, *input_shape))
    if isinstance(example_input, np.ndarray):
        example_input = torch.from_numpy(np.ascontiguousarray(example_input, dtype=np.float32))
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.float32
    return example_input.to(dtype)


def _forward_input_names(model: Any, count: int) -> Optional[list]:
    """The names the dynamo exporter gives the graph inputs: the parameters of ``forward``,
    in order. None when ``forward`` takes ``*args`` (or too few named parameters), where the
    exporters' own names are kept."""
    try:
        parameters = list(inspect.signature(model.forward).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = [p.name for p in parameters if p.kind in positional]
    return names[:count] if len(names) >= count else None


def _torch_onnx_bytes(model: Any, example: Any, exporter: str) -> bytes:
    """The ONNX model of ``model`` (in eval mode) from torch.onnx, with the graph inputs named
    as the dynamo exporter names them whichever exporter runs, so that a configuration made
    with one exporter names the same layers with the other."""
    import torch

    if exporter == "dynamo":
        program = torch.onnx.export(model, (example,), dynamo=True, verbose=False)
        if program is None:  # only when given a file to write
            raise InternalError("torch.onnx.export returned no ONNX program")
        return program.model_proto.SerializeToString()
    if exporter == "torchscript":
        buffer = io.BytesIO()
        # Without input_names the TorchScript exporter calls the input 'onnx::Gemm_0' (after its
        # first consumer), where dynamo says 'x', the parameter's name.
        # The exporter writes to any binary file object, though torch's annotation names only
        # paths.
        torch.onnx.export(model, (example,), buffer,  # type: ignore[arg-type]
                          input_names=_forward_input_names(model, 1), dynamo=False)
        return buffer.getvalue()
    raise InputError(f"unknown exporter '{exporter}': use 'dynamo' or 'torchscript'")


def _read_torch(model, example_input, input_shape, exporter: str) -> _core.Graph:
    example = _torch_example(model, example_input, input_shape)
    was_training = model.training
    model.eval()
    origin = f"<torch {type(model).__qualname__}>"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _torch_onnx_bytes(model, example, exporter)
    finally:
        model.train(was_training)
    return _core.read_onnx_model(data, origin)


def _read_keras_model(model: Any, input_shape: Optional[Sequence[int]]) -> _core.Graph:
    """Saves the model as a .keras archive and reads it with nnfpga's Keras reader, so that the
    layers keep their Keras names and types come from the saved configuration."""
    if not model.built:
        if input_shape is None:
            raise InputError(
                "the Keras model was never built: build it with keras.Input or give input_shape="
            )
        model.build((None, *input_shape))
    with tempfile.TemporaryDirectory(prefix="nnfpga-keras-") as tmp:
        path = Path(tmp) / f"{model.name or 'model'}.keras"
        model.save(str(path))
        return _core.read_model(str(path))
