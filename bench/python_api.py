#!/usr/bin/env python3
"""Python API benchmark (issue: Python module). One run measures, side by side:

  1. time to the first prediction from a torch.nn.Module (an MLP and a small CNN):
     nnfpga.convert(module, ...) then predict on one sample, read through torch.fx (nnfpga's
     fast path) and through torch.onnx's TorchScript and dynamo exporters, with how long torch
     itself takes to export the module alone and each reader's time as a multiple of torch.fx's;
  2. predict throughput on 100,000 samples through the Python API against the C++ CLI
     (`nnfpga predict` on an .npy file, a fresh process), on all cores and on one thread.

The MLP is the core benchmark's 16 -> 64 -> 32 -> 32 -> 5 ReLU MLP at ap_fixed<16,6>. Every
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


def cnn():
    import torch
    from torch import nn

    torch.manual_seed(0)
    layers = [nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3),
              nn.BatchNorm2d(16), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(144, 10)]
    return nn.Sequential(*layers).eval()


READERS = ("fx", "torchscript", "dynamo")


def first_prediction(repeats):
    """Per model and reader: the median time from the module to its first prediction, torch's
    export alone, and each reader's time as a multiple of torch.fx's."""
    import torch

    import nnfpga

    cases = [("MLP 16-64-32-32-5", mlp(), torch.zeros(1, 16)),
             ("CNN 3x16x16", cnn(), torch.zeros(1, 3, 16, 16))]
    print("1. time to the first prediction from a torch.nn.Module: nnfpga.convert then predict "
          f"on one sample (median of {repeats}; the process already warm)")
    print(f"   {'model':<18} {'reader':<12} {'convert+predict':>16} {'torch export alone':>19} "
          f"{'x torch.fx':>11}")
    for label, module, example in cases:
        sample = example[0].numpy()
        fx_time = None
        for exporter in READERS:
            def convert_and_predict(exporter=exporter, module=module, example=example,
                                    sample=sample):
                with tempfile.TemporaryDirectory() as tmp:
                    model = nnfpga.convert(module, hls_config=CONFIG, example_input=example,
                                           exporter=exporter, output_dir=tmp)
                    model.predict(sample)
                    return model.reader

            def export_only(exporter=exporter, module=module, example=example):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if exporter == "dynamo":
                        torch.onnx.export(module, (example,), dynamo=True, verbose=False)
                    else:
                        torch.onnx.export(module, (example,), io.BytesIO(), dynamo=False)

            try:
                start = time.perf_counter()
                reader = convert_and_predict()
                cold = time.perf_counter() - start
            except nnfpga.Error as e:
                name = "torch.fx" if exporter == "fx" else exporter
                print(f"   {label:<18} {name:<12} refused: {str(e).splitlines()[0][:60]}")
                continue
            total = median_time(repeats, convert_and_predict)
            name = "torch.fx" if exporter == "fx" else exporter
            if exporter == "fx":
                fx_time = total
                export = f"{'(none)':>16}   "
                note = f"   first call in the process {cold * 1e3:.0f} ms"
            else:
                export = f"{median_time(repeats, export_only) * 1e3:>16.1f} ms"
                note = ""
            ratio = f"{total / fx_time:>10.1f}x" if fx_time else f"{'-':>11}"
            print(f"   {label:<18} {name:<12} {total * 1e3:>13.1f} ms {export} {ratio}{note}"
                  + ("" if reader in ("torch.fx", "torch.onnx.export") else f" ({reader})"))
    print()


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
