"""`nnfpga boardsim` as a user runs it (docs/board.md): a deployment folder's own driver, unchanged,
against its RTL behind the simulated AXI DMA, on 1,000 random and adversarial samples compared
bit for bit with the emulator; and the same run failing when the driver breaks a packing rule or
the bitstream is another model's. Skipped when Verilator is not installed."""

import json
import re
import shutil
import subprocess

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("verilator") is None,
                                reason="verilator is not installed (tools/setup.sh)")

DIGITS = REPO / "examples" / "digits"
# A CNN from PyTorch: 6x5x3 input (16-bit), Conv2D 3x3, ReLU, Flatten, Dense 2: the Verilog
# backend's streaming design, 30 pixels of 3 channels a sample.
CNN = REPO / "tests" / "fixtures" / "onnx_cnn" / "channels_last_input_torch.onnx"


def run(nnfpga_bin, *args, expect=0):
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == expect, (
        f"exit {proc.returncode}, expected {expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def number(text, pattern):
    m = re.search(pattern, text)
    assert m, f"'{pattern}' not in:\n{text}"
    return float(m.group(1))


@pytest.fixture(scope="module")
def deploy(nnfpga_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("board") / "deploy"
    run(nnfpga_bin, "convert", DIGITS / "digits_mlp.onnx", "-c", DIGITS / "config.yml",
        "--board", "pynq-z2", "-o", d)
    return d


def test_boardsim_equals_the_emulator_and_counts_cycles(nnfpga_bin, deploy):
    facts = json.loads((deploy / "deploy.json").read_text())
    out = run(nnfpga_bin, "boardsim", deploy, "-n", 1000, "--seed", 7).stdout
    # 10 outputs of 1,000 samples through predict, and of the first 50 through predict_codes.
    assert "samples: 1000   outputs compared with the emulator: 10500   differing: 0" in out, out
    in_beats = facts["input"]["beats_per_sample"]
    out_beats = facts["output"]["beats_per_sample"]
    # Every beat of every sample (the 50 of predict_codes too) crossed the DMA, and no more.
    assert f"DMA beats: MM2S {1050 * in_beats}, S2MM {1050 * out_beats}" in out
    last = number(out, r"LAST_CYCLES: (\d+)")
    assert last >= in_beats + facts["latency_cycles"] + out_beats - 1
    alone = number(out, r"one sample alone: (\d+) cycles")
    streaming = number(out, r"streaming: ([\d.]+) cycles per sample")
    # One beat a cycle at best; the DMA's read latency makes a lone sample slower than its share.
    assert max(in_beats, out_beats) <= streaming < 1.2 * max(in_beats, out_beats)
    assert alone > last
    us = number(out, r"one sample alone: \d+ cycles .*\(([\d.]+) us at 100")
    assert us == pytest.approx(alone / facts["clock_mhz"], abs=1e-3)


def edited(path, old, new):
    """Context: `path` with `old` replaced by `new` (which must be there), restored after."""
    class Edit:
        def __enter__(self):
            self.text = path.read_text()
            assert old in self.text, f"{old!r} is not in {path}: update this test"
            path.write_text(self.text.replace(old, new))

        def __exit__(self, *exc):
            path.write_text(self.text)

    return Edit()


def test_a_driver_with_the_lane_order_reversed_fails(nnfpga_bin, deploy):
    packing = deploy / "driver" / "nnfpga_board" / "packing.py"
    with edited(packing, "beats[...] = lanes", "beats[...] = lanes[..., ::-1]"):
        proc = run(nnfpga_bin, "boardsim", deploy, "-n", 200, expect=70)
    assert number(proc.stdout, r"differing: (\d+)") > 0
    assert "first difference: predict sample" in proc.stdout
    assert "the simulated board and the emulator differ" in proc.stderr


def test_a_bitstream_of_another_model_is_refused(nnfpga_bin, deploy):
    facts = deploy / "deploy.json"
    sha = json.loads(facts.read_text())["model_sha256"]
    other = ("0" if sha[0] != "0" else "1") + sha[1:]
    with edited(facts, sha, other):
        proc = run(nnfpga_bin, "boardsim", deploy, "-n", 10, expect=2)
    assert f"the bitstream holds the model with SHA-256 {sha}" in proc.stderr
    assert "the overlay was built from another model" in proc.stderr


@pytest.mark.parametrize("beat_bits", [32, 128])
def test_other_stream_widths(nnfpga_bin, tmp_path, beat_bits):
    model = REPO / "tests" / "fixtures" / "onnx" / "gemm_torch.onnx"
    run(nnfpga_bin, "convert", model, "--board", "pynq-z2", "--beat-bits", beat_bits, "-o",
        tmp_path / "deploy")
    out = run(nnfpga_bin, "boardsim", tmp_path / "deploy", "-n", 300).stdout
    assert "samples: 300" in out and "differing: 0" in out, out


def test_a_folder_without_deploy_json_exits_2(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "boardsim", tmp_path, expect=2)
    assert "deploy.json is missing" in proc.stderr


def test_a_missing_tlast_hangs_the_s2mm_channel_as_on_a_board(nnfpga_bin, deploy, monkeypatch):
    # TLAST_EVERY one more than the batch: the S2MM transfer never sees TLAST, so its channel
    # never goes idle; the DMA model reports the hang hls4ml's users meet on boards.
    accelerator = deploy / "driver" / "nnfpga_board" / "accelerator.py"
    monkeypatch.setenv("NNFPGA_BOARDSIM_WAIT_CYCLES", "20000")
    with edited(accelerator, 'registers["tlast_every"], n)', 'registers["tlast_every"], n + 1)'):
        proc = run(nnfpga_bin, "boardsim", deploy, "-n", 10, expect=2)
    assert "DMA axi_dma_0 S2MM wait timed out: not idle after 20000 simulated cycles" in proc.stderr


@pytest.fixture(scope="module")
def cnn_deploy(nnfpga_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("cnn") / "deploy"
    run(nnfpga_bin, "convert", CNN, "--board", "pynq-z2", "-o", d)
    return d


def test_a_streaming_cnn_on_the_simulated_board_equals_the_emulator(nnfpga_bin, cnn_deploy):
    facts = json.loads((cnn_deploy / "deploy.json").read_text())
    assert facts["io"] == "stream"
    assert (facts["input"]["pixels"], facts["input"]["elements_per_pixel"]) == (30, 3)
    assert facts["input"]["pixel_order"] == "raster, channels last"
    out = run(nnfpga_bin, "boardsim", cnn_deploy, "-n", 1000, "--seed", 3).stdout
    # 2 outputs of 1,000 samples through predict and of the first 50 through predict_codes.
    assert "samples: 1000   outputs compared with the emulator: 2100   differing: 0" in out, out
    in_beats = facts["input"]["beats_per_sample"]
    out_beats = facts["output"]["beats_per_sample"]
    assert (in_beats, out_beats) == (23, 1)  # 90 elements, 4 a beat: the last beat half padding
    assert f"DMA beats: MM2S {1050 * in_beats}, S2MM {1050 * out_beats}" in out
    # The accelerator takes a pixel a cycle at best and a sample every interval_cycles; the
    # wrapper and the DMA keep up, so a batch streams at that rate.
    streaming = number(out, r"streaming: ([\d.]+) cycles per sample")
    interval = facts["interval_cycles"]
    assert interval <= streaming < 1.05 * interval
    last = number(out, r"LAST_CYCLES: (\d+)")
    assert facts["latency_cycles"] < last <= facts["latency_cycles"] + out_beats + 3


@pytest.mark.parametrize("rule, corrupted", [
    # Pixels bottom-up (as a BMP stores rows): every pixel in the wrong place.
    ("return pixels.reshape(n, s.count)", "return pixels[:, ::-1].reshape(n, s.count)"),
    # Channels first (PyTorch's NCHW): the pixels' channels come from other pixels.
    ("pixels = samples.reshape(n, s.pixels, s.elements_per_pixel)",
     "pixels = samples.reshape(n, s.elements_per_pixel, s.pixels).transpose(0, 2, 1)"),
])
def test_a_driver_with_a_wrong_pixel_order_fails_on_the_cnn(nnfpga_bin, cnn_deploy, rule,
                                                             corrupted):
    packing = cnn_deploy / "driver" / "nnfpga_board" / "packing.py"
    with edited(packing, rule, corrupted):
        proc = run(nnfpga_bin, "boardsim", cnn_deploy, "-n", 100, expect=70)
    assert number(proc.stdout, r"differing: (\d+)") > 0
    assert "first difference: predict sample" in proc.stdout
