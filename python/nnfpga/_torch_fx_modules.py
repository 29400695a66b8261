"""The torch.nn modules the torch.fx reader maps, each to the ONNX nodes torch's exporter writes
for it (see ``_torch_fx.py``). A module with a setting the mapping does not cover (a padding
mode, ceil_mode, a BatchNorm without running statistics) raises NotMapped: the caller then falls
back to the ONNX export."""

from __future__ import annotations

import functools
from typing import Any, Callable, List, Optional

import numpy as np

from ._torch_fx import NotMapped, scope_prefixes

Mapper = Callable[[Any, Any, Any, List[str]], str]


def linear(t: Any, x: Any, weight: str, bias: Optional[str], scope: List[str]) -> str:
    """x @ weight.T + bias, as the exporter writes it: Gemm on a rank-2 input; above rank 2,
    MatMul with the transposed weight, then Add."""
    if len(t.shape(x)) == 2:
        inputs = [t.tensor(x), weight] + ([bias] if bias else [])
        return t.emit("Gemm", inputs, "linear", scope, alpha=1.0, beta=1.0, transA=0, transB=1)
    transposed = t.constant(np.ascontiguousarray(t.model.initializers[weight].T),
                            weight + "_transposed")
    y = t.emit("MatMul", [t.tensor(x), transposed], "matmul", scope)
    return t.emit("Add", [y, bias], "add", scope) if bias else y


def _linear(t: Any, n: Any, m: Any, path: List[str]) -> str:
    prefix = ".".join(path)
    weight = t.param(prefix, "weight", m.weight)
    bias = t.param(prefix, "bias", m.bias) if m.bias is not None else None
    return linear(t, n.args[0], weight, bias, scope_prefixes(path))


def _unary(op_type: str, base: str, **fixed: Any) -> Mapper:
    def mapper(t: Any, n: Any, m: Any, path: List[str]) -> str:
        return t.emit(op_type, [t.tensor(n.args[0])], base, scope_prefixes(path), **fixed)

    return mapper


def _with(op_type: str, base: str, attribute: str, member: str) -> Mapper:
    def mapper(t: Any, n: Any, m: Any, path: List[str]) -> str:
        return t.emit(op_type, [t.tensor(n.args[0])], base, scope_prefixes(path),
                      **{attribute: float(getattr(m, member))})

    return mapper


def clip(t: Any, x: str, lo: float, hi: float, scope: List[str], base: str = "hardtanh") -> str:
    bounds = [t.constant(np.array(v, dtype=np.float32)) for v in (lo, hi)]
    return t.emit("Clip", [x, *bounds], base, scope)


def _hardtanh(t: Any, n: Any, m: Any, path: List[str]) -> str:
    return clip(t, t.tensor(n.args[0]), m.min_val, m.max_val, scope_prefixes(path))


def _softmax(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.dim is None:
        raise NotMapped("Softmax without dim (the implicit dimension is deprecated)")
    return t.emit("Softmax", [t.tensor(n.args[0])], "softmax", scope_prefixes(path), axis=m.dim)


def _softplus(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.beta != 1:
        raise NotMapped(f"Softplus with beta {m.beta}")
    return t.emit("Softplus", [t.tensor(n.args[0])], "softplus", scope_prefixes(path))


def _alias(t: Any, n: Any, m: Any, path: List[str]) -> str:
    return t.tensor(n.args[0])


def flatten(t: Any, n: Any, source: Any, scope: List[str], always: bool = False) -> str:
    """A flatten (or, ``always``, a view) keeping the batch axis: a Reshape to the static shape
    the module computed; the exporter drops a flatten that changes nothing, not a view."""
    x = t.tensor(source)
    before, after = t.shape(source), t.shape(n)
    if before == after and not always:
        return x
    if not after or after[0] != before[0]:
        raise NotMapped(f"a reshape from {list(before)} to {list(after)} moves the batch axis")
    shape = t.constant(np.array(after, dtype=np.int64))
    return t.emit("Reshape", [x, shape], "view", scope, allowzero=1)


def _flatten(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.start_dim not in (1, -len(t.shape(n.args[0])) + 1) or m.end_dim != -1:
        raise NotMapped(f"Flatten({m.start_dim}, {m.end_dim}) does not keep the batch axis alone")
    return flatten(t, n, n.args[0], scope_prefixes(path))


def _batchnorm(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.running_mean is None or m.running_var is None:
        raise NotMapped("BatchNorm without running statistics normalizes by the batch")
    scope = scope_prefixes(path)
    prefix = ".".join(path)
    x = t.tensor(n.args[0])
    channels = m.num_features
    gamma = m.weight.detach().numpy() if m.weight is not None else np.ones(channels, np.float32)
    beta = m.bias.detach().numpy() if m.bias is not None else np.zeros(channels, np.float32)
    mean = m.running_mean.detach().numpy().astype(np.float32)
    var = m.running_var.detach().numpy().astype(np.float32)
    eps = float(np.float32(m.eps))  # the exporter's float attribute
    producer = t.producer.get(x)
    # The exporter folds only where nothing else reads the output or the parameters changed.
    if (producer is not None and producer.op_type in ("Conv", "Gemm") and t.single_use(x)
            and not any(t.shared(name) for name in producer.inputs[1:])):
        return _fold(t, producer, [gamma, beta, mean, var], eps, scope)
    names = [t.constant(gamma.astype(np.float32), f"{prefix}.weight"),
             t.constant(beta.astype(np.float32), f"{prefix}.bias"),
             t.constant(mean, f"{prefix}.running_mean"), t.constant(var, f"{prefix}.running_var")]
    momentum = 1.0 - (m.momentum if m.momentum is not None else 0.0)
    return t.emit("BatchNormalization", [x, *names], "_native_batch_norm_legit_no_training", scope,
                  epsilon=eps, momentum=float(np.float32(momentum)))


def _fold(t: Any, producer: Any, stats: List[np.ndarray], eps: float, scope: List[str]) -> str:
    """The exporter's folding of a BatchNormalization into the Conv or Gemm before it, in the
    same float32 expressions (onnxscript's fuse_batchnorm rule): W * (gamma / sqrt(var + eps))
    along the output-channel axis, and (b - mean) * scale + beta."""
    gamma, beta, mean, var = (s.astype(np.float32) for s in stats)
    scale = gamma / np.sqrt(var + eps)
    weights = t.model.initializers[producer.inputs[1]]
    axis = 0 if producer.op_type == "Conv" or producer.attributes.get("transB", 0) else 1
    shape = [1] * weights.ndim
    shape[axis] = -1
    t.model.initializers[producer.inputs[1]] = weights * np.reshape(scale, shape)
    bias = (t.model.initializers[producer.inputs[2]] if len(producer.inputs) > 2
            else np.zeros_like(mean))
    fused = (1.0 * bias - mean) * scale + beta
    if len(producer.inputs) > 2:
        t.model.initializers[producer.inputs[2]] = fused
    else:
        producer.inputs.append(t.constant(fused, producer.inputs[1] + "_bias"))
    # The folded node is the batchnorm's, as the exporter's rewrite names it.
    producer.metadata["pkg.torch.onnx.name_scopes"] = repr(
        ["", *scope, "_native_batch_norm_legit_no_training"])
    return producer.outputs[0]


def _window(m: Any, rank: int) -> dict:
    padding = _pairs(m.padding, rank)
    return {"kernel_shape": _pairs(m.kernel_size, rank),
            "strides": _pairs(m.stride if m.stride not in (None, [], ()) else m.kernel_size,
                              rank),
            "pads": padding + padding}


def _pairs(value: Any, rank: int) -> List[int]:
    if isinstance(value, (tuple, list)):
        return [int(v) for v in value]
    return [int(value)] * rank


def conv(t: Any, inputs: List[str], m: Any, scope: List[str]) -> str:
    """A convolution of [x, weight(, bias)] from its settings (a module, or F.conv*d's
    arguments in its shape)."""
    rank = len(m.kernel_size)
    dilations = _pairs(m.dilation, rank)
    if isinstance(m.padding, str):
        # 'same' puts the odd pixel at the end, as torch does; 'valid' pads nothing.
        total = [d * (k - 1) if m.padding == "same" else 0
                 for d, k in zip(dilations, m.kernel_size)]
        pads = [s // 2 for s in total] + [s - s // 2 for s in total]
    else:
        pads = _pairs(m.padding, rank) * 2
    return t.emit("Conv", inputs, f"conv{rank}d", scope, group=int(m.groups), pads=pads,
                  strides=_pairs(m.stride, rank), dilations=dilations,
                  kernel_shape=list(m.kernel_size))


def _conv(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.padding_mode != "zeros":
        raise NotMapped(f"{type(m).__name__} with padding_mode '{m.padding_mode}'")
    prefix = ".".join(path)
    inputs = [t.tensor(n.args[0]), t.param(prefix, "weight", m.weight)]
    if m.bias is not None:
        inputs.append(t.param(prefix, "bias", m.bias))
    return conv(t, inputs, m, scope_prefixes(path))


def max_pool(t: Any, n: Any, m: Any, scope: List[str]) -> str:
    """A max pool from its settings (a module, or a function's arguments in its shape)."""
    rank = len(t.shape(n.args[0])) - 2
    if m.ceil_mode or m.return_indices:
        raise NotMapped("max pooling with ceil_mode or return_indices")
    return t.emit("MaxPool", [t.tensor(n.args[0])], f"max_pool{rank}d", scope,
                  ceil_mode=0, dilations=_pairs(m.dilation, rank), storage_order=0,
                  **_window(m, rank))


def avg_pool(t: Any, n: Any, m: Any, scope: List[str]) -> str:
    """An average pool from its settings (a module, or a function's arguments)."""
    rank = len(t.shape(n.args[0])) - 2
    if m.ceil_mode or getattr(m, "divisor_override", None):
        raise NotMapped("average pooling with ceil_mode or divisor_override")
    return t.emit("AveragePool", [t.tensor(n.args[0])], f"avg_pool{rank}d", scope,
                  ceil_mode=0, count_include_pad=int(m.count_include_pad), **_window(m, rank))


def _max_pool(t: Any, n: Any, m: Any, path: List[str]) -> str:
    return max_pool(t, n, m, scope_prefixes(path))


def _avg_pool(t: Any, n: Any, m: Any, path: List[str]) -> str:
    return avg_pool(t, n, m, scope_prefixes(path))


def _global_pool(op_type: str) -> Mapper:
    def mapper(t: Any, n: Any, m: Any, path: List[str]) -> str:
        size = m.output_size
        if getattr(m, "return_indices", False):
            raise NotMapped(f"{type(m).__name__} with return_indices")
        if any(s != 1 for s in (size if isinstance(size, (tuple, list)) else [size])):
            raise NotMapped(f"{type(m).__name__} to {size} (only to 1, a global pool)")
        base = "mean" if op_type == "GlobalAveragePool" else "amax"
        return t.emit(op_type, [t.tensor(n.args[0])], base, scope_prefixes(path))

    return mapper


def resize_nearest(t: Any, n: Any, source: Any, scope: List[str]) -> str:
    """Nearest upsampling by whole factors, as the exporter's Resize (asymmetric, floor)."""
    before, after = t.shape(source), t.shape(n)
    if any(a % b for a, b in zip(after[2:], before[2:])):
        raise NotMapped(f"nearest resize from {list(before)} to {list(after)} "
                        "is not by whole factors")
    scales = t.constant(np.array([1, 1, *(a // b for a, b in zip(after[2:], before[2:]))],
                                 dtype=np.float32))
    rank = len(before) - 2
    return t.emit("Resize", [t.tensor(source), "", scales], f"upsample_nearest{rank}d", scope,
                  coordinate_transformation_mode="asymmetric", mode="nearest",
                  nearest_mode="floor")


def _upsample(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.mode != "nearest":
        raise NotMapped(f"Upsample mode '{m.mode}' (only 'nearest')")
    return resize_nearest(t, n, n.args[0], scope_prefixes(path))


@functools.lru_cache(maxsize=1)
def _table() -> dict:
    from torch import nn

    return {
        nn.Linear: _linear,
        nn.ReLU: _unary("Relu", "relu"),
        nn.Sigmoid: _unary("Sigmoid", "sigmoid"),
        nn.Tanh: _unary("Tanh", "tanh"),
        nn.Softsign: _unary("Softsign", "softsign"),
        nn.Hardsigmoid: _unary("HardSigmoid", "hardsigmoid", alpha=1.0 / 6, beta=0.5),
        nn.LeakyReLU: _with("LeakyRelu", "leaky_relu", "alpha", "negative_slope"),
        nn.ELU: _with("Elu", "elu", "alpha", "alpha"),
        nn.Hardtanh: _hardtanh,
        nn.ReLU6: _hardtanh,
        nn.Softmax: _softmax,
        nn.Softplus: _softplus,
        nn.Identity: _alias,
        nn.Dropout: _alias,
        nn.Dropout1d: _alias,
        nn.Dropout2d: _alias,
        nn.AlphaDropout: _alias,
        nn.Flatten: _flatten,
        nn.BatchNorm1d: _batchnorm,
        nn.BatchNorm2d: _batchnorm,
        nn.Conv1d: _conv,
        nn.Conv2d: _conv,
        nn.MaxPool1d: _max_pool,
        nn.MaxPool2d: _max_pool,
        nn.AvgPool1d: _avg_pool,
        nn.AvgPool2d: _avg_pool,
        nn.AdaptiveAvgPool1d: _global_pool("GlobalAveragePool"),
        nn.AdaptiveAvgPool2d: _global_pool("GlobalAveragePool"),
        nn.AdaptiveMaxPool1d: _global_pool("GlobalMaxPool"),
        nn.AdaptiveMaxPool2d: _global_pool("GlobalMaxPool"),
        nn.Upsample: _upsample,
        nn.UpsamplingNearest2d: _upsample,
    }


def module_mapper(module: Any) -> Optional[Mapper]:
    """The mapper of the module's exact class (a subclass may compute something else)."""
    return _table().get(type(module))
