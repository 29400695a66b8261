"""Brevitas layers in the torch.fx reader: each to the QONNX nodes Brevitas's own QONNX export
(``brevitas.export.export_qonnx``, dynamo) writes for it, with the same quantizer parameters its
export handlers read (scale, zero point and bit width of the proxy; narrow range and signedness;
the proxy's rounding mode for activations, ROUND for weights, whose values are quantized
already) and the same module scopes, so that nnfpga's QONNX reader sees the same model.

Mapped: QuantIdentity and QuantReLU (an activation quantizer: Quant, after a Relu for
QuantReLU), QuantLinear on a rank-2 input and QuantConv1d/2d (Quant on the float weight; the
bias quantized on the input scale times the weight scale when its quantizer takes the input's,
as Int32Bias does, or left float), without input or output quantizers of their own. Anything
else raises NotMapped, and the module goes through the export.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

import numpy as np

from ._torch_fx import NotMapped, as_tensor, scope_prefixes
from ._torch_fx_modules import conv

_QONNX = "qonnx.custom_op.general"
Mapper = Callable[[Any, Any, Any, List[str]], str]


def _scalar(t: Any, value: Any) -> str:
    v = value.detach().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)
    return t.constant(np.asarray(v, dtype=np.float32))


def _quant(t: Any, x: str, scale: Any, zero_point: Any, bit_width: Any, signed: bool,
           narrow: bool, rounding: str, scope: List[str]) -> str:
    if float(bit_width) == 1:
        raise NotMapped("a 1-bit quantizer (Brevitas exports BipolarQuant)")
    t.model.domains[_QONNX] = 2
    inputs = [x, _scalar(t, scale), _scalar(t, zero_point), _scalar(t, bit_width)]
    return t.emit_in("Quant", inputs, "_symbolic", scope, _QONNX,
                     {"rounding_mode": str(rounding), "signed": int(bool(signed)),
                      "narrow": int(bool(narrow))})


def _act_quant(t: Any, x: str, m: Any, path: List[str]) -> str:
    proxy = m.act_quant
    if not proxy.is_quant_enabled:
        raise NotMapped(f"{type(m).__name__} without an activation quantizer")
    prefix = ".".join(path)
    scope = scope_prefixes(path) + [f"{prefix}.act_quant", f"{prefix}.act_quant.export_handler"]
    return _quant(t, x, proxy.scale(), proxy.zero_point(), proxy.bit_width(), proxy.is_signed,
                  proxy.is_narrow_range, proxy.rounding_mode, scope)


def _identity(t: Any, n: Any, m: Any, path: List[str]) -> str:
    return _act_quant(t, t.tensor(n.args[0]), m, path)


def _relu(t: Any, n: Any, m: Any, path: List[str]) -> str:
    prefix = ".".join(path)
    scope = scope_prefixes(path) + [
        f"{prefix}.act_quant", f"{prefix}.act_quant.fused_activation_quant_proxy.activation_impl"]
    return _act_quant(t, t.emit("Relu", [t.tensor(n.args[0])], "relu", scope), m, path)


def _weighted(t: Any, n: Any, m: Any, path: List[str]) -> List[str]:
    """[x, quantized weight(, bias)] of a QuantLinear or QuantConv."""
    for proxy in ("input_quant", "output_quant"):
        if getattr(m, proxy).is_quant_enabled:
            raise NotMapped(f"{type(m).__name__} with its own {proxy}")
    if not m.weight_quant.is_quant_enabled:
        raise NotMapped(f"{type(m).__name__} without a weight quantizer")
    prefix = ".".join(path)
    qweight = m.quant_weight()
    weight = t.param(prefix, "weight", m.weight)
    scope = scope_prefixes(path) + [f"{prefix}.weight_quant",
                                    f"{prefix}.weight_quant.export_handler"]
    inputs = [t.tensor(n.args[0]), _quant(t, weight, qweight.scale, qweight.zero_point,
                                          qweight.bit_width, qweight.signed,
                                          m.weight_quant.is_narrow_range, "ROUND", scope)]
    if m.bias is None:
        return inputs
    bias = t.param(prefix, "bias", m.bias)
    proxy = m.bias_quant
    if not proxy.is_quant_enabled:
        return inputs + [bias]
    # The proxy itself on the recorded input: the input's scale times the weight's when it
    # takes the input's (Int32Bias), as the layer's forward and the export compute it.
    try:
        qbias = proxy(m.bias, t.values[n.args[0]], qweight)
    except RuntimeError as e:
        raise NotMapped(f"the bias quantizer of {type(m).__name__}: {e}") from None
    scope = scope_prefixes(path) + [f"{prefix}.bias_quant", f"{prefix}.bias_quant.export_handler"]
    return inputs + [_quant(t, bias, qbias.scale.reshape(-1), qbias.zero_point, qbias.bit_width,
                            proxy.is_signed, proxy.is_narrow_range, proxy.rounding_mode, scope)]


def _linear(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if len(t.shape(n.args[0])) != 2:
        raise NotMapped("a QuantLinear above rank 2")
    inputs = _weighted(t, n, m, path)
    return t.emit("Gemm", inputs, "linear", scope_prefixes(path), alpha=1.0, beta=1.0, transA=0,
                  transB=1)


def _conv(t: Any, n: Any, m: Any, path: List[str]) -> str:
    if m.padding_mode != "zeros":
        raise NotMapped(f"{type(m).__name__} with padding_mode '{m.padding_mode}'")
    return conv(t, _weighted(t, n, m, path), m, scope_prefixes(path))


def brevitas_mapper(module: Any) -> Optional[Mapper]:
    """The mapper of a Brevitas layer's exact class, or None."""
    table = {"QuantIdentity": _identity, "QuantReLU": _relu, "QuantLinear": _linear,
             "QuantConv1d": _conv, "QuantConv2d": _conv}
    if type(module).__module__.startswith("brevitas.nn"):
        return table.get(type(module).__name__)
    return None


__all__ = ["brevitas_mapper", "as_tensor"]
