#!/usr/bin/env python3
"""HLS project benchmark against hls4ml (issue 17 item 7), on the CNN benchmark model of issue 16
(bench/models/cnn_32x32x3: 32x32x3 images, about 6.4 M MAC), io_stream on both sides:

  1. file to written project: `nnfpga convert` of the model file (the IR JSON and its types)
     writing the io_stream project with its computed FIFO depths and the estimate it prints,
     against hls4ml 1.3 loading the same network saved as a .keras file, `config_from_keras_model`,
     `convert_from_keras_model(io_type="io_stream")` and `write()` (its FIFOs at the whole-tensor
     default). Medians of --repeats runs; hls4ml's convert + write alone (its model already in
     memory) is printed too. Target: < 0.5 s for nnfpga.
  2. C simulation: `nnfpga csim -n N` (one g++ build with nnfpga's headers, the N images run
     against the emulator; --both-headers adds the build with AMD's, as the tests run it)
     against hls4ml's `compile()` (one g++ build, AMD's headers) plus `predict` on the same N
     images. One run each (minutes); the ratio is printed.

Usage: python3 bench/hls_project_bench.py [--repeats R] [--images N] [--skip-csim] [--both-headers]
       (needs build/nnfpga, or --nnfpga / $NNFPGA_BIN, and hls4ml with Keras 3)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "bench" / "models"))
import make_cnn_bench as cnn  # noqa: E402
from cnn_vs_hls4ml import CONFIG, MODEL, images  # noqa: E402

TARGET_S = 0.5
CSIM_LINE = re.compile(r"^(nnfpga|AMD) ap_types \((.*)\): (\d+) samples, (\d+) outputs, (\d+) differ")


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the nnfpga CLI runs)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def median_times(repeats: int, work) -> tuple[float, float]:
    """Median wall and CPU seconds of `work` (the machine is shared: CPU is the steadier)."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), cpu_seconds()
        work()
        wall.append(time.perf_counter() - t0)
        cpu.append(cpu_seconds() - c0)
    return statistics.median(wall), statistics.median(cpu)


def nnfpga_convert(nnfpga: str, out: Path) -> str:
    proc = subprocess.run([nnfpga, "convert", str(MODEL), "-c", str(CONFIG), "-o", str(out),
                           "--set", "Model.IOType=io_stream"], check=True, capture_output=True,
                          text=True)
    return proc.stdout


def hls4ml_config(model):
    import hls4ml

    config = hls4ml.utils.config_from_keras_model(model, granularity="name", backend="Vivado")
    for layer, keys in cnn.layer_types().items():
        if layer in config["LayerName"]:
            config["LayerName"][layer]["Precision"] = dict(keys)
    return config


def hls4ml_convert_write(model, out: Path):
    import hls4ml

    hls_model = hls4ml.converters.convert_from_keras_model(
        model, hls_config=hls4ml_config(model), output_dir=str(out), io_type="io_stream",
        backend="Vivado")
    hls_model.write()
    return hls_model


def hls4ml_fifo_depths(project: Path) -> list[int]:
    """The `#pragma HLS STREAM variable=... depth=N` depths hls4ml wrote into its top."""
    text = "".join(p.read_text() for p in (project / "firmware").glob("*.cpp"))
    return [int(d) for d in re.findall(r"#pragma HLS STREAM variable=\S+ depth=(\d+)", text)]


def nnfpga_fifo_depths(project: Path) -> list[int]:
    text = "".join(p.read_text() for p in (project / "firmware").glob("*.cpp"))
    return [int(d) for d in re.findall(r"#pragma HLS STREAM variable=\S+ depth=(\d+)", text)]


def project_figures(args, work: Path) -> dict[str, float]:
    import keras

    keras_file = work / f"{cnn.NAME}.keras"
    cnn.keras_model(json.loads(MODEL.read_text())).save(keras_file)
    n = [0]

    def ours():
        n[0] += 1
        nnfpga_convert(args.nnfpga, work / f"nnfpga_{n[0]}")

    def theirs_from_file():
        n[0] += 1
        hls4ml_convert_write(keras.models.load_model(keras_file), work / f"hls4ml_{n[0]}")

    loaded = keras.models.load_model(keras_file)

    def theirs_in_memory():
        n[0] += 1
        hls4ml_convert_write(loaded, work / f"hls4ml_{n[0]}")

    ours()  # warm the file cache on both sides before timing
    theirs_in_memory()
    fig = {}
    fig["nnfpga"], fig["nnfpga_cpu"] = median_times(args.repeats, ours)
    fig["hls4ml"], fig["hls4ml_cpu"] = median_times(args.repeats, theirs_from_file)
    fig["hls4ml_in_memory"], fig["hls4ml_in_memory_cpu"] = median_times(args.repeats,
                                                                         theirs_in_memory)
    fig["nnfpga_fifo_beats"] = sum(nnfpga_fifo_depths(work / "nnfpga_1"))
    fig["hls4ml_fifo_beats"] = sum(hls4ml_fifo_depths(work / "hls4ml_2"))
    return fig


def csim_figures(args, work: Path) -> dict[str, float]:
    import numpy as np

    ours_dir = work / "nnfpga_csim"
    nnfpga_convert(args.nnfpga, ours_dir)
    t0 = time.perf_counter()
    command = [args.nnfpga, "csim", str(ours_dir), "-n", str(args.images)]
    if not args.both_headers:
        # A folder without ap_fixed.h: csim then builds with nnfpga's headers only.
        (work / "no_amd_headers").mkdir()
        command += ["--ap-types", str(work / "no_amd_headers")]
    proc = subprocess.run(command, capture_output=True, text=True)
    ours_s = time.perf_counter() - t0
    runs = [m for m in (CSIM_LINE.match(line) for line in proc.stdout.splitlines()) if m]
    if proc.returncode != 0 or not runs:
        sys.exit(f"nnfpga csim failed:\n{proc.stdout}\n{proc.stderr}")
    differ = sum(int(m.group(5)) for m in runs)

    model = cnn.keras_model(json.loads(MODEL.read_text()))
    x = images(args.images, seed=3)
    t0 = time.perf_counter()
    hls_model = hls4ml_convert_write(model, work / "hls4ml_csim")
    hls_model.compile()
    compiled_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    y = np.asarray(hls_model.predict(x))
    predict_s = time.perf_counter() - t1
    return {"nnfpga": ours_s, "nnfpga_builds": len(runs), "nnfpga_differ": differ,
            "hls4ml": compiled_s + predict_s, "hls4ml_compile": compiled_s,
            "hls4ml_predict": predict_s, "hls4ml_outputs": int(y.size)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--images", type=int, default=1000)
    ap.add_argument("--skip-csim", action="store_true", help="only time the project writing")
    ap.add_argument("--both-headers", action="store_true",
                    help="nnfpga csim with AMD's headers too (a second, slow g++ build)")
    ap.add_argument("--nnfpga", default=os.environ.get("NNFPGA_BIN", str(REPO / "build/nnfpga")))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="nnfpga_hls_project_bench_") as tmp:
        work = Path(tmp)
        p = project_figures(args, work)
        c = None if args.skip_csim else csim_figures(args, work)

    print(f"HLS project benchmark: nnfpga against hls4ml 1.3, {cnn.NAME} ({cnn.macs():,} "
          f"MAC/image), io_stream")
    print(f"{'measure':<58} {'nnfpga':>9} {'hls4ml':>9} {'ratio':>7}")
    med = f"median of {args.repeats}"
    for label, key in ((f"file to written project, wall s ({med})", ""),
                       (f"file to written project, CPU s ({med})", "_cpu")):
        print(f"{label:<58} {p['nnfpga' + key]:>9.3f} {p['hls4ml' + key]:>9.3f} "
              f"{p['nnfpga' + key] / p['hls4ml' + key]:>7.3f}")
    for label, key in (("  hls4ml: convert + write of the loaded model, wall s", ""),
                       ("  hls4ml: convert + write of the loaded model, CPU s", "_cpu")):
        print(f"{label:<58} {'':>9} {p['hls4ml_in_memory' + key]:>9.3f} "
              f"{p['nnfpga' + key] / p['hls4ml_in_memory' + key]:>7.3f}")
    print(f"{'FIFO storage, beats (sum of STREAM depth= in the top)':<58} "
          f"{p['nnfpga_fifo_beats']:>9.0f} {p['hls4ml_fifo_beats']:>9.0f} "
          f"{p['nnfpga_fifo_beats'] / max(p['hls4ml_fifo_beats'], 1):>7.3f}")
    if c is not None:
        print(f"{'C simulation, build + ' + str(args.images) + ' images, s':<58} "
              f"{c['nnfpga']:>9.1f} {c['hls4ml']:>9.1f} {c['nnfpga'] / c['hls4ml']:>7.3f}")
        print(f"  nnfpga: {c['nnfpga_builds']} build(s) and run(s) of the dataflow threads, "
              f"{c['nnfpga_differ']} outputs differ from the emulator; hls4ml: compile "
              f"{c['hls4ml_compile']:.1f} s + predict {c['hls4ml_predict']:.1f} s")
    verdict = "met" if p["nnfpga"] < TARGET_S else "NOT met"
    print(f"target: file to project < {TARGET_S} s for nnfpga: {verdict} ({p['nnfpga']:.3f} s "
          f"wall, {p['nnfpga_cpu']:.3f} s CPU)")


if __name__ == "__main__":
    main()
