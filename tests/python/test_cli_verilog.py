"""`nnfpga convert --backend verilog` and `nnfpga rtlsim` as a user runs them: the bundled digits
MLP and a fixture written as Verilog projects, simulated by Verilator on 10,000 random and
adversarial inputs and compared bit for bit with the emulator (docs/verilog.md). Skipped when
Verilator is not installed."""

import json
import shutil
import subprocess

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("verilator") is None,
                                reason="verilator is not installed (tools/setup.sh)")


def run(nnfpga_bin, *args, expect=0):
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == expect, (
        f"exit {proc.returncode}, expected {expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


@pytest.mark.parametrize("model", [REPO / "examples" / "digits" / "digits_mlp.onnx",
                                   REPO / "tests" / "fixtures" / "onnx" / "batchnorm_torch.onnx"])
def test_convert_verilog_then_rtlsim(nnfpga_bin, tmp_path, model):
    prj = tmp_path / "prj"
    out = run(nnfpga_bin, "convert", model, "--backend", "verilog", "-o", prj).stdout
    assert "wrote Verilog project" in out
    facts = json.loads((prj / "nnfpga" / "rtl.json").read_text())
    top = facts["top"]
    assert facts["latency_cycles"] >= 1
    assert facts["files"][-2:] == [f"rtl/{top}.v", f"rtl/{top}_axis.v"]
    for f in facts["files"]:
        assert (prj / f).is_file()
    sim = run(nnfpga_bin, "rtlsim", prj).stdout
    assert "10000 samples" in sim
    assert " 0 differ from the emulator" in sim
    assert f"latency {facts['latency_cycles']} cycles" in sim
    assert "0 samples out of step, 0 missing or extra" in sim


def test_rtlsim_of_a_relative_project_path(nnfpga_bin, tmp_path):
    # As typed in a shell: `nnfpga rtlsim prj` from the directory holding prj/ (the Verilator
    # build runs in prj/sim, so a relative path must not be taken from there).
    model = REPO / "tests" / "fixtures" / "onnx" / "relu_torch.onnx"
    run(nnfpga_bin, "convert", model, "--backend", "verilog", "-o", tmp_path / "prj")
    proc = subprocess.run([nnfpga_bin, "rtlsim", "prj", "--samples", "200"], capture_output=True,
                          text=True, timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert " 0 differ from the emulator" in proc.stdout
    assert (tmp_path / "prj" / "sim" / "build.log").is_file()


def test_rtlsim_of_a_non_project_exits_2(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "rtlsim", tmp_path, expect=2)
    assert "not a Verilog project" in proc.stderr


def test_order_dependent_accumulator_exits_3(nnfpga_bin, tmp_path):
    model = REPO / "examples" / "digits" / "digits_mlp.onnx"
    proc = run(nnfpga_bin, "convert", model, "--backend", "verilog", "-o", tmp_path / "p",
               "--set", "LayerName.layer_0.Precision.accum=ap_fixed<12,4,AP_TRN,AP_SAT>",
               expect=3)
    assert "node 'layer_0'" in proc.stderr
    assert "order of additions" in proc.stderr


# The Keras CNNs that test_hls_cnn.py runs through `nnfpga csim`, here through the streaming RTL:
# the same models then agree with the emulator in both backends (issue 18).
@pytest.mark.parametrize("name", ["cnn_residual", "cnn_conv1d"])
def test_streaming_cnn_rtlsim_equals_the_emulator(nnfpga_bin, tmp_path, name):
    model = REPO / "tests" / "fixtures" / "keras3" / f"{name}.keras"
    prj = tmp_path / "prj"
    run(nnfpga_bin, "convert", model, "--backend", "verilog", "--set", "IOType=io_stream",
        "-o", prj)
    facts = json.loads((prj / "nnfpga" / "rtl.json").read_text())
    assert facts["io"] == "stream"
    sim = run(nnfpga_bin, "rtlsim", prj, "-n", 1000).stdout
    assert "1000 samples" in sim and " 0 differ from the emulator" in sim, sim
    assert f"latency {facts['latency_cycles']} cycles (nnfpga/rtl.json: " in sim, sim
    assert f"interval {facts['interval_cycles']} cycles (rtl.json: " in sim, sim
    assert "0 missing or extra beats" in sim, sim
