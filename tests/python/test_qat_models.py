"""Quantization-aware models through the Python API, against the frameworks' own outputs saved
beside them (tests/fixtures/keras2/qkeras_*, tests/fixtures/qonnx/): every layer's trace of the
QKeras models (dense and CNN), and the QONNX quantizers that the hand-written model mixes with
refused ones."""

from pathlib import Path

import numpy as np
import onnx
import pytest

import nnfpga
from conftest import REPO

KERAS2 = REPO / "tests" / "fixtures" / "keras2"
QONNX = REPO / "tests" / "fixtures" / "qonnx"


def trace_node(keras_layer, trace):
    """The nnfpga layer holding a Keras layer's output: itself, or the activation a QDense
    adds after itself (<name>_<quantizer kind>)."""
    activation = [k for k in trace if k.startswith(keras_layer + "_quantized_")]
    return activation[0] if activation else keras_layer


@pytest.mark.parametrize("stem", ["qkeras_dense_8bit", "qkeras_dense_6bit", "qkeras_relu"])
def test_every_qkeras_layer_equals_qkeras(stem):
    model = nnfpga.convert(str(KERAS2 / f"{stem}.h5"))
    want = np.load(KERAS2 / f"{stem}.trace.npz")
    x = np.load(KERAS2 / f"{stem}.x.npy")[: want[want.files[0]].shape[0]]
    got = model.trace(x)
    assert len(want.files) >= 5
    for layer in want.files:
        name = trace_node(layer, got)
        # QKeras leaves QDense's sums in float32; they are exact here (at most 21 significant
        # bits), so even the unquantized layers match bit for bit.
        np.testing.assert_array_equal(got[name], want[layer], err_msg=f"{layer} ({name})")
    # The exact sums never overflow; only the quantizers (and the input, quantized by q_in's
    # type) saturate, as QKeras's do.
    ops = {k: v["op"] for k, v in model.resolved_config()["LayerName"].items()}
    dense = {k: v for k, v in model.overflows(x).items() if ops[k] == "Dense"}
    assert dense and all(v["result"] + v["accum"] == 0 for v in dense.values()), dense


@pytest.mark.parametrize("stem", ["qkeras_depthwise", "qkeras_depthwise_bn", "qkeras_separable",
                                  "qkeras_separable1d", "qkeras_avgpool", "qkeras_avgpool_plain"])
def test_every_qkeras_cnn_layer_equals_qkeras(stem):
    """The depthwise, separable and average-pooling layers one by one on the traced rows: the
    layer's output node (a global pool's Reshape, or the activation it adds) equals QKeras's."""
    model = nnfpga.convert(str(KERAS2 / f"{stem}.h5"))
    want = np.load(KERAS2 / f"{stem}.trace.npz")
    x = np.load(KERAS2 / f"{stem}.x.npy")[: want[want.files[0]].shape[0]]
    got = model.trace(x)
    assert len(want.files) >= 4
    for layer in want.files:
        name = trace_node(layer, got)
        np.testing.assert_array_equal(got[name], want[layer], err_msg=f"{layer} ({name})")


def hand_ops_subset(keep_outputs):
    """qonnx_hand_ops.onnx with only the nodes behind `keep_outputs`."""
    m = onnx.load(QONNX / "qonnx_hand_ops.onnx")
    needed, keep = set(keep_outputs), []
    for node in reversed(m.graph.node):
        if any(o in needed for o in node.output):
            keep.append(node)
            needed.update(node.input)
    del m.graph.node[:]
    m.graph.node.extend(reversed(keep))
    outs = [o for o in m.graph.output if o.name in keep_outputs]
    del m.graph.output[:]
    m.graph.output.extend(outs)
    return m.SerializeToString()


def test_qonnx_round_floor_and_trunc_equal_qonnx():
    """Quant ROUND (ap_fixed<6,2,AP_RND_CONV,AP_SAT>), FLOOR narrow (AP_TRN, AP_SAT_SYM) and
    Trunc v2 FLOOR of the ROUND output, on 10,000 rows aimed at their ties and both ends."""
    columns = {"y_round": (0, 2), "y_floor": (2, 4), "y_trunc": (10, 12)}
    # The input feeds two quantizers of different types, so it keeps a configured type: one that
    # holds every input exactly (|x| < 40, 38 fraction bits), so that each quantizer rounds once.
    config = {"LayerName": {"x": {"Precision": {"result": "ap_fixed<45,7>"}}}}
    model = nnfpga.convert(hand_ops_subset(list(columns)), hls_config=config)
    x = np.load(QONNX / "qonnx_hand_ops.x.npy")
    y = np.load(QONNX / "qonnx_hand_ops.y.npy")
    got = model.predict(x)
    # The quantizers saturate at both ends by their definition: counted as clipped, not as
    # overflows of a chosen type.
    counts = model.overflows(x)
    assert sum(v["clipped"] for v in counts.values()) > 0
    assert sum(v["result"] for v in counts.values()) == 0 and counts["x"]["clipped"] == 0
    assert set(model.resolved_config()["LayerName"]) == {
        "x", "quant_round", "quant_floor", "trunc_floor"}
    outputs = dict(zip(["y_round", "y_floor", "y_trunc"], got))
    for name, (lo, hi) in columns.items():
        np.testing.assert_array_equal(outputs[name], y[:, lo:hi], err_msg=name)
    types = {k: v["Precision"]["result"] for k, v in model.resolved_config()["LayerName"].items()}
    assert types["quant_floor"] == "ap_fixed<5,2,AP_TRN,AP_SAT_SYM>"
    assert types["trunc_floor"] == "ap_fixed<4,2,AP_TRN,AP_SAT>"
