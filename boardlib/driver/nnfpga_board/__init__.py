"""nnfpga_board: run an nnfpga accelerator on a Zynq board (Pynq-Z2, KV260, ZCU104).

Needs pynq and NumPy only, on the board's own Python (3.8+)::

    from nnfpga_board import Accelerator
    acc = Accelerator("deploy")        # the folder nnfpga convert --board wrote, built by Vivado
    y = acc.predict(X)                 # floats in and out, bit-exact to nnfpga's emulator
    print(acc.timing)                  # end-to-end and the accelerator's own cycle count

docs/board.md describes the folder, the packing of samples into stream beats and the registers.
"""

from .accelerator import Accelerator, BoardError, Timing
from .deploy_info import DeployError, DeployInfo, StreamLayout, read_deploy
from .fixed_cast import FixedFormat, cast_array, cast_scalar, to_float

__all__ = ["Accelerator", "BoardError", "DeployError", "DeployInfo", "FixedFormat", "StreamLayout",
           "Timing", "cast_array", "cast_scalar", "read_deploy", "to_float"]
