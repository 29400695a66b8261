"""Configurations as dicts with hls4ml's keys: the starting one, and the one convert applies."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, Optional

from . import _core
from .errors import ConfigError

# The precision keys a "default precision" stands for: the same keys a single type string sets
# in nnfpga's configuration (docs/configuration.md); accum stays 'auto' and table its default.
_VALUE_KEYS = ("weight", "bias", "scale", "result")


def _layer_levels(tree: Dict[str, Any]):
    for level in ("LayerType", "LayerName"):
        for entry in tree.get(level, {}).values():
            yield entry


def starting_config(
    graph: _core.Graph,
    granularity: str,
    default_precision: Optional[str],
    default_reuse_factor: Optional[int],
) -> Dict[str, Any]:
    tree = json.loads(graph.starting_config(granularity))
    if default_precision is not None:
        _core.type_info(default_precision)  # raises ConfigError for a malformed spelling
        tree["Model"]["Precision"] = default_precision
        for entry in _layer_levels(tree):
            precision = entry.get("Precision", {})
            for key in _VALUE_KEYS:
                if key in precision:
                    precision[key] = default_precision
    if default_reuse_factor is not None:
        if not isinstance(default_reuse_factor, int) or default_reuse_factor < 1:
            raise ConfigError(
                f"default_reuse_factor must be a positive integer, not {default_reuse_factor!r}"
            )
        tree["Model"]["ReuseFactor"] = default_reuse_factor
        for entry in _layer_levels(tree):
            if "ReuseFactor" in entry:
                entry["ReuseFactor"] = default_reuse_factor
    return tree


def conversion_config(
    hls_config: Optional[Dict[str, Any]],
    part: Optional[str],
    clock_period: Optional[float],
    io_type: Optional[str],
) -> Dict[str, Any]:
    """The configuration convert applies: ``hls_config`` (hls4ml style, optionally wrapped in
    'HLSConfig') with the keyword arguments set on top, as hls4ml's convert does."""
    if hls_config is None:
        tree: Dict[str, Any] = {}
    elif isinstance(hls_config, dict):
        tree = copy.deepcopy(hls_config)
    else:
        raise ConfigError(
            f"hls_config must be a dict (as config_from_model returns), not "
            f"{type(hls_config).__name__}"
        )
    for key, value in (("Part", part), ("ClockPeriod", clock_period), ("IOType", io_type)):
        if value is not None:
            tree[key] = value
    return tree
