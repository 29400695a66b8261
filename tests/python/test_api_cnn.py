"""The Python module on CNNs read from ONNX: NumPy image batches in the file's NCHW layout by
default (NHWC with layout='ir'), results equal to onnxruntime on the float path, and a
torch.nn.Module CNN converted through torch's exporter."""

from __future__ import annotations

import numpy as np
from conftest import REPO, run_onnxruntime_rows
from test_float_path import assert_close

import nnfpga

CNN = REPO / "tests" / "fixtures" / "onnx_cnn"


def test_images_in_the_files_layout_by_default():
    path = CNN / "encoder_decoder_torch.onnx"
    x = np.random.default_rng(11).standard_normal((7, 1, 8, 6)).astype(np.float32)
    want = run_onnxruntime_rows(path, x)[0]
    model = nnfpga.convert(str(path))
    assert_close(model.predict(x, mode="float"), want, "NCHW in, NCHW out")
    nhwc = model.predict(x.transpose(0, 2, 3, 1).copy(), mode="float", layout="ir")
    assert_close(nhwc, want.transpose(0, 2, 3, 1), "NHWC with layout='ir'")
    fixed = model.predict(x)
    assert fixed.shape == want.shape


def test_a_torch_cnn_module():
    import torch

    torch.manual_seed(5)
    module = torch.nn.Sequential(
        torch.nn.Conv2d(2, 3, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(3 * 2 * 2, 4)).eval()
    x = np.random.default_rng(12).standard_normal((5, 2, 4, 4)).astype(np.float32)
    with torch.no_grad():
        want = module(torch.from_numpy(x)).numpy()
    model = nnfpga.convert(module, input_shape=(2, 4, 4), exporter="torchscript")
    assert_close(model.predict(x, mode="float"), want, "torch CNN module")
