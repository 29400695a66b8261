"""The HLS backend on the CNN test models of the convolutional-networks issue (ONNX from PyTorch,
QONNX from Brevitas, Keras 3, HGQ2, QKeras): `nnfpga convert` under io_stream (the dataflow top of
one process per layer) and, for the 1-D front ends io_parallel is meant for, io_parallel; then
`nnfpga csim` with nnfpga's and AMD's headers on 1,000 random and adversarial images: no output
may differ from the emulator. The models are the fixtures made by tools/make_fixtures.py and
tools/make_qat_fixtures.py (their manifests list them); a model the HLS backend refuses must be
refused by node name.

Each csim is two g++ builds, so this suite takes one model per reader and structure (clones,
Concatenate, depthwise, upsampling, quantizers, Transpose); `python3 bench/hls_cnn_csim.py` runs every model
under both IOTypes (docs/hls.md lists its last results)."""

import json
import re

import pytest

from conftest import REPO
from test_hls import CSIM_LINE, run

IMAGES = 1000
FIXTURES = REPO / "tests" / "fixtures"

# Models the HLS backend refuses on purpose, each with the node its message must name: none since
# Transpose (Keras's Permute in cnn_separable) is written (issue 17). bench/hls_cnn_csim.py reads
# this too.
REFUSED: dict[str, str] = {}


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


# The suite's share: (model, IOType) pairs covering every reader and every streamed structure.
SUITE = [
    ("residual_concat_torch", "io_stream"),  # clone, Add, Concatenate (ONNX, torch dynamo)
    ("encoder_decoder_torch", "io_stream"),  # pools, upsampling
    ("depthwise_separable_torch", "io_stream"),
    ("pad_pool_torch", "io_stream"),  # explicit padding, padded average pools
    ("brevitas_cnn", "io_stream"),  # QONNX
    ("cnn_conv1d", "io_stream"),  # Keras 3: causal, dilation, 'same'
    ("cnn_residual", "io_stream"),
    ("hgq_cnn2d", "io_stream"),  # HGQ2 per-element kernel bit widths
    ("qkeras_conv2d_bn", "io_stream"),  # QKeras
    ("cnn_separable", "io_stream"),  # Permute: a Transpose process holding the tensor
    ("cnn1d_torch", "io_parallel"),  # a jet tagger's Conv1D front end
    ("hgq_cnn1d", "io_parallel"),
    ("qkeras_conv1d", "io_parallel"),
]
MODELS = dict(cnn_models())


def csim_report(nnfpga_bin, project, samples=IMAGES):
    """csim with both header sets required: {headers: (samples, outputs, differ)}."""
    proc = run(nnfpga_bin, "csim", project, "-n", samples, "--require-amd")
    runs = {}
    for line in proc.stdout.splitlines():
        m = CSIM_LINE.match(line)
        if m:
            runs[m.group(1)] = tuple(int(g) for g in m.groups()[2:])
    return runs, proc


def test_the_suite_names_known_models():
    assert {name for name, _ in SUITE} <= set(MODELS)


@pytest.mark.parametrize("name,io_type", SUITE, ids=[f"{n}-{io}" for n, io in SUITE])
def test_cnn_csim_is_bit_identical_to_the_emulator(nnfpga_bin, tmp_path, name, io_type):
    model = MODELS[name]
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
    runs, proc = csim_report(nnfpga_bin, project)
    assert set(runs) == {"nnfpga", "AMD"}, proc.stdout
    for headers, (samples, outputs, differ) in runs.items():
        assert samples == IMAGES, headers
        assert outputs >= IMAGES, headers
        assert differ == 0, f"{headers}: {proc.stdout}"
