"""``suggest_types``: result and parameter types wide enough for the ranges seen on X."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import numpy as np

from .._core import type_info
from ..errors import ConfigError, InputError
from ..model import ModelGraph
from . import _collect
from ._merge import merge_config
from ._type_rule import integer_bits, spell_type

# Ops whose output is never negative, whatever their input: their result can be unsigned.
NONNEGATIVE_OPS = ("ReLU", "Sigmoid", "Softmax")


@dataclass
class TypeChoice:
    """One suggested type and how it was chosen.

    lo, hi: the observed float range (trained parameter values, or the layer's float output on
    X). integer: I from ``integer_bits(lo, hi, signed)`` plus ``margin_bits`` plus
    ``verify_bits`` (bits the check on the fixed-point model had to add)."""

    layer: str
    op: str
    key: str
    configured: str
    suggested: str
    lo: float
    hi: float
    signed: bool
    width: int
    integer: int
    margin_bits: int
    verify_bits: int = 0


def _choose(tensor: _collect.Tensor, width: Optional[int], margin_bits: int,
            unsigned_nonnegative: bool) -> Optional[TypeChoice]:
    t = tensor.type
    v = tensor.values[np.isfinite(tensor.values)]
    lo = float(min(v.min(), 0.0)) if v.size else 0.0
    hi = float(max(v.max(), 0.0)) if v.size else 0.0
    if unsigned_nonnegative and tensor.type_key == "result" and tensor.op in NONNEGATIVE_OPS:
        signed = False
    else:
        # A type stays unsigned only while nothing negative was seen; X is just a sample, so a
        # signed type never becomes unsigned on the evidence of X alone.
        signed = bool(t["signed"]) or lo < 0
    bits = integer_bits(lo, hi, signed)
    if bits is None:  # all zero: X says nothing about the range; keep the configured type
        return None
    w = int(width if width is not None else t["width"])
    choice = TypeChoice(tensor.layer, tensor.op, tensor.type_key, t["spelling"], "", lo, hi,
                        signed, w, bits + margin_bits, margin_bits)
    return _respell(choice, t)


def _respell(choice: TypeChoice, configured: Dict[str, Any]) -> Optional[TypeChoice]:
    try:
        choice.suggested = spell_type(configured, choice.width, choice.integer, choice.signed)
    except ConfigError:
        if choice.signed:
            return None  # beyond what a type can spell (e.g. I below nnfpga's limit): keep it
        # Some overflow modes (AP_WRAP_SM) exist for signed types only.
        choice.signed, choice.integer = True, choice.integer + 1
        return _respell(choice, configured)
    return choice


def type_choices(
    model: Any,
    X: Any,
    width: Optional[int] = None,
    margin_bits: int = 0,
    unsigned_nonnegative: bool = True,
    params: bool = True,
    verify: bool = True,
    max_rounds: int = 8,
) -> List[TypeChoice]:
    """The types ``suggest_types`` would set, one ``TypeChoice`` per (layer, key), with the
    ranges and bit counts they come from. Same arguments as ``suggest_types``."""
    if width is not None and not (isinstance(width, int) and 1 <= width <= 64):
        raise InputError(f"width must be an integer from 1 to 64, not {width!r}")
    tensors = [t for t in _collect.activations(model, X) if t.op not in _collect.PASS_THROUGH_OPS]
    tensors += _collect.parameters(model) if params else []
    choices = {}
    for tensor in tensors:
        choice = _choose(tensor, width, margin_bits, unsigned_nonnegative)
        if choice is not None:
            choices[(choice.layer, choice.key)] = choice
    for round_ in range(max_rounds + 1 if verify else 0):
        trial = ModelGraph(model.graph, merge_config(model.config, _to_config(choices.values()),
                                                     model),
                           output_dir=str(model.output_dir), project_name=model.project_name)
        failing = _overflowing_keys(trial, X)
        if not failing:
            break
        if round_ == max_rounds:
            warnings.warn(f"suggest_types: still overflowing after {max_rounds} rounds of "
                          f"widening: {sorted(set(failing))}", stacklevel=3)
            break
        for layer, key in set(failing):
            _widen(choices, trial, layer, key)
    return list(choices.values())


def _overflowing_keys(trial: Any, X: Any) -> List[tuple]:
    """(layer, key) pairs whose values overflow on X in the fixed-point model."""
    failing = [(name, "result") for name, c in trial.overflows(X).items() if c["result"] > 0]
    for layer in trial.layers():
        failing += [(layer["name"], _collect.param_type_key(name))
                    for name, n in layer["param_overflows"].items() if n > 0]
    return failing


def _widen(choices: Dict[tuple, TypeChoice], trial: Any, layer: str, key: str) -> None:
    """One more integer bit for (layer, key), keeping the width; an unsigned type of an op that
    can go negative becomes signed instead (the overflow may be a negative value)."""
    info = next(entry for entry in trial.layers() if entry["name"] == layer)
    choice = choices.get((layer, key))
    if choice is None:  # overflowing with its configured type (e.g. an all-zero range on X)
        t = info["types"][key]
        choice = TypeChoice(layer, info["op"], key, t["spelling"], t["spelling"], 0.0, 0.0,
                            bool(t["signed"]), int(t["width"]), int(t["integer"]), 0)
        choices[(layer, key)] = choice
    if not choice.signed and info["op"] not in NONNEGATIVE_OPS:
        choice.signed = True
    choice.integer += 1
    choice.verify_bits += 1
    configured = type_info(choice.configured)
    if _respell(choice, configured) is None:
        raise ConfigError(f"suggest_types: cannot widen {layer}.{key} beyond "
                          f"{choice.suggested}")


def _to_config(choices: Any) -> Dict[str, Any]:
    fragment: Dict[str, Any] = {"LayerName": {}}
    for c in choices:
        entry = fragment["LayerName"].setdefault(c.layer, {"Precision": {}})
        entry["Precision"][c.key] = c.suggested
    return fragment


def suggest_types(
    model: Any,
    X: Any,
    width: Optional[int] = None,
    margin_bits: int = 0,
    unsigned_nonnegative: bool = True,
    params: bool = True,
    verify: bool = True,
    max_rounds: int = 8,
) -> Dict[str, Any]:
    """Result and parameter types with just enough integer bits for the values seen on X, as a
    configuration fragment ``{'LayerName': {layer: {'Precision': {key: type}}}}`` to lay over
    the model's configuration with ``merge_config``::

        fragment = profiling.suggest_types(model, X)
        model2 = nnfpga.convert(path, hls_config=profiling.merge_config(model.config, fragment,
                                                                        model))

    Ranges: each layer's output from ``model.trace(X, mode='float')`` (the 'result' key) and
    each trained parameter (its own key: 'weight', 'bias', 'scale'), extended to include 0.

    Integer bits I (``integer_bits``): the fewest for which [min, max] fits: signed, a maximum
    needs max < 2^(I-1) (so a maximum of exactly 2^k takes I = k + 2) and a minimum needs
    min >= -2^(I-1) (-2^k fits in I = k + 1); unsigned, max < 2^I. Then ``margin_bits`` more.
    Signedness: the result of ReLU, Sigmoid and Softmax (never negative) becomes unsigned when
    ``unsigned_nonnegative``; any other type is signed if it was configured signed or a negative
    value was seen, and stays unsigned otherwise.
    Width: the configured type's width (the fraction bits are what is left), or ``width`` for
    every suggested type. Quantization and overflow modes are the configured type's.
    Layers whose values on X are all zero keep their configured type (X gives no range); so
    do Flatten and Reshape (their type is their input's), accumulators (their 'auto' rule
    follows the new types) and lookup tables.

    verify: convert with the suggestion and run X through the fixed-point model; a result or
    parameter that still overflows (a float value just below a power of two that the
    fixed-point path, or a rounding quantization mode, carries over it; an unsigned type
    meeting a negative value) gets one more integer bit, or becomes signed, and the check is
    repeated, up to ``max_rounds`` times (a warning if overflows remain). The suggestion then
    gives no result or parameter overflow on X.
    params: False suggests result types only.
    """
    return _to_config(type_choices(model, X, width, margin_bits, unsigned_nonnegative, params,
                                   verify, max_rounds))
