"""The written project's C simulation as a loaded library (``ModelGraph.compile``).

The project's ``firmware/<top>_bridge.cpp`` exports C functions around the top function;
``nnfpga._core.build_csim_library`` compiles it with the firmware into a shared library, which
is loaded here with ctypes.
"""

from __future__ import annotations

import ctypes
import shutil
import tempfile
from pathlib import Path
from typing import List

import numpy as np

from . import _core
from .errors import InputError, InternalError

_HEADERS = ("nnfpga", "amd")


class CsimLibrary:
    """The compiled C simulation of one project."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # dlopen returns an already loaded library for a path it has seen, so a project compiled
        # again in the same session is loaded from a fresh copy.
        self._dir = tempfile.TemporaryDirectory(prefix="nnfpga-csim-")
        loaded = Path(self._dir.name) / self.path.name
        shutil.copyfile(self.path, loaded)
        self._lib = ctypes.CDLL(str(loaded))
        self._lib.nnfpga_bridge_predict.argtypes = [
            ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double), ctypes.c_long]
        self._lib.nnfpga_bridge_predict.restype = ctypes.c_int
        self._lib.nnfpga_bridge_input_size.restype = ctypes.c_long
        self._lib.nnfpga_bridge_output_size.restype = ctypes.c_long
        self.input_size = int(self._lib.nnfpga_bridge_input_size())
        self.output_size = int(self._lib.nnfpga_bridge_output_size())

    @classmethod
    def build(cls, project_dir: Path, headers: str) -> "CsimLibrary":
        if headers not in _HEADERS:
            raise InputError(f"unknown headers '{headers}': use 'nnfpga' or 'amd'")
        return cls(Path(_core.build_csim_library(str(project_dir), amd_headers=headers == "amd")))

    def run_rows(self, rows: np.ndarray) -> np.ndarray:
        """Samples x input_size in, samples x output_size out."""
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != self.input_size:
            raise InputError(
                f"the C simulation takes {self.input_size} values per sample, got shape "
                f"{rows.shape}")
        out = np.empty((rows.shape[0], self.output_size), dtype=np.float64)
        status = self._lib.nnfpga_bridge_predict(
            rows.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), rows.shape[0])
        if status != 0:
            raise InternalError(f"the C simulation library {self.path} returned {status}")
        return out

    def predict(self, arrays: List[np.ndarray]) -> np.ndarray:
        """Per-input arrays (batch first) in; samples x (all outputs' values) out, for the
        caller to split by the output shapes (split_rows)."""
        batch = arrays[0].shape[0]
        return self.run_rows(np.concatenate([a.reshape(batch, -1) for a in arrays], axis=1))

    def check_against(self, emulator: _core.Emulator, graph: _core.Graph,
                      rows: np.ndarray) -> None:
        """Raises InternalError unless the library's outputs equal the emulator's bit for bit
        on ``rows`` (samples x input_size)."""
        got = self.run_rows(rows)
        arrays = split_rows(rows, [graph.shape_of(n) for n in graph.inputs])
        outputs, _, _ = emulator.run(arrays)
        want = np.concatenate([o.reshape(rows.shape[0], -1) for o in outputs], axis=1)
        differ = got.view(np.int64) != want.view(np.int64)
        if differ.any():
            sample, column = np.argwhere(differ)[0]
            raise InternalError(
                f"the C simulation of {self.path.name} differs from the emulator on "
                f"{int(differ.sum())} of {differ.size} outputs; first at sample {sample}, "
                f"output value {column}: {got[sample, column]!r} vs {want[sample, column]!r}")


def split_rows(rows: np.ndarray, shapes: List[List[int]]) -> List[np.ndarray]:
    """Samples x (all tensors' values) into one array per tensor of the given shapes."""
    out, offset = [], 0
    for shape in shapes:
        size = int(np.prod(shape)) if shape else 1
        out.append(np.ascontiguousarray(rows[:, offset:offset + size]).reshape(-1, *shape))
        offset += size
    return out
