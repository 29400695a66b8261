#!/usr/bin/env python3
"""The CNN benchmark against hls4ml (issue 16 item 7). One run measures, side by side:

  - nnfpga's emulator on bench/models/cnn_32x32x3.json with the types of cnn_32x32x3.yml, through
    build/bench/cnn_bench --tsv (images/s on one thread and per CPU-second, MAC/s,
    the fast path checked against the general path there);
  - hls4ml 1.3's compiled C simulation (Vivado backend, io_stream) of the same Keras 3 model with
    the same types: images/s of `predict` on one thread (it runs in this process) and per
    CPU-second;
  - agreement: nnfpga's `predict` (the CLI) and hls4ml's `predict` on the same images, value for
    value.

Every time is the median of repeats; the comparison is printed as ratios. hls4ml's project is
written and compiled into a temporary folder (or --keep DIR); the compile takes a few minutes.

Usage: python3 bench/cnn_vs_hls4ml.py [--images N] [--repeats R] [--keep DIR]
       (needs build/nnfpga and build/bench/cnn_bench, or --nnfpga / --bench)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench" / "models"))
import make_cnn_bench as cnn  # noqa: E402

MODEL = REPO / "bench" / "models" / f"{cnn.NAME}.json"
CONFIG = REPO / "bench" / "models" / f"{cnn.NAME}.yml"
TARGET_RATIO = 200.0


def images(n: int, seed: int) -> np.ndarray:
    """Random images on the input grid (ap_ufixed<8,0>: k/256), so both sides read them exactly."""
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 256, (n,) + cnn.INPUT_SHAPE) / 256).astype(np.float64)


def median_times(repeats: int, work) -> tuple[float, float]:
    """Median wall and process-CPU seconds of `work` over repeats."""
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def hls4ml_model(out_dir: Path):
    import hls4ml

    model = cnn.keras_model(json.loads(MODEL.read_text()))
    config = hls4ml.utils.config_from_keras_model(model, granularity="name", backend="Vivado")
    for layer, keys in cnn.layer_types().items():
        if layer in config["LayerName"]:
            config["LayerName"][layer]["Precision"] = dict(keys)
    hls_model = hls4ml.converters.convert_from_keras_model(
        model, hls_config=config, output_dir=str(out_dir), io_type="io_stream", backend="Vivado")
    return model, hls_model


def nnfpga_figures(bench: str) -> dict[str, float]:
    out = subprocess.run([bench, "--tsv", str(MODEL), str(CONFIG)], check=True,
                         capture_output=True, text=True).stdout
    return {k: float(v) for k, v in (line.split("\t") for line in out.splitlines() if "\t" in line)}


def nnfpga_predict(nnfpga: str, x: np.ndarray, work: Path) -> np.ndarray:
    np.save(work / "x.npy", x)
    subprocess.run([nnfpga, "predict", str(MODEL), "-c", str(CONFIG), "-i", str(work / "x.npy"),
                    "-o", str(work / "y.npy"), "--dtype", "float64", "--threads", "1"],
                   check=True)
    return np.load(work / "y.npy")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=20, help="images per hls4ml predict call")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write hls4ml's project here and keep it")
    ap.add_argument("--nnfpga", default=os.environ.get("NNFPGA_BIN", str(REPO / "build/nnfpga")))
    ap.add_argument("--bench", default=str(REPO / "build/bench/cnn_bench"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out_dir = args.keep or work / "hls4ml_prj"
        t0 = time.perf_counter()
        _, hls_model = hls4ml_model(out_dir)
        hls_model.compile()
        compile_s = time.perf_counter() - t0

        x = images(args.images, seed=1)
        y_hls = np.asarray(hls_model.predict(x), dtype=np.float64).reshape(len(x), -1)
        wall, cpu = median_times(args.repeats, lambda: hls_model.predict(x))
        hls_rate, hls_cpu_rate = len(x) / wall, len(x) / cpu

        y_ours = nnfpga_predict(args.nnfpga, x, work).reshape(len(x), -1)
        ours = nnfpga_figures(args.bench)

    differ = int(np.count_nonzero(y_ours != y_hls))
    macs = cnn.macs()
    print(f"CNN benchmark: nnfpga's emulator against hls4ml 1.3's C simulation (io_stream), "
          f"{cnn.NAME}, {macs:,} MAC/image")
    print(f"{'measure':<44} {'nnfpga':>12} {'hls4ml':>12} {'ratio':>9}")
    rows = [("images/s, 1 thread", ours["images_per_s_1_thread"], hls_rate),
            ("images per CPU-second", ours["images_per_cpu_s"], hls_cpu_rate),
            ("GMAC per CPU-second", ours["images_per_cpu_s"] * macs / 1e9,
             hls_cpu_rate * macs / 1e9)]
    for name, a, b in rows:
        print(f"{name:<44} {a:>12.2f} {b:>12.4f} {a / b:>9.0f}")
    roof = ours["roofline_gmac_s"]
    print(f"{'integer roofline GMAC/CPU-s (pmaddwd, measured)':<44} {roof:>12.1f} {roof:>12.1f}")
    print(f"{'share of the roofline':<44} {ours['images_per_cpu_s'] * macs / 1e9 / roof:>12.1%} "
          f"{hls_cpu_rate * macs / 1e9 / roof:>12.3%}")
    print(f"hls4ml: compile (write + g++) {compile_s:.0f} s, predict on {len(x)} images, "
          f"median of {args.repeats}")
    print(f"agreement, nnfpga predict vs hls4ml predict on {len(x)} images: {differ} of "
          f"{y_ours.size} outputs differ" + ("" if differ else " (bit-exact)"))
    ratio = ours["images_per_cpu_s"] / hls_cpu_rate
    print(f"target >= {TARGET_RATIO:.0f}x hls4ml per CPU-second: "
          f"{'met' if ratio >= TARGET_RATIO else 'NOT met'} ({ratio:.0f}x)")


if __name__ == "__main__":
    main()
