"""A stand-in for the few pynq calls nnfpga's board driver makes, backed by a simulated board.

`nnfpga boardsim` puts this package first on sys.path and runs the driver unchanged. Behind it is
board_model.cpp (Verilated RTL of the accelerator, a cycle-level AXI DMA, simulated DDR), loaded
with ctypes from the library named by NNFPGA_BOARDSIM_LIB. What the driver sees mirrors pynq:

- allocate(shape, dtype): an ndarray whose memory the simulated DMA reads and writes at the
  buffer's physical_address (a simulated DDR address; slices keep theirs, as PynqBuffer's do);
- Overlay(bitfile): the block design's cells by name, as the .hwh would list them (the names
  come from deploy.json beside the overlay folder): the accelerator's AXI4-Lite registers
  (read/write, each access a cycle-by-cycle AXI4-Lite handshake with the RTL) and the DMA
  (sendchannel/recvchannel with transfer/wait, driving the DMA's registers as pynq's simple-mode
  channel does; wait() lets simulated time pass until the channel's DMASR shows Idle).
"""

from __future__ import annotations

import ctypes
import json
import os
from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np

SIMULATED = True  # lets a caller tell this stand-in from the real pynq

_DMASR_BITS = {4: "DMAIntErr (a packet longer than the transfer, or LENGTH written while busy)",
               5: "DMASlvErr", 6: "DMADecErr (an address outside every allocated buffer)"}
# Simulated cycles a wait() may take before it reports a hang, as pynq's would time out
# (NNFPGA_BOARDSIM_WAIT_CYCLES overrides it: the tests provoke hangs and need not wait long).
WAIT_LIMIT_CYCLES = int(os.environ.get("NNFPGA_BOARDSIM_WAIT_CYCLES", "50000000"))


class _Library:
    """The simulated board: one instance of board_model.cpp's Board."""

    def __init__(self, path: str) -> None:
        lib = ctypes.CDLL(path)
        u32, u64, vp = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_void_p
        lib.nnfpga_board_open.restype = vp
        lib.nnfpga_board_close.argtypes = [vp]
        lib.nnfpga_board_beat_bits.restype = ctypes.c_int
        lib.nnfpga_board_map.argtypes = [vp, u64, vp, u64]
        lib.nnfpga_board_unmap.argtypes = [vp, u64]
        lib.nnfpga_board_dma_read.argtypes = [vp, u32]
        lib.nnfpga_board_dma_read.restype = u32
        lib.nnfpga_board_dma_write.argtypes = [vp, u32, u32]
        lib.nnfpga_board_ctrl_read.argtypes = [vp, u32, ctypes.POINTER(u32)]
        lib.nnfpga_board_ctrl_write.argtypes = [vp, u32, u32]
        lib.nnfpga_board_wait.argtypes = [vp, u32, u64]
        lib.nnfpga_board_advance.argtypes = [vp, u64]
        lib.nnfpga_board_cycles.argtypes = [vp]
        lib.nnfpga_board_cycles.restype = u64
        lib.nnfpga_board_beats.argtypes = [vp, ctypes.c_int]
        lib.nnfpga_board_beats.restype = u64
        self.lib = lib
        self.handle = lib.nnfpga_board_open()
        self.next_address = 0x1800_0000  # where the stand-in's CMA region starts

    def cycles(self) -> int:
        return int(self.lib.nnfpga_board_cycles(self.handle))


_board: Optional[_Library] = None


def _the_board() -> _Library:
    global _board
    if _board is None:
        path = os.environ.get("NNFPGA_BOARDSIM_LIB")
        if not path:
            raise RuntimeError("the pynq stand-in runs under 'nnfpga boardsim', which sets "
                               "NNFPGA_BOARDSIM_LIB to the simulated board's library")
        _board = _Library(path)
    return _board


def boardsim_cycles() -> int:
    """Clock cycles simulated since the board's reset."""
    return _the_board().cycles()


def boardsim_beats() -> Dict[str, int]:
    """Stream beats the DMA has moved since reset, per direction."""
    b = _the_board()
    return {"mm2s": int(b.lib.nnfpga_board_beats(b.handle, 0)),
            "s2mm": int(b.lib.nnfpga_board_beats(b.handle, 1))}


class PynqBuffer(np.ndarray):
    """An ndarray in simulated DDR, with pynq's physical_address, flush and invalidate."""

    def __array_finalize__(self, obj: Any) -> None:
        base = getattr(obj, "device_address", None)
        if base is None:
            self.device_address = None
            return
        self.device_address = base + (self.__array_interface__["data"][0] -
                                      obj.__array_interface__["data"][0])
        self._mapped_at = getattr(obj, "_mapped_at", None)

    @property
    def physical_address(self) -> int:
        return self.device_address

    def flush(self) -> None:  # the simulated DMA reads host memory: nothing is cached
        pass

    def invalidate(self) -> None:
        pass

    def freebuffer(self) -> None:
        mapped = getattr(self, "_mapped_at", None)
        if mapped is not None and mapped == self.device_address and _board is not None:
            _board.lib.nnfpga_board_unmap(_board.handle, mapped)
            self._mapped_at = None

    def close(self) -> None:
        self.freebuffer()


def allocate(shape: Any, dtype: Any = "u4", target: Any = None, **kwargs: Any) -> PynqBuffer:
    """A zeroed buffer the simulated DMA can reach, 4 KiB aligned like a CMA allocation."""
    board = _the_board()
    host = np.zeros(shape, dtype=dtype)
    buffer = host.view(PynqBuffer)
    address = board.next_address
    board.next_address += (host.nbytes + 0xFFF) & ~0xFFF or 0x1000
    buffer.device_address = address
    buffer._mapped_at = address
    buffer._host = host  # keeps the memory alive while the buffer is
    board.lib.nnfpga_board_map(board.handle, address, host.ctypes.data, host.nbytes)
    return buffer


class _Registers:
    """The accelerator's AXI4-Lite slave, as pynq's DefaultIP reads and writes it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def read(self, offset: int = 0) -> int:
        b = _the_board()
        value = ctypes.c_uint32(0)
        status = b.lib.nnfpga_board_ctrl_read(b.handle, offset, ctypes.byref(value))
        self._check(status, f"read of 0x{offset:02x}")
        return int(value.value)

    def write(self, offset: int, value: int) -> None:
        b = _the_board()
        self._check(b.lib.nnfpga_board_ctrl_write(b.handle, offset, int(value) & 0xFFFFFFFF),
                    f"write of 0x{offset:02x}")

    def _check(self, status: int, what: str) -> None:
        if status == 1:
            raise RuntimeError(f"{self.name}: the AXI4-Lite {what} got no response (the RTL "
                               f"never raised its ready/valid)")
        if status == 2:
            raise RuntimeError(f"{self.name}: the AXI4-Lite {what} got an error response")


class _DmaChannel:
    """One simple-mode AXI DMA channel driven through its registers, as pynq's is."""

    def __init__(self, offset: int, name: str) -> None:
        self._offset = offset
        self._name = name
        self.last_transfer_cycles = 0
        self._started_at = 0
        self.start()

    def _read(self, reg: int) -> int:
        b = _the_board()
        return int(b.lib.nnfpga_board_dma_read(b.handle, self._offset + reg))

    def _write(self, reg: int, value: int) -> None:
        b = _the_board()
        b.lib.nnfpga_board_dma_write(b.handle, self._offset + reg, value & 0xFFFFFFFF)

    @property
    def running(self) -> bool:
        return self._read(0x04) & 0x1 == 0

    @property
    def idle(self) -> bool:
        return self._read(0x04) & 0x2 == 0x2

    def start(self) -> None:
        self._write(0x00, 0x1)
        self._first_transfer = True

    def stop(self) -> None:
        self._write(0x00, 0x0)

    def transfer(self, array: Any, start: int = 0, nbytes: int = 0) -> None:
        if not self.running:
            raise RuntimeError(f"DMA {self._name} channel not started")
        if not self.idle and not self._first_transfer:
            raise RuntimeError(f"DMA {self._name} channel not idle")
        nbytes = nbytes or array.nbytes - start
        address = array.physical_address + start
        self._write(0x18, address)
        self._write(0x1C, address >> 32)
        self._started_at = _the_board().cycles()
        self._write(0x28, nbytes)
        self._first_transfer = False

    def wait(self) -> None:
        b = _the_board()
        status = b.lib.nnfpga_board_wait(b.handle, self._offset + 0x04, WAIT_LIMIT_CYCLES)
        self.last_transfer_cycles = b.cycles() - self._started_at
        if status == 2:
            raise RuntimeError(f"DMA {self._name} wait timed out: not idle after "
                               f"{WAIT_LIMIT_CYCLES} simulated cycles (the stream stalled)")
        if status == 1:
            dmasr = self._read(0x04)
            errors = [text for bit, text in _DMASR_BITS.items() if dmasr >> bit & 1]
            raise RuntimeError(f"DMA {self._name} halted with DMASR 0x{dmasr:08x}: "
                               f"{'; '.join(errors) or 'stopped'}")


class _Dma:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sendchannel = _DmaChannel(0x00, f"{name} MM2S")
        self.recvchannel = _DmaChannel(0x30, f"{name} S2MM")


class Overlay:
    """The simulated board's block design. No bitstream is read: the cells are the accelerator's
    RTL and the DMA model, named as deploy.json (beside the overlay folder) names them."""

    def __init__(self, bitfile_name: str, download: bool = True, **kwargs: Any) -> None:
        deploy = Path(bitfile_name).resolve().parent.parent / "deploy.json"
        facts = json.loads(deploy.read_text())
        _the_board()
        self.bitfile_name = bitfile_name
        self.ip_dict = {facts["control"]["ip"]: _Registers(facts["control"]["ip"]),
                        facts["dma"]["ip"]: _Dma(facts["dma"]["ip"])}

    def __getattr__(self, name: str) -> Any:
        ips = self.__dict__.get("ip_dict", {})
        if name in ips:
            return ips[name]
        raise AttributeError(f"the overlay has no IP named '{name}'")
