#!/usr/bin/env python3
"""Build the QAT test fixtures with the real frameworks: QONNX models exported by Brevitas
(tests/fixtures/qonnx/), HGQ2 models (tests/fixtures/hgq2/) and float Keras 3 models
(tests/fixtures/keras3/), each with seeded inputs, the framework's outputs and a MANIFEST.json.

Run it through tools/make_qat_fixtures.sh, which creates build/venv-qat with the pinned
versions. `python tools/make_qat_fixtures.py [qonnx] [hgq2] [keras3] [keras3_cnn] [hgq2_cnn]` builds only those.
Deterministic: fixed seeds, one thread, and files are only rewritten when their bytes change.
"""

import os
import sys
import warnings
from pathlib import Path

# Keras 3 picks its backend at import time; HGQ2 and the float models run on PyTorch.
os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, str(Path(__file__).resolve().parent))
# Noise that says nothing about the fixtures: Brevitas' optional Hadamard kernels, and Keras
# preferring a list to a bare tensor as a one-input functional model's input.
warnings.filterwarnings("ignore", message="fast_hadamard_transform")
warnings.filterwarnings("ignore", message="The structure of `inputs`")

from qat_fixtures import common

PARTS = ("qonnx", "hgq2", "keras3", "keras3_cnn", "hgq2_cnn")


def main(argv):
    parts = argv or list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        sys.exit(f"unknown part(s) {unknown}; choose from {PARTS}")
    import torch
    torch.set_num_threads(1)
    for part in parts:
        print(f"{part}:")
        if part == "qonnx":
            from qat_fixtures import qonnx_fixtures as mod
        elif part == "hgq2":
            from qat_fixtures import hgq2_fixtures as mod
        elif part == "hgq2_cnn":
            from qat_fixtures import hgq2_cnn_fixtures as mod
        elif part == "keras3":
            from qat_fixtures import keras3_fixtures as mod
        else:
            from qat_fixtures import keras3_cnn_fixtures as mod
        mod.make()
    print("written:")
    common.summary()


if __name__ == "__main__":
    main(sys.argv[1:])
