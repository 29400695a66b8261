"""The functions and tensor methods the torch.fx reader maps (``torch.relu``, ``x + y``,
``torch.cat``, ``x.view(x.size(0), -1)``, ``F.interpolate``...), each to the ONNX nodes torch's
exporter writes for it (see ``_torch_fx.py``). Arguments are read by position or keyword; a
setting the mapping does not cover raises NotMapped."""

from __future__ import annotations

import functools
import operator
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional

import numpy as np

from ._torch_fx import NotMapped
from ._torch_fx_modules import (avg_pool, clip, conv, flatten, linear, max_pool,
                                resize_nearest)

Mapper = Callable[[Any, Any, List[str]], str]


def _arg(t: Any, n: Any, index: int, name: str, default: Any = None) -> Any:
    """A static argument (a number, a tuple, a bool), by position or keyword."""
    if index < len(n.args):
        return t.static(n.args[index])
    return t.static(n.kwargs.get(name, default))


def _unary(op_type: str, base: str) -> Mapper:
    return lambda t, n, scope: t.emit(op_type, [t.tensor(n.args[0])], base, scope)


def _leaky_relu(t: Any, n: Any, scope: List[str]) -> str:
    alpha = float(_arg(t, n, 1, "negative_slope", 0.01))
    return t.emit("LeakyRelu", [t.tensor(n.args[0])], "leaky_relu", scope, alpha=alpha)


def _elu(t: Any, n: Any, scope: List[str]) -> str:
    alpha = float(_arg(t, n, 1, "alpha", 1.0))
    return t.emit("Elu", [t.tensor(n.args[0])], "elu", scope, alpha=alpha)


def _hardtanh(t: Any, n: Any, scope: List[str]) -> str:
    lo, hi = _arg(t, n, 1, "min_val", -1.0), _arg(t, n, 2, "max_val", 1.0)
    return clip(t, t.tensor(n.args[0]), lo, hi, scope)


def _clamp(t: Any, n: Any, scope: List[str]) -> str:
    lo, hi = _arg(t, n, 1, "min"), _arg(t, n, 2, "max")
    if lo is None or hi is None:
        raise NotMapped("clamp with one bound")
    return clip(t, t.tensor(n.args[0]), lo, hi, scope, "clamp")


def _relu6(t: Any, n: Any, scope: List[str]) -> str:
    return clip(t, t.tensor(n.args[0]), 0.0, 6.0, scope)


def _softmax(t: Any, n: Any, scope: List[str]) -> str:
    dim = _arg(t, n, 1, "dim")
    if dim is None or n.kwargs.get("dtype") is not None:
        raise NotMapped("softmax without dim, or with a dtype")
    return t.emit("Softmax", [t.tensor(n.args[0])], "softmax", scope, axis=int(dim))


def _binary(op_type: str, base: str) -> Mapper:
    def mapper(t: Any, n: Any, scope: List[str]) -> str:
        if n.kwargs.get("alpha", 1) != 1 or len(n.args) > 2:
            raise NotMapped(f"{base} with alpha")
        b = n.args[1] if len(n.args) > 1 else n.kwargs.get("other")
        return t.emit(op_type, [t.operand(n.args[0]), t.operand(b)], base, scope)

    return mapper


def _cat(t: Any, n: Any, scope: List[str]) -> str:
    tensors = n.args[0] if n.args else n.kwargs["tensors"]
    dim = int(_arg(t, n, 1, "dim", 0))
    return t.emit("Concat", [t.tensor(x) for x in tensors], "cat", scope, axis=dim)


def _flatten(t: Any, n: Any, scope: List[str]) -> str:
    rank = len(t.shape(n.args[0]))
    start, end = _arg(t, n, 1, "start_dim", 0), _arg(t, n, 2, "end_dim", -1)
    if start % rank != 1 or end % rank != rank - 1:
        raise NotMapped(f"flatten({start}, {end}) does not keep the batch axis alone")
    return flatten(t, n, n.args[0], scope)


def _reshape(t: Any, n: Any, scope: List[str]) -> str:
    return flatten(t, n, n.args[0], scope, always=True)


def _permute(t: Any, n: Any, scope: List[str]) -> str:
    """x.permute(0, 2, 1), x.permute((0, 2, 1)), torch.permute(x, dims): a Transpose."""
    rank = len(t.shape(n.args[0]))
    dims = t.static(list(n.args[1:])) if len(n.args) > 1 else [t.static(n.kwargs.get("dims"))]
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = list(dims[0])
    perm = [int(d) % rank for d in dims]
    if sorted(perm) != list(range(rank)):
        raise NotMapped(f"permute{tuple(dims)} is not a permutation of {rank} axes")
    return t.emit("Transpose", [t.tensor(n.args[0])], "permute", scope, perm=perm)


def _transpose(t: Any, n: Any, scope: List[str]) -> str:
    """x.transpose(a, b), torch.transpose(x, a, b): a Transpose swapping two axes."""
    rank = len(t.shape(n.args[0]))
    a, b = int(_arg(t, n, 1, "dim0")) % rank, int(_arg(t, n, 2, "dim1")) % rank
    perm = list(range(rank))
    perm[a], perm[b] = perm[b], perm[a]
    return t.emit("Transpose", [t.tensor(n.args[0])], "transpose", scope, perm=perm)


def _unsqueeze(t: Any, n: Any, scope: List[str]) -> str:
    """x.unsqueeze(-1), torch.unsqueeze(x, 2): an Unsqueeze (axes as an input, opset 13 on)."""
    rank = len(t.shape(n.args[0])) + 1
    axes = t.constant(np.array([int(_arg(t, n, 1, "dim")) % rank], dtype=np.int64))
    return t.emit("Unsqueeze", [t.tensor(n.args[0]), axes], "unsqueeze", scope)


def _getitem(t: Any, n: Any, scope: List[str]) -> str:
    """x[:, :, None, None]: full slices and new axes only, an Unsqueeze of the new ones."""
    index = t.static(n.args[1])
    index = index if isinstance(index, tuple) else (index,)
    full = slice(None, None, None)
    if any(i is not None and i != full for i in index):
        raise NotMapped(f"indexing with {index!r} (only ':' and None are mapped)")
    new = [k for k, i in enumerate(index) if i is None]
    if not new:
        return t.tensor(n.args[0])
    axes = t.constant(np.array(new, dtype=np.int64))
    return t.emit("Unsqueeze", [t.tensor(n.args[0]), axes], "unsqueeze", scope)


def _pad(t: Any, n: Any, scope: List[str]) -> str:
    """F.pad with zeros: a Pad of the listed trailing axes (torch lists the last axis first)."""
    mode, value = _arg(t, n, 2, "mode", "constant"), _arg(t, n, 3, "value", None)
    if mode != "constant" or value not in (None, 0, 0.0):
        raise NotMapped(f"F.pad with mode '{mode}' and value {value} (only zeros)")
    rank = len(t.shape(n.args[0]))
    given = [int(p) for p in _arg(t, n, 1, "pad")]
    pads = [0] * (2 * rank)
    for i in range(len(given) // 2):
        axis = rank - 1 - i
        pads[axis], pads[axis + rank] = given[2 * i], given[2 * i + 1]
    return t.emit("Pad", [t.tensor(n.args[0]), t.constant(np.array(pads, dtype=np.int64))],
                  "pad", scope, mode="constant")


def _alias(t: Any, n: Any, scope: List[str]) -> str:
    return t.tensor(n.args[0])


def _dropout(t: Any, n: Any, scope: List[str]) -> str:
    if _arg(t, n, 2, "training", True):
        raise NotMapped("dropout with training=True")
    return t.tensor(n.args[0])


def _interpolate(t: Any, n: Any, scope: List[str]) -> str:
    mode = _arg(t, n, 3, "mode", "nearest")
    if mode != "nearest":
        raise NotMapped(f"interpolate mode '{mode}' (only 'nearest')")
    return resize_nearest(t, n, n.args[0], scope)


def _adaptive_pool(op_type: str, base: str) -> Mapper:
    def mapper(t: Any, n: Any, scope: List[str]) -> str:
        size = _arg(t, n, 1, "output_size")
        if any(s != 1 for s in (size if isinstance(size, (tuple, list)) else [size])):
            raise NotMapped(f"adaptive pooling to {size} (only to 1, a global pool)")
        return t.emit(op_type, [t.tensor(n.args[0])], base, scope)

    return mapper


def _settings(t: Any, n: Any, names: List[tuple]) -> SimpleNamespace:
    """A function's arguments after the input, by position or keyword, with defaults."""
    return SimpleNamespace(**{name: _arg(t, n, i + 1, name, default)
                              for i, (name, default) in enumerate(names)})


def _max_pool(t: Any, n: Any, scope: List[str]) -> str:
    m = _settings(t, n, [("kernel_size", None), ("stride", None), ("padding", 0),
                         ("dilation", 1), ("ceil_mode", False), ("return_indices", False)])
    return max_pool(t, n, m, scope)


def _avg_pool(t: Any, n: Any, scope: List[str]) -> str:
    m = _settings(t, n, [("kernel_size", None), ("stride", None), ("padding", 0),
                         ("ceil_mode", False), ("count_include_pad", True),
                         ("divisor_override", None)])
    return avg_pool(t, n, m, scope)


def _constant_input(t: Any, n: Any, index: int, name: str) -> Optional[str]:
    """A weight or bias argument: a parameter the module holds (a get_attr node), or None."""
    arg = n.args[index] if index < len(n.args) else n.kwargs.get(name)
    if arg is None:
        return None
    if not (hasattr(arg, "op") and arg.op == "get_attr"):
        raise NotMapped(f"the {name} is computed, not a parameter of the module")
    return t.tensor(arg)


def _linear(t: Any, n: Any, scope: List[str]) -> str:
    weight = _constant_input(t, n, 1, "weight")
    if weight is None:
        raise NotMapped("F.linear without a weight")
    return linear(t, n.args[0], weight, _constant_input(t, n, 2, "bias"), scope)


def _conv(t: Any, n: Any, scope: List[str]) -> str:
    weight = _constant_input(t, n, 1, "weight")
    if weight is None:
        raise NotMapped("a convolution without a weight")
    bias = _constant_input(t, n, 2, "bias")
    m = SimpleNamespace(stride=_arg(t, n, 3, "stride", 1), padding=_arg(t, n, 4, "padding", 0),
                        dilation=_arg(t, n, 5, "dilation", 1), groups=_arg(t, n, 6, "groups", 1),
                        kernel_size=tuple(t.model.initializers[weight].shape[2:]))
    return conv(t, [t.tensor(n.args[0]), weight] + ([bias] if bias else []), m, scope)


def _mean(t: Any, n: Any, scope: List[str]) -> str:
    """A mean over every spatial axis (the global average pool written by hand): ReduceMean
    over those axes, as the exporter writes it."""
    rank = len(t.shape(n.args[0]))
    given = _arg(t, n, 1, "dim")
    given = list(given) if isinstance(given, (tuple, list)) else [given]
    if (rank < 3 or sorted(int(d) % rank for d in given) != list(range(2, rank))
            or n.kwargs.get("dtype") is not None):
        raise NotMapped(f"a mean over axes {given} of a rank-{rank} tensor (only over every "
                        "spatial axis, a global average pool)")
    axes = t.constant(np.array(given, dtype=np.int64))
    return t.emit("ReduceMean", [t.tensor(n.args[0]), axes], "mean", scope,
                  keepdims=int(bool(_arg(t, n, 2, "keepdim", False))), noop_with_empty_axes=0)


@functools.lru_cache(maxsize=1)
def _functions() -> Dict[Any, Mapper]:
    import torch
    import torch.nn.functional as F

    table: Dict[Any, Mapper] = {
        torch.relu: _unary("Relu", "relu"), F.relu: _unary("Relu", "relu"),
        torch.sigmoid: _unary("Sigmoid", "sigmoid"), F.sigmoid: _unary("Sigmoid", "sigmoid"),
        torch.tanh: _unary("Tanh", "tanh"), F.tanh: _unary("Tanh", "tanh"),
        F.softsign: _unary("Softsign", "softsign"),
        F.leaky_relu: _leaky_relu, F.elu: _elu, F.hardtanh: _hardtanh, F.relu6: _relu6,
        torch.clamp: _clamp, torch.clip: _clamp,
        F.softmax: _softmax, torch.softmax: _softmax,
        torch.cat: _cat, torch.concat: _cat, torch.concatenate: _cat,
        torch.flatten: _flatten, torch.reshape: _reshape,
        F.dropout: _dropout, F.interpolate: _interpolate,
        F.max_pool1d: _max_pool, F.max_pool2d: _max_pool,
        F.avg_pool1d: _avg_pool, F.avg_pool2d: _avg_pool,
        F.linear: _linear, F.conv1d: _conv, F.conv2d: _conv, torch.conv1d: _conv,
        torch.conv2d: _conv, torch.mean: _mean,
        torch.permute: _permute, torch.transpose: _transpose, torch.unsqueeze: _unsqueeze,
        F.pad: _pad, operator.getitem: _getitem,
        F.adaptive_avg_pool1d: _adaptive_pool("GlobalAveragePool", "mean"),
        F.adaptive_avg_pool2d: _adaptive_pool("GlobalAveragePool", "mean"),
    }
    for op_type, base, functions in (
        ("Add", "add", (operator.add, operator.iadd, torch.add)),
        ("Sub", "sub", (operator.sub, operator.isub, torch.sub)),
        ("Mul", "mul", (operator.mul, operator.imul, torch.mul)),
        ("Div", "div", (operator.truediv, operator.itruediv, torch.div)),
        ("Max", "maximum", (torch.maximum,)),
        ("Min", "minimum", (torch.minimum,)),
    ):
        for f in functions:
            table[f] = _binary(op_type, base)
    return table


@functools.lru_cache(maxsize=1)
def _methods() -> Dict[str, Mapper]:
    return {
        "relu": _unary("Relu", "relu"), "sigmoid": _unary("Sigmoid", "sigmoid"),
        "tanh": _unary("Tanh", "tanh"), "softmax": _softmax, "clamp": _clamp, "clip": _clamp,
        "add": _binary("Add", "add"), "sub": _binary("Sub", "sub"),
        "mul": _binary("Mul", "mul"), "div": _binary("Div", "div"),
        "flatten": _flatten, "view": _reshape, "reshape": _reshape,
        "contiguous": _alias, "clone": _alias, "detach": _alias, "mean": _mean,
        "permute": _permute, "transpose": _transpose, "unsqueeze": _unsqueeze,
    }


def function_mapper(n: Any) -> Optional[Mapper]:
    if n.op == "call_method":
        return _methods().get(n.target)
    if n.op == "call_function":
        try:
            return _functions().get(n.target)
        except TypeError:  # an unhashable target
            return None
    return None
