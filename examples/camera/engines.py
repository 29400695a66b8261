"""The camera demo's classifiers, one interface: predict(X) -> logits for a batch of inputs given
as rows of SIDE * SIDE pixels in raster order (scenes.model_input); each engine shapes them as its
model takes them (the CNN: N x 12 x 12 x 1 for nnfpga, channels last, N x 1 x 12 x 12 for
onnxruntime; with one channel the same values in the same order).

- emulator: nnfpga's bit-exact emulator (the nnfpga Python module) of the model;
- board: the deployment folder's driver on a Pynq-Z2 (pynq and NumPy only; run on the board);
- boardsim: the same driver, unchanged, on the simulated board of `nnfpga boardsim`;
- onnxruntime: the float model on the CPU (the race's opponent).
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent


class Emulator:
    name = "emulator"

    def __init__(self, model: Path, config: Path) -> None:
        import nnfpga

        self.model = nnfpga.convert(str(model), hls_config=yaml.safe_load(config.read_text()),
                                    output_dir=str(Path(os.environ.get("TMPDIR", "/tmp")) /
                                                   f"nnfpga_camera_{model.stem}"))
        layers = self.model.layers
        self.shape = tuple((layers() if callable(layers) else layers)[0]["output_shape"])

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.model.predict(x.reshape((x.shape[0],) + self.shape), threads=1)


class Board:
    """The driver of `deploy` (deploy/driver/nnfpga_board) on the board's own pynq."""

    name = "board"

    def __init__(self, deploy: Path) -> None:
        sys.path.insert(0, str(deploy / "driver"))
        from nnfpga_board import Accelerator

        self.acc = Accelerator(deploy)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.acc.predict(x)

    def accelerator_us(self) -> float:
        """The last call's LAST_CYCLES at the fabric clock: the accelerator's own latency (under
        boardsim the wall time is the simulation's, this is the simulated hardware's)."""
        return self.acc.timing.accelerator_us


class BoardSim(Board):
    """The driver on the simulated board: `nnfpga boardsim` builds the board (the RTL behind
    the DMA model) and its pynq stand-in into deploy/boardsim once; this process loads them."""

    name = "boardsim"

    def __init__(self, deploy: Path, nnfpga_bin: str) -> None:
        sim = deploy / "boardsim"
        lib = sim / "obj" / "libnnfpga_board.so"
        if not lib.is_file():
            subprocess.run([nnfpga_bin, "boardsim", str(deploy), "-n", "100"], check=True)
        os.environ["NNFPGA_BOARDSIM_LIB"] = str(lib)
        sys.path.insert(0, str(sim))  # the stand-in pynq, found before any real one
        super().__init__(deploy)


class OnnxRuntime:
    name = "onnxruntime"

    def __init__(self, model: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = ort.InferenceSession(str(model), options,
                                            providers=["CPUExecutionProvider"])
        # The file's input shape without its (dynamic) batch: (144,) or (1, 12, 12).
        self.shape = tuple(int(d) for d in self.session.get_inputs()[0].shape[1:])

    def predict(self, x: np.ndarray) -> np.ndarray:
        rows = x.astype(np.float32).reshape((x.shape[0],) + self.shape)
        return self.session.run(None, {"x": rows})[0]


def make_engine(name: str, model: Path, config: Path, deploy: Path, nnfpga_bin: str) -> Any:
    if name == "emulator":
        return Emulator(model, config)
    if name == "board":
        return Board(deploy)
    if name == "boardsim":
        return BoardSim(deploy, nnfpga_bin)
    if name == "onnxruntime":
        return OnnxRuntime(model)
    raise ValueError(f"unknown engine '{name}': emulator, boardsim, board or onnxruntime")
