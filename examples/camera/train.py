#!/usr/bin/env python3
"""Train the camera demo's classifier on 12 x 12 images of digits drawn at random positions and
scales (scenes.py, from scikit-learn's digits):

  --arch cnn (the default): Conv 3x3 (4) -> ReLU -> MaxPool 2 -> Conv 3x3 (8) -> ReLU -> Flatten
      -> Dense 10, 1,066 parameters; writes camera_cnn.onnx (input N x 1 x 12 x 12);
  --arch mlp: 144 -> 32 -> 10 with ReLU, 4,970 parameters; writes camera_mlp.onnx (input N x 144).

Logits out, dynamic batch, next to this file. Deterministic on a CPU. The board flow takes both:
the CNN as the Verilog backend's streaming design (a pixel per beat), the MLP as its unrolled
core.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import scenes  # noqa: E402

SEED = 0
SCENES_PER_DIGIT = 16
EPOCHS = {"cnn": 30, "mlp": 40}


class CameraCnn(nn.Module):
    """Two small convolutions see a stroke wherever it is; the dense layer reads their map."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.fc = nn.Linear(8 * 3 * 3, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.relu(self.conv2(x))
        return self.fc(x.flatten(1))


def make_model(arch):
    if arch == "cnn":
        return CameraCnn()
    return nn.Sequential(nn.Linear(scenes.SIDE ** 2, 32), nn.ReLU(), nn.Linear(32, 10))


def model_shape(arch, x):
    """The scenes (rows of SIDE * SIDE) as the model takes them: N x 1 x SIDE x SIDE for the CNN
    (PyTorch's NCHW; with one channel the same values in the same order)."""
    return x.reshape(-1, 1, scenes.SIDE, scenes.SIDE) if arch == "cnn" else x


def make_data(images, labels, per_image, rng):
    x = np.stack([scenes.model_input(scenes.random_scene(img, scenes.CANVAS, rng))
                  for img in images for _ in range(per_image)])
    return x, np.repeat(labels, per_image)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arch", choices=["cnn", "mlp"], default="cnn")
    arch = p.parse_args().arch
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)
    images, labels = scenes.digit_images()
    order = rng.permutation(len(labels))
    test = order[:300]
    train = order[300:]
    x, y = make_data(images[train], labels[train], SCENES_PER_DIGIT, rng)
    xt, yt = make_data(images[test], labels[test], 4, rng)
    x, xt = model_shape(arch, x), model_shape(arch, xt)
    model = make_model(arch)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    start = time.time()
    for epoch in range(EPOCHS[arch]):
        perm = torch.from_numpy(rng.permutation(len(ys)))
        for i in range(0, len(ys), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(model(xs[b]), ys[b]).backward()
            opt.step()
    model.eval()
    out = HERE / f"camera_{arch}.onnx"
    torch.onnx.export(model, torch.from_numpy(xt[:1]), str(out), input_names=["x"],
                      output_names=["logits"], dynamic_axes={"x": {0: "n"}}, dynamo=False)
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    acc = float(np.mean(np.argmax(sess.run(None, {"x": xt})[0], 1) == yt))
    params = sum(t.numel() for t in model.parameters())
    print(f"trained the {arch} ({params} parameters) in {time.time() - start:.0f} s on {len(y)} "
          f"scenes; held-out digits: {acc:.3f} accuracy (onnxruntime); wrote {out.name}")


if __name__ == "__main__":
    main()
