"""The HLS backend on every CNN test model of the convolutional-networks issue (ONNX from PyTorch,
QONNX from Brevitas, Keras 3, HGQ2, QKeras): `nnfpga convert` under io_parallel and under
io_stream (the dataflow top of one process per layer), then `nnfpga csim` with nnfpga's and AMD's
headers on 1,000 random and adversarial images: no output may differ from the emulator. The
models are the fixtures made by tools/make_fixtures.py and tools/make_qat_fixtures.py (their
manifests list them); a model the HLS backend refuses must be refused by node name."""

import json
import re

import pytest

from conftest import REPO
from test_hls import csim, run

IMAGES = 1000
FIXTURES = REPO / "tests" / "fixtures"

# Refused on purpose, with the node named: the HLS backend does not move values across positions
# (Transpose, from Keras's Permute).
REFUSED = {"cnn_separable": "(Transpose)"}


def cnn_models():
    """(id, path) of every CNN model the manifests list as accepted by the readers."""
    models = []
    onnx = json.loads((FIXTURES / "onnx_cnn" / "MANIFEST.json").read_text())["files"]
    models += [REPO / f["file"] for f in onnx if f["expect"] == "accept"]
    qonnx = json.loads((FIXTURES / "qonnx_cnn" / "MANIFEST.json").read_text())["files"]
    models += [REPO / f["file"] for f in qonnx]
    for manifest in (FIXTURES / "keras3" / "CNN_MANIFEST.json",
                     FIXTURES / "hgq2" / "CNN_MANIFEST.json"):
        for m in json.loads(manifest.read_text())["models"]:
            if m["name"].startswith("unsupported") or "cnn" not in m["name"]:
                continue
            models.append(REPO / m["files"][0]["file"])
    models += [FIXTURES / "keras2" / n
               for n in ("qkeras_cnn2d.h5", "qkeras_conv1d.json", "qkeras_conv2d_bn.h5")]
    return [(re.sub(r"\.(onnx|keras|h5|json)$", "", p.name), p) for p in models]


MODELS = cnn_models()


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
@pytest.mark.parametrize("name,model", MODELS, ids=[m[0] for m in MODELS])
def test_cnn_csim_is_bit_identical_to_the_emulator(nnfpga_bin, tmp_path, name, model, io_type):
    project = tmp_path / name
    if name in REFUSED:
        proc = run(nnfpga_bin, "convert", model, "-o", project, "--set", f"Model.IOType={io_type}",
                   expect=3)
        assert "not supported by the HLS backend" in proc.stderr
        assert REFUSED[name] in proc.stderr
        return
    run(nnfpga_bin, "convert", model, "-o", project, "--set", f"Model.IOType={io_type}")
    top = (project / "firmware").glob("*.cpp")
    text = "".join(p.read_text() for p in top if not p.stem.endswith("_bridge"))
    if io_type == "io_stream":
        assert "#pragma HLS DATAFLOW" in text and "#pragma HLS STREAM variable=" in text
    runs, proc = csim(nnfpga_bin, project, samples=IMAGES)
    assert set(runs) == {"nnfpga", "AMD"}, proc.stdout
    for headers, (samples, outputs, differ) in runs.items():
        assert samples == IMAGES, headers
        assert outputs >= IMAGES, headers
        assert differ == 0, f"{headers}: {proc.stdout}"
