#!/usr/bin/env python3
"""Python API benchmark (issue: Python module). One run measures, side by side:

  1. time to the first prediction from a torch.nn.Module: nnfpga.convert(module, ...) then
     predict on one sample, with torch.onnx's dynamo and TorchScript exporters, and for reference
     how long torch itself takes to export the module alone;
  2. predict throughput on 100,000 samples through the Python API against the C++ CLI
     (`nnfpga predict` on an .npy file, a fresh process), on all cores and on one thread.

The model is the core benchmark's 16 -> 64 -> 32 -> 32 -> 5 ReLU MLP at ap_fixed<16,6>. Every
figure is the median of repeats; the comparison is printed as ratios, and throughput also per
CPU-second, since absolute times on a shared machine are noisy.

Usage: python3 bench/python_api.py [--repeats N]   (needs the installed package and build/nnfpga)
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SAMPLES = 100_000
CONFIG = {"Model": {"Precision": "ap_fixed<16,6>"}}


def mlp():
    import torch

    torch.manual_seed(0)
    layers = [torch.nn.Linear(16, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(),
              torch.nn.Linear(32, 32), torch.nn.ReLU(), torch.nn.Linear(32, 5)]
    return torch.nn.Sequential(*layers).eval()


def median_time(repeats, work):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def median_wall_and_cpu(repeats, work, cpu_clock):
    walls, cpus = [], []
    for _ in range(repeats):
        c0, t0 = cpu_clock(), time.perf_counter()
        work()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_clock() - c0)
    return statistics.median(walls), statistics.median(cpus)


def first_prediction(repeats):
    import torch

    import nnfpga

    module = mlp()
    example = torch.zeros(1, 16)
    sample = np.zeros(16)
    rows = []
    for exporter in ("torchscript", "dynamo"):
        def convert_and_predict(exporter=exporter):
            with tempfile.TemporaryDirectory() as tmp:
                model = nnfpga.convert(module, hls_config=CONFIG, example_input=example,
                                       exporter=exporter, output_dir=tmp)
                model.predict(sample)

        def export_only(exporter=exporter):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if exporter == "dynamo":
                    torch.onnx.export(module, (example,), dynamo=True, verbose=False)
                else:
                    torch.onnx.export(module, (example,), io.BytesIO(), dynamo=False)

        convert_and_predict()  # first call: imports and exporter set-up are not the model's
        total = median_time(repeats, convert_and_predict)
        export = median_time(repeats, export_only)
        rows.append((exporter, total, export))
    print("1. time to the first prediction from a torch.nn.Module (median of "
          f"{repeats}; the process already warm)")
    print(f"   {'exporter':<12} {'convert+predict':>16} {'torch export alone':>19} "
          f"{'nnfpga share':>13}")
    for exporter, total, export in rows:
        print(f"   {exporter:<12} {total * 1e3:>13.1f} ms {export * 1e3:>16.1f} ms "
              f"{(total - export) / total:>12.1%}")
    ts, dyn = rows[0][1], rows[1][1]
    print(f"   ratio dynamo / torchscript: {dyn / ts:.1f}x\n")


def throughput(repeats, nnfpga_bin):
    import nnfpga

    model = nnfpga.convert(REPO / "bench" / "models" / "mlp_16_64_32_32_5.onnx",
                           hls_config=CONFIG, output_dir=tempfile.mkdtemp())
    x = np.random.default_rng(0).uniform(-4, 4, size=(SAMPLES, 16))
    with tempfile.TemporaryDirectory() as tmp:
        xin, yout = Path(tmp) / "x.npy", Path(tmp) / "y.npy"
        np.save(xin, x)
        print(f"2. predict on {SAMPLES:,} samples: Python API vs the C++ CLI (median of "
              f"{repeats})")
        print(f"   {'threads':<8} {'python':>10} {'CLI':>10} {'CLI/python':>11} "
              f"{'python/CPU-s':>14} {'CLI/CPU-s':>12}")
        for threads in (0, 1):
            py_wall, py_cpu = median_wall_and_cpu(
                repeats, lambda: model.predict(x, threads=threads), time.process_time)
            command = [nnfpga_bin, "predict", str(REPO / "bench/models/mlp_16_64_32_32_5.onnx"),
                       "--set", "Model.Precision=ap_fixed<16,6>", "-i", str(xin), "-o",
                       str(yout), "--dtype", "float64", "--threads", str(threads)]
            cli_wall, cli_cpu = median_wall_and_cpu(
                repeats, lambda: subprocess.run(command, check=True), children_cpu)
            same = np.array_equal(np.load(yout), model.predict(x))
            label = "all" if threads == 0 else str(threads)
            print(f"   {label:<8} {py_wall * 1e3:>7.1f} ms {cli_wall * 1e3:>7.1f} ms "
                  f"{cli_wall / py_wall:>10.2f}x {SAMPLES / py_cpu / 1e6:>10.2f} M/s "
                  f"{SAMPLES / cli_cpu / 1e6:>8.2f} M/s"
                  + ("" if same else "   OUTPUTS DIFFER"))
            if not same:
                sys.exit("the Python API and the CLI disagree")
        print("   (CLI/python > 1: the Python API is faster; the CLI also reads and writes .npy "
              "and starts a process)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--nnfpga", default=os.environ.get("NNFPGA_BIN",
                                                           str(REPO / "build" / "nnfpga")))
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "torch")
    first_prediction(args.repeats)
    throughput(args.repeats, args.nnfpga)


if __name__ == "__main__":
    main()
