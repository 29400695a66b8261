"""The deployment folder (`nnfpga convert --board`, docs/board.md) held to its own RTL: the Vivado
Tcl runs in tclsh against recording stubs (tests/python/board/vivado_stub.tcl says what that
checks), and the recorded calls are compared with the written wrapper's ports and widths and with
deploy.json. Also `nnfpga build` without Vivado (exit 2, what it would run) and with a stand-in
Vivado (progress by phase, a failure named by its phase), `nnfpga report` on a folder, and the
refusals of convert --board. The wrapper's behaviour is tested under Verilator in
tests/unit/deploy/board_wrapper_rtl_test.cpp."""

import json
import os
import re
import shutil
import stat
import subprocess

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("tclsh") is None,
                                reason="tclsh is not installed (tools/setup.sh installs tcl)")

STUB = REPO / "tests" / "python" / "board" / "vivado_stub.tcl"
DIGITS = REPO / "examples" / "digits" / "digits_mlp.onnx"
DIGITS_CONFIG = REPO / "examples" / "digits" / "config.yml"


def run(nnfpga_bin, *args, expect=0, env=None):
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=600, env=env)
    assert proc.returncode == expect, (
        f"exit {proc.returncode}, expected {expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def convert(nnfpga_bin, out, *extra):
    run(nnfpga_bin, "convert", DIGITS, "-c", DIGITS_CONFIG, "-o", out, *extra)
    return json.loads((out / "deploy.json").read_text())


@pytest.fixture(scope="module")
def pynq(nnfpga_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("pynq") / "deploy"
    return out, convert(nnfpga_bin, out, "--board", "pynq-z2")


@pytest.fixture(scope="module")
def kv260(nnfpga_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("kv260") / "deploy"
    return out, convert(nnfpga_bin, out, "--board", "kv260", "--beat-bits", "128")


@pytest.fixture(scope="module")
def cnn(nnfpga_bin, tmp_path_factory):
    # A streaming design (Conv2D, ReLU, Flatten, Dense from PyTorch) on 32-bit beats.
    out = tmp_path_factory.mktemp("cnn") / "deploy"
    proc = run(nnfpga_bin, "convert",
               REPO / "tests/fixtures/onnx_cnn/channels_last_input_torch.onnx", "--board",
               "pynq-z2", "--beat-bits", "32", "-o", out)
    assert "45 beats in and 1 beats out per sample" in proc.stdout
    assert "the wrapper cuts the beats into 30 pixels in and gathers 1 out" in proc.stdout
    return out, json.loads((out / "deploy.json").read_text())


def run_stub(folder, log):
    """Runs the build.tcl of a copy of the folder (the stub's build writes into it) under the
    stub; the recorded calls, as lists of strings."""
    copy = log.parent / (log.stem + "_deploy")
    shutil.copytree(folder, copy)
    proc = subprocess.run(["tclsh", str(STUB), str(log), str(copy / "vivado" / "build.tcl"), "2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "nnfpga-phase: done"
    return [json.loads(line) for line in log.read_text().splitlines()]


def wrapper_ports(folder, facts):
    """The ports of <top>_board as written: name -> width."""
    text = (folder / "ip" / "rtl" / f"{facts['top']}_board.v").read_text()
    header = re.search(r"module\s+\w+_board\s*\((.*?)\);", text, re.S).group(1)
    return {name: (int(msb) + 1 if msb else 1)
            for _, msb, name in re.findall(r"(input|output)\s+wire\s+(?:\[(\d+):0\]\s+)?(\w+)",
                                           header)}


def dma_config(calls, dma):
    """The CONFIG.* values the Tcl sets on the DMA cell."""
    config = {}
    for c in calls:
        if c[0] == "set_property" and c[1] == "-dict" and c[-1] == dma:
            words = c[2].split()
            config.update(zip(words[0::2], words[1::2]))
    return config


def width_problems(calls, ports, facts):
    """Every way the DMA's widths disagree with the RTL's streams or deploy.json: empty when
    they agree. MM2S feeds s_axis (the input stream), S2MM takes m_axis (the output)."""
    cfg = dma_config(calls, facts["dma"]["ip"])
    problems = []
    for key, port, side in [("CONFIG.c_m_axis_mm2s_tdata_width", "s_axis_tdata", "mm2s"),
                            ("CONFIG.c_m_axi_mm2s_data_width", "s_axis_tdata", "mm2s"),
                            ("CONFIG.c_s_axis_s2mm_tdata_width", "m_axis_tdata", "s2mm"),
                            ("CONFIG.c_m_axi_s2mm_data_width", "m_axis_tdata", "s2mm")]:
        if int(cfg.get(key, -1)) != ports[port]:
            problems.append(f"{key}={cfg.get(key)} but {port} is {ports[port]} bits")
        if int(cfg.get(key, -1)) != facts["dma"][f"{side}_width"]:
            problems.append(f"{key}={cfg.get(key)} but deploy.json says {facts['dma']}")
    # The streams are connected the right way round.
    nets = [(c[1], c[2]) for c in pairs(calls, "connect_bd_intf_net")]
    ctrl, dma = facts["control"]["ip"], facts["dma"]["ip"]
    if (f"{dma}/M_AXIS_MM2S", f"{ctrl}/s_axis") not in nets:
        problems.append("M_AXIS_MM2S does not drive the accelerator's s_axis")
    if (f"{ctrl}/m_axis", f"{dma}/S_AXIS_S2MM") not in nets:
        problems.append("the accelerator's m_axis does not drive S_AXIS_S2MM")
    return problems


def pairs(calls, command):
    """The connect_bd_*_net calls with their pins resolved: each get_bd_*_pins call just before
    a connect names one of its pins, in order."""
    out, pending = [], []
    for c in calls:
        if c[0] in ("get_bd_pins", "get_bd_intf_pins"):
            pending.append(c[-1])
        elif c[0] == command:
            out.append([command, *pending])
            pending = []
        elif c[0].startswith("connect_bd"):
            pending = []
    return out


@pytest.mark.parametrize("which", ["pynq", "kv260", "cnn"])
def test_tcl_names_only_what_the_rtl_and_deploy_json_have(which, request, tmp_path):
    folder, facts = request.getfixturevalue(which)
    calls = run_stub(folder, tmp_path / "calls.jsonl")
    ports = wrapper_ports(folder, facts)
    ctrl, dma = facts["control"]["ip"], facts["dma"]["ip"]
    assert [c for c in calls if c[0] == "create_project"][0][-1] == facts["part"]
    # The packaged top is the wrapper, and every RTL file the Tcl adds was written.
    assert ["set_property", "top", f"{facts['top']}_board", "sources_1"] in calls
    added = [c[-1] for c in calls if c[0] == "add_files" and c[-1].endswith(".v")]
    assert any(a.endswith(f"ip/rtl/{facts['top']}_board.v") for a in added)
    # The contract's cells exist; the accelerator is the IP just packaged.
    cells = {c[-1]: c[-2] for c in calls if c[0] == "create_bd_cell"}
    assert cells[ctrl] == f"nnfpga.local:nnfpga:{facts['top']}_board:1.0"
    assert cells[dma].startswith("xilinx.com:ip:axi_dma:")
    # Every pin of the accelerator the Tcl names is a port or an inferred interface of the RTL.
    named = [c[-1].split("/", 1)[1] for c in calls
             if c[0] in ("get_bd_pins", "get_bd_intf_pins") and c[-1].startswith(ctrl + "/")]
    assert set(named) == {"aclk", "aresetn", "s_axis", "m_axis", "s_axi_ctrl"}
    for name in named:
        assert name in ports or any(p.startswith(name + "_") for p in ports), name
    assert width_problems(calls, ports, facts) == []
    cfg = dma_config(calls, dma)
    assert cfg["CONFIG.c_include_sg"] == "0"
    assert ports["s_axis_tdata"] == ports["m_axis_tdata"] == facts["input"]["beat_bits"]
    assert ports["m_axis_tkeep"] == facts["input"]["beat_bits"] // 8
    # The registers deploy.json lists are the addresses the RTL decodes, within its address
    # width, and the IP's address block covers them.
    rtl = (folder / "ip" / "rtl" / f"{facts['top']}_board.v").read_text()
    decoded = {int(w) * 4 for w in re.findall(r"6'd(\d+): read_value", rtl)}
    regs = facts["control"]["registers"]
    assert set(regs.values()) - {regs["model_hash"]} <= decoded
    assert {regs["model_hash"] + 4 * i for i in range(8)} <= decoded
    assert max(decoded) < 2 ** ports["s_axi_ctrl_araddr"] == 2 ** ports["s_axi_ctrl_awaddr"]
    assert re.search(r"s_axi_ctrl_awaddr\[7:2\] == 6'd(\d+)", rtl).group(1) == str(
        regs["tlast_every"] // 4)
    ranges = [c for c in calls if c[0] == "set_property" and c[1] == "range"]
    assert ranges and int(ranges[0][2]) >= 2 ** ports["s_axi_ctrl_awaddr"]
    # The fabric clock is the folder's, and the PS is the board's.
    settings = " ".join(c[2] for c in calls if c[0] == "set_property" and c[1] == "-dict")
    clock = re.search(r"(PCW_FPGA0_PERIPHERAL_FREQMHZ|PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ) (\S+)",
                      settings)
    assert float(clock.group(2)) == facts["clock_mhz"]
    ps = "zynq_ultra_ps_e" if which == "kv260" else "processing_system7"
    assert any(v.startswith(f"xilinx.com:ip:{ps}:") for v in cells.values())
    assert ["assign_bd_address"] in calls and ["validate_bd_design"] in calls
    assert ["ipx::associate_bus_interfaces", "-clock", "aclk", "-reset", "aresetn", "core"] in calls
    assert ["set_property", "value", "ACTIVE_LOW", "POLARITY"] in calls


@pytest.mark.parametrize("which", ["pynq", "cnn"])
def test_a_wrong_dma_width_or_swapped_streams_fail_the_check(which, request, tmp_path):
    folder, facts = request.getfixturevalue(which)
    bad = tmp_path / "deploy"
    shutil.copytree(folder, bad)
    settings = bad / "vivado" / "settings.tcl"
    width = facts["dma"]["mm2s_width"]
    wrong = 64 if width == 32 else 32
    text = settings.read_text()
    assert f"set nnfpga_mm2s_bits {width}" in text
    settings.write_text(text.replace(f"set nnfpga_mm2s_bits {width}",
                                     f"set nnfpga_mm2s_bits {wrong}"))
    calls = run_stub(bad, tmp_path / "width.jsonl")
    problems = width_problems(calls, wrapper_ports(bad, facts), facts)
    assert any(f"c_m_axis_mm2s_tdata_width={wrong}" in p for p in problems), problems
    # The DMA's two stream ends swapped in the block design.
    shutil.copy(folder / "vivado" / "settings.tcl", settings)
    bd = bad / "vivado" / "block_design.tcl"
    text = bd.read_text()
    swapped = (text.replace("$nnfpga_ctrl_cell/s_axis]", "@S@").replace(
        "$nnfpga_ctrl_cell/m_axis]", "$nnfpga_ctrl_cell/s_axis]").replace(
        "@S@", "$nnfpga_ctrl_cell/m_axis]"))
    assert swapped != text
    bd.write_text(swapped)
    calls = run_stub(bad, tmp_path / "swap.jsonl")
    problems = width_problems(calls, wrapper_ports(bad, facts), facts)
    assert "M_AXIS_MM2S does not drive the accelerator's s_axis" in problems, problems


def test_a_renamed_port_fails_the_packaging(pynq, tmp_path):
    # The stub's packager infers interfaces from the ports: without s_axis_tready there is no
    # s_axis interface, and the Tcl's own check stops with the interface's name.
    folder, facts = pynq
    bad = tmp_path / "deploy"
    shutil.copytree(folder, bad)
    wrapper = bad / "ip" / "rtl" / f"{facts['top']}_board.v"
    wrapper.write_text(wrapper.read_text().replace("s_axis_tready", "s_axis_ready"))
    proc = subprocess.run(["tclsh", str(STUB), str(tmp_path / "c.jsonl"),
                           str(bad / "vivado" / "build.tcl")], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "inferred no interface 's_axis'" in proc.stderr


def test_every_tcl_file_is_complete_tcl(pynq, tmp_path):
    folder, _ = pynq
    files = sorted((folder / "vivado").glob("*.tcl"))
    assert {f.name for f in files} >= {"build.tcl", "settings.tcl", "package_ip.tcl",
                                       "block_design.tcl", "implement.tcl"}
    checker = tmp_path / "complete.tcl"
    checker.write_text("foreach f $argv {set h [open $f]; set t [read $h]; close $h\n"
                       "  if {![info complete $t]} {puts \"incomplete: $f\"; exit 1}}\n")
    proc = subprocess.run(["tclsh", str(checker), *map(str, files)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout


def test_the_folder_has_the_contracts_files(pynq):
    folder, facts = pynq
    for f in ["deploy.json", "README.md", "estimate.json", "ip/nnfpga/model.json",
              "ip/nnfpga/rtl.json", f"ip/rtl/{facts['top']}_board.v",
              f"ip/rtl/{facts['top']}_axis.v"]:
        assert (folder / f).is_file(), f
    assert (folder / "overlay").is_dir() and not any((folder / "overlay").iterdir())
    import hashlib
    assert hashlib.sha256((folder / "ip/nnfpga/model.json").read_bytes()).hexdigest() == \
        facts["model_sha256"]
    inp = facts["input"]
    assert (inp["count"], inp["width"], inp["lane_bits"], inp["elements_per_beat"],
            inp["beats_per_sample"]) == (64, 16, 16, 4, 16)
    assert facts["control"]["id_value"] == 0x4E4E4647
    assert "16 beats" in (folder / "README.md").read_text() or "| 16 |" in (
        folder / "README.md").read_text()


def test_build_without_vivado_exits_2_saying_what_it_would_run(nnfpga_bin, pynq, tmp_path):
    folder, _ = pynq
    env = dict(os.environ, PATH=str(tmp_path))  # no vivado there
    proc = run(nnfpga_bin, "build", folder, expect=2, env=env)
    assert "Vivado was not found" in proc.stderr
    assert "vivado -mode batch -nojournal -log vivado/build.log -source vivado/build.tcl" in \
        proc.stderr


def fake_vivado(path, body):
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_build_with_a_stand_in_vivado_shows_phases_and_fills_the_overlay(nnfpga_bin, pynq,
                                                                        tmp_path):
    # The stand-in runs the real build.tcl in tclsh under the recording stub, as vivado -source
    # would, so the phases printed are the script's own.
    folder, _ = pynq
    built = tmp_path / "deploy"
    shutil.copytree(folder, built)
    vivado = fake_vivado(tmp_path / "vivado", f"""
while [ "$1" != "-source" ]; do shift; done
script=$2; shift 2; [ "$1" = "-tclargs" ] && shift
exec tclsh {STUB} {tmp_path}/calls.jsonl "$script" "$@"
""")
    proc = run(nnfpga_bin, "build", built, "--vivado", vivado)
    phases = re.findall(r"^\[\d+ s\] (\w+)$", proc.stdout, re.M)
    assert phases == ["project", "package", "block_design", "synthesis", "implementation",
                      "reports", "overlay", "done"]
    assert (built / "overlay" / "nnfpga.bit").is_file()
    assert (built / "overlay" / "nnfpga.hwh").is_file()
    # The stub writes no reports: report says so.
    proc = run(nnfpga_bin, "report", built, expect=2)
    assert "no Vivado reports" in proc.stderr and "nnfpga build" in proc.stderr


def test_a_failing_vivado_is_reported_with_its_phase_and_error(nnfpga_bin, pynq, tmp_path):
    folder, _ = pynq
    vivado = fake_vivado(tmp_path / "vivado",
                         "echo 'nnfpga-phase: project'\necho 'nnfpga-phase: synthesis'\n"
                         "echo \"ERROR: [Synth 8-439] module 'x' not found\"\nexit 1\n")
    proc = run(nnfpga_bin, "build", folder, "--vivado", vivado, expect=2)
    assert "stopped in phase 'synthesis'" in proc.stderr
    assert "ERROR: [Synth 8-439]" in proc.stderr


def test_report_reads_vivado_utilization_of_a_built_folder(nnfpga_bin, pynq, tmp_path):
    folder, _ = pynq
    built = tmp_path / "deploy"
    shutil.copytree(folder, built)
    reports = built / "vivado" / "reports"
    reports.mkdir(parents=True)
    # A real Vivado 2020.1 report_utilization of an accelerator (tests/fixtures/reports/).
    shutil.copy(REPO / "tests/fixtures/reports/vivado-hls-2020.1/vivado_synth.rpt",
                reports / "accelerator_utilization.rpt")
    out = run(nnfpga_bin, "report", built).stdout
    assert re.search(r"Vivado: accelerator\s+1526\s+2428\s+", out), out
    assert "estimate (accelerator core)" in out
    assert "(no timing summary)" in out


@pytest.mark.parametrize("args, code, message", [
    (["--board", "pynq-z2", "--backend", "vitis"], 3, "--backend verilog"),
    (["--board", "arty"], 3, "the boards are pynq-z2, kv260, zcu104"),
    (["--part", "xcvu9p-flga2104-2-e"], 3, "has no processing system"),
    (["--board", "pynq-z2", "--beat-bits", "48"], 2, "32, 64 or 128"),
    (["--board", "pynq-z2", "--part", "xc7z010clg400-1"], 2, "contradicts"),
])
def test_convert_board_refusals(nnfpga_bin, tmp_path, args, code, message):
    proc = run(nnfpga_bin, "convert", DIGITS, "-o", tmp_path / "d", *args, expect=code)
    assert message in proc.stderr


def test_a_streaming_cnn_folder_packages_its_whole_chain(cnn, tmp_path):
    # A streaming design's <top>_axis wraps <top> (the chain of layer processes), so the Tcl adds
    # every Verilog file of rtl.json and the wrapper; a parallel design's leaves <top>.v out.
    folder, facts = cnn
    calls = run_stub(folder, tmp_path / "calls.jsonl")
    added = {c[-1][c[-1].rindex("ip/rtl/") + 3:] for c in calls
             if c[0] == "add_files" and "/ip/rtl/" in c[-1]}
    rtl = json.loads((folder / "ip" / "nnfpga" / "rtl.json").read_text())
    assert added == {f for f in rtl["files"]} | {f"rtl/{facts['top']}_board.v"}
    assert f"rtl/{facts['top']}.v" in added
    ports = wrapper_ports(folder, facts)
    assert ports["s_axis_tdata"] == ports["m_axis_tdata"] == 32
    inp = facts["input"]
    assert (inp["pixels"], inp["elements_per_pixel"], inp["elements_per_beat"],
            inp["beats_per_sample"]) == (30, 3, 2, 45)
    assert "streaming design" in (folder / "README.md").read_text()


def test_a_cnn_with_a_layer_the_streaming_rtl_lacks_is_refused_by_name(nnfpga_bin, tmp_path):
    model = REPO / "tests/fixtures/onnx_cnn/cnn2d_torch.onnx"  # it has an AveragePool
    proc = run(nnfpga_bin, "convert", model, "--board", "pynq-z2", "-o", tmp_path / "d",
               expect=3)
    assert "node_avg_pool2d (AveragePool2D)" in proc.stderr
    assert not (tmp_path / "d" / "ip").exists()


def test_part_takes_the_configurations_clock(nnfpga_bin, tmp_path):
    out = tmp_path / "d"
    facts = convert(nnfpga_bin, out, "--part", "xczu3eg-sbva484-1-e", "--set", "ClockPeriod=4")
    assert facts["board"] == "custom" and facts["part"] == "xczu3eg-sbva484-1-e"
    assert facts["clock_mhz"] == 250
    assert "set nnfpga_ps zynq-ultrascale+" in (out / "vivado" / "settings.tcl").read_text()
