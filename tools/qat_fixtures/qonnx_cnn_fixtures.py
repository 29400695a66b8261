"""tests/fixtures/qonnx_cnn/: a Brevitas CNN through QONNX (issue 16).

QuantIdentity (8 bits, power-of-two scale) -> QuantConv2d (w8 per-tensor fixed point, Int32Bias)
-> QuantReLU (6 bits) -> MaxPool2d (of the QuantTensor) -> QuantConv2d (w4, stride 2, padding 1) -> QuantReLU
-> flatten -> QuantLinear (w8). Every scale is a power of two, so each quantizer is one ap_fixed
cast and every sum is exact: the reader must reproduce qonnx's execution bit for bit.

Files: <name>.onnx (Brevitas' export_qonnx, TorchScript), <name>.clean.onnx (qonnx's cleanup),
<name>.channels_last.onnx (qonnx's ConvertToChannelsLastAndClean of the cleaned file: Conv and
MaxPool of the domain qonnx.custom_op.channels_last on NHWC tensors, Transposes around them),
<name>.x.npy (400 NCHW images) and <name>.y.npy (qonnx's execution of the raw file, which
the other two and the PyTorch module must equal).
"""

import tempfile
from importlib.metadata import version
from pathlib import Path

import brevitas.nn as qnn
import numpy as np
import onnx
import torch
from brevitas.export import export_qonnx
from brevitas.quant.fixed_point import (
    Int8ActPerTensorFixedPointMinMaxInit,
    Int8WeightPerTensorFixedPoint,
    Uint8ActPerTensorFixedPointMaxInit,
)
from brevitas.quant.scaled_int import Int32Bias
from qonnx.core.modelwrapper import ModelWrapper
from qonnx.core.onnx_exec import execute_onnx
from qonnx.transformation.change_batchsize import ChangeBatchSize
from qonnx.transformation.infer_shapes import InferShapes
from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean
from qonnx.util.cleanup import cleanup_model

from . import common
from .common import FIXTURES, describe_exactness
from .qonnx_mapping import _quiet, qonnx_run

OUT = FIXTURES / "qonnx_cnn"
NAME = "brevitas_cnn"
SHAPE = (2, 8, 8)
ROWS = 400  # 400 images of 128 values: a 200 KB input file


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        act = Int8ActPerTensorFixedPointMinMaxInit
        relu = Uint8ActPerTensorFixedPointMaxInit
        w = Int8WeightPerTensorFixedPoint
        self.qin = qnn.QuantIdentity(act_quant=act, bit_width=8, min_val=-2.0, max_val=2.0,
                                     return_quant_tensor=True)
        self.c1 = qnn.QuantConv2d(2, 4, 3, padding=1, weight_quant=w, weight_bit_width=8,
                                  bias_quant=Int32Bias, return_quant_tensor=True)
        self.r1 = qnn.QuantReLU(act_quant=relu, bit_width=6, max_val=4.0,
                                return_quant_tensor=True)
        self.pool = torch.nn.MaxPool2d(2)  # on a QuantTensor: Brevitas 0.13 has no QuantMaxPool2d
        self.c2 = qnn.QuantConv2d(4, 4, 3, stride=2, padding=1, weight_quant=w,
                                  weight_bit_width=4, bias_quant=Int32Bias,
                                  return_quant_tensor=True)
        self.r2 = qnn.QuantReLU(act_quant=relu, bit_width=4, max_val=2.0,
                                return_quant_tensor=True)
        self.fc = qnn.QuantLinear(16, 3, bias=True, weight_quant=w, weight_bit_width=8,
                                  bias_quant=Int32Bias, return_quant_tensor=False)

    def forward(self, x):
        x = self.r2(self.c2(self.pool(self.r1(self.c1(self.qin(x))))))
        return self.fc(x.flatten(1))


def export(module, path):
    with tempfile.TemporaryDirectory() as scratch, _quiet():
        tmp = Path(scratch) / "model.onnx"
        export_qonnx(module, torch.zeros(1, *SHAPE), export_path=str(tmp), dynamo=False)
        model = onnx.load(str(tmp))
    common.write_if_changed(path, model.SerializeToString())


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(16)
    module = Cnn().eval()
    rng = np.random.default_rng(1016)
    x = common.quantizer_input(rng, ROWS, int(np.prod(SHAPE)), 5, 8, True).reshape(
        ROWS, *SHAPE)
    with torch.no_grad():
        y_torch = module(torch.from_numpy(x)).numpy().astype(np.float32)
    raw, clean, last = (OUT / f"{NAME}{s}.onnx" for s in ("", ".clean", ".channels_last"))
    export(module, raw)
    with _quiet():
        cleaned = cleanup_model(ModelWrapper(str(raw)))
        common.write_if_changed(clean, cleaned.model.SerializeToString())
        converted = cleaned.transform(ConvertToChannelsLastAndClean())
        common.write_if_changed(last, converted.model.SerializeToString())
    outs = {}
    for path in (raw, clean):
        qm, out = qonnx_run(path, x)
        outs[path.name] = np.asarray(out[qm.graph.output[0].name], dtype=np.float32)
    # qonnx's ChangeBatchSize cannot reshape the channels-last file itself (its shape inference
    # of the channels-last Conv fails), so the same conversion runs on the cleaned model with
    # the batch changed first, and that is executed.
    with _quiet():
        batched = (ModelWrapper(str(clean)).transform(ChangeBatchSize(len(x)))
                   .transform(InferShapes()).transform(ConvertToChannelsLastAndClean()))
        out = execute_onnx(batched, {batched.graph.input[0].name: x})
    outs[last.name] = np.asarray(out[batched.graph.output[0].name], dtype=np.float32)
    y = outs[raw.name]
    common.write_npy(OUT / f"{NAME}.x.npy", x)
    common.write_npy(OUT / f"{NAME}.y.npy", y)
    agreement = [describe_exactness(f"torch module(x) vs qonnx execute_onnx({raw.name})",
                                    y_torch, y)]
    agreement += [describe_exactness(f"qonnx({raw.name}) vs qonnx({p})", y, outs[p])
                  for p in (clean.name, last.name)]
    for a in agreement:
        print(f"  {a['between']}: {a['mismatches']} mismatches")
    manifest = {
        "generated_by": "tools/make_qat_fixtures.sh qonnx_cnn (tools/qat_fixtures/"
                        "qonnx_cnn_fixtures.py)",
        "versions": {p: version(p) for p in ("torch", "brevitas", "qonnx", "onnx",
                                             "onnxruntime", "numpy")},
        "what": __doc__,
        "files": [dict(common.file_entry(p), ops=sorted({f"{n.domain or 'ai.onnx'}:{n.op_type}"
                                                          for n in onnx.load(str(p)).graph.node}))
                  for p in (raw, clean, last)],
        "x": common.file_entry(OUT / f"{NAME}.x.npy"),
        "y": common.file_entry(OUT / f"{NAME}.y.npy"),
        "y_is": f"qonnx execute_onnx({raw.name})",
        "framework_agreement": agreement,
    }
    common.write_json(OUT / "MANIFEST.json", manifest)
