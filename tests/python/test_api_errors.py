"""Errors from the C++ core reach Python as nnfpga exceptions with the CLI's message, and no
input, however malformed, crashes the interpreter (each hostile call also runs in a child
process, so that a crash would fail the test rather than end the session)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import api_models
from conftest import run_cli

import nnfpga

DIGITS = "examples/digits/digits_mlp.onnx"


def cli_message(nnfpga_bin, *args):
    proc = run_cli(nnfpga_bin, *args, check=False)
    assert proc.returncode != 0
    first = proc.stderr.splitlines()[0]
    assert first.startswith("nnfpga: error: "), proc.stderr
    return proc.returncode, first[len("nnfpga: error: "):]


def test_config_error_carries_the_cli_message(nnfpga_bin, repo_root, tmp_path):
    code, message = cli_message(nnfpga_bin, "show", repo_root / DIGITS, "--set",
                                "LayerName.layer_0.ReuseFactr=4")
    assert code == 4
    with pytest.raises(nnfpga.ConfigError) as info:
        nnfpga.convert(str(repo_root / DIGITS),
                       hls_config={"LayerName": {"layer_0": {"ReuseFactr": 4}}},
                       output_dir=str(tmp_path))
    assert str(info.value) == message
    assert info.value.kind == "config" and "ReuseFactr" in info.value.key
    assert isinstance(info.value, nnfpga.Error) and isinstance(info.value, ValueError)


def test_input_error_carries_the_cli_message(nnfpga_bin, repo_root, tmp_path):
    bad = tmp_path / "truncated.onnx"
    bad.write_bytes((repo_root / DIGITS).read_bytes()[:300])
    code, message = cli_message(nnfpga_bin, "show", bad)
    assert code == 2
    with pytest.raises(nnfpga.InputError) as info:
        nnfpga.convert(str(bad))
    assert str(info.value) == message
    assert info.value.file == str(bad)


def test_shadowed_setting_warns_as_the_cli_does(nnfpga_bin, repo_root, tmp_path):
    config = nnfpga.config_from_model(str(repo_root / DIGITS), granularity="name")
    config["Model"]["Precision"] = "ap_fixed<12,5>"  # every LayerName entry sets its own
    with pytest.warns(UserWarning, match=r"^'Model.Precision' changes no layer: every layer it "
                                         r"applies to takes that value from a more specific"):
        nnfpga.convert(str(repo_root / DIGITS), hls_config=config, output_dir=str(tmp_path))
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    proc = run_cli(nnfpga_bin, "show", repo_root / DIGITS, "-c", config_file)
    assert proc.stderr.startswith("nnfpga: warning: 'Model.Precision' changes no layer")


def test_unsupported_layers_are_all_named(tmp_path):
    import torch

    class Odd(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(4, 4)

        def forward(self, x):
            return torch.cumsum(self.fc(x), dim=-1) + torch.sort(x, dim=-1).values

    with pytest.raises(nnfpga.UnsupportedError) as info:
        nnfpga.convert(Odd(), input_shape=(4,), output_dir=str(tmp_path))
    text = str(info.value)
    assert "CumSum" in text and ("TopK" in text or "Sort" in text), text
    assert isinstance(info.value, NotImplementedError)


def test_bad_arguments_raise_clear_errors(tmp_path):
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), output_dir=str(tmp_path))
    cases = {
        "wrong width": np.zeros((4, 15)),
        "wrong rank": np.zeros((2, 4, 16)),
        "NaN": np.full((2, 16), np.nan),
        "infinity": np.full((2, 16), np.inf),
        "strings": np.array([["a"] * 16]),
        "objects": [object()] * 16,
        "None": None,
        "ragged": [[1.0] * 16, [1.0] * 3],
        "complex": np.zeros((2, 16), dtype=complex),
    }
    for label, x in cases.items():
        with pytest.raises(nnfpga.InputError):
            model.predict(x)
        with pytest.raises(nnfpga.InputError):
            model.trace(x)
    with pytest.raises(nnfpga.InputError, match="mode"):
        model.predict(np.zeros((1, 16)), mode="exact")
    with pytest.raises(nnfpga.InputError, match="compile"):
        model.predict(np.zeros((1, 16)), mode="csim")
    with pytest.raises(nnfpga.InputError, match="example_input"):
        nnfpga.convert(api_models.torch_mlp())
    with pytest.raises(nnfpga.InputError, match="cannot read a model"):
        nnfpga.convert(42)
    with pytest.raises(nnfpga.InputError, match="no such file"):
        nnfpga.convert(str(tmp_path / "missing.onnx"))
    with pytest.raises(nnfpga.ConfigError):
        nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), hls_config="Model: x")
    with pytest.raises(nnfpga.ConfigError, match="granularity"):
        nnfpga.config_from_model(api_models.torch_mlp(), input_shape=(16,), granularity="row")
    with pytest.raises(nnfpga.ConfigError):
        nnfpga.config_from_model(api_models.torch_mlp(), input_shape=(16,),
                                 default_precision="ap_fixed<16")
    with pytest.raises(nnfpga.UnsupportedError, match="backend"):
        nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), backend="quartus")


HOSTILE = textwrap.dedent("""
    import numpy as np, nnfpga
    m = nnfpga.convert({model!r}, output_dir={out!r})
    rng = np.random.default_rng(0)
    raised = 0
    for x in [np.zeros((0, 64)), np.zeros((1, 0)), np.zeros(()), np.zeros((3,)),
              np.full((2, 64), 1e308), np.full((2, 64), -1e308), np.full((2, 64), 5e-324),
              rng.normal(size=(3, 64)) * 1e30, np.zeros((2, 64), dtype=np.int8),
              np.zeros((2, 64), dtype=bool), np.zeros((2, 64), dtype=np.uint64) - 1]:
        try:
            m.predict(x); m.trace(x); m.overflows(x)
        except nnfpga.Error:
            raised += 1
    for blob in [b"", b"\\x00" * 10, rng.bytes(4096), open({model!r}, "rb").read()[:-7]]:
        try:
            nnfpga.convert(blob)
        except nnfpga.Error:
            raised += 1
    g = m.graph
    for call in [lambda: g.param("nope", "weight"), lambda: g.shape_of("nope"),
                 lambda: g.quantized_param("layer_0", "nope"),
                 lambda: nnfpga.type_info("ap_fixed<0,0>"), lambda: nnfpga.type_info("")]:
        try:
            call()
        except nnfpga.Error:
            raised += 1
    print("survived", raised)
""")


def test_hostile_inputs_never_crash_the_interpreter(repo_root, tmp_path):
    code = HOSTILE.format(model=str(repo_root / DIGITS), out=str(tmp_path / "prj"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("survived"), proc.stdout
    assert int(proc.stdout.split()[1]) >= 9, proc.stdout  # the blobs and lookups all raised
