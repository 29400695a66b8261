"""The nnfpga command line, run as a user would: every subcommand's --help, the happy paths on the
bundled digits example and on the fixtures, and the exit codes of the documented failures
(docs/cli.md). The binary comes from NNFPGA_BIN (tools/run_tests.sh sets it)."""

import json
import subprocess

import numpy as np
import pytest

from conftest import REPO, example_input, fixture_params

DIGITS = REPO / "examples" / "digits"
MODEL = DIGITS / "digits_mlp.onnx"
X = DIGITS / "test_x.npy"
Y = DIGITS / "test_y.npy"
SUBCOMMANDS = ["show", "config", "predict", "trace", "evaluate", "convert", "csim", "report",
               "rtlsim", "tune"]


def run(nnfpga_bin, *args, expect=0):
    """Runs the CLI; checks the exit code and, for failures, the error line on stderr."""
    proc = subprocess.run([nnfpga_bin, *map(str, args)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == expect, (
        f"exit {proc.returncode}, expected {expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    if expect != 0:
        assert proc.stderr.startswith("nnfpga: error: "), proc.stderr
    return proc


# --- help and usage ------------------------------------------------------------------------------

def test_top_level_help_lists_subcommands(nnfpga_bin):
    out = run(nnfpga_bin, "--help").stdout
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help(nnfpga_bin, name):
    out = run(nnfpga_bin, name, "--help").stdout
    assert f"Usage: nnfpga {name}" in out
    assert ("PROJECT" if name in ("csim", "report", "rtlsim") else "MODEL") in out


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["show"], ["predict", MODEL],
                                  ["config", MODEL, "--granularity", "bogus"],
                                  ["trace", MODEL, "-i", X, "-o", "t", "--float", "--compare"]])
def test_usage_errors_exit_1(nnfpga_bin, args):
    run(nnfpga_bin, *args, expect=1)


# --- show and config -----------------------------------------------------------------------------

def test_show_prints_the_configured_ir(nnfpga_bin):
    out = run(nnfpga_bin, "show", MODEL).stdout
    assert "Dense" in out and "ap_fixed<16,6>" in out


def test_show_applies_set_and_config_files(nnfpga_bin, tmp_path):
    out = run(nnfpga_bin, "show", MODEL, "--set", "Model.Precision=ap_fixed<12,5>").stdout
    assert "ap_fixed<12,5>" in out
    cfg = tmp_path / "c.yml"
    cfg.write_text("Model:\n  Precision: ap_fixed<10,4>\n")
    out = run(nnfpga_bin, "show", MODEL, "-c", cfg).stdout
    assert "ap_fixed<10,4>" in out
    # --set is applied after the files.
    out = run(nnfpga_bin, "show", "-c", cfg, "--set", "Model.Precision=ap_fixed<9,3>", MODEL).stdout
    assert "ap_fixed<9,3>" in out and "ap_fixed<10,4>" not in out


def test_show_resolved(nnfpga_bin):
    out = run(nnfpga_bin, "show", MODEL, "--resolved").stdout
    assert "# resolved configuration" in out
    assert "ReuseFactor" in out
    plan = out[out.index("# implementation plan"):]
    assert "io_type: io_parallel" in plan
    assert "multiplier_limit:" in plan
    assert "<input> -> " in plan and " -> <output>: {transfer: array" in plan


def test_show_json_loads_back(nnfpga_bin, tmp_path):
    saved = tmp_path / "model.json"
    first = run(nnfpga_bin, "show", MODEL, "--set", "Model.Precision=ap_fixed<12,5>",
                "--json", saved).stdout
    json.loads(saved.read_text())
    again = run(nnfpga_bin, "show", saved).stdout
    assert again == first


PASSES = ["fold_constants", "fuse_matmul_add_into_dense", "fold_scale_shift",
          "fold_batchnorm_into_dense", "remove_identity", "fold_zero_padding_into_window",
          "remove_dead_nodes",
          "quantize_parameters"]


def test_show_passes_lists_the_pipeline_in_order(nnfpga_bin):
    out = run(nnfpga_bin, "show", "--passes").stdout
    names = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert names == PASSES
    assert out.startswith("canonicalization, in rounds until the graph stops changing:\n")
    assert "after configuration:\n  quantize_parameters" in out


def test_show_after_a_pass_prints_the_ir_at_that_point(nnfpga_bin):
    # MatMul + Add in ONNX: still so after fold_constants, a Dense after the fusion.
    model = REPO / "tests" / "fixtures" / "onnx" / "matmul_add_torch.onnx"
    first = run(nnfpga_bin, "show", model, "--after", "fold_constants").stdout
    assert first.startswith("# after fold_constants\n")
    assert "= MatMul(x)" in first and "Dense(" not in first and "ap_fixed" not in first
    fused = run(nnfpga_bin, "show", model, "--after", "fuse_matmul_add_into_dense").stdout
    assert "= Dense(x)" in fused and "MatMul(" not in fused and "AddConstant(" not in fused
    # The last pass is the configured IR that plain `show` prints.
    last = run(nnfpga_bin, "show", MODEL, "--after", "quantize_parameters").stdout
    assert last == "# after quantize_parameters\n" + run(nnfpga_bin, "show", MODEL).stdout


def test_show_after_an_unknown_pass_lists_the_valid_names(nnfpga_bin):
    err = run(nnfpga_bin, "show", MODEL, "--after", "fold_everything", expect=2).stderr
    assert "unknown pass 'fold_everything'; the passes, in order: " + ", ".join(PASSES) in err


def test_show_after_a_canonicalization_pass_refuses_configuration(nnfpga_bin):
    err = run(nnfpga_bin, "show", MODEL, "--after", "fold_constants", "--resolved",
              expect=2).stderr
    assert "before configuration" in err


@pytest.mark.parametrize("granularity", ["model", "type", "name"])
def test_config_writes_a_usable_starting_point(nnfpga_bin, tmp_path, granularity):
    out = run(nnfpga_bin, "config", MODEL, "--granularity", granularity).stdout
    assert "Model" in out
    for name in ["c.yml", "c.json"]:
        path = tmp_path / name
        run(nnfpga_bin, "config", MODEL, "-g", granularity, "-o", path)
        if name.endswith(".json"):
            json.loads(path.read_text())
        run(nnfpga_bin, "show", MODEL, "-c", path)
    if granularity == "name":
        assert "LayerName" in out


# --- predict, trace, evaluate --------------------------------------------------------------------

def test_predict_npy_and_csv(nnfpga_bin, tmp_path):
    out = tmp_path / "out.npy"
    proc = run(nnfpga_bin, "predict", MODEL, "-i", X, "-o", out, "--overflows")
    y = np.load(out)
    assert y.shape == (540, 10) and y.dtype == np.float32
    assert "result_overflows" in proc.stdout
    csv = tmp_path / "out.csv"
    run(nnfpga_bin, "predict", MODEL, "-i", X, "-o", csv)
    np.testing.assert_array_equal(np.loadtxt(csv, delimiter=",", dtype=np.float32), y)


def test_predict_float_and_dtype(nnfpga_bin, tmp_path):
    out = tmp_path / "f.npy"
    run(nnfpga_bin, "predict", MODEL, "--float", "-i", X, "-o", out, "--dtype", "float64")
    y = np.load(out)
    assert y.shape == (540, 10) and y.dtype == np.float64


def test_predict_accepts_any_shape_with_the_right_sample_size(nnfpga_bin, tmp_path):
    x = np.load(X)
    shaped = tmp_path / "x.npy"
    np.save(shaped, x.reshape(540, 8, 8).astype(np.float64))
    run(nnfpga_bin, "predict", MODEL, "-i", shaped, "-o", tmp_path / "a.npy")
    run(nnfpga_bin, "predict", MODEL, "-i", X, "-o", tmp_path / "b.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))
    csv_in = tmp_path / "x.csv"
    np.savetxt(csv_in, x[:5], delimiter=",", header=",".join(f"p{i}" for i in range(64)),
               comments="")
    run(nnfpga_bin, "predict", MODEL, "-i", csv_in, "-o", tmp_path / "c.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "c.npy"), np.load(tmp_path / "b.npy")[:5])


def test_trace_writes_every_layer(nnfpga_bin, tmp_path):
    out_dir = tmp_path / "trace"
    proc = run(nnfpga_bin, "trace", MODEL, "-i", X, "-o", out_dir, "--compare")
    index = json.loads((out_dir / "index.json").read_text())["layers"]
    assert len(index) >= 4
    for entry in index:
        array = np.load(out_dir / entry["file"])
        assert list(array.shape) == entry["shape"] and array.shape[0] == 540
        assert entry["layer"] in proc.stdout
    assert "max_abs_diff_vs_float" in proc.stdout
    assert np.load(out_dir / index[-1]["file"]).shape == (540, 10)


def test_trace_float(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "trace", MODEL, "-i", X, "-o", tmp_path / "t", "--float")
    assert "result_overflows" not in proc.stdout


def test_evaluate_digits(nnfpga_bin):
    out = run(nnfpga_bin, "evaluate", MODEL, "-i", X, "-l", Y,
              "--set", "Model.Precision=ap_fixed<16,7>").stdout
    assert "float accuracy:        0.9667 (522/540)" in out
    for line in ["fixed-point accuracy:", "agreement:", "max |fixed - float|:", "accum_overflows"]:
        assert line in out


@pytest.mark.parametrize("entry", fixture_params("accept"))
def test_predict_on_every_accepted_fixture(nnfpga_bin, tmp_path, entry):
    x = tmp_path / "x.npy"
    np.save(x, example_input(entry))
    batch = np.load(x).shape[0]
    outs = [tmp_path / f"y{i}.npy" for i in range(len(entry["outputs"]))]
    for mode in [[], ["--float"]]:
        args = [a for out in outs for a in ("-o", out)]
        run(nnfpga_bin, "predict", REPO / entry["file"], "-i", x, *args, *mode)
        for out in outs:
            assert np.load(out).shape[0] == batch


# --- exit codes of failures ----------------------------------------------------------------------

def test_missing_files_exit_2(nnfpga_bin, tmp_path):
    run(nnfpga_bin, "show", tmp_path / "missing.onnx", expect=2)
    run(nnfpga_bin, "predict", MODEL, "-i", tmp_path / "missing.npy", "-o", tmp_path / "o.npy",
        expect=2)
    run(nnfpga_bin, "show", MODEL, "-c", tmp_path / "missing.yml", expect=4)


def test_bad_inputs_exit_2(nnfpga_bin, tmp_path):
    proc = run(nnfpga_bin, "predict", MODEL, "-i", Y, "-o", tmp_path / "o.npy", expect=2)
    assert "does not fit the model input" in proc.stderr
    truncated = tmp_path / "t.npy"
    truncated.write_bytes(X.read_bytes()[:1000])
    proc = run(nnfpga_bin, "predict", MODEL, "-i", truncated, "-o", tmp_path / "o.npy", expect=2)
    assert str(truncated) in proc.stderr
    labels = tmp_path / "labels.npy"
    np.save(labels, np.arange(7))
    proc = run(nnfpga_bin, "evaluate", MODEL, "-i", X, "-l", labels, expect=2)
    assert "do not match the 540 input samples" in proc.stderr
    np.save(labels, np.full(540, 0.5))
    run(nnfpga_bin, "evaluate", MODEL, "-i", X, "-l", labels, expect=2)


@pytest.mark.parametrize("entry", fixture_params("refuse"))
def test_unsupported_models_exit_3(nnfpga_bin, entry):
    run(nnfpga_bin, "show", REPO / entry["file"], expect=3)


@pytest.mark.parametrize("assignment", ["Model.Bogus=1", "LayerName.no_such_layer.ReuseFactor=2",
                                        "Model.Precision=ap_fixed<banana>"])
def test_bad_configuration_exits_4(nnfpga_bin, assignment):
    proc = run(nnfpga_bin, "show", MODEL, "--set", assignment, expect=4)
    assert "key" in proc.stderr


def test_bad_config_file_exits_4(nnfpga_bin, tmp_path):
    cfg = tmp_path / "bad.yml"
    cfg.write_text("Model: [unclosed\n")
    run(nnfpga_bin, "show", MODEL, "-c", cfg, expect=4)


# --- what a new user tripped on (issue 15) -------------------------------------------------------

def test_version(nnfpga_bin):
    out = run(nnfpga_bin, "--version").stdout
    assert out.startswith("nnfpga ") and out.strip().split()[1][0].isdigit(), out


def test_help_shows_one_value_per_repeatable_option(nnfpga_bin):
    out = run(nnfpga_bin, "predict", "--help").stdout
    line = next(line for line in out.splitlines() if "-i,--input" in line)
    assert "TEXT ..." not in line, line


def test_unbatched_sample_is_told_to_reshape(nnfpga_bin, tmp_path):
    sample = tmp_path / "one.npy"
    np.save(sample, np.load(X)[0])  # shape [64], the model input [64]
    proc = run(nnfpga_bin, "predict", MODEL, "-i", sample, "-o", tmp_path / "o.npy", expect=2)
    assert ("array of shape [64] holds one sample of the model input [64] without a batch axis: "
            "the first axis is the batch; reshape it to [1, 64]") in proc.stderr, proc.stderr


def test_predict_creates_the_output_folder(nnfpga_bin, tmp_path):
    out = tmp_path / "missing_dir" / "deeper" / "out.npy"
    run(nnfpga_bin, "predict", MODEL, "-i", X, "-o", out)
    assert np.load(out).shape == (540, 10)


def test_predict_reads_float16(nnfpga_bin, tmp_path):
    x16 = tmp_path / "x16.npy"
    np.save(x16, np.load(X).astype(np.float16))
    run(nnfpga_bin, "predict", MODEL, "-i", x16, "-o", tmp_path / "o16.npy")
    x64 = tmp_path / "x64.npy"
    np.save(x64, np.load(x16).astype(np.float64))  # the same values, exactly
    run(nnfpga_bin, "predict", MODEL, "-i", x64, "-o", tmp_path / "o64.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "o16.npy"), np.load(tmp_path / "o64.npy"))


def test_misplaced_overflow_mode_is_named(nnfpga_bin):
    proc = run(nnfpga_bin, "show", MODEL, "--set", "Model.Precision=ap_ufixed<16,6,AP_SAT>",
               expect=4)
    assert proc.stderr == (
        "nnfpga: error: key 'Model.Precision': bad fixed-point type 'ap_ufixed<16,6,AP_SAT>': "
        "AP_SAT is an overflow mode; it goes after the quantization mode, e.g. "
        "ap_ufixed<16,6,AP_TRN,AP_SAT>\n"), proc.stderr


def test_shadowed_model_precision_warns(nnfpga_bin, tmp_path):
    config = tmp_path / "config.yml"
    run(nnfpga_bin, "config", MODEL, "--granularity", "name", "-o", config)
    proc = run(nnfpga_bin, "show", MODEL, "-c", config)
    assert "warning" not in proc.stderr, proc.stderr
    proc = run(nnfpga_bin, "show", MODEL, "-c", config, "--set", "Model.Precision=ap_fixed<12,5>")
    assert proc.stderr.startswith(
        "nnfpga: warning: 'Model.Precision' changes no layer: every layer it applies to takes "
        "that value from a more specific level (LayerName."), proc.stderr


def test_layer_name_entries_of_removed_layers_warn(nnfpga_bin, tmp_path):
    # hls4ml's name-granularity configurations name every Keras layer, the Dropout and the
    # BatchNormalization that nnfpga folds into the Dense before it included.
    import keras

    model = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(4, name="fc1"),
        keras.layers.Dropout(0.2, name="drop"),
        keras.layers.BatchNormalization(name="bn"),
        keras.layers.Dense(2, name="fc2"),
    ])
    path = tmp_path / "m.keras"
    model.save(path)
    config = tmp_path / "c.yml"
    config.write_text("LayerName:\n  drop: {Precision: 'ap_fixed<8,3>'}\n"
                      "  bn: {Precision: {result: 'ap_fixed<10,4>'}}\n")
    proc = run(nnfpga_bin, "show", path, "-c", config)
    assert proc.stderr == (
        "nnfpga: warning: 'LayerName.bn' changes nothing: the layer 'bn' is not in the compiled "
        "model (folded into 'fc1'; set its types there; `nnfpga show --passes` lists what each "
        "pass removes)\n"
        "nnfpga: warning: 'LayerName.drop' changes nothing: the layer 'drop' is not in the "
        "compiled model (dropped: an Identity, a Dropout, or a layer no output reads; `nnfpga "
        "show --passes` lists what each pass removes)\n"), proc.stderr
    config.write_text("LayerName:\n  bnn: {ReuseFactor: 1}\n")
    proc = run(nnfpga_bin, "show", path, "-c", config, expect=4)
    assert "the model has no layer named 'bnn'" in proc.stderr, proc.stderr


def test_resolved_output_is_not_a_configuration(nnfpga_bin, tmp_path):
    # docs/cli.md says so: the printout is final values, refused by -c.
    out = run(nnfpga_bin, "show", MODEL, "--resolved").stdout
    resolved = tmp_path / "resolved.yml"
    resolved.write_text(out.split("# resolved configuration\n", 1)[1])
    proc = run(nnfpga_bin, "show", MODEL, "-c", resolved, expect=4)
    assert "Model settings" in proc.stderr, proc.stderr


def test_project_commands_name_the_other_backend(nnfpga_bin, tmp_path):
    rtl = tmp_path / "rtl"
    run(nnfpga_bin, "convert", MODEL, "--backend", "verilog", "-o", rtl)
    proc = run(nnfpga_bin, "csim", rtl, expect=2)
    assert proc.stderr == (f"nnfpga: error: {rtl} is a Verilog project (convert --backend "
                           f"verilog); `csim` reads HLS projects: run `nnfpga rtlsim {rtl}` "
                           "instead\n"), proc.stderr
    proc = run(nnfpga_bin, "report", rtl, expect=2)
    assert f"run `nnfpga rtlsynth {rtl}` instead" in proc.stderr, proc.stderr
    assert "build_prj.tcl" not in proc.stderr
    hls = tmp_path / "hls"
    run(nnfpga_bin, "convert", MODEL, "-o", hls)
    proc = run(nnfpga_bin, "rtlsim", hls, expect=2)
    assert f"`rtlsim` reads Verilog projects: run `nnfpga csim {hls}` instead" in proc.stderr


def test_quantizer_clipping_is_no_overflow(nnfpga_bin, tmp_path):
    fixtures = REPO / "tests" / "fixtures" / "keras2"
    x = tmp_path / "x.npy"
    np.save(x, np.load(fixtures / "qkeras_relu.x.npy")[:2000])
    out = run(nnfpga_bin, "predict", fixtures / "qkeras_relu.h5", "-i", x, "-o",
              tmp_path / "y.npy", "--overflows").stdout
    lines = out.splitlines()
    header = lines[0].split()
    assert header[-1] == "quantizer_clips", header
    rows = {line.split()[0]: dict(zip(header, line.split())) for line in lines[1:]}
    # quantized_bits(8,I) on the raw input clips about a third of the inputs by definition.
    assert int(rows["x"]["quantizer_clips"]) > 0 and rows["x"]["result_overflows"] == "0", out


def test_weights_option_and_the_file_found_beside_a_keras_json(nnfpga_bin, tmp_path):
    fixtures = REPO / "tests" / "fixtures" / "keras2"
    beside = run(nnfpga_bin, "show", fixtures / "json_func_mlp.json")
    note = (f"nnfpga: note: reading the weights from {fixtures / 'json_func_mlp_weights.h5'}, "
            f"found beside {fixtures / 'json_func_mlp.json'}")
    assert note in beside.stderr, beside.stderr
    assert "json_func_mlp.weights.h5 is there too, not read" in beside.stderr, beside.stderr
    alone = tmp_path / "arch.json"
    alone.write_bytes((fixtures / "keras20_seq_mlp.json").read_bytes())
    proc = run(nnfpga_bin, "config", alone, expect=2)
    assert "expected arch_weights.h5, arch.weights.h5 or arch.h5 beside it" in proc.stderr
    x = tmp_path / "x.npy"
    np.save(x, np.load(fixtures / "keras20_seq_mlp.x.npy")[:50])
    weights = fixtures / "keras20_seq_mlp_weights.h5"
    for command in (["show"], ["config"], ["predict", "-i", x, "-o", tmp_path / "y.npy"],
                    ["trace", "-i", x, "-o", tmp_path / "trace"],
                    ["convert", "-o", tmp_path / "prj"]):
        proc = run(nnfpga_bin, command[0], alone, "--weights", weights, *command[1:])
        assert "note:" not in proc.stderr, proc.stderr
    proc = run(nnfpga_bin, "show", fixtures / "seq_bn_reshape.h5", "--weights", weights, expect=2)
    assert "goes with a Keras architecture .json" in proc.stderr, proc.stderr
