"""Brevitas modules read through torch.fx against Brevitas's own QONNX export
(brevitas.export.export_qonnx, dynamo) read by the same reader: the same layers, bit-identical
predictions, and Brevitas's own outputs.

Brevitas is not among the Python packages the main test environment has: these tests run in
the QAT environment tools/make_qat_fixtures.sh creates (build/venv-qat), e.g.
  PYTHONPATH=<nnfpga> build/venv-qat/bin/python -m pytest tests/python/test_torch_fx_brevitas.py
"""

import tempfile
from pathlib import Path

import numpy as np
import pytest

import nnfpga

brevitas = pytest.importorskip("brevitas", reason="Brevitas lives in build/venv-qat")
torch = pytest.importorskip("torch")
qnn = pytest.importorskip("brevitas.nn")
fixed_point = pytest.importorskip("brevitas.quant.fixed_point")
scaled_int = pytest.importorskip("brevitas.quant.scaled_int")


class Stack(torch.nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.names = [name for name, _ in layers]
        for name, layer in layers:
            setattr(self, name, layer)

    def forward(self, x):
        for name in self.names:
            x = getattr(self, name)(x)
        return x


def per_tensor():
    """Power-of-two per-tensor quantizers end to end: 8-bit signed input, 6- and 8-bit narrow
    weights, Int32Bias on the input scale times the weight scale, 4-bit unsigned QuantReLU and
    an 8-bit quantized output."""
    torch.manual_seed(0)
    act, uact = fixed_point.Int8ActPerTensorFixedPoint, fixed_point.Uint8ActPerTensorFixedPoint
    weight = fixed_point.Int8WeightPerTensorFixedPoint
    return Stack([
        ("inp", qnn.QuantIdentity(act_quant=act, bit_width=8, min_val=-4.0, max_val=4.0,
                                  return_quant_tensor=True)),
        ("fc1", qnn.QuantLinear(6, 8, bias=True, weight_quant=weight, weight_bit_width=6,
                                bias_quant=scaled_int.Int32Bias, return_quant_tensor=True)),
        ("act", qnn.QuantReLU(act_quant=uact, bit_width=4, max_val=2.0,
                              return_quant_tensor=True)),
        ("fc2", qnn.QuantLinear(8, 3, bias=True, weight_quant=weight,
                                bias_quant=scaled_int.Int32Bias, return_quant_tensor=True)),
        ("out", qnn.QuantIdentity(act_quant=act, bit_width=8, min_val=-8.0, max_val=8.0)),
    ]).eval()


def per_channel():
    """Per-channel weights (not narrow), a float bias, an 8-bit QuantReLU and a float head."""
    torch.manual_seed(1)
    return Stack([
        ("inp", qnn.QuantIdentity(act_quant=fixed_point.Int8ActPerTensorFixedPoint, bit_width=6,
                                  min_val=-2.0, max_val=2.0, return_quant_tensor=True)),
        ("fc1", qnn.QuantLinear(6, 8, bias=True,
                                weight_quant=fixed_point.Int8WeightPerChannelFixedPoint,
                                bias_quant=None)),
        ("act", qnn.QuantReLU(act_quant=fixed_point.Uint8ActPerTensorFixedPoint, bit_width=8,
                              max_val=4.0, return_quant_tensor=True)),
        ("fc2", qnn.QuantLinear(8, 3, bias=True,
                                weight_quant=fixed_point.Int8WeightPerTensorFixedPoint,
                                bias_quant=None)),
    ]).eval()


def conv_net():
    """QuantConv2d with Int32Bias between quantized activations, a max pool and Flatten on the
    quantized tensor, a QuantLinear head with a quantized output."""
    torch.manual_seed(3)
    act, uact = fixed_point.Int8ActPerTensorFixedPoint, fixed_point.Uint8ActPerTensorFixedPoint
    weight = fixed_point.Int8WeightPerTensorFixedPoint
    return Stack([
        ("inp", qnn.QuantIdentity(act_quant=act, bit_width=8, min_val=-4.0, max_val=4.0,
                                  return_quant_tensor=True)),
        ("conv", qnn.QuantConv2d(2, 4, 3, padding=1, bias=True, weight_quant=weight,
                                 weight_bit_width=6, bias_quant=scaled_int.Int32Bias,
                                 return_quant_tensor=True)),
        ("act", qnn.QuantReLU(act_quant=uact, bit_width=4, max_val=2.0,
                              return_quant_tensor=True)),
        ("pool", torch.nn.MaxPool2d(2)),
        ("flat", torch.nn.Flatten()),
        ("fc", qnn.QuantLinear(4 * 3 * 3, 3, bias=True, weight_quant=weight,
                               bias_quant=scaled_int.Int32Bias, return_quant_tensor=True)),
        ("out", qnn.QuantIdentity(act_quant=act, bit_width=8, min_val=-8.0, max_val=8.0)),
    ]).eval()


def _exported(module, shape):
    from brevitas.export import export_qonnx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.onnx"
        export_qonnx(module, torch.zeros(1, *shape), export_path=str(path), dynamo=True)
        return nnfpga.convert(str(path), output_dir=tmp)


@pytest.mark.parametrize("make, shape", [(per_tensor, (6,)), (per_channel, (6,)),
                                         (conv_net, (2, 6, 6))],
                         ids=["per_tensor", "per_channel", "conv"])
def test_brevitas_through_fx_equals_its_qonnx_export(make, shape, tmp_path):
    module = make()
    x = np.random.default_rng(3).uniform(-4, 4, (10_000, *shape)).astype(np.float32)
    fast = nnfpga.convert(module, input_shape=shape, exporter="fx", output_dir=str(tmp_path))
    export = _exported(module, shape)
    assert fast.reader == "torch.fx"
    assert [(l["name"], l["op"]) for l in fast.layers()] == \
        [(l["name"], l["op"]) for l in export.layers()]
    got = fast.predict(x)
    np.testing.assert_array_equal(got, export.predict(x))
    with torch.no_grad():
        want = module(torch.from_numpy(x))
    want = getattr(want, "value", want).numpy()
    if make is not per_channel:  # a quantized output: Brevitas's float32 values exactly
        np.testing.assert_array_equal(got.astype(np.float32), want)
    else:  # a float head: Brevitas sums in float32, nnfpga exactly
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-5)


def test_a_float_scale_is_refused_alike():
    """Brevitas's default quantizers have float scales, which no fixed-point type holds: the
    reader refuses the fx model as it refuses the export, naming the reason."""
    torch.manual_seed(2)
    module = Stack([("fc", qnn.QuantLinear(4, 2, bias=False))]).eval()
    with pytest.raises(nnfpga.UnsupportedError, match="power of two") as info:
        nnfpga.convert(module, input_shape=(4,), exporter="fx")
    assert "(torch.fx)" in str(info.value)
