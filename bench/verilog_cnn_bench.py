#!/usr/bin/env python3
"""The benchmark CNN (bench/models/cnn_32x32x3.json, 6,410,240 multiply-accumulates an image) as a
streaming Verilog design with folded layers (issue 18 items 2 and 5; docs/verilog.md, "Folding").

For each set of reuse factors: the generation time of `nnfpga convert --backend verilog`, each
folded layer's multipliers and its interval bound (its output beats times R, or its input beats),
the design's interval and latency from rtl.json (the schedule's), the estimate against the
xc7z020's capacity (which resource binds, by how much), the time per image at 100 MHz beside the
published 27.3 ms / 7.64 ms / 1.51 ms, and the part's physical bound. Optionally
`nnfpga rtlsim` on a few images (the Verilator-measured interval) and `nnfpga rtlsynth` (Yosys),
each under a time limit.

Usage: python3 bench/verilog_cnn_bench.py [--rtlsim N] [--rtlsynth] [--keep DIR]
       (NNFPGA_BIN: the nnfpga executable, default build/nnfpga)
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODEL = ROOT / "bench/models/cnn_32x32x3.json"
TYPES = ROOT / "bench/models/cnn_32x32x3.yml"
MACS = 6_410_240
PART = {"lut": 53_200, "ff": 106_400, "dsp": 220, "bram18": 280}  # xc7z020
PUBLISHED_MS = [("HLS, one multiplier per layer", 27.3), ("HLS, wider reuse", 7.64),
                ("binarized", 1.51)]
TARGET_CYCLES = 25_000

# Per layer: (products of one output beat n_in * F, output beats, input beats). ReuseFactor must
# divide the products (the configuration's check, shared with HLS).
LAYERS = {
    "conv1": (3 * 32, 1024, 1024),
    "conv2": (512 * 4, 1024, 1024),
    "conv3": (64 * 32, 1024, 1024),
    "conv4": (512 * 32, 64, 1024),
    "conv5": (512 * 32, 64, 64),
    "dense": (2048 * 10, 1, 1),
}
CONFIGS = {
    # Every layer's interval at most 25,000 cycles, the fewest multipliers that reach it.
    "interval <= 25,000": {"conv1": 24, "conv2": 16, "conv3": 16, "conv4": 256, "conv5": 256,
                           "dense": 20480},
    # At most the part's 220 DSP48E1.
    "DSPs <= 220": {"conv1": 32, "conv2": 32, "conv3": 32, "conv4": 512, "conv5": 512,
                    "dense": 20480},
}


def nnfpga():
    return os.environ.get("NNFPGA_BIN", str(ROOT / "build/nnfpga"))


def write_config(path, reuse):
    lines = ["ClockPeriod: 10", "LayerName:"]
    lines += [f"  {name}: {{ReuseFactor: {r}}}" for name, r in reuse.items()]
    path.write_text("\n".join(lines) + "\n")


def estimate_total(text):
    m = re.search(r"^total\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", text, re.M)
    if not m:
        sys.exit("no estimate total in the output of nnfpga convert:\n" + text)
    bram = re.search(r"^block RAM: (\d+) BRAM18", text, re.M)  # printed when there is some
    return {"lut": int(m[1]), "ff": int(m[2]), "dsp": int(m[3]),
            "bram18": int(bram[1]) if bram else 0}


def run_limited(cmd, seconds):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds)
        return p.returncode, p.stdout + p.stderr, time.monotonic() - start
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - start


def bench(name, reuse, work, args):
    prj = work / re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    cfg = work / (prj.name + ".yml")
    write_config(cfg, reuse)
    start = time.monotonic()
    out = subprocess.run([nnfpga(), "convert", str(MODEL), "-c", str(TYPES), "-c", str(cfg),
                          "--backend", "verilog", "-o", str(prj)],
                         capture_output=True, text=True)
    seconds = time.monotonic() - start
    if out.returncode != 0:
        sys.exit(out.stdout + out.stderr)
    facts = json.loads((prj / "nnfpga/rtl.json").read_text())
    est = estimate_total(out.stdout)
    print(f"\n== {name} ({prj})")
    print(f"generation: {seconds:.2f} s")
    print(f"{'layer':8} {'R':>6} {'multipliers':>12} {'interval bound':>15}")
    for layer, r in reuse.items():
        products, outs, ins = LAYERS[layer]
        print(f"{layer:8} {r:6} {-(-products // r):12} {max(outs * r, ins):15,}")
    interval, latency = facts["interval_cycles"], facts["latency_cycles"]
    ms = interval * 10e-6
    print(f"interval {interval:,} cycles ({ms:.3f} ms at 100 MHz), latency {latency:,} cycles; "
          f"target {TARGET_CYCLES:,}: {'met' if interval <= TARGET_CYCLES else 'missed'}")
    for what, published in PUBLISHED_MS:
        print(f"  vs {what}: {published} ms -> {published / ms:.1f}x faster")
    print(f"{'':8} {'estimate':>10} {'xc7z020':>10} {'use':>8}")
    worst = max(("lut", "ff", "dsp", "bram18"), key=lambda k: est[k] / PART[k])
    for k in ("lut", "ff", "dsp", "bram18"):
        print(f"{k.upper():8} {est[k]:10,} {PART[k]:10,} {100 * est[k] / PART[k]:7.0f}%")
    if est[worst] > PART[worst]:
        print(f"does not fit: {worst.upper()} binds, {est[worst] / PART[worst]:.2f}x the part")
    else:
        print("fits the part by the estimate")
    if args.rtlsim:
        rc, text, sec = run_limited([nnfpga(), "rtlsim", str(prj), "-n", str(args.rtlsim)],
                                    args.limit)
        print(f"rtlsim -n {args.rtlsim}: " +
              ("timed out" if rc is None else f"exit {rc} in {sec:.0f} s") + "\n" + text.strip())
    if args.rtlsynth:
        rc, text, sec = run_limited([nnfpga(), "rtlsynth", str(prj)], args.limit)
        print("rtlsynth: " + ("timed out" if rc is None else f"exit {rc} in {sec:.0f} s") +
              "\n" + text.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rtlsim", type=int, default=0, help="images for nnfpga rtlsim (0: none)")
    ap.add_argument("--rtlsynth", action="store_true", help="also run nnfpga rtlsynth (Yosys)")
    ap.add_argument("--limit", type=int, default=1200, help="seconds per rtlsim/rtlsynth run")
    ap.add_argument("--keep", help="write the projects here instead of a temporary directory")
    args = ap.parse_args()
    dsp_bound = -(-MACS // PART["dsp"])
    print(f"{MACS:,} MACs an image; the xc7z020's {PART['dsp']} DSP48E1 at one MAC a cycle each "
          f"need at least {dsp_bound:,} cycles ({dsp_bound * 10e-6:.3f} ms at 100 MHz); "
          f"{TARGET_CYCLES:,} cycles need {-(-MACS // TARGET_CYCLES)} MACs a cycle")
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(args.keep) if args.keep else pathlib.Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name, reuse in CONFIGS.items():
            bench(name, reuse, work, args)


if __name__ == "__main__":
    main()
