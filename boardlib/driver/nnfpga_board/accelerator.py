"""Accelerator: an nnfpga network on a Zynq board's fabric, driven through pynq.

One call of predict() is: floats to codes (fixed_cast), codes into a DMA buffer (packing), one
MM2S transfer of the whole batch into the accelerator and one S2MM transfer of the whole batch
back, codes out of the buffer, codes to floats. The AXI DMA ends an S2MM transfer at TLAST, so
the driver sets the accelerator's TLAST_EVERY register to the batch size: TLAST then comes once,
on the batch's last beat, and one transfer takes the whole batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from . import packing
from .deploy_info import DeployInfo, StreamLayout, read_deploy
from .fixed_cast import cast_array, to_float

CONTRACT_MAJOR = 1  # the board contract's version this driver speaks (VERSION register's top half)
HASH_WORDS = 8
# The AXI DMA's buffer length register is at most 26 bits wide (PG021): larger batches are split.
MAX_TRANSFER_BYTES = (1 << 26) - 1


class BoardError(RuntimeError):
    """The overlay is not the accelerator deploy.json describes, or a transfer failed."""


@dataclass
class Timing:
    """Timing of the last predict()/predict_codes() call."""

    wall_us: float = 0.0          # end to end: conversion, packing, DMA, unpacking
    transfer_us: float = 0.0      # from the first DMA start to the last DMA completion
    samples: int = 0
    accelerator_cycles: int = 0   # LAST_CYCLES: the last sample's first input beat to its last
    accelerator_us: float = 0.0   # output beat, in cycles and at the deploy clock

    @property
    def wall_us_per_sample(self) -> float:
        return self.wall_us / self.samples if self.samples else 0.0


class Accelerator:
    """The accelerator of one deployment folder (or its overlay/ folder) on the board.

    Loads overlay/nnfpga.bit with pynq (or takes `overlay`, an already loaded pynq.Overlay whose
    block design holds the accelerator), then checks the ID, VERSION and MODEL_HASH registers
    against deploy.json, so that a bitstream of another model is refused before any data moves.
    """

    def __init__(self, path: Union[str, Path], overlay: Optional[Any] = None) -> None:
        import pynq  # imported here: reading deploy.json and converting need no board

        self._pynq = pynq
        self.info: DeployInfo = read_deploy(Path(path))
        if overlay is None:
            try:
                overlay = pynq.Overlay(str(self.info.bitstream))
            except (OSError, ValueError, RuntimeError) as e:
                raise BoardError(f"cannot load the overlay {self.info.bitstream}: {e}. It is "
                                 f"written by 'nnfpga build DEPLOY_DIR' (Vivado), with its .hwh "
                                 f"beside it") from e
        self.overlay = overlay
        self._ctrl = self._ip(self.info.control_ip)
        self._dma = self._ip(self.info.dma_ip)
        self._in_buffer: Any = None
        self._out_buffer: Any = None
        self._tlast_every = 0
        self.timing = Timing()
        self._check_identity()

    def _ip(self, name: str) -> Any:
        ip = getattr(self.overlay, name, None)
        if ip is None:
            raise BoardError(f"the overlay has no IP named '{name}' (deploy.json names it): the "
                             f"bitstream was not built from this deployment folder's block design")
        return ip

    def _reg(self, name: str) -> int:
        return int(self._ctrl.read(self.info.registers[name])) & 0xFFFFFFFF

    def _check_identity(self) -> None:
        ident = self._reg("id")
        if ident != self.info.id_value:
            raise BoardError(f"{self.info.control_ip} reads ID 0x{ident:08x}, not nnfpga's "
                             f"0x{self.info.id_value:08x}: the overlay is not an nnfpga accelerator")
        version = self._reg("version")
        if version >> 16 != CONTRACT_MAJOR:
            raise BoardError(f"the accelerator speaks board contract {version >> 16}."
                             f"{version & 0xFFFF}; this driver speaks {CONTRACT_MAJOR}.x: use the "
                             f"driver of the same nnfpga version")
        base = self.info.registers["model_hash"]
        words = [int(self._ctrl.read(base + 4 * i)) & 0xFFFFFFFF for i in range(HASH_WORDS)]
        have = "".join(f"{w:08x}" for w in words)
        if have != self.info.model_sha256:
            raise BoardError(f"the bitstream holds the model with SHA-256 {have}, but "
                             f"{self.info.root / 'deploy.json'} is for {self.info.model_sha256}: "
                             f"the overlay was built from another model; load the deployment "
                             f"folder it came from or rebuild it")
        for side, layout in (("in_beats", self.info.input), ("out_beats", self.info.output)):
            beats = self._reg(side)
            if beats != layout.beats_per_sample:
                raise BoardError(f"{side.upper()} reads {beats}, deploy.json says "
                                 f"{layout.beats_per_sample} beats per sample")

    # --- conversion -------------------------------------------------------------------------

    def to_codes(self, X: Any) -> np.ndarray:
        """Input floats (N x input shape, or N x count) to codes, as the emulator casts them."""
        x = self._rows(np.asarray(X, dtype=np.float64), self.info.input, "X")
        return cast_array(x, self.info.input.fixed)

    def _rows(self, a: np.ndarray, s: StreamLayout, what: str) -> np.ndarray:
        if a.ndim >= 1 and a.shape[1:] == s.shape:
            return packing.raster_rows(a, s)
        if a.ndim == 2 and a.shape[1] == s.count:
            return a
        if a.shape == s.shape:
            return packing.raster_rows(a.reshape((1,) + s.shape), s)
        raise ValueError(f"{what} has shape {a.shape}; the accelerator's input '{s.name}' takes "
                         f"N x {list(s.shape)} (or N x {s.count} in raster order, channels "
                         f"last)")

    # --- running ----------------------------------------------------------------------------

    def predict(self, X: Any) -> np.ndarray:
        """Floats in (N x input shape), floats out (N x output shape), bit-exact to the
        emulator."""
        start = time.perf_counter()
        codes = self.to_codes(X)
        out = to_float(self._run(codes), self.info.output.fixed)
        self.timing.wall_us = (time.perf_counter() - start) * 1e6
        return out.reshape((codes.shape[0],) + self.info.output.shape)

    def predict_codes(self, codes: Any) -> np.ndarray:
        """Input codes (integers of the input type, N x shape or N x count) in, output codes
        (int64, N x output shape) out."""
        start = time.perf_counter()
        c = self._rows(np.asarray(codes), self.info.input, "codes")
        if not np.issubdtype(c.dtype, np.integer):
            raise ValueError(f"predict_codes takes integer codes, not {c.dtype}")
        t = self.info.input.fixed
        if c.size and (c.min() < t.min_code or c.max() > t.max_code):
            raise ValueError(f"input codes must lie in [{t.min_code}, {t.max_code}] (the "
                             f"{t.width}-bit input type); got [{c.min()}, {c.max()}]")
        out = self._run(c.astype(np.int64))
        self.timing.wall_us = (time.perf_counter() - start) * 1e6
        return out.reshape((c.shape[0],) + self.info.output.shape)

    def _buffers(self, n: int) -> None:
        """DMA buffers for n samples: allocated once, reallocated only for a larger batch."""
        if self._in_buffer is not None and self._in_buffer.shape[0] >= n:
            return
        for b in (self._in_buffer, self._out_buffer):
            if b is not None:
                b.freebuffer()
        i, o = self.info.input, self.info.output
        self._in_buffer = self._pynq.allocate(shape=(n, i.lanes_per_sample),
                                              dtype=packing.lane_dtype(i))
        self._out_buffer = self._pynq.allocate(shape=(n, o.lanes_per_sample),
                                               dtype=packing.lane_dtype(o))

    def _run(self, codes: np.ndarray) -> np.ndarray:
        n = codes.shape[0]
        if n == 0:
            return np.zeros((0, self.info.output.count), dtype=np.int64)
        per_sample = max(self.info.input.bytes_per_sample, self.info.output.bytes_per_sample)
        chunk = max(1, min(n, MAX_TRANSFER_BYTES // per_sample))
        self._buffers(chunk)
        outputs = []
        transfer_s = 0.0
        for first in range(0, n, chunk):
            part = codes[first:first + chunk]
            packing.pack(part, self.info.input, self._in_buffer)
            start = time.perf_counter()
            self._transfer(part.shape[0])
            transfer_s += time.perf_counter() - start
            outputs.append(packing.unpack(self._out_buffer, part.shape[0], self.info.output))
        cycles = self._reg("last_cycles")
        self.timing = Timing(samples=n, transfer_us=transfer_s * 1e6, accelerator_cycles=cycles,
                             accelerator_us=cycles / self.info.clock_mhz)
        return np.concatenate(outputs)

    def _transfer(self, n: int) -> None:
        """One batch through the DMA: S2MM armed first (the accelerator stalls its input when
        its output is not taken), then MM2S; both waited for."""
        if self._tlast_every != n:
            self._ctrl.write(self.info.registers["tlast_every"], n)
            self._tlast_every = n
        send, recv = self._dma.sendchannel, self._dma.recvchannel
        # Slices of a pynq buffer keep their physical address: only the batch's bytes move.
        recv.transfer(self._out_buffer[:n])
        send.transfer(self._in_buffer[:n])
        send.wait()
        recv.wait()

    def close(self) -> None:
        """Frees the DMA buffers."""
        for b in (self._in_buffer, self._out_buffer):
            if b is not None:
                b.freebuffer()
        self._in_buffer = self._out_buffer = None
