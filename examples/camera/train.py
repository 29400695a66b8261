#!/usr/bin/env python3
"""Train the camera demo's classifier: a 144 -> 32 -> 10 ReLU MLP on 12 x 12 images of digits
drawn at random positions and scales (scenes.py, from scikit-learn's digits).

Writes, next to this file, camera_mlp.onnx (logits, dynamic batch). Deterministic on a CPU.
An MLP on a downscaled image is what the Verilog backend, and so the board flow, takes today.
"""

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
EPOCHS = 40


def make_data(images, labels, per_image, rng):
    x = np.stack([scenes.model_input(scenes.random_scene(img, scenes.CANVAS, rng))
                  for img in images for _ in range(per_image)])
    return x, np.repeat(labels, per_image)


def main():
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
    model = nn.Sequential(nn.Linear(scenes.SIDE ** 2, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    start = time.time()
    for epoch in range(EPOCHS):
        perm = torch.from_numpy(rng.permutation(len(ys)))
        for i in range(0, len(ys), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(model(xs[b]), ys[b]).backward()
            opt.step()
    model.eval()
    out = HERE / "camera_mlp.onnx"
    torch.onnx.export(model, torch.from_numpy(xt[:1]), str(out), input_names=["x"],
                      output_names=["logits"], dynamic_axes={"x": {0: "n"}}, dynamo=False)
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    acc = float(np.mean(np.argmax(sess.run(None, {"x": xt})[0], 1) == yt))
    print(f"trained in {time.time() - start:.0f} s on {len(y)} scenes; held-out digits: "
          f"{acc:.3f} accuracy (onnxruntime); wrote {out.name}")


if __name__ == "__main__":
    main()
