"""The HLS backend end to end: `nnfpga convert` writes a project, `nnfpga csim` compiles its test
bench with g++ against nnfpga's own ap_types headers and against AMD's (from the installed
hls4ml package), runs 10,000 random and adversarial inputs, and every output must be
bit-identical to the emulator's. Also: hostile node names, the Resource strategy, io_stream, and
a deliberately corrupted project that csim must catch."""

import re
import subprocess

import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
import numpy as np

from conftest import REPO

CSIM_LINE = re.compile(r"^(nnfpga|AMD) ap_types \((.*)\): (\d+) samples, (\d+) outputs, (\d+) differ")
SAMPLES = 10000
FIXTURES = REPO / "tests" / "fixtures" / "onnx"

# One model per layer kind the backend generates (fixtures from tools/make_fixtures.py), plus the
# benchmark MLP and the bundled digits example with its configuration.
MODELS = [
    ("bench_mlp", REPO / "bench" / "models" / "mlp_16_64_32_32_5.onnx", []),
    ("digits", REPO / "examples" / "digits" / "digits_mlp.onnx",
     ["-c", REPO / "examples" / "digits" / "config.yml"]),
    ("leaky_relu", FIXTURES / "leaky_relu_torch.onnx", []),
    ("sigmoid", FIXTURES / "sigmoid_torch.onnx", []),
    ("tanh", FIXTURES / "tanh_torch.onnx", []),
    ("softmax", FIXTURES / "reshape_torch.onnx", ["--set", "LayerType.Softmax.TableSize=256"]),
    ("clip", FIXTURES / "clip_hardtanh_torch_legacy.onnx", []),
    ("batchnorm", FIXTURES / "batchnorm_torch.onnx", []),
    ("flatten", FIXTURES / "flatten_torch_legacy.onnx", []),
    ("keras", FIXTURES / "keras_batchnorm_dropout.onnx",
     ["--set", "Model.Precision=ap_fixed<12,4,AP_RND_CONV,AP_SAT>"]),
    # Quantization-aware models: Quantize layers and the types their quantizers declare
    # (negative integer bits, ap_ufixed with no integer bits, exact inferred sums).
    ("qkeras", REPO / "tests" / "fixtures" / "keras2" / "qkeras_relu.h5", []),
    ("qkeras_threshold", REPO / "tests" / "fixtures" / "keras2" / "qkeras_binary_ternary.h5", []),
    ("qkeras_po2", REPO / "tests" / "fixtures" / "keras2" / "qkeras_po2.h5", []),
    # binary/ternary/po2 kernels (ap_int<2>, exact po2 types) and QBatchNormalization (auto).
    ("qkeras_weights", REPO / "tests" / "fixtures" / "keras2" / "qkeras_weight_quantizers.h5", []),
    ("qkeras_qbn", REPO / "tests" / "fixtures" / "keras2" / "qkeras_qbn.h5", []),
    ("qkeras_relu_slope", REPO / "tests" / "fixtures" / "keras2" / "qkeras_relu_slope.h5", []),
    ("brevitas", REPO / "tests" / "fixtures" / "qonnx" / "brevitas_mlp_perchannel.onnx", []),
    # Per-element activation types (one cast statement per element) and WRAP quantizers.
    ("hgq2", REPO / "tests" / "fixtures" / "hgq2" / "hgq_mlp_per_element.keras", []),
]


def run(nnfpga_bin, *args, expect=0, timeout=900):
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == expect, (
        f"exit {proc.returncode}, expected {expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def top_cpp(project):
    """firmware/<top>.cpp (firmware/ also holds <top>_bridge.cpp)."""
    return next(p for p in (project / "firmware").glob("*.cpp") if not p.stem.endswith("_bridge"))


def csim(nnfpga_bin, project, expect=0, samples=SAMPLES):
    """Runs csim with both header sets required; returns {headers: (samples, outputs, differ)}."""
    proc = run(nnfpga_bin, "csim", project, "-n", samples, "--require-amd", "--sanitize",
               expect=expect)
    runs = {}
    for line in proc.stdout.splitlines():
        m = CSIM_LINE.match(line)
        if m:
            runs[m.group(1)] = tuple(int(g) for g in m.groups()[2:])
    return runs, proc


@pytest.mark.parametrize("name,model,config", MODELS, ids=[m[0] for m in MODELS])
def test_csim_is_bit_identical_to_the_emulator(nnfpga_bin, tmp_path, name, model, config):
    project = tmp_path / name
    run(nnfpga_bin, "convert", model, *config, "-o", project)
    runs, proc = csim(nnfpga_bin, project)
    assert set(runs) == {"nnfpga", "AMD"}, proc.stdout
    for headers, (samples, outputs, differ) in runs.items():
        assert samples == SAMPLES, headers
        assert outputs >= SAMPLES, headers
        assert differ == 0, f"{headers}: {proc.stdout}"


def gemm(rng, name, x, n_in, n_out, inits):
    inits.append(numpy_helper.from_array(rng.normal(0, 0.7, (n_in, n_out)).astype(np.float32),
                                         name + "_w"))
    inits.append(numpy_helper.from_array(rng.normal(0, 0.3, (n_out,)).astype(np.float32),
                                         name + "_b"))
    return helper.make_node("Gemm", [x, name + "_w", name + "_b"], [name], name=name)


def row(name, n):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", n])


def save_model(path, nodes, inits, inputs, outputs):
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def merge_model(path):
    """Four Gemm branches from one input, merged by every merge op; each merge is an output."""
    rng = np.random.default_rng(3)
    inits = []
    nodes = [gemm(rng, n, "x", 6, 4, inits) for n in "abcd"]
    outputs = []
    for i, (op, ins) in enumerate([("Add", "a b"), ("Sub", "a b"), ("Mul", "b c"),
                                   ("Sum", "a b c"), ("Mean", "a b c d"), ("Mean", "a b"),
                                   ("Max", "a b c"), ("Min", "a b")]):
        name = f"{op.lower()}{i}"
        nodes.append(helper.make_node(op, ins.split(), [name], name=name))
        outputs.append(row(name, 4))
    nodes.append(helper.make_node("Concat", ["a", "b", "c"], ["cat"], name="cat", axis=-1))
    outputs.append(row("cat", 12))
    save_model(path, nodes, inits, [row("x", 6)], outputs)


def activations_model(path):
    """PRelu, Elu, Softsign, Softplus and HardSigmoid (Keras 3's 1/6 and ONNX's default) on
    one Gemm, each an output."""
    rng = np.random.default_rng(4)
    inits = [numpy_helper.from_array(rng.uniform(-0.5, 0.8, (8,)).astype(np.float32), "slope")]
    nodes = [gemm(rng, "h", "x", 6, 8, inits)]
    outputs = []
    for i, (op, ins, attrs) in enumerate([
            ("PRelu", ["h", "slope"], {}), ("Elu", ["h"], {"alpha": 0.7}),
            ("Softsign", ["h"], {}), ("Softplus", ["h"], {}),
            ("HardSigmoid", ["h"], {"alpha": 1 / 6, "beta": 0.5}), ("HardSigmoid", ["h"], {})]):
        name = f"{op.lower()}{i}"
        nodes.append(helper.make_node(op, ins, [name], name=name, **attrs))
        outputs.append(row(name, 8))
    save_model(path, nodes, inits, [row("x", 6)], outputs)


def two_input_model(path):
    """Two graph inputs merged directly (the top's ports feed a merge)."""
    nodes = [helper.make_node("Add", ["x", "z"], ["s"], name="s"),
             helper.make_node("Max", ["s", "z"], ["y"], name="y")]
    save_model(path, nodes, [], [row("x", 5), row("z", 5)], [row("y", 5)])


# Mixed input types (a signed, b unsigned with another binary point, c round-to-even) and narrow
# results that round ties, saturate and wrap.
MIXED = ["--set", "LayerName.a.Precision.result=ap_fixed<12,4,AP_RND,AP_SAT>",
         "--set", "LayerName.b.Precision.result=ap_ufixed<10,3>",
         "--set", "LayerName.c.Precision.result=ap_fixed<14,7,AP_RND_CONV>",
         "--set", "LayerType.Average.Precision.result=ap_fixed<8,3,AP_RND_CONV,AP_SAT>",
         "--set", "LayerType.Multiply.Precision.result=ap_fixed<10,4,AP_RND>",
         "--set", "LayerType.Subtract.Precision.result=ap_fixed<8,2>",
         "--set", "LayerType.Concatenate.Precision.result=ap_fixed<9,3,AP_RND_ZERO,AP_SAT_SYM>"]
NEW_LAYER_MODELS = [
    ("merge_onnx", merge_model, MIXED),
    ("activations_onnx", activations_model,
     ["--set", "LayerName.h.Precision.result=ap_fixed<14,5,AP_RND,AP_SAT>",
      "--set", "LayerType.Softplus.TableSize=256",
      "--set", "LayerType.ELU.Precision.result=ap_fixed<10,4,AP_RND_CONV,AP_SAT>",
      "--set", "LayerType.HardSigmoid.Precision.result=ap_ufixed<8,0,AP_RND,AP_WRAP>"]),
    ("two_inputs", two_input_model,
     ["--set", "LayerName.z.Precision.result=ap_ufixed<9,4,AP_RND,AP_SAT>"]),
    ("two_inputs_stream", two_input_model,
     ["--set", "LayerName.z.Precision.result=ap_ufixed<9,4,AP_RND,AP_SAT>",
      "--set", "IOType=io_stream"]),
    ("keras3_merge", REPO / "tests" / "fixtures" / "keras3" / "keras_merge.keras",
     ["--set", "LayerType.Multiply.Precision.result=ap_fixed<12,3,AP_RND,AP_SAT>"]),
    ("keras3_activations", REPO / "tests" / "fixtures" / "keras3" / "keras_activations.keras", []),
    ("keras2_merge", REPO / "tests" / "fixtures" / "keras2" / "func_merge.h5", []),
    ("keras2_activations", REPO / "tests" / "fixtures" / "keras2" / "seq_activations.h5", []),
    ("keras2_prelu_elu", REPO / "tests" / "fixtures" / "keras2" / "seq_relu_family.h5", []),
]


@pytest.mark.parametrize("name,model,config", NEW_LAYER_MODELS,
                         ids=[m[0] for m in NEW_LAYER_MODELS])
def test_csim_new_layers_bit_identical(nnfpga_bin, tmp_path, name, model, config):
    if callable(model):
        path = tmp_path / f"{name}.onnx"
        model(path)
        model = path
    project = tmp_path / name
    run(nnfpga_bin, "convert", model, *config, "-o", project)
    runs, proc = csim(nnfpga_bin, project)
    assert set(runs) == {"nnfpga", "AMD"}, proc.stdout
    for headers, (samples, outputs, differ) in runs.items():
        assert samples == SAMPLES, headers
        assert outputs >= SAMPLES, headers
        assert differ == 0, f"{headers}: {proc.stdout}"


def hostile_model(path):
    """A Gemm-ReLU-Gemm-Softmax network whose every name is hostile to generated C++."""
    rng = np.random.default_rng(5)
    names = {
        "in": 'int"; system("rm -rf /"); //',
        "w1": "class",
        "b1": "w1 */ #define x",
        "fc1": "fc 1\\\n#include <evil>",
        "relu": "__Reserved",
        "w2": "2nd weight",
        "b2": "template<",
        "fc2": "fc1",  # collides with fc1 once sanitized
        "out": "return 0; }",
    }
    nodes = [
        helper.make_node("Gemm", [names["in"], names["w1"], names["b1"]], [names["fc1"]],
                         name=names["fc1"]),
        helper.make_node("Relu", [names["fc1"]], [names["relu"]], name=names["relu"]),
        helper.make_node("Gemm", [names["relu"], names["w2"], names["b2"]], [names["fc2"]],
                         name=names["fc2"]),
        helper.make_node("Softmax", [names["fc2"]], [names["out"]], name=names["out"], axis=-1),
    ]
    inits = [
        numpy_helper.from_array(rng.normal(0, 0.5, (6, 8)).astype(np.float32), names["w1"]),
        numpy_helper.from_array(rng.normal(0, 0.5, (8,)).astype(np.float32), names["b1"]),
        numpy_helper.from_array(rng.normal(0, 0.5, (8, 3)).astype(np.float32), names["w2"]),
        numpy_helper.from_array(rng.normal(0, 0.5, (3,)).astype(np.float32), names["b2"]),
    ]
    graph = helper.make_graph(
        nodes, "std::exit(1); //", [helper.make_tensor_value_info(names["in"], TensorProto.FLOAT,
                                                                 ["N", 6])],
        [helper.make_tensor_value_info(names["out"], TensorProto.FLOAT, ["N", 3])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return names


def test_hostile_names_give_safe_identifiers(nnfpga_bin, tmp_path):
    names = hostile_model(tmp_path / "hostile.onnx")
    project = tmp_path / "prj"
    run(nnfpga_bin, "convert", tmp_path / "hostile.onnx", "-o", project, "--top", "my top!")
    generated = "\n".join(p.read_text() for p in (project / "firmware").rglob("*.h")) + \
        "\n".join(p.read_text() for p in (project / "firmware").glob("*.cpp")) + \
        (project / "tb" / "my_top_test.cpp").read_text()
    for raw in names.values():
        if not re.fullmatch(r"\w+", raw):
            assert raw not in generated, raw
    assert "#include <evil>" not in generated and "system(" not in generated
    assert "#define x" not in generated
    runs, proc = csim(nnfpga_bin, project)
    assert {h: r[2] for h, r in runs.items()} == {"nnfpga": 0, "AMD": 0}, proc.stdout


def test_resource_strategy_and_reuse_factor(nnfpga_bin, tmp_path):
    project = tmp_path / "prj"
    run(nnfpga_bin, "convert", REPO / "bench" / "models" / "mlp_16_64_32_32_5.onnx",
        "--set", "Model.Strategy=Resource", "--set", "Model.ReuseFactor=4", "-o", project)
    top = top_cpp(project).read_text()
    params = (project / "firmware" / "parameters.h").read_text()
    assert "reuse_factor = 4" in params and "resource = true" in params
    assert "nnf::dense<" in top
    runs, proc = csim(nnfpga_bin, project)
    assert {h: r[2] for h, r in runs.items()} == {"nnfpga": 0, "AMD": 0}, proc.stdout


def test_io_stream(nnfpga_bin, tmp_path):
    project = tmp_path / "prj"
    run(nnfpga_bin, "convert", FIXTURES / "softmax_torch.onnx", "--set", "Model.IOType=io_stream",
        "-o", project)
    top = top_cpp(project).read_text()
    assert "hls::stream<nnf::packed<" in top and "INTERFACE axis" in top
    runs, proc = csim(nnfpga_bin, project)
    assert {h: r[2] for h, r in runs.items()} == {"nnfpga": 0, "AMD": 0}, proc.stdout


def test_csim_catches_a_corrupted_weight(nnfpga_bin, tmp_path):
    """The comparison can fail: one weight changed by one LSB in the generated project."""
    project = tmp_path / "prj"
    run(nnfpga_bin, "convert", FIXTURES / "gemm_torch.onnx", "-o", project)
    weights = sorted((project / "firmware" / "weights").glob("w_*.h"))[0]
    text = weights.read_text()
    first = re.search(r"\{\s*(-?[0-9.e+-]+)", text)
    value = float(first.group(1)) + 2.0 ** -10  # one LSB of the default ap_fixed<16,6>
    weights.write_text(text[:first.start(1)] + repr(value) + text[first.end(1):])
    runs, proc = csim(nnfpga_bin, project, expect=70, samples=500)
    assert runs["nnfpga"][2] > 0 and runs["AMD"][2] > 0, proc.stdout
    assert "differ from the emulator" in proc.stdout


def test_csim_refuses_a_directory_that_is_not_a_project(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "csim", tmp_path, expect=2)
    assert "not a project written by nnfpga convert" in proc.stderr


def test_report_sets_vendor_reports_beside_the_estimate(nnfpga_bin, tmp_path):
    """Real Vivado HLS 2020.1 and Vivado reports (tests/fixtures/reports/), placed where the
    vendor tools put them in a built project."""
    project = tmp_path / "prj"
    run(nnfpga_bin, "convert", FIXTURES / "gemm_torch.onnx", "-o", project, "--top", "myproject")
    reports = REPO / "tests" / "fixtures" / "reports" / "vivado-hls-2020.1"
    syn = project / "myproject_prj" / "solution1" / "syn" / "report"
    syn.mkdir(parents=True)
    (syn / "myproject_csynth.xml").write_bytes((reports / "myproject_csynth.xml").read_bytes())
    (project / "vivado_synth.rpt").write_bytes((reports / "vivado_synth.rpt").read_bytes())
    out = run(nnfpga_bin, "report", project).stdout
    rows = {line[:20].strip(): line[20:].split() for line in out.splitlines()[3:]}
    assert rows["latency (cycles)"][1:] == ["10", "-"]
    assert rows["interval (cycles)"][1:] == ["8", "-"]
    assert rows["DSP"][1:] == ["73", "66"]
    assert rows["LUT"][1:] == ["2532", "1526"]
    assert rows["FF"] == ["-", "7969", "2428"]
    estimate = __import__("json").loads((project / "estimate.json").read_text())
    assert rows["latency (cycles)"][0] == str(estimate["total"]["latency_cycles"])


def test_report_without_reports_says_how_to_get_them(nnfpga_bin, tmp_path):
    project = tmp_path / "prj"
    run(nnfpga_bin, "convert", FIXTURES / "gemm_torch.onnx", "-o", project)
    proc = run(nnfpga_bin, "report", project, expect=2)
    assert "no vendor reports found" in proc.stderr and "build_prj.tcl" in proc.stderr
