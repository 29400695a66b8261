"""torch.nn.Modules read through torch.fx (nnfpga's fast path) against the same modules exported by
torch.onnx.export (the fallback): the same layers, bit-identical fixed-point predictions, float
predictions equal to torch's own; the fallback when fx cannot trace or map a module, the path
each took, and modules taking several inputs. Timing is in bench/python_api.py, not here."""

import json

import numpy as np
import pytest

import api_models
import bound
import nnfpga

torch = pytest.importorskip("torch")


def mixed_mlp(seed: int = 2):
    """Functions and modules the fx reader maps beside Linear: a BatchNorm1d the exporter folds
    into its Linear, ELU, Hardtanh, ReLU6, clamp, arithmetic with tensors and numbers, a
    concatenation, softmax as a method and a view keeping the batch axis."""
    torch.manual_seed(seed)

    class Mixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(10, 16)
            self.bn1 = torch.nn.BatchNorm1d(16)
            self.elu = torch.nn.ELU(0.5)
            self.fc2 = torch.nn.Linear(16, 8)
            self.clip = torch.nn.Hardtanh(-1.5, 2.0)
            self.six = torch.nn.ReLU6()
            self.head = torch.nn.Linear(16, 4)
            self.drop = torch.nn.Dropout(0.3)

        def forward(self, x):
            h = self.elu(self.bn1(self.fc1(x)))
            a = self.clip(self.fc2(h))
            b = torch.clamp(torch.nn.functional.leaky_relu(self.fc2(h), 0.2), -1.0, 1.0)
            c = torch.cat([a * 0.5 + b, self.six(a - b)], dim=1)
            return self.head(self.drop(c)).view(c.size(0), -1).softmax(dim=-1)

    model = Mixed()
    with torch.no_grad():  # statistics a trained batchnorm would have
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 2.0)
        model.bn1.weight.uniform_(0.5, 1.5)
        model.bn1.bias.uniform_(-0.2, 0.2)
    return model


def two_inputs(seed: int = 3):
    """forward(x, y): two branches merged by an Add and a concatenation."""
    torch.manual_seed(seed)

    class TwoInputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fx = torch.nn.Linear(6, 8)
            self.fy = torch.nn.Linear(3, 8)
            self.out = torch.nn.Linear(16, 2)

        def forward(self, x, y):
            a = torch.relu(self.fx(x))
            b = torch.sigmoid(self.fy(y))
            return self.out(torch.cat([a + b, a * b], dim=1))

    return TwoInputs()


def nested_two_outputs(seed: int = 4):
    """Functions called inside submodules (their layers take the submodule's name, as the
    exporter's scopes say) and a forward returning a tuple."""
    torch.manual_seed(seed)

    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(4, 4)

        def forward(self, x):
            return torch.relu(self.fc(x)) * 2.0

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.b1, self.b2 = Block(), Block()
            self.head = torch.nn.Linear(4, 2)

        def forward(self, x):
            h = self.b2(self.b1(x))
            return self.head(h), torch.sigmoid(h)

    return Net()


def sequence_mlp(seed: int = 5):
    """A Linear over the last axis of a sequence (MatMul and Add), then Flatten."""
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(8, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                               torch.nn.Linear(12, 2))


def functional_mlp(seed: int = 6):
    """Parameters of the module used through F.linear, as a hand-written layer does."""
    torch.manual_seed(seed)

    class Functional(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w1 = torch.nn.Parameter(torch.randn(12, 6) * 0.3)
            self.b1 = torch.nn.Parameter(torch.randn(12) * 0.1)
            self.w2 = torch.nn.Parameter(torch.randn(3, 12) * 0.3)

        def forward(self, x):
            h = torch.nn.functional.relu(torch.nn.functional.linear(x, self.w1, self.b1))
            return torch.nn.functional.linear(h, self.w2)

    return Functional()


def shared_layer(seed: int = 7):
    """One Linear called on two tensors (shared weights), a BatchNorm1d after one call: the
    exporter cannot fold it into the shared weights, and neither does the fx path."""
    torch.manual_seed(seed)

    class Shared(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(6, 6)
            self.bn = torch.nn.BatchNorm1d(6)

        def forward(self, x):
            return self.fc(torch.relu(self.bn(self.fc(x))))

    model = Shared()
    with torch.no_grad():
        model.bn.running_mean.uniform_(-0.5, 0.5)
        model.bn.running_var.uniform_(0.5, 2.0)
    return model


MODELS = {
    "mlp": (api_models.torch_mlp, (16,)),
    "activations": (api_models.torch_activations, (8,)),
    "mixed": (mixed_mlp, (10,)),
    "nested": (nested_two_outputs, (4,)),
    "sequence": (sequence_mlp, (4, 8)),
    "functional": (functional_mlp, (6,)),
    "shared": (shared_layer, (6,)),
}


def _torch_outputs(module, *xs):
    """The module's outputs in eval mode (as nnfpga reads it), its mode kept."""
    was_training = module.training
    try:
        with torch.no_grad():
            out = module.eval()(*(torch.from_numpy(x) for x in xs))
    finally:
        module.train(was_training)
    if isinstance(out, tuple):
        return [o.numpy().astype(np.float64) for o in out]
    return out.numpy().astype(np.float64)


def _listed(outputs):
    return outputs if isinstance(outputs, list) else [outputs]


@pytest.mark.parametrize("name", list(MODELS))
def test_fx_and_export_paths_agree_bit_for_bit(name, tmp_path):
    make, shape = MODELS[name]
    module = make().train()
    x = np.random.default_rng(7).standard_normal((64, *shape)).astype(np.float32)
    config = {"Model": {"Precision": "ap_fixed<18,8>"}}
    fast = nnfpga.convert(module, hls_config=config, example_input=x[:1],
                          output_dir=str(tmp_path / "fx"))
    slow = nnfpga.convert(module, hls_config=config, example_input=x[:1], exporter="dynamo",
                          output_dir=str(tmp_path / "export"))
    assert (fast.reader, fast.reader_note) == ("torch.fx", "")
    assert slow.reader == "torch.onnx.export" and "dynamo" in slow.reader_note
    assert [(l["name"], l["op"]) for l in fast.layers()] == \
        [(l["name"], l["op"]) for l in slow.layers()]
    for layer in fast.layers():  # the same quantized weights (the batchnorm folded alike)
        for key in layer["params"]:
            np.testing.assert_array_equal(fast.graph.param(layer["name"], key),
                                          slow.graph.param(layer["name"], key))
    for got, same in zip(_listed(fast.predict(x)), _listed(slow.predict(x)), strict=True):
        np.testing.assert_array_equal(got, same)
    for got, want in zip(_listed(fast.predict(x, mode="float")),
                         _listed(_torch_outputs(module, x)), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert module.training  # the module is handed back in the mode it came in


@pytest.mark.parametrize("name", list(MODELS))
def test_fx_fixed_predictions_within_the_bound(name, tmp_path):
    make, shape = MODELS[name]
    module = make()
    x = np.random.default_rng(8).standard_normal((64, *shape))
    model = nnfpga.convert(module, hls_config={"Model": {"Precision": "ap_fixed<24,10>"}},
                           input_shape=shape, output_dir=str(tmp_path))
    for counts in model.overflows(x).values():
        assert counts["result"] == counts["accum"] == counts["param"] == 0, counts
    values = bound.output_bounds(json.loads(model.graph.to_json()), [x])
    wants = _listed(_torch_outputs(module, x.astype(np.float32)))
    for fixed, value, want in zip(_listed(model.predict(x)), values, wants, strict=True):
        np.testing.assert_allclose(value.x.reshape(fixed.shape), want, rtol=1e-5, atol=1e-5)
        err = np.abs(fixed - value.x.reshape(fixed.shape))
        assert np.all(err <= value.e.reshape(fixed.shape))


@pytest.mark.parametrize("make, shape", [(mixed_mlp, (10,)), (lambda: cnn2d(), (3, 16, 16)),
                                         (lambda: cnn1d(), (2, 53)),
                                         (lambda: cnn_functional(), (3, 9, 9))],
                         ids=["mixed", "cnn2d", "cnn1d", "cnn_functional"])
def test_the_fx_model_is_valid_onnx_that_onnxruntime_runs(make, shape):
    """The mapping itself, apart from nnfpga's reader: the ONNX model fx wrote is valid, and
    onnxruntime computes torch's outputs with it."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from nnfpga._torch_fx import onnx_bytes

    module = make().eval()
    x = np.random.default_rng(9).standard_normal((5, *shape)).astype(np.float32)
    data = onnx_bytes(module, (torch.from_numpy(x),))
    proto = onnx.load_from_string(data)
    onnx.checker.check_model(proto, full_check=True)
    assert [i.name for i in proto.graph.input] == ["x"]
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"x": x})
    np.testing.assert_allclose(got, _torch_outputs(module, x), rtol=1e-5, atol=1e-6)


def cnn2d(seed: int = 6):
    """A 2-D CNN of the mapped modules: Conv2d and a BatchNorm2d the exporter folds into it,
    'same' padding with dilation, max and average pools (padding not counted), nearest
    upsampling, a residual Add, a concatenation of channels, a global average pool, Flatten."""
    from torch import nn

    torch.manual_seed(seed)

    class Cnn2d(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(8)
            self.pool = nn.MaxPool2d(2)
            self.conv2 = nn.Conv2d(8, 8, 3, padding="same", dilation=2, bias=False)
            self.avg = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
            self.up = nn.Upsample(scale_factor=2, mode="nearest")
            self.conv3 = nn.Conv2d(16, 6, 1)
            self.gap = nn.AdaptiveAvgPool2d(1)
            self.flat = nn.Flatten()
            self.fc = nn.Linear(6 * 4 * 4, 5)
            self.fc_gap = nn.Linear(6, 5)

        def forward(self, x):
            h = self.pool(torch.relu(self.bn1(self.conv1(x))))
            r = torch.relu(self.conv2(h)) + h
            u = self.up(self.avg(r))
            c = self.conv3(torch.cat([u, h], dim=1))
            small = nn.functional.avg_pool2d(c, 2)
            return self.fc(small.view(small.size(0), -1)) + self.fc_gap(self.flat(self.gap(c)))

    model = Cnn2d()
    with torch.no_grad():
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 2.0)
    return model.eval()


def cnn1d(seed: int = 7):
    """A 1-D CNN: Conv1d, pools (modules and functions), F.interpolate, a global max pool,
    torch.flatten."""
    from torch import nn

    torch.manual_seed(seed)

    class Cnn1d(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv1d(2, 6, 5, stride=2)
            self.pool = nn.AvgPool1d(2)
            self.conv2 = nn.Conv1d(6, 4, 3, padding=2)
            self.gmp = nn.AdaptiveMaxPool1d(1)
            self.fc = nn.Linear(4 * 13, 3)
            self.fc_max = nn.Linear(4, 3)

        def forward(self, x):
            h = self.pool(nn.functional.relu(self.conv1(x)))
            c = torch.tanh(self.conv2(nn.functional.interpolate(h, scale_factor=2)))
            m = nn.functional.max_pool1d(c, 2)
            return self.fc(m.flatten(1)) + self.fc_max(torch.flatten(self.gmp(c), 1))

    return Cnn1d().eval()


def cnn_functional(seed: int = 8):
    """A hand-written layer calling F.conv2d on its parameter, a mean over the spatial axes for
    the global pool."""
    torch.manual_seed(seed)

    class Features(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.kernel = torch.nn.Parameter(torch.randn(4, 3, 3, 3) * 0.3)

        def forward(self, x):
            return torch.relu(torch.nn.functional.conv2d(x, self.kernel, stride=2, padding=1))

    class CnnFunctional(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.features = Features()
            self.fc = torch.nn.Linear(4, 2)

        def forward(self, x):
            return self.fc(self.features(x).mean(dim=(-2, -1)))

    return CnnFunctional().eval()


CNN_MODELS = {
    "cnn2d": (cnn2d, (3, 16, 16)),
    "cnn1d": (cnn1d, (2, 53)),
    "cnn_functional": (cnn_functional, (3, 9, 9)),
}
# The exporter writes AdaptiveMaxPool1d(1) as Unsqueeze, ReduceMax, Squeeze, which the reader
# holds with a Reshape more; fx writes GlobalMaxPool: the same values, one layer fewer.
SAME_LAYERS_AS_THE_EXPORT = {"cnn2d", "cnn_functional"}


@pytest.mark.parametrize("name", list(CNN_MODELS))
def test_cnns_through_fx_and_the_export_agree_bit_for_bit(name, tmp_path):
    """CNNs: the same layers and weights as the dynamo export, bit-identical fixed-point
    predictions, the float path equal to torch's, in the module's own NCHW layout."""
    make, shape = CNN_MODELS[name]
    module = make()
    x = np.random.default_rng(12).standard_normal((32, *shape)).astype(np.float32)
    config = {"Model": {"Precision": "ap_fixed<20,8>"}}
    fast = nnfpga.convert(module, hls_config=config, example_input=x[:1],
                          output_dir=str(tmp_path / "fx"))
    slow = nnfpga.convert(module, hls_config=config, example_input=x[:1], exporter="dynamo",
                          output_dir=str(tmp_path / "export"))
    assert (fast.reader, slow.reader) == ("torch.fx", "torch.onnx.export")
    if name in SAME_LAYERS_AS_THE_EXPORT:
        assert [(l["name"], l["op"]) for l in fast.layers()] == \
            [(l["name"], l["op"]) for l in slow.layers()]
    weighted = {l["name"] for l in slow.layers() if l["params"]}
    for layer in fast.layers():
        assert not layer["params"] or layer["name"] in weighted, layer["name"]
        for key in layer["params"]:
            np.testing.assert_array_equal(fast.graph.param(layer["name"], key),
                                          slow.graph.param(layer["name"], key))
    np.testing.assert_array_equal(fast.predict(x), slow.predict(x))
    np.testing.assert_allclose(fast.predict(x, mode="float"), _torch_outputs(module, x),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(CNN_MODELS))
def test_cnn_fixed_predictions_within_the_bound(name, tmp_path):
    make, shape = CNN_MODELS[name]
    module = make()
    x = np.random.default_rng(13).standard_normal((16, *shape))
    model = nnfpga.convert(module, hls_config={"Model": {"Precision": "ap_fixed<32,12>"}},
                           input_shape=shape, output_dir=str(tmp_path))
    assert model.reader == "torch.fx"
    for counts in model.overflows(x).values():
        assert counts["result"] == counts["accum"] == counts["param"] == 0, counts
    fixed = model.predict(x)
    nhwc = np.moveaxis(x, 1, -1)  # the bound works in the IR's channels-last layout
    value = bound.output_bounds(json.loads(model.graph.to_json()), [nhwc])[0]
    want = _torch_outputs(module, x.astype(np.float32))
    np.testing.assert_allclose(value.x.reshape(fixed.shape), want, rtol=1e-5, atol=1e-5)
    err = np.abs(fixed - value.x.reshape(fixed.shape))
    assert np.all(err <= value.e.reshape(fixed.shape))
    # Not vacuous: a tenth of the outputs' scale at most (cnn1d's tanh table makes it loosest).
    assert float(value.e.max()) < 0.1 * float(np.abs(want).max())


def attention_cnn(seed: int = 14):
    """Broadcasts and data moves (issue 16): squeeze-and-excitation, x * s.view(N, C, 1, 1),
    + s[:, :, None, None] and - 0.5 * s.unsqueeze(-1).unsqueeze(-1); spatial attention with torch.maximum, torch.minimum and a
    Sub against a (N, 1, H, W) map; F.pad before a Conv2d; torch.cat on the rows (dim=2);
    x.transpose(2, 3) before a Conv2d."""
    from torch import nn

    torch.manual_seed(seed)

    class AttentionCnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.se = nn.Linear(4, 4)
            self.spatial = nn.Conv2d(4, 1, 1)
            self.padded = nn.Conv2d(4, 4, 3)
            self.swapped = nn.Conv2d(4, 2, (2, 1))
            self.fc = nn.Linear(2 * 4 * 12, 3)

        def forward(self, x):
            h = torch.relu(self.conv(x))
            s = torch.sigmoid(self.se(h.mean(dim=(2, 3))))
            h = h * s.view(s.size(0), 4, 1, 1) + s[:, :, None, None]
            h = h - 0.5 * s.unsqueeze(-1).unsqueeze(-1)
            a = torch.sigmoid(self.spatial(h))
            h = torch.maximum(h * a, a) - torch.minimum(h, a)
            p = self.padded(nn.functional.pad(h, (1, 1, 1, 1)))
            rows = torch.cat([p, h], dim=2)
            return self.fc(torch.flatten(self.swapped(rows.transpose(2, 3)), 1))

    return AttentionCnn().eval()


def jet_tagger(seed: int = 15):
    """(N, particles, features) permuted for a Conv1d and back for a Linear per particle."""
    from torch import nn

    torch.manual_seed(seed)

    class JetTagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv1d(3, 4, 1)
            self.per_particle = nn.Linear(4, 5)
            self.fc = nn.Linear(8 * 5, 2)

        def forward(self, x):
            h = torch.relu(self.conv(x.permute(0, 2, 1)))
            return self.fc(torch.relu(self.per_particle(h.permute(0, 2, 1))).flatten(1))

    return JetTagger().eval()


MOVES_MODELS = {"attention_cnn": (attention_cnn, (3, 6, 5)), "jet_tagger": (jet_tagger, (8, 3))}


@pytest.mark.parametrize("name", list(MOVES_MODELS))
def test_broadcasts_and_permutes_through_fx_agree_with_the_export(name, tmp_path):
    """fx writes Transpose, Unsqueeze, Max, Min and Pad as the exporter does: both paths read,
    bit-identical fixed-point predictions, the float path equal to torch's, and the fixed
    result within bound.py's bound."""
    make, shape = MOVES_MODELS[name]
    module = make()
    x = np.random.default_rng(16).standard_normal((16, *shape)).astype(np.float32)
    # Fine sigmoid tables: the attention model's outputs are small (about 0.1).
    wide = "ap_fixed<32,12>"
    precision = {key: wide for key in ("weight", "bias", "scale", "param", "result")}
    precision["table"] = "ap_fixed<20,4,AP_RND_CONV,AP_SAT>"
    config = {"Model": {"Precision": precision}, "LayerType": {"Sigmoid": {"TableSize": 65536}}}
    fast = nnfpga.convert(module, hls_config=config, example_input=x[:1],
                          output_dir=str(tmp_path / "fx"))
    slow = nnfpga.convert(module, hls_config=config, example_input=x[:1], exporter="dynamo",
                          output_dir=str(tmp_path / "export"))
    assert (fast.reader, slow.reader) == ("torch.fx", "torch.onnx.export")
    fixed = fast.predict(x)
    np.testing.assert_array_equal(fixed, slow.predict(x))
    want = _torch_outputs(module, x)
    np.testing.assert_allclose(fast.predict(x, mode="float"), want, rtol=1e-5, atol=1e-5)
    for counts in fast.overflows(x).values():
        assert counts["result"] == counts["accum"] == counts["param"] == 0, counts
    ir = json.loads(fast.graph.to_json())
    axes = ir.get("source_axes", {}).get(ir["inputs"][0])
    x_ir = x.astype(np.float64)
    if axes:
        x_ir = x_ir.transpose([0] + [1 + axes.index(j) for j in range(len(axes))])
    value = bound.output_bounds(ir, [x_ir])[0]
    np.testing.assert_allclose(value.x.reshape(fixed.shape), want, rtol=1e-5, atol=1e-5)
    assert np.all(np.abs(fixed - value.x.reshape(fixed.shape)) <= value.e.reshape(fixed.shape))
    assert float(value.e.max()) < 0.1 * float(np.abs(want).max())


class Prelu(torch.nn.Module):
    """nn.PReLU has no fx mapping here: the module goes through the export."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(4)
        self.fc = torch.nn.Linear(5, 3)
        self.act = torch.nn.PReLU(3)

    def forward(self, x):
        return self.act(self.fc(x))


class ShapeBranch(torch.nn.Module):
    """Python control flow on a shape: fx cannot trace it, torch.export can."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(5)
        self.fc = torch.nn.Linear(5, 3)

    def forward(self, x):
        if x.shape[-1] > 4:
            return torch.relu(self.fc(x))
        return self.fc(x)


@pytest.mark.parametrize("module, why", [(Prelu, "no mapping for module PReLU"),
                                         (ShapeBranch, "torch.fx cannot trace it")])
def test_what_fx_cannot_read_falls_back_to_the_export(module, why, tmp_path, capsys):
    m = module()
    x = np.random.default_rng(10).standard_normal((32, 5)).astype(np.float32)
    model = nnfpga.convert(m, input_shape=(5,), output_dir=str(tmp_path), verbose=True)
    assert model.reader == "torch.onnx.export"
    assert why in model.reader_note, model.reader_note
    message = capsys.readouterr().err
    assert "read through torch.onnx.export" in message and why in message, message
    np.testing.assert_allclose(model.predict(x, mode="float"), _torch_outputs(m, x),
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(nnfpga.UnsupportedError, match="torch.fx cannot read it") as info:
        nnfpga.convert(m, input_shape=(5,), exporter="fx")
    assert why in str(info.value) and "exporter='auto'" in str(info.value)


FRESH_PROCESS = """
import sys, nnfpga, api_models
model = nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), output_dir=sys.argv[1])
model.predict([0.0] * 16)
print(model.reader, sorted(m for m in sys.modules if m == "onnx" or m.startswith("torch.onnx")))
"""


def test_the_fast_path_is_quiet_and_needs_no_exporter(tmp_path):
    """In a fresh process: nothing on stderr (torch's exporter logs its warnings when it is
    first imported), and neither torch.onnx nor the onnx package is imported."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    # The nnfpga under test (installed or on PYTHONPATH) and api_models beside this file.
    paths = [str(Path(__file__).parent), str(Path(nnfpga.__file__).parents[1])]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    proc = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    assert proc.stdout.split() == ["torch.fx", "[]"], proc.stdout
    assert proc.stderr == ""


def test_verbose_names_the_fast_path(tmp_path, capsys):
    nnfpga.convert(api_models.torch_mlp(), input_shape=(16,), output_dir=str(tmp_path),
                   verbose=True)
    assert "read through torch.fx" in capsys.readouterr().err


@pytest.mark.parametrize("exporter", ["auto", "dynamo"])
def test_a_module_with_two_inputs(exporter, tmp_path):
    module = two_inputs()
    rng = np.random.default_rng(11)
    x = rng.standard_normal((40, 6)).astype(np.float32)
    y = rng.standard_normal((40, 3)).astype(np.float32)
    model = nnfpga.convert(module, example_input=(torch.from_numpy(x[:1]), y[:1]),
                           exporter=exporter, output_dir=str(tmp_path))
    assert model.inputs == ["x", "y"]
    assert model.reader == ("torch.fx" if exporter == "auto" else "torch.onnx.export")
    np.testing.assert_allclose(model.predict([x, y], mode="float"), _torch_outputs(module, x, y),
                               rtol=1e-5, atol=1e-6)
    by_shape = nnfpga.convert(module, input_shape=[(6,), (3,)], output_dir=str(tmp_path))
    np.testing.assert_array_equal(by_shape.predict([x, y]), model.predict([x, y]))
    config = nnfpga.config_from_model(module, granularity="name", input_shape=[(6,), (3,)])
    assert {"fx", "fy", "out"} <= set(config["LayerName"])


def test_bad_example_inputs_raise_nnfpga_errors(tmp_path):
    module = two_inputs()
    with pytest.raises(nnfpga.InputError, match=r"example_input\[1\] is a str"):
        nnfpga.convert(module, example_input=(np.zeros((1, 6)), "y"))
    for exporter in ("auto", "fx", "dynamo"):
        with pytest.raises(nnfpga.InputError, match=r"forward\(x, y\) takes 2 inputs: "
                                                     r"example_input gives 1"):
            nnfpga.convert(module, example_input=np.zeros((1, 6), np.float32),
                           exporter=exporter)
    with pytest.raises(nnfpga.InputError, match="unknown exporter 'onnx'"):
        nnfpga.convert(module, input_shape=[(6,), (3,)], exporter="onnx")


def test_a_layer_the_reader_refuses_is_refused_on_both_paths():
    """fx maps a softmax over the batch axis, nnfpga's reader refuses it: 'auto' then tries
    the export, which the reader refuses alike; 'fx' reports the reader's refusal at once."""
    module = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Softmax(dim=0))
    with pytest.raises(nnfpga.UnsupportedError, match="softmax over axis") as info:
        nnfpga.convert(module, input_shape=(4, 8), exporter="fx")
    assert "(torch.fx)" in str(info.value)
    with pytest.raises(nnfpga.UnsupportedError, match="softmax over axis") as info:
        nnfpga.convert(module, input_shape=(4, 8))
    assert "(torch.fx)" not in str(info.value)  # the export's refusal
