"""`nnfpga rtlsynth` as a user runs it (docs/rtlsynth.md): the hand-written project of the
fixtures, a project `nnfpga convert --backend verilog` writes (with the estimate column), and a
directory that is no project. Skipped when Yosys is not installed; the designs stay tiny."""

import json
import shutil
import subprocess

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("yosys") is None,
                                reason="yosys is not installed (tools/setup.sh)")


def run(nnfpga_bin, *args, expect=0):
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == expect, (
        f"exit {proc.returncode}, expected {expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def test_rtlsynth_of_the_hand_written_project(nnfpga_bin, tmp_path):
    prj = tmp_path / "tiny"
    shutil.copytree(REPO / "tests" / "fixtures" / "rtl_project" / "tiny", prj)
    out = run(nnfpga_bin, "rtlsynth", prj, "-o", tmp_path / "r.json").stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["ff"] == 40 and report["lut"] > 0 and report["latency_cycles"] == 2
    assert report["flow"] == "synth_xilinx -family xc7 -top tiny -flatten -noiopad -noclkbuf"
    assert "estimate" not in report  # no typed graph in a hand-written project
    lut_row = next(line for line in out.splitlines() if line.startswith("LUT "))
    assert lut_row.split()[1:] == [str(report["lut"]), "-"]
    assert (prj / "synth" / "synth.ys").is_file()


def test_rtlsynth_of_a_converted_project_shows_the_estimate(nnfpga_bin, tmp_path):
    prj = tmp_path / "prj"
    model = REPO / "tests" / "fixtures" / "onnx" / "gemm_torch.onnx"
    run(nnfpga_bin, "convert", model, "--backend", "verilog", "-o", prj,
        "--set", "Model.Precision=ap_fixed<6,3>", "--set", "LayerType.Dense.Precision.accum=auto",
        "--set", "LayerType.Dense.Precision.result=auto")
    out = run(nnfpga_bin, "rtlsynth", prj).stdout
    report = json.loads((prj / "synth" / "yosys_report.json").read_text())
    facts = json.loads((prj / "nnfpga" / "rtl.json").read_text())
    assert report["latency_cycles"] == facts["latency_cycles"]
    assert report["estimate"]["latency_cycles"] == facts["latency_cycles"]
    assert report["estimate"]["lut"] > 0
    assert "estimate" in out.splitlines()[1]


def test_rtlsynth_of_a_non_project_exits_2(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "rtlsynth", tmp_path, expect=2)
    assert "nnfpga/rtl.json is missing" in proc.stderr
