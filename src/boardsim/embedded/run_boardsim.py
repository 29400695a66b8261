"""The Python half of `nnfpga boardsim`: the deployment folder's own driver against the
simulated board (the pynq stand-in beside this file), on inputs the nnfpga binary made.

Run by the binary as: python3 run_boardsim.py DEPLOY_DIR INPUTS.npy OUTPUTS.npy REPORT.json
with PYTHONPATH holding this folder (the stand-in pynq) first and DEPLOY_DIR/driver after it, and
NNFPGA_BOARDSIM_LIB naming the simulated board. The samples go through Accelerator.predict() in
batches of changing sizes, so that buffer reallocation and TLAST_EVERY changes are exercised;
the report holds the simulated cycles of each call.
"""

import json
import sys

import numpy as np
import pynq
from nnfpga_board import Accelerator

# Batch sizes in turn: a single sample (the round trip), growing and shrinking batches, and
# the rest in large batches (the streaming rate).
BATCHES = (1, 3, 64, 17, 256)
LARGE_BATCH = 512
CODES_SAMPLES = 50


def batches(total):
    first = 0
    for size in BATCHES:
        if first >= total:
            return
        yield first, min(size, total - first)
        first += size
    while first < total:
        yield first, min(LARGE_BATCH, total - first)
        first += LARGE_BATCH


def main(deploy_dir, inputs_path, outputs_path, report_path):
    if not getattr(pynq, "SIMULATED", False):
        sys.exit("run_boardsim.py needs the pynq stand-in first on PYTHONPATH, not the real pynq")
    x = np.load(inputs_path)
    acc = Accelerator(deploy_dir)
    outputs, calls = [], []
    for first, n in batches(x.shape[0]):
        before = pynq.boardsim_cycles()
        outputs.append(acc.predict(x[first:first + n]))
        dma = acc.overlay.ip_dict[acc.info.dma_ip]
        calls.append({"samples": n, "cycles": pynq.boardsim_cycles() - before,
                      "transfer_cycles": max(dma.sendchannel.last_transfer_cycles,
                                             dma.recvchannel.last_transfer_cycles),
                      "last_cycles": acc.timing.accelerator_cycles,
                      "wall_us": acc.timing.wall_us})
    np.save(outputs_path, np.concatenate(outputs).reshape(x.shape[0], -1))
    # predict_codes, the integer path, on the first samples: their codes as the driver casts them
    # in, output codes out (compared by the binary as code * 2^-F with the emulator's values).
    first = x[:CODES_SAMPLES]
    codes = acc.predict_codes(acc.to_codes(first)).reshape(first.shape[0], -1)
    np.save(outputs_path.replace(".npy", "_codes.npy"), codes.astype(np.float64))
    report = {"calls": calls, "beats": pynq.boardsim_beats(), "cycles": pynq.boardsim_cycles()}
    with open(report_path, "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
