"""Turning what a user hands to ``convert``/``config_from_model`` into an nnfpga graph.

Accepted: a path to a model file nnfpga's C++ readers take (ONNX, Keras ``.keras``/``.h5``, a
Keras architecture ``.json`` with its weights beside it, nnfpga's IR JSON); serialized ONNX bytes
or an ``onnx.ModelProto``; a ``torch.nn.Module`` with an example input (one tensor, or a tuple
for a module taking several), read through ``torch.fx`` (``_torch_fx.py``) or, for what fx
cannot trace or map, exported with ``torch.onnx`` in memory; a Keras 3 model object (saved as a
``.keras`` archive and read by the same C++ Keras reader).
Frameworks are imported only when the object given is one of theirs.
"""

from __future__ import annotations

import inspect
import io
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence, Tuple

import numpy as np

from . import _core
from .errors import Error, InputError, InternalError, UnsupportedError


def _is_torch_module(obj: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.nn.Module)


def _is_keras_model(obj: Any) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(obj, keras.Model)


def _is_onnx_proto(obj: Any) -> bool:
    onnx = sys.modules.get("onnx")
    return onnx is not None and isinstance(obj, onnx.ModelProto)


@dataclass
class Source:
    """A graph and how it was read: ``reader`` is 'torch.fx' or 'torch.onnx.export' for a
    torch.nn.Module, else 'file', 'onnx' (bytes or a ModelProto), 'keras' or 'graph'; ``note``
    says why a module fell back to the ONNX export (empty otherwise)."""

    graph: _core.Graph
    reader: str
    note: str = ""
    seconds: float = 0.0


def read_graph(
    model: Any,
    example_input: Any = None,
    input_shape: Optional[Sequence[int]] = None,
    exporter: str = "auto",
    weights: Optional[Any] = None,
) -> _core.Graph:
    """The canonical (untyped) graph of ``model``; see the module docstring for what it takes.
    ``weights``: the weights file of a Keras architecture ``.json`` (default: the one beside
    it, ``<name>_weights.h5``, ``<name>.weights.h5`` or ``<name>.h5``, said in a
    ``UserWarning``)."""
    return read_source(model, example_input, input_shape, exporter, weights=weights).graph


def read_source(
    model: Any,
    example_input: Any = None,
    input_shape: Optional[Sequence[int]] = None,
    exporter: str = "auto",
    verbose: bool = False,
    weights: Optional[Any] = None,
) -> Source:
    """``read_graph`` with how the graph was read; ``verbose`` prints that on stderr."""
    start = time.perf_counter()
    source = _read_source(model, example_input, input_shape, exporter, weights)
    source.seconds = time.perf_counter() - start
    if verbose:
        how = f"read through {source.reader} in {source.seconds:.2f} s"
        print(f"nnfpga: {_describe(model)} {how}" + (f" ({source.note})" if source.note else ""),
              file=sys.stderr)
    return source


def _describe(model: Any) -> str:
    if isinstance(model, (str, os.PathLike)):
        return str(model)
    return f"<{type(model).__module__}.{type(model).__qualname__}>"


def _read_source(model, example_input, input_shape, exporter: str, weights) -> Source:
    if isinstance(model, _core.Graph):
        if weights is not None:
            raise InputError("weights= goes with a Keras architecture .json path, not a graph")
        return Source(model, "graph")
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        weights_path = "" if weights is None else os.fspath(weights)
        return Source(_read_file(str(path), weights_path), "file")
    if weights is not None:
        raise InputError("weights= goes with a Keras architecture .json path; "
                         f"{type(model).__qualname__} carries its own weights")
    if isinstance(model, (bytes, bytearray)):
        return Source(_core.read_onnx_model(bytes(model), "<onnx bytes>"), "onnx")
    if _is_onnx_proto(model):
        return Source(_core.read_onnx_model(model.SerializeToString(), "<onnx.ModelProto>"),
                      "onnx")
    # Keras before torch: on the torch backend a Keras model is also a torch.nn.Module.
    if _is_keras_model(model):
        return Source(_read_keras_model(model, input_shape), "keras")
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
                      f"(weights= to read others){also}", UserWarning, stacklevel=5)
    return _core.read_model(path, found)


def _torch_examples(model: Any, example_input: Any,
                    input_shape: Optional[Sequence[Any]]) -> Tuple[Any, ...]:
    """One tensor per input of ``forward``: example_input is a tensor or array (batch first), or
    a tuple or list of them for a module taking several; input_shape is one sample's shape, or
    a list of shapes."""
    import torch

    if example_input is None:
        if input_shape is None:
            raise InputError(
                "a torch.nn.Module needs example_input= (a tensor or array with a batch axis, or a "
                "tuple of them for several inputs) or input_shape= (the shape of one sample, or a "
                "list of shapes) to be read"
            )
        several = len(input_shape) > 0 and all(isinstance(s, (tuple, list)) for s in input_shape)
        shapes = list(input_shape) if several else [input_shape]
        given = [torch.zeros((1, *s)) for s in shapes]
    elif isinstance(example_input, (tuple, list)):
        given = list(example_input)
    else:
        given = [example_input]
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.float32
    examples = []
    for i, x in enumerate(given):
        if isinstance(x, np.ndarray):
            x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        if not isinstance(x, torch.Tensor):
            raise InputError(
                f"example_input[{i}] is a {type(x).__name__}: give a torch.Tensor or a NumPy array "
                "(batch first) for each input of forward"
            )
        examples.append(x.to(dtype))
    _check_input_count(model, len(examples))
    return tuple(examples)


def _check_input_count(model: Any, count: int) -> None:
    """An example per input of ``forward`` that has no default (fx and the exporters would
    raise their own, less clear errors)."""
    try:
        parameters = list(inspect.signature(model.forward).parameters.values())
    except (TypeError, ValueError):
        return
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return
    names = [p.name for p in parameters if p.kind in positional]
    required = [p.name for p in parameters
                if p.kind in positional and p.default is inspect.Parameter.empty]
    if not len(required) <= count <= len(names):
        wanted = str(len(required)) if len(required) == len(names) else \
            f"{len(required)} to {len(names)}"
        raise InputError(f"forward({', '.join(names)}) takes {wanted} inputs: example_input "
                         f"gives {count}; give a tuple with one tensor per input")


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


def _torch_onnx_bytes(model: Any, examples: Tuple[Any, ...], exporter: str) -> bytes:
    """The ONNX model of ``model`` (in eval mode) from torch.onnx, with the graph inputs named
    as the dynamo exporter names them whichever exporter runs, so that a configuration made
    with one exporter names the same layers with the other."""
    import torch

    if exporter == "dynamo":
        program = torch.onnx.export(model, examples, dynamo=True, verbose=False)
        if program is None:  # only when given a file to write
            raise InternalError("torch.onnx.export returned no ONNX program")
        return program.model_proto.SerializeToString()
    buffer = io.BytesIO()
    # Without input_names the TorchScript exporter calls the input 'onnx::Gemm_0' (after its
    # first consumer), where dynamo says 'x', the parameter's name.
    # The exporter writes to any binary file object, though torch's annotation names only
    # paths.
    torch.onnx.export(model, examples, buffer,  # type: ignore[arg-type]
                      input_names=_forward_input_names(model, len(examples)), dynamo=False)
    return buffer.getvalue()


_EXPORTERS = ("auto", "fx", "dynamo", "torchscript")


def _read_torch(model, example_input, input_shape, exporter: str) -> Source:
    """torch.fx first (exporter 'auto' or 'fx'), torch.onnx.export when fx cannot trace or map
    the module or nnfpga's reader refuses what it mapped (exporter 'auto'), or the export alone
    ('dynamo', 'torchscript')."""
    if exporter not in _EXPORTERS:
        raise InputError(f"unknown exporter '{exporter}': use one of {', '.join(_EXPORTERS)}")
    examples = _torch_examples(model, example_input, input_shape)
    was_training = model.training
    model.eval()
    origin = f"<torch {type(model).__qualname__}>"
    note = ""
    try:
        if exporter in ("auto", "fx"):
            from ._torch_fx import NotMapped, onnx_bytes

            try:
                data = onnx_bytes(model, examples)
                return Source(_core.read_onnx_model(data, origin + " (torch.fx)"), "torch.fx")
            except NotMapped as e:
                if exporter == "fx":
                    raise UnsupportedError(f"{origin}: torch.fx cannot read it: {e}; give "
                                           "exporter='auto' to fall back to torch.onnx.export"
                                           ) from None
                note = f"torch.fx could not map it: {e}"
            except Error as e:  # refused (or, a fault of the mapping, malformed): the export
                if exporter == "fx":
                    raise
                note = f"nnfpga refused what torch.fx mapped: {e}"
        chosen = "torchscript" if exporter == "torchscript" else "dynamo"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _torch_onnx_bytes(model, examples, chosen)
        note = f"exporter {chosen}" + (f"; {note}" if note else "")
        return Source(_core.read_onnx_model(data, origin), "torch.onnx.export", note)
    finally:
        model.train(was_training)


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
