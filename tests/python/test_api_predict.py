"""nnfpga's Python API on PyTorch 2.13 and Keras 3 (torch backend) models: predictions agree
with the framework within the rigorous quantization bound (bound.py), agree bit for bit with the
CLI, take any batch size, and trace by the framework's layer names."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import api_models
import bound
from conftest import run_cli

import nnfpga

# Wide enough that inputs in [-2, 2] overflow nowhere, so that the rounding bound applies.
CONFIG = {"Model": {"Precision": "ap_fixed<20,8,AP_RND,AP_SAT>"}}
FLOAT32_SLACK = 1e-4  # the framework computes in float32, bound.py in double


def inputs(n, width, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, size=(n, width)).astype(np.float32)


def torch_forward(module, x):
    import torch

    with torch.no_grad():
        return module(torch.from_numpy(x)).numpy().astype(np.float64)


def keras_forward(model, x):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=np.float64)


def check_within_bound(model, x, framework, record_property, label):
    """|fixed - framework| <= bound + float32 slack, with no overflow; reports the difference."""
    counts = model.overflows(x)
    assert not any(c["result"] or c["accum"] for c in counts.values()), counts
    fixed = model.predict(x)
    value = bound.output_bounds(json.loads(model.graph.to_json()), [x.astype(np.float64)])[0]
    float_ir = value.x.reshape(fixed.shape)
    np.testing.assert_allclose(model.predict(x, mode="float"), float_ir, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(float_ir, framework, rtol=FLOAT32_SLACK, atol=FLOAT32_SLACK)
    err = np.abs(fixed - framework)
    allowed = value.e.reshape(fixed.shape) + FLOAT32_SLACK * (1 + np.abs(framework))
    worst = float(np.max(err / allowed))
    record_property(f"{label}_max_abs_fixed_vs_framework", float(err.max()))
    record_property(f"{label}_worst_fraction_of_bound", worst)
    print(f"{label}: max |fixed - framework| = {err.max():.4g}, "
          f"worst fraction of the bound {worst:.3f}")
    assert np.all(err <= allowed), f"{label}: fixed point strays beyond the quantization bound"


@pytest.mark.parametrize("exporter", ["dynamo", "torchscript"])
def test_torch_mlp_within_quantization_bound(exporter, tmp_path, record_property):
    module = api_models.torch_mlp()
    x = inputs(2000, 16)
    model = nnfpga.convert(module, hls_config=CONFIG, example_input=x[:1], exporter=exporter,
                           output_dir=str(tmp_path))
    check_within_bound(model, x, torch_forward(module, x), record_property, f"mlp_{exporter}")


def test_torch_table_activations_within_quantization_bound(tmp_path, record_property):
    module = api_models.torch_activations()
    x = inputs(2000, 8, seed=1)
    config = {"Model": {"Precision": "ap_fixed<20,8,AP_RND,AP_SAT>"},
              "LayerType": {"Activation": {"TableSize": 4096}}}
    model = nnfpga.convert(module, hls_config=config, input_shape=(8,), output_dir=str(tmp_path))
    check_within_bound(model, x, torch_forward(module, x), record_property, "activations")


def test_keras_model_within_quantization_bound(tmp_path, record_property):
    keras_model = api_models.keras_mlp()
    x = inputs(2000, 10, seed=2)
    model = nnfpga.convert(keras_model, hls_config=CONFIG, output_dir=str(tmp_path))
    check_within_bound(model, x, keras_forward(keras_model, x), record_property, "keras")


def test_keras_file_path(tmp_path, record_property):
    keras_model = api_models.keras_mlp()
    path = tmp_path / "kmlp.keras"
    keras_model.save(path)
    x = inputs(500, 10, seed=3)
    model = nnfpga.convert(str(path), hls_config=CONFIG, output_dir=str(tmp_path / "prj"))
    check_within_bound(model, x, keras_forward(keras_model, x), record_property, "keras_file")


def test_trace_keys_follow_layer_names(tmp_path):
    x = inputs(3, 8)
    for exporter in ("dynamo", "torchscript"):
        model = nnfpga.convert(api_models.torch_activations(), input_shape=(8,),
                               exporter=exporter, output_dir=str(tmp_path))
        trace = model.trace(x)
        layers = [k for k in trace if k not in model.inputs]
        assert layers == ["fc1", "gate", "block_0", "block_1", "fc3", "leaky", "head", "probs"], \
            (exporter, list(trace))
        assert trace["probs"].shape == (3, 4)
        np.testing.assert_array_equal(trace["probs"], model.predict(x))

    # Keras's export loses the layer names; nnfpga restores them (hls4ml's '<dense>_<act>').
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no fallback to the exporter's names
        keras_model = nnfpga.convert(api_models.keras_mlp(), output_dir=str(tmp_path))
    assert list(keras_model.trace(inputs(2, 10))) == [
        "features", "hidden", "hidden_relu", "squash", "squash_tanh", "logits"]


def test_names_do_not_depend_on_the_exporter(tmp_path):
    """A configuration made with the default (dynamo) exporter names the same layers as the
    torchscript export: the input is forward's parameter name, not 'onnx::Gemm_0'."""
    import torch

    class Named(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(16, 8)

        def forward(self, input):  # noqa: A002 - the name the user's model has
            return self.fc1(input)

    module = Named().eval()
    config = nnfpga.config_from_model(module, input_shape=(16,), granularity="name",
                                      default_precision="ap_fixed<16,6>")
    assert "input" in config["LayerName"], config
    models = {exporter: nnfpga.convert(module, hls_config=config, input_shape=(16,),
                                       exporter=exporter, output_dir=str(tmp_path / exporter))
              for exporter in ("dynamo", "torchscript")}
    assert models["dynamo"].inputs == models["torchscript"].inputs == ["input"]
    x = inputs(5, 16)
    np.testing.assert_array_equal(models["dynamo"].predict(x), models["torchscript"].predict(x))


def test_any_batch_size_and_single_sample(tmp_path):
    model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), output_dir=str(tmp_path))
    x = inputs(1025, 16, seed=4)
    whole = model.predict(x)
    assert whole.shape == (1025, 5) and whole.dtype == np.float64
    for n in (1, 2, 7, 64, 1000):
        np.testing.assert_array_equal(model.predict(x[:n]), whole[:n])
    single = model.predict(x[5])
    assert single.shape == (5,)
    np.testing.assert_array_equal(single, whole[5])
    np.testing.assert_array_equal(model.predict(x.tolist()), whole)  # nested lists
    np.testing.assert_array_equal(model.predict(x.astype(np.float64)[::1]), whole)
    strided = np.repeat(x, 2, axis=0)[::2]  # not contiguous
    np.testing.assert_array_equal(model.predict(strided), whole)
    np.testing.assert_array_equal(model.predict(x, threads=1), whole)


def test_predict_is_bit_identical_to_the_cli(nnfpga_bin, tmp_path, repo_root):
    onnx = repo_root / "examples" / "digits" / "digits_mlp.onnx"
    config = repo_root / "examples" / "digits" / "config.yml"
    x = np.load(repo_root / "examples" / "digits" / "test_x.npy")
    np.save(tmp_path / "x.npy", x.astype(np.float64))
    run_cli(nnfpga_bin, "predict", onnx, "-c", config, "-i", tmp_path / "x.npy", "-o",
            tmp_path / "y.npy", "--dtype", "float64")
    hls_config = {"Model": {"Precision": "ap_fixed<16,7>", "ReuseFactor": 1,
                            "Strategy": "Latency"}}
    model = nnfpga.convert(str(onnx), hls_config=hls_config, output_dir=str(tmp_path / "prj"))
    got = model.predict(x)
    want = np.load(tmp_path / "y.npy")
    assert got.view(np.int64).tolist() == want.view(np.int64).tolist()


def test_overflow_counts_match_the_cli(nnfpga_bin, tmp_path, repo_root):
    onnx = repo_root / "examples" / "digits" / "digits_mlp.onnx"
    x = np.load(repo_root / "examples" / "digits" / "test_x.npy")
    np.save(tmp_path / "x.npy", x)
    proc = run_cli(nnfpga_bin, "predict", onnx, "-i", tmp_path / "x.npy", "-o",
                   tmp_path / "y.npy", "--overflows", "--set", "Model.Precision=ap_fixed<10,3>")
    model = nnfpga.convert(str(onnx), hls_config={"Model": {"Precision": "ap_fixed<10,3>"}},
                           output_dir=str(tmp_path / "prj"))
    counts = model.overflows(x)
    assert sum(c["result"] for c in counts.values()) > 0
    for line in proc.stdout.splitlines()[1:]:
        cells = line.split()
        if len(cells) == 6 and cells[0] in counts:
            c = counts[cells[0]]
            assert [c["values"], c["result"], c["accum"], c["param"]] == \
                [int(v) for v in cells[2:]], line
