#!/usr/bin/env python3
"""nnfpga tune against the configurations users write by hand (issue 20, item 6).

Three models, each side by side in one run:
  digits_mlp  the bundled 64-32-16-10 MLP (examples/digits/, trained by its train.py)
  wide_mlp    a 64-64-32-32-10 ReLU MLP trained here on the same digits split (seed 0)
  small_cnn   a CNN on the 8x8 digit images trained here (seed 0): Conv 3x3 -> 8, ReLU,
              MaxPool 2, Conv 3x3 -> 16, ReLU, Flatten, Dense -> 10; io_stream

and three configurations of each:
  uniform     Model.Precision ap_fixed<16,6> (hls4ml's default)
  profiling   the hls4ml user's rule: every weight, bias and result gets the integer bits its
              observed range needs (nnfpga.profiling.suggest_types on the training data: the
              largest magnitude, a sign bit where a value is negative, overflow-checked), and
              the SAME fraction bits F everywhere, F the smallest of 2..16 that keeps the
              accuracy on the training data within 0.5 points of the float model's
  tune        nnfpga.tune(max_accuracy_drop=0.5) on the tuning data (30 % of it held out
              as the validation set of its pick)

Data: scikit-learn's 1,797 digits, split as examples/digits/train.py splits them (1,257 train,
540 test), in three parts:
  fit     the first 700 training samples: the two models trained here learn from them alone;
  tune    the other 557 training samples: calibration, the profiling rule and tune (which
          searches on 390 of them and validates its pick on the 167 it holds out, 30 %);
  test    the 540 test samples, seen by no model, no rule and no search: the accuracy printed.
The bundled digits_mlp learnt from all 1,257 training samples (examples/digits/train.py), so
its tuning data are 557 samples it was trained on; its test set is unseen as for the others.

It prints the estimated LUT, DSP, FF, BRAM18, latency, the test-set accuracy (bit-exact
emulator) and LUT equivalents = LUT + 100 DSP + 200 BRAM18 for each, the ratios, and tune's wall
time. The test set (540 digits) is seen by none of them.

    python3 bench/tune_bench.py [--models digits_mlp,wide_mlp,small_cnn] [--plots DIR]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import nnfpga
from nnfpga import profiling

REPO = Path(__file__).resolve().parents[1]
DSP_WEIGHT, BRAM_WEIGHT = 100.0, 200.0


def digits_split():
    """The split of examples/digits/train.py: the same train and test samples."""
    digits = load_digits()
    x = np.minimum(digits.data / 16.0, 1.0 - 2.0**-8).astype(np.float32)
    y = digits.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)


def train(module, x, y, epochs=60):
    torch.manual_seed(0)
    opt = torch.optim.Adam(module.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(epochs):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 32):
            idx = perm[i:i + 32]
            opt.zero_grad()
            nn.functional.cross_entropy(module(xt[idx]), yt[idx]).backward()
            opt.step()
    return module.eval()


def models(x_train, y_train):
    """(model for nnfpga, base config, convert's keyword arguments) per model name."""
    torch.manual_seed(0)
    wide = train(nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                               nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10)), x_train, y_train)
    torch.manual_seed(0)
    cnn = train(nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Flatten(),
                              nn.Linear(16 * 3 * 3, 10)),
                x_train.reshape(-1, 1, 8, 8), y_train)
    img = x_train.reshape(-1, 1, 8, 8)
    return {
        "digits_mlp": (str(REPO / "examples" / "digits" / "digits_mlp.onnx"), {}, {}),
        "wide_mlp": (wide, {}, {"example_input": torch.from_numpy(x_train[:4])}),
        "small_cnn": (cnn, {"IOType": "io_stream"}, {"example_input": torch.from_numpy(img[:4])}),
    }


def shaped(name, x):
    return x.reshape(-1, 1, 8, 8) if name == "small_cnn" else x


def measure(model_graph, x_test, y_test):
    e = model_graph.estimate()["total"]
    acc = float(np.mean(model_graph.predict(x_test).argmax(axis=1) == y_test))
    return {"lut": e["lut"], "dsp": e["dsp"], "ff": e["ff"], "bram18": e["bram18"],
            "latency": e["latency_cycles"], "accuracy": acc,
            "lut_eq": e["lut"] + DSP_WEIGHT * e["dsp"] + BRAM_WEIGHT * e["bram18"]}


def with_fraction(fragment, frac):
    """The profiling fragment with every type at its integer bits and `frac` fraction bits."""
    out = {"LayerName": {}}
    for layer, entry in fragment["LayerName"].items():
        precision = {}
        for key, spelling in entry["Precision"].items():
            t = nnfpga.type_info(spelling)
            kind = "ap_fixed" if t["signed"] else "ap_ufixed"
            precision[key] = f"{kind}<{max(t['integer'] + frac, 1)},{t['integer']}>"
        out["LayerName"][layer] = {"Precision": precision}
    return out


def profiling_config(source, base, kwargs, x_train, y_train):
    """The hls4ml user's configuration (module docstring) and its fraction bits."""
    wide = nnfpga.convert(source, hls_config=dict(base), **kwargs)
    float_acc = np.mean(wide.predict(x_train, mode="float").argmax(axis=1) == y_train)
    fragment = profiling.suggest_types(wide, x_train, width=32)
    for frac in range(2, 17):
        config = profiling.merge_config(dict(base), with_fraction(fragment, frac), wide)
        trial = nnfpga.convert(source, hls_config=config, **kwargs)
        acc = np.mean(trial.predict(x_train).argmax(axis=1) == y_train)
        if acc >= float_acc - 0.005:
            return config, frac
    raise RuntimeError("no common fraction width up to 16 keeps the accuracy")


def row(name, m, ref=None):
    ratio = "" if ref is None else f"{m['lut_eq'] / ref['lut_eq']:.2f}"
    return (f"  {name:<22} {m['lut']:>8} {m['dsp']:>6} {m['ff']:>7} {m['bram18']:>6} "
            f"{m['latency']:>7} {100 * m['accuracy']:>8.2f} {m['lut_eq']:>10.0f} {ratio:>6}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--models", default="digits_mlp,wide_mlp,small_cnn")
    ap.add_argument("--plots", default="", help="directory for each model's front PNG")
    ap.add_argument("--json", default="", help="write the figures as JSON here")
    ap.add_argument("--holdout", type=float, default=0.3,
                    help="tune's holdout (validation) fraction of the tuning data")
    args = ap.parse_args()
    x_all, x_test, y_all, y_test = digits_split()
    x_fit, y_fit, x_tune, y_tune = x_all[:700], y_all[:700], x_all[700:], y_all[700:]
    every = models(x_fit, y_fit)
    results = {}
    for name in args.models.split(","):
        source, base, kwargs = every[name]
        xtr, xte = shaped(name, x_tune), shaped(name, x_test)
        uniform = nnfpga.convert(source, hls_config=dict(base, Model={"Precision": "ap_fixed<16,6>"}),
                                 **kwargs)
        float_test = float(np.mean(uniform.predict(xte, mode="float").argmax(axis=1) == y_test))
        prof_config, frac = profiling_config(source, base, kwargs, xtr, y_tune)
        start = time.perf_counter()
        config, _, report = nnfpga.tune(source, xtr, y_tune, hls_config=dict(base),
                                        max_accuracy_drop=0.5, holdout=args.holdout,
                                        dsp_weight=DSP_WEIGHT,
                                        bram_weight=BRAM_WEIGHT, **kwargs)
        seconds = time.perf_counter() - start
        m = {"uniform": measure(uniform, xte, y_test),
             "profiling": measure(nnfpga.convert(source, hls_config=prof_config, **kwargs), xte,
                                  y_test),
             "tune": measure(nnfpga.convert(source, hls_config=config, **kwargs), xte, y_test)}
        results[name] = {"configs": m, "tune_seconds": seconds, "profiling_fraction_bits": frac,
                         "float_test_accuracy": float_test, "evaluated": report["evaluated"],
                         "search_samples": report["search_samples"],
                         "holdout": {k: report["holdout"][k] for k in ("samples", "loss")},
                         "validated_points": report["validated_points"],
                         "search_best_lut_eq": report["search_best"]["objective"],
                         "tune_test_drop_points": 100 * (float_test - m["tune"]["accuracy"])}
        print(f"{name}: float test accuracy {100 * float_test:.2f} %; tune {seconds:.1f} s "
              f"({report['evaluated']} points; pick validated on {report['holdout']['samples']} "
              f"held-out samples after {report['validated_points']} checks; the search part "
              f"alone would pick {report['search_best']['objective']:.0f} LUT-eq); profiling "
              f"rule F = {frac}")
        print(f"  {'configuration':<22} {'LUT':>8} {'DSP':>6} {'FF':>7} {'BRAM18':>6} "
              f"{'latency':>7} {'test acc':>8} {'LUT-eq':>10} {'/unif':>6}")
        print(row("uniform ap_fixed<16,6>", m["uniform"]))
        print(row(f"profiling (F={frac})", m["profiling"], m["uniform"]))
        print(row("tune (drop <= 0.5)", m["tune"], m["uniform"]))
        print(f"  tune vs profiling: {100 * (1 - m['tune']['lut_eq'] / m['profiling']['lut_eq']):.1f} % "
              f"fewer LUT-eq; vs uniform: {100 * (1 - m['tune']['lut_eq'] / m['uniform']['lut_eq']):.1f} %"
              f" fewer; test accuracy {100 * (m['tune']['accuracy'] - float_test):+.2f} points "
              f"vs float\n")
        if args.plots:
            Path(args.plots).mkdir(parents=True, exist_ok=True)
            fig = profiling.plot_front(report, title=f"nnfpga tune: {name}")
            fig.savefig(Path(args.plots) / f"front_{name}.png", dpi=100)
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
