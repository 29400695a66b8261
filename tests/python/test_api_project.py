"""The Python API's project side: starting configurations, write, compile (the C simulation as
a loaded library, checked against the emulator), the vendor build, estimate and summary."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat

import numpy as np
import pytest

import api_models

import nnfpga


def test_config_from_model_granularities():
    module = api_models.torch_mlp()
    model_level = nnfpga.config_from_model(module, input_shape=(16,))
    assert set(model_level) >= {"Model", "IOType", "ClockPeriod", "Part"}
    assert "LayerName" not in model_level

    by_type = nnfpga.config_from_model(module, input_shape=(16,), granularity="type")
    assert "Dense" in by_type["LayerType"]

    by_name = nnfpga.config_from_model(module, input_shape=(16,), granularity="name",
                                       default_precision="ap_fixed<12,5>",
                                       default_reuse_factor=2)
    assert sorted(by_name["LayerName"]) == sorted(["x", "fc1", "act1", "fc2", "act2", "fc3",
                                                   "act3", "out"])
    assert by_name["Model"]["Precision"] == "ap_fixed<12,5>"
    fc1 = by_name["LayerName"]["fc1"]
    assert fc1["Precision"]["weight"] == "ap_fixed<12,5>"
    assert fc1["Precision"]["accum"] == "auto"
    assert fc1["ReuseFactor"] == 2


def test_edited_config_reaches_every_layer(tmp_path):
    module = api_models.torch_mlp()
    config = nnfpga.config_from_model(module, input_shape=(16,), granularity="name")
    config["LayerName"]["fc2"]["Precision"]["weight"] = "ap_fixed<6,2>"
    config["LayerName"]["fc2"]["ReuseFactor"] = 4
    model = nnfpga.convert(module, hls_config=config, input_shape=(16,), part="xc7z020clg400-1",
                           clock_period=10, io_type="io_stream", output_dir=str(tmp_path))
    layers = {layer["name"]: layer for layer in model.layers()}
    assert layers["fc2"]["types"]["weight"]["spelling"] == "ap_fixed<6,2>"
    assert layers["fc2"]["reuse_factor"] == 4
    assert layers["fc1"]["reuse_factor"] == 1
    assert model.graph.settings() == {"io_type": "io_stream", "clock_period": 10.0,
                                      "part": "xc7z020clg400-1"}
    resolved = model.resolved_config()
    assert "fc2" in json.dumps(resolved)
    w = model.graph.quantized_param("fc2", "weight")
    assert np.all(w * 16 == np.round(w * 16)) and np.abs(w).max() <= 2


def test_estimate_and_summary(tmp_path):
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), output_dir=str(tmp_path),
                           hls_config={"Model": {"ReuseFactor": 4, "Strategy": "Resource"}})
    estimate = model.estimate()
    total = estimate["total"]
    assert total["latency_cycles"] > 0 and total["interval"] >= 4
    assert [layer["layer"] for layer in estimate["layers"]][0] == "fc1"
    assert sum(layer["multipliers"] for layer in estimate["layers"]) == total["multipliers"]
    printed = []
    assert model.summary(print_fn=printed.append) is None  # Jupyter would show a return value
    text = model.summary(print_fn=None)
    assert printed == [text]
    # The model has one name: the project's, in the summary and in the repr alike.
    assert text.startswith("Model 'myproject': ") and "'myproject'" in repr(model)
    for word in ("fc1", "act3", "out", "ap_fixed<16,6>", "latency", "Dense"):
        assert word in text


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
def test_compile_loads_the_c_simulation_bit_identical(io_type, tmp_path):
    module = api_models.torch_activations()
    model = nnfpga.convert(module, input_shape=(8,), io_type=io_type,
                           output_dir=str(tmp_path / "prj"), project_name="act_net",
                           hls_config={"Model": {"Precision": "ap_fixed<14,5,AP_RND,AP_SAT>"}})
    model.compile()  # checks 2000 adversarial samples itself
    x = np.random.default_rng(5).uniform(-6, 6, size=(3000, 8))
    csim = model.predict(x, mode="csim")
    assert csim.view(np.int64).tolist() == model.predict(x).view(np.int64).tolist()
    assert (tmp_path / "prj" / "firmware" / "act_net_bridge.cpp").is_file()


def test_compile_against_amd_headers(tmp_path):
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,),
                           output_dir=str(tmp_path / "prj"))
    model.compile(headers="amd", check_samples=500)
    x = np.random.default_rng(6).uniform(-40, 40, size=(500, 16))  # wraps
    assert model.predict(x, mode="csim").tolist() == model.predict(x).tolist()


def test_compile_catches_a_firmware_that_differs(tmp_path):
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,),
                           output_dir=str(tmp_path / "prj"))
    model.write()
    weights = sorted((tmp_path / "prj" / "firmware" / "weights").glob("*.h"))
    target = next(p for p in weights if "fc2" in p.name and "w" in p.name)
    text = target.read_text()
    # One weight one LSB off: the first initializer digit after '{' changes.
    start = text.index("{") + 1
    while not text[start].isdigit():
        start += 1
    digit = text[start]
    target.write_text(text[:start] + ("1" if digit != "1" else "2") + text[start + 1:])
    model._written = {"dir": str(tmp_path / "prj")}  # keep the edited project
    with pytest.raises(nnfpga.InternalError, match="differs from the emulator"):
        model.compile()


@pytest.mark.parametrize("backend", ["hls", "verilog"])
def test_verify_reaches_every_backend(backend, tmp_path):
    if backend == "verilog" and shutil.which("verilator") is None:
        pytest.skip("Verilator is not installed (tools/setup.sh installs it)")
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), backend=backend,
                           output_dir=str(tmp_path / "prj"), project_name="mlp_" + backend,
                           hls_config={"Model": {"Precision": "ap_fixed<10,4>"}})
    estimate = model.estimate()
    assert "mlp_" + backend in repr(model) and "latency" in model.summary(print_fn=None)
    report = model.verify(samples=300)
    assert report["ok"] and report["backend"] == backend
    assert all(r["samples"] == 300 and r["differing"] == 0 for r in report["runs"])
    marker = {"hls": "nnfpga/project.json", "verilog": "nnfpga/rtl.json"}[backend]
    assert (tmp_path / "prj" / marker).is_file()
    if backend == "verilog":
        assert estimate["lut"] > 0 and estimate["latency_cycles"] > 0
        assert report["runs"][0]["simulator"] == "Verilator"
        with pytest.raises(nnfpga.UnsupportedError, match="verify"):
            model.compile()
    else:
        assert estimate["total"]["latency_cycles"] > 0


def test_verify_catches_a_verilog_project_that_differs(tmp_path):
    if shutil.which("verilator") is None:
        pytest.skip("Verilator is not installed (tools/setup.sh installs it)")
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), backend="verilog",
                           output_dir=str(tmp_path / "prj"), project_name="bad")
    model.write()
    # The output layer's module with its last adder turned into a subtractor.
    layer = tmp_path / "prj" / "rtl" / "bad_out.v"  # the output Dense layer
    lines = layer.read_text().splitlines(keepends=True)
    adders = [k for k, line in enumerate(lines) if re.match(r"\s*wire .* = \S+ \+ \S+;$", line)]
    assert adders, "expected an adder in " + layer.name
    lines[adders[-1]] = lines[adders[-1]].replace(" + ", " - ")
    layer.write_text("".join(lines))
    with pytest.raises(nnfpga.InternalError, match="differ"):
        model.verify(samples=300)


def fake_tool(bin_dir, name, fixtures):
    """A stand-in for vitis_hls: records its arguments, then leaves the reports where the real
    tool does (copied from a real Vivado HLS 2020.1 run)."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / name
    script.write_text(
        "#!/bin/sh\n"
        'echo "$PWD" "$@" > called.txt\n'
        "mkdir -p myproject_prj/solution1/syn/report\n"
        f"cp {fixtures}/myproject_csynth.xml {fixtures}/myproject_csynth.rpt "
        "myproject_prj/solution1/syn/report/\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_build_without_a_vendor_tool_raises(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,),
                           output_dir=str(tmp_path / "prj"))
    with pytest.raises(nnfpga.BuildError, match="vitis_hls nor vivado_hls"):
        model.build()


@pytest.mark.parametrize("tool", ["vitis_hls", "vivado_hls"])
def test_build_runs_the_vendor_tool_and_reads_its_report(tool, tmp_path, monkeypatch,
                                                         repo_root):
    fixtures = repo_root / "tests" / "fixtures" / "reports" / "vivado-hls-2020.1"
    fake_tool(tmp_path / "bin", tool, fixtures)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    prj = tmp_path / "prj"
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), output_dir=str(prj),
                           backend="vitis" if tool == "vitis_hls" else "vivado")
    report = model.build(csim=False, synth=True, cosim=True)
    called = (prj / "called.txt").read_text().split()
    assert called[0] == str(prj.resolve()) or os.path.samefile(called[0], prj)
    assert called[1:3] == ["-f", "build_prj.tcl"]
    assert ("-tclargs" in called) == (tool == "vitis_hls")
    assert called[-5:] == ["csim=0", "synth=1", "cosim=1", "export=0", "reset=1"]
    assert "estimate" in report.lower() and "latency" in report.lower()


def test_failing_vendor_build_shows_its_log(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "vitis_hls"
    script.write_text("#!/bin/sh\necho 'ERROR: [HLS 200-70] part not installed'\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,),
                           output_dir=str(tmp_path / "prj"))
    with pytest.raises(nnfpga.BuildError, match="part not installed"):
        model.build()
