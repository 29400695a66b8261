"""Laying a configuration fragment (as ``suggest_types`` returns) over a configuration."""

from __future__ import annotations

import copy
from typing import Any, Dict, Optional, Tuple

from ..errors import ConfigError

# The keys a single type string sets (docs/configuration.md): not accum, not table.
_STRING_KEYS = ("weight", "bias", "scale", "param", "result")


def _string_keys(path: Tuple[str, ...], model: Any) -> Tuple[str, ...]:
    """The precision keys a single type string stands for at ``path`` (the level holding
    'Precision'): at a layer or layer type only the keys its op has, as anything else there is
    a configuration error."""
    if len(path) < 2:  # Model (or a misplaced Precision, which the core reports)
        return _STRING_KEYS
    if model is None:
        raise ConfigError(
            f"{'.'.join(path)}.Precision is a single type: pass model= to merge_config so that "
            "it can be split into the layer's own precision keys")
    level, name = path[-2], path[-1]
    keys = set()
    for layer in model.layers():
        if (level == "LayerName" and layer["name"] == name) or (
                level == "LayerType" and name in (layer["op"], "Activation")):
            keys |= set(layer["types"])
    return tuple(k for k in _STRING_KEYS if k in keys)


def _merge(base: Any, overlay: Any, path: Tuple[str, ...], model: Any) -> Any:
    if not isinstance(overlay, dict):
        return copy.deepcopy(overlay)
    if not isinstance(base, dict):
        return copy.deepcopy(overlay)
    merged = dict(base)
    for key, value in overlay.items():
        old = merged.get(key)
        if key == "Precision" and (isinstance(old, str) != isinstance(value, str)):
            # One side is a single type: spell it out per key, so that overlaying 'result'
            # keeps the weight and bias types the single type gave.
            keys = _string_keys(path, model)
            old = {k: old for k in keys} if isinstance(old, str) else old
            value = {k: value for k in keys} if isinstance(value, str) else value
        merged[key] = _merge(old, value, path + (key,), model)
    return merged


def merge_config(
    config: Optional[Dict[str, Any]],
    fragment: Dict[str, Any],
    model: Optional[Any] = None,
) -> Dict[str, Any]:
    """A new configuration: ``config`` with ``fragment`` laid over it key by key (maps merge,
    other values are replaced), as ``config::merge`` does in the C++ core. Neither is changed.

    Sections of the fragment go inside 'HLSConfig' when ``config`` wraps its sections in it.
    Where one side gives a layer a single type string as 'Precision' and the other a map, the
    string is first spelled out into the precision keys it sets for that layer (weight, bias,
    scale, param, result as the op has them), which needs ``model`` (the ``ModelGraph``).

    Typical use: ``convert(path, hls_config=merge_config(model.config, suggest_types(model, X),
    model))``.
    """
    base = copy.deepcopy(config) if config else {}
    overlay = {k: v for k, v in fragment.items() if k != "HLSConfig"}
    overlay.update(fragment.get("HLSConfig", {}))
    if isinstance(base.get("HLSConfig"), dict):
        sections = {k: overlay.pop(k) for k in ("Model", "LayerType", "LayerName") if k in overlay}
        # Paths start below HLSConfig: the levels are named the same inside it.
        base["HLSConfig"] = _merge(base["HLSConfig"], sections, (), model)
    return _merge(base, overlay, (), model)
