#!/usr/bin/env python3
"""Build the ONNX CNN fixtures (issue 16) with torch's real exporters.

Writes tests/fixtures/onnx_cnn/<name>.onnx with <name>.x.npy (a batch of inputs in the
file's own NCHW layout) and <name>.y.npy (onnxruntime's outputs for it, one file per output:
<name>.y.npy, <name>.y1.npy, ...), and MANIFEST.json. Run from anywhere:

    python3 tools/make_cnn_fixtures.py

Every fixture is checked against torch before it is kept: onnxruntime must reproduce the
module's output to 1e-5. Deterministic: fixed seeds, files rewritten only when their bytes
change (tools/make_fixtures.py's helpers).
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402

OUT = mf.REPO / "tests" / "fixtures" / "onnx_cnn"
BATCH = 16


def bn_with_stats(cls, n):
    """A batchnorm with non-trivial running statistics, so that folding is observable."""
    bn = cls(n)
    g = torch.Generator().manual_seed(n)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(n, generator=g) + 0.5)
        bn.bias.copy_(torch.rand(n, generator=g) - 0.5)
        bn.running_mean.copy_(torch.rand(n, generator=g) - 0.5)
        bn.running_var.copy_(torch.rand(n, generator=g) + 0.5)
    return bn


class Cnn2d(nn.Module):
    """Conv(pad 1) ReLU MaxPool, Conv(stride 2, no bias) ReLU AvgPool, Flatten, Linear."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 4, 3, padding=1)
        self.c2 = nn.Conv2d(4, 6, 3, stride=1, padding=(1, 0), bias=False)
        self.fc = nn.Linear(6 * 2 * 1, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.avg_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class Cnn1d(nn.Module):
    """Conv1d stride 2 + dilation, 'same' Conv1d, MaxPool1d, AvgPool1d(count_include_pad)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(2, 4, 5, stride=2, padding=2)
        self.c2 = nn.Conv1d(4, 4, 3, padding="same", dilation=2)
        self.fc = nn.Linear(4 * 4, 3)

    def forward(self, x):
        x = F.max_pool1d(torch.relu(self.c1(x)), 2)
        x = F.avg_pool1d(torch.tanh(self.c2(x)), 3, stride=2, padding=1, count_include_pad=True)
        return self.fc(x.flatten(1))


class ResidualConcat(nn.Module):
    """A residual Add, a channel Concat (torch.cat dim=1), BatchNorm2d, global pools."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(2, 4, 3, padding=1)
        self.a = nn.Conv2d(4, 4, 3, padding=1)
        self.b = nn.Conv2d(4, 3, 1)
        self.bn = bn_with_stats(nn.BatchNorm2d, 7)
        self.fc = nn.Linear(14, 4)

    def forward(self, x):
        s = torch.relu(self.stem(x))
        r = torch.relu(self.a(s) + s)
        c = self.bn(torch.cat([r, self.b(s)], dim=1))
        avg = F.adaptive_avg_pool2d(c, 1).flatten(1)
        mx = torch.amax(c, dim=(2, 3))
        return self.fc(torch.cat([avg, mx], dim=1))


class EncoderDecoder(nn.Module):
    """Conv, MaxPool, Conv, nn.Upsample(nearest, x2), ZeroPad2d, Conv: a feature-map output."""

    def __init__(self):
        super().__init__()
        self.e1 = nn.Conv2d(1, 4, 3, padding=1)
        self.e2 = nn.Conv2d(4, 4, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.pad = nn.ZeroPad2d((1, 0, 2, 1))
        self.d = nn.Conv2d(4, 2, 3)

    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.e1(x)), 2)
        x = torch.relu(self.e2(x))
        return self.d(self.pad(self.up(x)))


class Upsample1d(nn.Module):
    """Conv1d, nn.Upsample(nearest, x3) of a 1-D map, Conv1d: a (N, C, W) output."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv1d(3, 4, 3)
        self.up = nn.Upsample(scale_factor=3, mode="nearest")
        self.c2 = nn.Conv1d(4, 2, 3, padding=1)

    def forward(self, x):
        return self.c2(self.up(torch.relu(self.c(x))))


class UpsampleSize(nn.Module):
    """nn.Upsample to a size: dynamo computes Resize's sizes as Concat(Shape(x)[0:2], [12])."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv1d(3, 4, 3)
        self.up = nn.Upsample(size=12, mode="nearest")

    def forward(self, x):
        return self.up(torch.relu(self.c(x)))


class ChannelSoftmax(nn.Module):
    """Per-pixel classes: Conv2d then Softmax over the channels (dim=1) of an NCHW map."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return torch.softmax(self.c(x), dim=1)


class WidthSoftmax(nn.Module):
    """Softmax over the width (dim=-1) of an NCHW map held channels-last: transposed first; the
    result, held (H, C, W), is a graph output given back NCHW."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(2, 3, 3, padding=1)

    def forward(self, x):
        return torch.softmax(self.c(x), dim=-1)


class TwoBranchFlatConcat(nn.Module):
    """Two Conv branches, each flattened (HWC order in the IR), concatenated, then Linear: the
    Linear's rows follow both branches' orders."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(2, 3, 3)
        self.b = nn.Conv2d(2, 2, 1)
        self.fc = nn.Linear(3 * 2 * 3 + 2 * 4 * 5, 4)

    def forward(self, x):
        a = torch.relu(self.a(x)).flatten(1)
        b = torch.relu(self.b(x)).flatten(1)
        return self.fc(torch.cat([a, b], dim=1))


class DepthwiseSeparable(nn.Module):
    """A depthwise Conv2d (groups = channels), then a 1x1 pointwise Conv2d."""

    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(4, 4, 3, padding=1, groups=4)
        self.pw = nn.Conv2d(4, 6, 1)
        self.fc = nn.Linear(6 * 4 * 4, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.pw(torch.relu(self.dw(x)))).flatten(1))


class ChannelsLastInput(nn.Module):
    """An NHWC input permuted to NCHW and back before Flatten (the Transposes tf2onnx and
    users write): they only rename axes, so the reader resolves them."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4 * 4 * 3, 2)

    def forward(self, x):
        x = torch.relu(self.c(x.permute(0, 3, 1, 2)))
        return self.fc(x.permute(0, 2, 3, 1).flatten(1))


class Bn1dMlp(nn.Module):
    """Linear, BatchNorm1d, ReLU, Linear: BatchNorm1d on a (N, C) tensor."""

    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(8, 6)
        self.bn = bn_with_stats(nn.BatchNorm1d, 6)
        self.l2 = nn.Linear(6, 3)

    def forward(self, x):
        return self.l2(torch.relu(self.bn(self.l1(x))))


class Bn1dUnsqueeze(nn.Module):
    """BatchNorm1d of (N, C) written as Unsqueeze/BatchNormalization/Squeeze (what older exports
    of BatchNorm1d carry), between two Linears."""

    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(8, 6)
        self.bn = bn_with_stats(nn.BatchNorm1d, 6)
        self.l2 = nn.Linear(6, 3)

    def forward(self, x):
        h = torch.relu(self.l1(x))
        return self.l2(self.bn(h.unsqueeze(2)).squeeze(2))


class PadPool(nn.Module):
    """Zero Pad (not folded: a pool follows), AvgPool2d(count_include_pad=False) with padding,
    MaxPool2d(ceil_mode=True) where no partial window arises, a 1x1 Conv: a (N, C, H, W)
    output."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 2, 1)

    def forward(self, x):
        x = F.avg_pool2d(F.pad(x, (1, 2, 0, 1)), 3, stride=1, padding=1, count_include_pad=False)
        return self.c(F.max_pool2d(x, 2, ceil_mode=True))


class SqueezeExcite(nn.Module):
    """Squeeze-and-excitation: x * sigmoid(fc(gap(x))).view(N, C, 1, 1), then the same with
    [:, :, None, None]: a (N, C, 1, 1) operand broadcast against (N, C, H, W)."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3, padding=1)
        self.fc1 = nn.Linear(4, 2)
        self.fc2 = nn.Linear(2, 4)
        self.g = nn.Linear(4, 4)
        self.fc = nn.Linear(4 * 5 * 4, 3)

    def forward(self, x):
        x = torch.relu(self.c(x))
        n, c = x.shape[0], x.shape[1]
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean((2, 3))))))
        x = x * s.view(n, c, 1, 1)
        t = torch.sigmoid(self.g(F.adaptive_avg_pool2d(x, 1).flatten(1)))
        x = x + t[:, :, None, None]
        return self.fc(x.flatten(1))


class SpatialAttention(nn.Module):
    """A (N, 1, H, W) map broadcast against (N, C, H, W): Mul, Sub, Max and Min of the two."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(2, 4, 3, padding=1)
        self.a = nn.Conv2d(4, 1, 1)
        self.fc = nn.Linear(4 * 4 * 5, 3)

    def forward(self, x):
        x = torch.relu(self.c(x))
        a = torch.sigmoid(self.a(x))
        y = torch.maximum(x * a, a) - torch.minimum(x, a)
        return self.fc(y.flatten(1))


class Broadcast1d(nn.Module):
    """1-D squeeze-and-excitation, (N, C, 1) against (N, C, L), then a gate (N, 1) against the
    features (N, F): Mul and Add."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv1d(2, 4, 3)
        self.se = nn.Linear(4, 4)
        self.h = nn.Linear(4 * 6, 5)
        self.gate = nn.Linear(5, 1)
        self.out = nn.Linear(5, 2)

    def forward(self, x):
        x = torch.relu(self.c(x))
        s = torch.sigmoid(self.se(x.mean(2)))
        h = torch.relu(self.h((x * s.unsqueeze(-1)).flatten(1)))
        g = torch.sigmoid(self.gate(h))
        return self.out(h * g + g)


class JetTagger(nn.Module):
    """A jet tagger's front end: (N, particles, features) permuted to (N, features, particles)
    for Conv1d, permuted back and a Linear per particle, then Flatten and a Linear."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv1d(3, 4, 1)
        self.per_particle = nn.Linear(4, 5)
        self.fc = nn.Linear(8 * 5, 2)

    def forward(self, x):
        h = torch.relu(self.c(x.permute(0, 2, 1)))
        h = torch.relu(self.per_particle(h.permute(0, 2, 1)))
        return self.fc(h.flatten(1))


class PermuteMoves(nn.Module):
    """Transposes that move data: a feature map permuted to (N, H, W, C) and reshaped to
    positions for a Linear per position; a Linear's output viewed as (N, C, H, W) for a Conv;
    H and W swapped before a Conv."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(2, 3, 3, padding=1)
        self.per_pos = nn.Linear(3, 4)
        self.expand = nn.Linear(4 * 4 * 5, 2 * 3 * 4)
        self.d = nn.Conv2d(2, 3, 2)
        self.e = nn.Conv2d(3, 2, (3, 1))
        self.fc = nn.Linear(2 * 1 * 2, 3)

    def forward(self, x):
        h = torch.relu(self.c(x))
        n = h.shape[0]
        pos = h.permute(0, 2, 3, 1).reshape(n, 4 * 5, 3)
        v = torch.relu(self.per_pos(pos)).flatten(1)
        m = torch.relu(self.d(self.expand(v).view(n, 2, 3, 4)))
        m = self.e(m.transpose(2, 3))
        return self.fc(m.flatten(1))


class ConcatAxes(nn.Module):
    """torch.cat on the rows (dim=2) and columns (dim=3) of NCHW maps, on the length (dim=2) of
    an NCL map, and of a map with one held in another axis order (a Linear's output viewed as
    (N, C, H, W))."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(2, 3, 3, padding=1)
        self.b = nn.Conv2d(2, 3, 1)
        self.v = nn.Linear(2 * 4 * 4, 3 * 8 * 2)
        self.d = nn.Conv2d(3, 2, 3)
        self.fc = nn.Linear(2 * 6 * 4 + 3 * 80, 3)

    def forward(self, x):
        a, b = torch.relu(self.a(x)), torch.relu(self.b(x))
        rows = torch.cat([a, b], dim=2)                    # (N, 3, 8, 4)
        view = self.v(x.flatten(1)).view(x.shape[0], 3, 8, 2)
        cols = torch.cat([rows, view], dim=3)              # (N, 3, 8, 6)
        seq = torch.cat([rows.flatten(2), cols.flatten(2).transpose(1, 2).reshape(-1, 3, 48)],
                        dim=2)                              # (N, 3, 80)
        return self.fc(torch.cat([self.d(cols).flatten(1), seq.flatten(1)], dim=1))


class ConcatAxes1d(nn.Module):
    """torch.cat on the length (dim=2) of two NCL maps, then a Conv1d over the joined map."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv1d(2, 3, 3)
        self.b = nn.Conv1d(2, 3, 1)
        self.c = nn.Conv1d(3, 2, 3)

    def forward(self, x):
        return self.c(torch.cat([torch.relu(self.a(x)), self.b(x)], dim=2))


class PadFolds(nn.Module):
    """Zero pads before a Conv2d, an AvgPool2d(count_include_pad=True) and a Conv1d (folded into
    their pads; the dynamo exporter folds those before a Conv itself) and before a MaxPool2d
    (kept: a padded zero can be a window's maximum)."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(2, 3, 3, padding=1)
        self.d = nn.Conv2d(3, 3, 2)
        self.e = nn.Conv1d(3, 2, 3)

    def forward(self, x):
        h = self.c(F.pad(x, (1, 2, 0, 1)))
        h = F.avg_pool2d(F.pad(h, (1, 1, 1, 1)), 3, stride=1, count_include_pad=True)
        h = F.max_pool2d(F.pad(h, (1, 0, 1, 0)), 2)
        h = self.d(h).flatten(2)
        return self.e(F.pad(h, (2, 0)))


class PoolCeilRefused(nn.Module):
    """REFUSE: MaxPool2d(ceil_mode=True) with a partial last window."""

    def forward(self, x):
        return F.max_pool2d(x, 2, ceil_mode=True)


class ResizeBilinearRefused(nn.Module):
    """REFUSE: a bilinear Upsample and a reflect Pad (two outputs), both named in one error."""

    def forward(self, x):
        return (F.interpolate(x, scale_factor=2, mode="bilinear"),
                F.pad(x, (1, 1, 1, 1), mode="reflect"))


D, L = mf.DYNAMO, mf.LEGACY
# (file stem, factory, input shape without the batch, exporter, expectation)
FIXTURES = [
    ("cnn2d_torch", Cnn2d, (3, 8, 10), D, "accept"),
    ("cnn2d_torch_legacy", Cnn2d, (3, 8, 10), L, "accept"),
    ("cnn1d_torch", Cnn1d, (2, 32), D, "accept"),
    ("residual_concat_torch", ResidualConcat, (2, 6, 5), D, "accept"),
    ("residual_concat_torch_legacy", ResidualConcat, (2, 6, 5), L, "accept"),
    ("encoder_decoder_torch", EncoderDecoder, (1, 8, 6), D, "accept"),
    ("upsample_1d_torch", Upsample1d, (3, 8), D, "accept"),
    ("depthwise_separable_torch", DepthwiseSeparable, (4, 4, 4), D, "accept"),
    ("channels_last_input_torch", ChannelsLastInput, (6, 5, 3), D, "accept"),
    ("bn1d_mlp_torch_legacy", Bn1dMlp, (8,), L, "accept"),
    ("bn1d_unsqueeze_torch", Bn1dUnsqueeze, (8,), D, "accept"),
    ("bn1d_unsqueeze_torch_legacy", Bn1dUnsqueeze, (8,), L, "accept"),
    ("pad_pool_torch", PadPool, (3, 5, 5), D, "accept"),
    ("unsupported_pool_ceil_torch", PoolCeilRefused, (2, 5, 5), D, "refuse"),
    ("unsupported_resize_pad_torch", ResizeBilinearRefused, (2, 4, 4), D, "refuse"),
    ("upsample_size_1d_torch", UpsampleSize, (3, 8), D, "accept"),
    ("channel_softmax_torch", ChannelSoftmax, (3, 5, 4), D, "accept"),
    ("two_branch_flat_concat_torch", TwoBranchFlatConcat, (2, 4, 5), D, "accept"),
    ("se_block_torch", SqueezeExcite, (3, 5, 4), D, "accept"),
    ("se_block_torch_legacy", SqueezeExcite, (3, 5, 4), L, "accept"),
    ("spatial_attention_torch", SpatialAttention, (2, 4, 5), D, "accept"),
    ("broadcast_1d_torch", Broadcast1d, (2, 8), D, "accept"),
    ("broadcast_1d_torch_legacy", Broadcast1d, (2, 8), L, "accept"),
    ("jet_tagger_torch", JetTagger, (8, 3), D, "accept"),
    ("jet_tagger_torch_legacy", JetTagger, (8, 3), L, "accept"),
    ("permute_moves_torch", PermuteMoves, (2, 4, 5), D, "accept"),
    ("permute_moves_torch_legacy", PermuteMoves, (2, 4, 5), L, "accept"),
    ("concat_axes_torch", ConcatAxes, (2, 4, 4), D, "accept"),
    ("concat_axes_1d_torch", ConcatAxes1d, (2, 9), D, "accept"),
    ("pad_folds_torch", PadFolds, (2, 5, 6), D, "accept"),
    ("pad_folds_torch_legacy", PadFolds, (2, 5, 6), L, "accept"),
    ("width_softmax_torch", WidthSoftmax, (2, 4, 5), D, "accept"),
]


def build(index, stem, factory, shape, exporter):
    torch.manual_seed(2000 + index)
    model = factory().eval()
    x = torch.randn(BATCH, *shape, generator=torch.Generator().manual_seed(index)).numpy()
    path = OUT / f"{stem}.onnx"
    mf.export_torch(model, torch.from_numpy(x[:2]), path, exporter)
    want = mf.torch_ref(model, x)
    mf.check_ort(path, want, x)
    sess = mf.ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    outs = sess.run(None, {sess.get_inputs()[0].name: x})
    mf._write_if_changed(OUT / f"{stem}.x.npy", _npy(x))
    for i, y in enumerate(outs):
        mf._write_if_changed(OUT / f"{stem}.y{'' if i == 0 else i}.npy", _npy(y))
    return path


def _npy(a):
    import io
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a, dtype=np.float32))
    return buf.getvalue()


def main():
    torch.use_deterministic_algorithms(True)
    files = []
    for i, (stem, factory, shape, exporter, expect) in enumerate(FIXTURES):
        path = build(i, stem, factory, shape, exporter)
        info = mf.describe(path)
        files.append({"file": path.relative_to(mf.REPO).as_posix(), "exporter": exporter,
                      "tests": (factory.__doc__ or "").strip().replace("\n    ", " "),
                      "expect": expect, "ops": info["ops"], "inputs": info["inputs"],
                      "outputs": info["outputs"], "bytes": info["bytes"]})
        print(f"{stem:34s} {info['bytes']:7d} B  ops: {' '.join(info['ops'])}")
    manifest = {"generated_by": "tools/make_cnn_fixtures.py",
                "versions": {"torch": torch.__version__, "onnx": mf.onnx.__version__,
                             "onnxruntime": mf.ort.__version__},
                "files": files}
    mf._write_if_changed(OUT / "MANIFEST.json", (json.dumps(manifest, indent=1) + "\n").encode())


if __name__ == "__main__":
    main()
