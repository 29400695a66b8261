#!/usr/bin/env python3
"""Verilog backend against da4ml (issue 7), side by side in one run.

The model is the 16 -> 64 -> 32 -> 32 -> 5 ReLU MLP with B-bit weights, biases, inputs and
activations (B = 8 and 6), made deterministically (seed 0):

  - weights and biases: B-bit codes, value = code * 2^-(B-1)  (ap_fixed<B,1>)
  - input: ap_fixed<B,3>  (da4ml: quantize(x, k=1, i=2, f=B-3))
  - each ReLU: ap_ufixed<B,I_l> with truncation and wrap-around (da4ml: relu(x, i=I_l, f=B-I_l)),
    I_l the fewest integer bits holding the layer's largest activation on 4096 calibration inputs
  - the sums exact (nnfpga: accum and result `auto`; da4ml's adders are exact)

Both tools get the same integers. nnfpga reads an ONNX file (Gemm, Relu) plus a configuration
that gives those types; da4ml traces the same arithmetic with its numpy front end
(FixedVariableArrayInput, quantize, @, relu; da4ml 0.6.0 has no ONNX reader, and HGQ2 is not
installed). For each B:

  1. generation: da4ml's trace + CMVM + RTLModel.write in this process (imports excluded), and
     `nnfpga convert --backend verilog` as a fresh process (reading the model included); the
     median of --repeats runs, wall and CPU time.
  2. latency in cycles: ours from nnfpga/rtl.json; da4ml's from its pipeline (its input and
     output are registered, so the cycles are its stages + 1). da4ml's pipelining cutoff is
     searched so that its latency equals ours where it can (--cutoff fixes it instead).
  3. both synthesized by `nnfpga rtlsynth` (the same Yosys synth_xilinx script; da4ml's project
     gets an nnfpga/rtl.json naming its files and top module `model`).
  4. the outputs of both on the same inputs: da4ml's CombLogic.predict against nnfpga predict.

Prints a table per B with the ratios ours/da4ml. Usage:
  python3 bench/verilog_vs_da4ml.py [--bits 8 6] [--repeats 5] [--keep DIR] [--no-synth]
                                   [--sizes 16 32 16] [--cutoff NS]
(--sizes: a smaller model synthesizes in about a minute, for trying a change; the issue's
figures are the default sizes)
(needs build/nnfpga, yosys and da4ml 0.6.0).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SIZES = [16, 64, 32, 32, 5]
SEED = 0
CALIBRATION = 4096


# ---------------------------------------------------------------------------------------------
# The quantized model, as integers.

def make_model(bits: int) -> dict:
    rng = np.random.default_rng(SEED)
    wscale = 2 ** (bits - 1)  # value = code / wscale: ap_fixed<B,1>
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    weights, biases = [], []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        # Glorot-like spread, so that a fair share of codes is neither 0 nor saturated.
        w = np.round(rng.normal(0.0, wscale / np.sqrt(n_in), (n_in, n_out)))
        b = np.round(rng.normal(0.0, wscale / 8, n_out))
        weights.append(np.clip(w, lo, hi) / wscale)
        biases.append(np.clip(b, lo, hi) / wscale)
    model = {"bits": bits, "in_frac": bits - 3, "weights": weights, "biases": biases}
    model["relu_int"] = calibrate_relu_bits(model, rng)
    return model


def input_grid(model: dict, n: int, rng) -> np.ndarray:
    """Inputs on the ap_fixed<B,3> grid, covering its whole range."""
    bits, f = model["bits"], model["in_frac"]
    codes = rng.integers(-(2 ** (bits - 1)), 2 ** (bits - 1), size=(n, SIZES[0]))
    return codes.astype(np.float64) / 2**f


def calibrate_relu_bits(model: dict, rng) -> list[int]:
    x = input_grid(model, CALIBRATION, rng)
    ints = []
    for layer in range(len(SIZES) - 2):
        x = x @ model["weights"][layer] + model["biases"][layer]
        x = np.maximum(x, 0)
        peak = float(x.max())
        ints.append(max(1, int(np.ceil(np.log2(peak + 1e-9)))))
        frac = model["bits"] - ints[-1]
        x = np.floor(x * 2**frac) / 2**frac % 2 ** ints[-1]
    return ints


def reference(model: dict, x: np.ndarray) -> np.ndarray:
    """The model in float64, exact for these types (no sum exceeds 2^53)."""
    for layer in range(len(SIZES) - 1):
        x = x @ model["weights"][layer] + model["biases"][layer]
        if layer < len(SIZES) - 2:
            i = model["relu_int"][layer]
            f = model["bits"] - i
            x = np.floor(np.maximum(x, 0) * 2**f) / 2**f % 2**i
    return x


# ---------------------------------------------------------------------------------------------
# nnfpga's input: ONNX + configuration.

def write_onnx(model: dict, path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    x = "x"
    for layer in range(len(SIZES) - 1):
        w = numpy_helper.from_array(model["weights"][layer].astype(np.float32), f"w{layer + 1}")
        b = numpy_helper.from_array(model["biases"][layer].astype(np.float32), f"b{layer + 1}")
        inits += [w, b]
        out = f"fc{layer + 1}_out"
        nodes.append(helper.make_node("Gemm", [x, w.name, b.name], [out], name=f"fc{layer + 1}"))
        x = out
        if layer < len(SIZES) - 2:
            out = f"relu{layer + 1}_out"
            nodes.append(helper.make_node("Relu", [x], [out], name=f"relu{layer + 1}"))
            x = out
    graph = helper.make_graph(
        nodes, "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, SIZES[0]])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, SIZES[-1]])], inits)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx_model.ir_version = 8
    onnx.save(onnx_model, path)


def nnfpga_config(model: dict) -> dict:
    bits = model["bits"]
    names = {"x": {"Precision": {"result": f"ap_fixed<{bits},3>"}}}
    for layer in range(len(SIZES) - 1):
        names[f"fc{layer + 1}"] = {"Precision": {
            "weight": f"ap_fixed<{bits},1>", "bias": f"ap_fixed<{bits},1>",
            "accum": "auto", "result": "auto"}}
        if layer < len(SIZES) - 2:
            i = model["relu_int"][layer]
            names[f"relu{layer + 1}"] = {"Precision": {"result": f"ap_ufixed<{bits},{i}>"}}
    return {"Model": {"Precision": f"ap_fixed<{bits},3>"}, "LayerName": names}


# ---------------------------------------------------------------------------------------------
# da4ml.

def da4ml_trace(model: dict):
    from da4ml.trace import FixedVariableArrayInput, HWConfig, comb_trace
    from da4ml.trace.ops import quantize, relu

    inp = FixedVariableArrayInput((SIZES[0],), HWConfig(1, -1, -1))
    x = quantize(inp, 1, 2, model["in_frac"])
    for layer in range(len(SIZES) - 1):
        x = x @ model["weights"][layer] + model["biases"][layer]
        if layer < len(SIZES) - 2:
            i = model["relu_int"][layer]
            x = relu(x, i=np.full(x.shape, i), f=np.full(x.shape, model["bits"] - i))
    return comb_trace(inp, x)


def da4ml_write(comb, cutoff: float, out: Path):
    from da4ml.codegen import RTLModel

    rtl = RTLModel(comb, "model", out, flavor="verilog", latency_cutoff=cutoff, clock_period=5.0,
                   print_latency=False)
    rtl.write()
    return rtl


def da4ml_cycles(comb, cutoff: float) -> int:
    from da4ml.trace import to_pipeline

    # Input and output registers around the stages (codegen/rtl/verilog/pipeline.py).
    return len(to_pipeline(comb, cutoff, verbose=False).solutions) + 1


def da4ml_cutoff_for(comb, cycles: int) -> float:
    """The smallest cutoff whose pipeline has `cycles` cycles; else the nearest below, else above."""
    best, best_gap = 5.0, None
    for cutoff in [c / 2 for c in range(2, 81)]:
        got = da4ml_cycles(comb, cutoff)
        gap = (got > cycles, abs(got - cycles))
        if best_gap is None or gap < best_gap:
            best, best_gap = cutoff, gap
        if got == cycles:
            return cutoff
    return best


def adapt_da4ml_project(prj: Path, cycles: int) -> None:
    """An nnfpga/rtl.json for da4ml's project, so that rtlsynth reads the same files Vivado
    would (build_vivado_prj.tcl: src/*.v and src/static/*.v), top `model`."""
    files = sorted(str(p.relative_to(prj)) for p in (prj / "src" / "static").glob("*.v"))
    files += sorted(str(p.relative_to(prj)) for p in (prj / "src").glob("*.v")
                    if not p.name.endswith("_wrapper.v"))  # the simulation wrapper
    (prj / "nnfpga").mkdir(exist_ok=True)
    (prj / "nnfpga" / "rtl.json").write_text(json.dumps(
        {"top": "model", "latency_cycles": cycles, "files": files}, indent=1))


# ---------------------------------------------------------------------------------------------
# Running things.

def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(repeats: int, work, cpu_clock):
    walls, cpus = [], []
    for _ in range(repeats):
        c0, t0 = cpu_clock(), time.perf_counter()
        work()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_clock() - c0)
    return statistics.median(walls), statistics.median(cpus)


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n"
                           f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done


def rtlsynth(nnfpga: str, prj: Path) -> dict:
    """`nnfpga rtlsynth`, unless a kept project (--keep) was synthesized from identical files."""
    import hashlib

    facts = (prj / "nnfpga" / "rtl.json").read_text()
    digest = hashlib.sha256(facts.encode())
    for f in json.loads(facts)["files"]:
        digest.update((prj / f).read_bytes())
    report, stamp = prj / "synth" / "yosys_report.json", prj / "synth" / "inputs.sha256"
    if report.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return json.loads(report.read_text())
    run([nnfpga, "rtlsynth", str(prj), "-o", str(report)])
    stamp.write_text(digest.hexdigest())
    return json.loads(report.read_text())


def nnfpga_predict(nnfpga: str, onnx_path: Path, config: Path, x: np.ndarray, tmp: Path):
    np.save(tmp / "x.npy", x)
    run([nnfpga, "predict", str(onnx_path), "-c", str(config), "-i", str(tmp / "x.npy"),
         "-o", str(tmp / "y.npy")])
    return np.load(tmp / "y.npy").reshape(len(x), -1)


# ---------------------------------------------------------------------------------------------
# One bit width.

def bench_bits(bits: int, args, work: Path) -> dict:
    model = make_model(bits)
    d = work / f"mlp_{bits}bit"
    d.mkdir(parents=True, exist_ok=True)
    onnx_path, config = d / "mlp.onnx", d / "config.json"
    write_onnx(model, onnx_path)
    config.write_text(json.dumps(nnfpga_config(model), indent=1))
    r: dict = {"bits": bits, "relu_int": model["relu_int"]}

    ours = d / "ours"
    convert = [args.nnfpga, "convert", str(onnx_path), "-c", str(config), "--backend", "verilog",
               "-o", str(ours)]
    probe = subprocess.run(convert, capture_output=True, text=True)
    r["ours_error"] = None if probe.returncode == 0 else (probe.stderr or probe.stdout).strip()
    if r["ours_error"] is None:
        r["ours_time"] = timed(args.repeats, lambda: run(convert), children_cpu)
        r["ours_cycles"] = json.loads((ours / "nnfpga" / "rtl.json").read_text())["latency_cycles"]

    comb = da4ml_trace(model)  # a first run, untimed: numba/JIT and caches warm up here
    cycles = r.get("ours_cycles")
    cutoff = args.cutoff if args.cutoff is not None else (
        da4ml_cutoff_for(comb, cycles) if cycles else 5.0)
    theirs = d / "da4ml"
    r["da4ml_cutoff"] = cutoff
    r["da4ml_time"] = timed(args.repeats, lambda: da4ml_write(da4ml_trace(model), cutoff, theirs),
                            self_cpu)
    r["da4ml_cycles"] = da4ml_cycles(comb, cutoff)
    adapt_da4ml_project(theirs, r["da4ml_cycles"])

    x = input_grid(model, 64, np.random.default_rng(SEED + 1))
    expected = reference(model, x)
    r["da4ml_mismatch"] = int(np.sum(comb.predict(x) != expected))
    if r["ours_error"] is None:
        r["ours_mismatch"] = int(np.sum(
            nnfpga_predict(args.nnfpga, onnx_path, config, x, d) != expected))

    if not args.no_synth:
        r["da4ml_synth"] = rtlsynth(args.nnfpga, theirs)
        if r["ours_error"] is None:
            r["ours_synth"] = rtlsynth(args.nnfpga, ours)
    return r


def ratio(a, b) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


def print_table(r: dict, repeats: int) -> None:
    ours_ok = r["ours_error"] is None
    os_, ts = r.get("ours_synth", {}), r.get("da4ml_synth", {})
    rows = []
    for key, label in (("lut", "LUT"), ("ff", "FF"), ("carry4", "CARRY4"), ("dsp", "DSP48E1"),
                       ("logic_depth", "logic depth")):
        rows.append((label, os_.get(key), ts.get(key)))
    rows.append(("latency (cycles)", r.get("ours_cycles"), r["da4ml_cycles"]))
    ow, oc = r.get("ours_time", (None, None))
    tw, tc = r["da4ml_time"]
    print(f"\n{r['bits']}-bit MLP {'-'.join(map(str, SIZES))} (ReLU integer bits {r['relu_int']}; "
          f"da4ml latency cutoff {r['da4ml_cutoff']})")
    print(f"  {'':<24} {'nnfpga':>10} {'da4ml':>10} {'ours/da4ml':>11}")
    for label, a, b in rows:
        print(f"  {label:<24} {'-' if a is None else a:>10} {'-' if b is None else b:>10} "
              f"{ratio(a, b):>11}")
    fmt = (lambda v: "-" if v is None else f"{v:.3f}")
    print(f"  {'generation wall (s)':<24} {fmt(ow):>10} {fmt(tw):>10} {ratio(ow, tw):>11}")
    print(f"  {'generation CPU (s)':<24} {fmt(oc):>10} {fmt(tc):>10} {ratio(oc, tc):>11}")
    if "estimate" in os_:
        est = os_["estimate"]
        print(f"  nnfpga's Verilog estimate: {est['lut']} LUTs "
              f"({ratio(est['lut'], os_['lut'])} of Yosys's), {est['latency_cycles']} cycles")
    print(f"  outputs differing from the exact model on 64 inputs: nnfpga "
          f"{r.get('ours_mismatch', '-')}, da4ml {r['da4ml_mismatch']}")
    print(f"  (generation: median of {repeats}; {ts.get('tool', 'Yosys not run')}, "
          f"{ts.get('flow', 'not run').replace(' -top model', '')})")
    if not ours_ok:
        print(f"  nnfpga convert --backend verilog failed: {r['ours_error'][:300]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bits", type=int, nargs="+", default=[8, 6])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cutoff", type=float, default=None,
                        help="da4ml's latency cutoff (default: matched to our latency)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the projects here")
    parser.add_argument("--no-synth", action="store_true", help="skip Yosys")
    parser.add_argument("--nnfpga", default=os.environ.get("NNFPGA_BIN",
                                                           str(REPO / "build" / "nnfpga")))
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES,
                        help="layer widths (default: the issue's 16 64 32 32 5); a smaller "
                             "model synthesizes in a minute, for trying changes")
    args = parser.parse_args()
    SIZES[:] = args.sizes

    import da4ml

    print(f"nnfpga Verilog backend vs da4ml {da4ml.__version__}, seed {SEED}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="nnfpga_vs_da4ml_"))
    results = [bench_bits(bits, args, work) for bits in args.bits]
    for r in results:
        print_table(r, args.repeats)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
