"""deploy.json, the one description of a deployment folder the driver reads (docs/board.md).

`nnfpga convert MODEL --board ...` writes it; this module reads it into typed records and checks
that the facts agree with each other (lane width, beats per sample), so that a hand-edited or
mismatched file is refused here, by key, rather than producing wrong data on the stream.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Tuple

from .fixed_cast import FixedFormat, parse_type

FORMAT = "nnfpga-deploy"
FORMAT_VERSION = 1
LANE_WIDTHS = (8, 16, 32, 64)
PIXEL_ORDER = "raster, channels last"  # the streaming wrapper's pixel order (docs/board.md)


class DeployError(ValueError):
    """deploy.json is missing, malformed, or describes something this driver cannot run."""


@dataclass(frozen=True)
class StreamLayout:
    """One side of the accelerator (its input or output) and how samples pack into beats."""

    name: str
    shape: Tuple[int, ...]
    count: int
    fixed: FixedFormat
    lane_bits: int
    beat_bits: int
    elements_per_beat: int
    beats_per_sample: int
    # A streaming design (a CNN) takes or gives `pixels` pixels of `elements_per_pixel` per
    # sample, in raster order with the channels last; anything else is one pixel of `count`.
    pixels: int = 1
    elements_per_pixel: int = 0

    @property
    def lanes_per_sample(self) -> int:
        """Lanes a sample occupies in memory: its elements plus the padding of its last beat."""
        return self.beats_per_sample * self.elements_per_beat

    @property
    def bytes_per_sample(self) -> int:
        return self.beats_per_sample * self.beat_bits // 8


@dataclass(frozen=True)
class DeployInfo:
    """What the driver needs of deploy.json."""

    root: Path
    board: str
    clock_mhz: float
    top: str
    model_sha256: str
    latency_cycles: int
    input: StreamLayout
    output: StreamLayout
    control_ip: str
    registers: Dict[str, int]
    id_value: int
    dma_ip: str
    bitstream: Path


def _key(d: Dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise DeployError(f"deploy.json: '{where}' has no key '{key}'")
    return d[key]


def _layout(d: Dict[str, Any], side: str) -> StreamLayout:
    where = side
    type_text = str(_key(d, "type", where))
    width, integer, signed, _, _, sat_bits = parse_type(type_text)
    fixed = FixedFormat(width=int(_key(d, "width", where)), frac=int(_key(d, "frac_bits", where)),
                        signed=bool(_key(d, "signed", where)),
                        rounding=str(_key(d, "rounding", where)),
                        overflow=str(_key(d, "overflow", where)), sat_bits=sat_bits)
    if (fixed.width, fixed.frac, fixed.signed) != (width, width - integer, signed):
        raise DeployError(f"deploy.json: {side} type {type_text} disagrees with its width "
                          f"{fixed.width}, frac_bits {fixed.frac} and signed {fixed.signed}")
    layout = StreamLayout(
        name=str(_key(d, "name", where)), shape=tuple(int(s) for s in _key(d, "shape", where)),
        count=int(_key(d, "count", where)), fixed=fixed, lane_bits=int(_key(d, "lane_bits", where)),
        beat_bits=int(_key(d, "beat_bits", where)),
        elements_per_beat=int(_key(d, "elements_per_beat", where)),
        beats_per_sample=int(_key(d, "beats_per_sample", where)),
        pixels=int(d.get("pixels", 1)),
        elements_per_pixel=int(d.get("elements_per_pixel", d.get("count", 0))))
    _check_packing(layout, side)
    _check_pixels(layout, str(d.get("pixel_order", PIXEL_ORDER)), side)
    return layout


def _check_packing(s: StreamLayout, side: str) -> None:
    """The packing rule of the board contract: lane = the smallest of 8/16/32/64 bits holding the
    element, E = B / L lanes per beat, ceil(count / E) beats per sample."""
    lane = next((w for w in LANE_WIDTHS if w >= s.fixed.width), None)
    if lane is None:
        raise DeployError(f"deploy.json: {side} elements are {s.fixed.width} bits wide; the "
                          f"stream carries at most 64-bit lanes")
    want = (lane, s.beat_bits // lane, math.ceil(s.count / (s.beat_bits // lane)))
    have = (s.lane_bits, s.elements_per_beat, s.beats_per_sample)
    if have != want or s.beat_bits % lane != 0:
        raise DeployError(f"deploy.json: {side} packing (lane_bits, elements_per_beat, "
                          f"beats_per_sample) is {have}, but a {s.fixed.width}-bit element on a "
                          f"{s.beat_bits}-bit beat packs as {want}")
    if math.prod(s.shape) != s.count:
        raise DeployError(f"deploy.json: {side} shape {list(s.shape)} holds {math.prod(s.shape)} "
                          f"elements, not its count {s.count}")


def _check_pixels(s: StreamLayout, order: str, side: str) -> None:
    """A streaming design's pixels: whole pixels of the shape's last axis (the channels), in the
    one order the wrapper knows, so that the driver's rows are the accelerator's pixels."""
    if order != PIXEL_ORDER:
        raise DeployError(f"deploy.json: {side} pixel_order is {order!r}; this driver sends "
                          f"pixels as {PIXEL_ORDER!r}")
    if s.pixels < 1 or s.pixels * s.elements_per_pixel != s.count:
        raise DeployError(f"deploy.json: {side} has {s.pixels} pixels of "
                          f"{s.elements_per_pixel} elements, not its count {s.count}")
    if s.pixels > 1 and s.shape[-1] != s.elements_per_pixel:
        raise DeployError(f"deploy.json: {side} shape {list(s.shape)} does not end in its "
                          f"{s.elements_per_pixel} channels per pixel")


def find_deploy_json(path: Path) -> Path:
    """deploy.json of a deployment folder, or of the folder above an overlay folder."""
    for candidate in (path / "deploy.json", path.parent / "deploy.json"):
        if candidate.is_file():
            return candidate
    raise DeployError(f"no deploy.json in {path} or its parent: give the folder written by "
                      f"'nnfpga convert MODEL --board ...' (or its overlay/ folder)")


def read_deploy(path: "str | Path") -> DeployInfo:
    """Reads and checks deploy.json from a deployment folder or its overlay folder."""
    file = find_deploy_json(Path(path))
    try:
        d = json.loads(file.read_text())
    except (OSError, ValueError) as e:
        raise DeployError(f"cannot read {file}: {e}") from e
    if d.get("format") != FORMAT:
        raise DeployError(f"{file} is not an nnfpga deployment description (format "
                          f"{d.get('format')!r}, expected {FORMAT!r})")
    if d.get("version") != FORMAT_VERSION:
        raise DeployError(f"{file} has version {d.get('version')!r}; this driver reads version "
                          f"{FORMAT_VERSION}: use the driver written into the same folder")
    control = _key(d, "control", "deploy.json")
    root = file.parent
    return DeployInfo(
        root=root, board=str(_key(d, "board", "deploy.json")),
        clock_mhz=float(_key(d, "clock_mhz", "deploy.json")), top=str(_key(d, "top", "deploy.json")),
        model_sha256=str(_key(d, "model_sha256", "deploy.json")).lower(),
        latency_cycles=int(_key(d, "latency_cycles", "deploy.json")),
        input=_layout(_key(d, "input", "deploy.json"), "input"),
        output=_layout(_key(d, "output", "deploy.json"), "output"),
        control_ip=str(_key(control, "ip", "control")),
        registers={str(k): int(v) for k, v in _key(control, "registers", "control").items()},
        id_value=int(_key(control, "id_value", "control")),
        dma_ip=str(_key(_key(d, "dma", "deploy.json"), "ip", "dma")),
        bitstream=root / str(_key(_key(d, "overlay", "deploy.json"), "bit", "overlay")))
