"""nnfpga's CMVM optimizer against da4ml's solver (da4ml.cmvm.solve), on the same matrices.

Runs build/bench/cmvm_bench --json (or the binary given as the first argument), which writes the
four weight matrices of the 16->64->32->32->5 MLP at 8 and 6 bits with nnfpga's results, then
solves each matrix with da4ml at the minimal delay (hard_dc=0) and unconstrained (hard_dc=-1,
its default), and prints adders, adder bits and depth of both, and the ratios ours / da4ml.

Adder bits are counted the same way on both sides: the sum over adders of the two's-complement
width of the adder's exact value range (inputs int8), in units of its least significant bit.
da4ml's own interval estimates are not used: each adder's value is recomputed as an exact linear
form of the inputs.
"""

import json
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from da4ml.cmvm import solve

ROOT = Path(__file__).resolve().parent.parent


def bits_for(lo: int, hi: int) -> int:
    if lo >= 0:
        return int(hi).bit_length()
    return 1 + max(~lo, hi).bit_length()


def exact_width(coefs: list[Fraction], lo: int, hi: int) -> int:
    """Width of sum_i coefs[i] * x[i] for x[i] in [lo, hi], counted from its lowest live bit."""
    nonzero = [c for c in coefs if c != 0]
    if not nonzero:
        return 0
    step = min(Fraction(abs(c.numerator) & -abs(c.numerator), c.denominator) for c in nonzero)
    vmin = sum(min(c * lo, c * hi) for c in nonzero) / step
    vmax = sum(max(c * lo, c * hi) for c in nonzero) / step
    return bits_for(int(vmin), int(vmax))


def da4ml_figures(pipeline, n_in: int, lo: int, hi: int) -> tuple[int, int, int]:
    """Adders, exact adder bits, and maximal output depth of a da4ml pipeline."""
    unit = [[Fraction(int(i == k)) for k in range(n_in)] for i in range(n_in)]
    stage_in, adders, bits = unit, 0, 0
    for sol in pipeline.solutions:
        buf: list[list[Fraction]] = []
        for op in sol.ops:
            if op.opcode == -1:
                scale = Fraction(2) ** sol.inp_shifts[op.id0]
                buf.append([c * scale for c in stage_in[op.id0]])
            elif op.opcode in (0, 1):
                sign = -1 if op.opcode == 1 else 1
                scale = sign * Fraction(2) ** op.data
                buf.append([a + b * scale for a, b in zip(buf[op.id0], buf[op.id1])])
                adders += 1
                bits += exact_width(buf[-1], lo, hi)
            else:
                raise ValueError(f"unexpected da4ml opcode {op.opcode}")
        outs = []
        for idx, shift, neg in zip(sol.out_idxs, sol.out_shifts, sol.out_negs):
            scale = (-1 if neg else 1) * Fraction(2) ** shift
            outs.append([c * scale for c in buf[idx]] if idx >= 0 else [Fraction(0)] * n_in)
        stage_in = outs
    return adders, bits, int(pipeline.latency[1])


def main() -> None:
    binary = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build/bench/cmvm_bench"
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "cmvm.json"
        subprocess.run([str(binary), "--json", str(dump)], check=True, stdout=subprocess.DEVNULL)
        entries = json.loads(dump.read_text())

    print("nnfpga optimize_cmvm against da4ml.cmvm.solve on the same matrices (inputs int8)")
    print("ratios are ours / da4ml; depth = maximal adder depth of an output; time is CPU time,")
    print("da4ml's of one run, ours the median of 3")
    head = f"{'w':>2} {'layer':>6} {'dc':>3} | {'da4ml add':>9} {'bits':>6} {'depth':>5} | "
    head += f"{'ours add':>8} {'bits':>6} {'depth':>5} | {'adders':>6} {'bits':>6} {'time':>6}"
    print(head)
    totals: dict[int, list[int]] = {}
    for e in entries:
        w = np.array(e["matrix"], dtype=np.float32)
        lo, hi = e["input_range"]
        for dc in (0, -1):
            start = time.process_time()
            p = solve(w, hard_dc=dc, qintervals=[(float(lo), float(hi), 1.0)] * w.shape[0])
            seconds = time.process_time() - start
            assert np.array_equal(p.kernel, w), "da4ml solution does not reproduce the matrix"
            adders, bits, depth = da4ml_figures(p, w.shape[0], lo, hi)
            ours = e["ours"][str(dc)]
            t = totals.setdefault(dc, [0, 0, 0, 0])
            t[0] += adders
            t[1] += bits
            t[2] += ours["adders"]
            t[3] += ours["bits"]
            layer = f"{w.shape[0]}x{w.shape[1]}"
            print(
                f"{e['bits']:>2} {layer:>6} {dc:>3} | {adders:>9} {bits:>6} {depth:>5} | "
                f"{ours['adders']:>8} {ours['bits']:>6} {ours['depth']:>5} | "
                f"{ours['adders'] / adders:>6.3f} {ours['bits'] / bits:>6.3f} "
                f"{ours['seconds'] / seconds:>6.3f}"
            )
    for dc, (a, b, oa, ob) in totals.items():
        print(
            f"all matrices, dc {dc:>2}: adders ours/da4ml {oa / a:.3f}, adder bits ours/da4ml {ob / b:.3f}"
        )


if __name__ == "__main__":
    main()
