"""Arrays in the model file's own layout (Graph.source_axes): a port recorded as channels-first
takes and returns its arrays transposed, in Python and in the CLI, and equals the channels-last
run. Also the words of issue 14: backend = hls, tool = vitis | vivado, and the summary's reuse
factor column from the op table."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import run_cli

import nnfpga


def per_position_model(tmp_path):
    """x [4 positions, 8 channels] -> Linear(8, 3) at each position -> y [4, 3], saved as nnfpga
    IR with both ports recorded channels-first ([8, 4] and [3, 4] in the file)."""
    import torch

    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(8, 3))
    graph = nnfpga.convert(module, input_shape=(4, 8), exporter="torchscript").graph
    ir = json.loads(graph.to_json())
    ir["source_axes"] = {ir["inputs"][0]: [1, 0], ir["outputs"][0]: [1, 0]}
    path = tmp_path / "per_position.json"
    path.write_text(json.dumps(ir))
    return path


def test_predict_and_trace_in_the_source_layout(tmp_path):
    model = nnfpga.convert(str(per_position_model(tmp_path)))
    x_ir = np.random.default_rng(0).uniform(-2, 2, size=(5, 4, 8))
    x_source = np.ascontiguousarray(x_ir.transpose(0, 2, 1))
    y_ir = model.predict(x_ir, layout="ir")
    y_source = model.predict(x_source)  # the default: the file's layout
    assert y_ir.shape == (5, 4, 3) and y_source.shape == (5, 3, 4)
    np.testing.assert_array_equal(y_source, y_ir.transpose(0, 2, 1))
    # A single sample in the source layout drops its batch axis, as in the IR layout.
    np.testing.assert_array_equal(model.predict(x_source[0]), y_source[0])
    trace = model.trace(x_source)
    np.testing.assert_array_equal(trace[model.outputs[0]], y_source)
    # Results do not depend on the memory budget.
    np.testing.assert_array_equal(model.predict(x_source, memory_budget_mib=1), y_source)
    with pytest.raises(nnfpga.InputError, match="layout"):
        model.predict(x_source, layout="nchw")


def test_cli_predict_in_the_source_layout(nnfpga_bin, tmp_path):
    path = per_position_model(tmp_path)
    x_ir = np.random.default_rng(1).uniform(-2, 2, size=(3, 4, 8))
    np.save(tmp_path / "x_ir.npy", x_ir)
    np.save(tmp_path / "x_src.npy", np.ascontiguousarray(x_ir.transpose(0, 2, 1)))
    run_cli(nnfpga_bin, "predict", str(path), "-i", str(tmp_path / "x_src.npy"), "-o",
            str(tmp_path / "y_src.npy"), "--dtype", "float64")
    run_cli(nnfpga_bin, "predict", str(path), "-i", str(tmp_path / "x_ir.npy"), "-o",
            str(tmp_path / "y_ir.npy"), "--dtype", "float64", "--layout", "ir")
    y_src, y_ir = np.load(tmp_path / "y_src.npy"), np.load(tmp_path / "y_ir.npy")
    np.testing.assert_array_equal(y_src, y_ir.transpose(0, 2, 1))


def test_backend_and_tool_have_one_meaning_each():
    import api_models

    m = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), exporter="torchscript")
    assert (m.backend, m.tool) == ("hls", "vitis")
    m = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), exporter="torchscript",
                       tool="vivado")
    assert (m.backend, m.tool) == ("hls", "vivado")
    # hls4ml's spelling names the tool.
    m = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), exporter="torchscript",
                       backend="Vivado")
    assert (m.backend, m.tool) == ("hls", "vivado")
    m = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), exporter="torchscript",
                       backend="verilog")
    assert (m.backend, m.tool) == ("verilog", "")
    with pytest.raises(nnfpga.ConfigError, match="Verilog backend has none"):
        nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), backend="verilog",
                       tool="vivado")
    with pytest.raises(nnfpga.UnsupportedError, match="'verilog'"):
        nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), backend="quartus")
    with pytest.raises(nnfpga.UnsupportedError, match="tool"):
        nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), tool="quartus")


def test_summary_shows_reuse_factors_where_the_op_table_says_they_apply():
    import api_models

    m = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), exporter="torchscript",
                       hls_config={"Model": {"ReuseFactor": 2}})
    layers = {layer["name"]: layer for layer in m.layers()}
    dense = [n for n, layer in layers.items() if layer["op"] == "Dense"]
    relu = [n for n, layer in layers.items() if layer["op"] == "ReLU"]
    assert dense and relu
    assert all(layers[n]["shares_multipliers"] for n in dense)
    assert not any(layers[n]["shares_multipliers"] for n in relu)
    # The layer table comes first, then (after a blank line) the estimate's.
    table = m.summary(print_fn=None).split("\n\n")[0].splitlines()
    for line in table:
        name = line.split()[0] if line.split() else ""
        if name in relu:
            assert line.rstrip().endswith("-")
        if name in dense:
            assert line.rstrip().endswith("2")
