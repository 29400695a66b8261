"""nnfpga tune end to end: the command line on the bundled digits MLP (its files, the round trip
of config.yml through convert, the exit code of a bound no configuration meets) and the Python
API (nnfpga.tune, nnfpga.profiling.plot_front). docs/tune.md describes what is checked here."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import nnfpga
from conftest import REPO

DIGITS = REPO / "examples" / "digits"
MODEL = DIGITS / "digits_mlp.onnx"
X = DIGITS / "test_x.npy"
Y = DIGITS / "test_y.npy"


def run(nnfpga_bin, *args, expect=0):
    # The plot is drawn by this interpreter, which has nnfpga and matplotlib.
    env = dict(os.environ, NNFPGA_PYTHON=sys.executable, MPLBACKEND="Agg")
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == expect, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def tuned(nnfpga_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("tune")
    proc = run(nnfpga_bin, "tune", MODEL, "--data", X, "--labels", Y, "-o", out, "--threads", 2)
    return out, proc


def test_help_states_every_default(nnfpga_bin):
    out = run(nnfpga_bin, "tune", "--help").stdout
    for option, default in [("--max-accuracy-drop", "0.5"), ("--holdout", "0.3"),
                            ("--objective", "weighted"), ("--dsp-weight", "100"),
                            ("--backend", "hls"), ("--max-error", "0.01"),
                            ("--integer-margin", "1"), ("-o,--output", "nnfpga_tune")]:
        assert re.search(rf"{re.escape(option)} \S*={re.escape(default)}(\s|$)", out, re.M), option


def test_cli_writes_config_front_and_plot(tuned):
    out, proc = tuned
    for name in ("config.yml", "front.csv", "front.json", "front.png"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "front.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((out / "front.json").read_text())
    chosen = report["chosen"]
    assert chosen["meets_constraints"] and chosen["loss"] <= 0.5
    assert report["holdout"]["samples"] == 162
    assert report["holdout"]["meets_constraint"]
    assert [o["layer"] for o in report["holdout"]["overflows"]][-1] == "layer_4"
    # The uniform ap_fixed<16,6> baseline wraps the digits logits: it fails the bound.
    assert report["baseline"]["config"] == "uniform ap_fixed<16,6>"
    assert not report["baseline"]["meets_constraints"]
    assert chosen["objective"] < 0.6 * report["baseline"]["objective"]
    rows = (out / "front.csv").read_text().splitlines()
    assert rows[0].startswith("id,stage,quality,loss,objective,lut,dsp")
    assert sum(r.split(",")[-2] == "1" for r in rows[1:]) == 1  # one chosen row
    # Progress and the front table.
    assert "points evaluated" in proc.stdout and "chosen" in proc.stdout
    assert "on the holdout (162 samples)" in proc.stdout


def test_config_round_trips_through_convert(nnfpga_bin, tuned, tmp_path):
    out, _ = tuned
    report = json.loads((out / "front.json").read_text())
    proc = run(nnfpga_bin, "convert", MODEL, "-c", out / "config.yml", "-o", tmp_path / "prj")
    total = next(l for l in proc.stdout.splitlines() if l.startswith("total"))
    # total: latency II mults DSP LUTmult LUT adders BRAM18 FF
    fields = [int(v) for v in re.findall(r"-?\d+", total)]
    latency, dsp, lut, ff = fields[0], fields[3], fields[5], fields[8]
    chosen = report["chosen"]
    assert (latency, dsp, lut, ff) == (chosen["latency_cycles"], chosen["dsp"], chosen["lut"],
                                       chosen["ff"])


def test_impossible_bound_is_a_configuration_error(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "tune", MODEL, "--data", X, "--labels", Y, "-o", tmp_path,
               "--max-accuracy-drop", "-50", expect=4)
    assert "no configuration meets the quality bound" in proc.stderr
    assert not (tmp_path / "config.yml").exists()


def test_python_tune_returns_config_front_and_report():
    x, y = np.load(X), np.load(Y)
    config, front, report = nnfpga.tune(str(MODEL), x, y, threads=2)
    rows = front.to_dict("records") if hasattr(front, "to_dict") else front
    assert sum(bool(r["chosen"]) for r in rows) == 1
    assert any(bool(r["baseline"]) for r in rows)
    assert len(report["points"]) == report["evaluated"] > 50
    # The config is a normal one: convert takes it and the emulator keeps the accuracy on the
    # whole set within the bound (plus the noise of 540 samples).
    model = nnfpga.convert(str(MODEL), hls_config=config)
    float_acc = np.mean(model.predict(x, mode="float").argmax(axis=1) == y)
    fixed_acc = np.mean(model.predict(x).argmax(axis=1) == y)
    assert fixed_acc >= float_acc - 0.01
    assert model.estimate()["total"]["lut"] == report["chosen"]["lut"]
    fig = nnfpga.profiling.plot_front(report)
    assert len(fig.axes[0].collections) >= 3  # front, chosen, baseline


def test_python_tune_without_labels_bounds_the_output_error():
    x = np.load(X)
    _, _, report = nnfpga.tune(str(MODEL), x, max_error=0.02, threads=2)
    assert report["quality"] == "relative error"
    assert report["chosen"]["quality"] <= 0.02
    with pytest.raises(nnfpga.InputError, match="labels"):
        nnfpga.tune(str(MODEL), x, np.zeros(3), threads=2)
