#!/usr/bin/env python3
"""Train the bundled example: a 64->32->16->10 ReLU MLP on scikit-learn's digits.

Writes, next to this file:
  digits_mlp.onnx  the trained network (torch.onnx.export, default exporter, dynamic batch)
  test_x.npy       float32 [N, 64], pixels scaled to [0, 1)
  test_y.npy       int64   [N],     labels 0..9

The network emits logits (no Softmax): argmax is all the firmware needs, and it
keeps the example within the ops every backend supports.
"""

import contextlib
import io
import logging
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = Path(__file__).resolve().parent
SEED = 0
EPOCHS = 60
BATCH = 32


def set_determinism():
    """Same weights, same ONNX bytes on every run and machine (CPU)."""
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    # Float sums split across threads can round differently with the thread count.
    torch.set_num_threads(1)


def load_data():
    digits = load_digits()
    # Pixels are integers 0..16, so /16 alone reaches 1.0. Clipping the 16s to 1 - 2^-8
    # keeps inputs in [0, 1), so an unsigned fractional-only input type
    # (ap_ufixed<8,0>) holds every test vector exactly.
    x = np.minimum(digits.data / 16.0, 1.0 - 2.0**-8).astype(np.float32)
    y = digits.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.3, random_state=SEED, stratify=y)


def make_model():
    return nn.Sequential(
        nn.Linear(64, 32), nn.ReLU(),
        nn.Linear(32, 16), nn.ReLU(),
        nn.Linear(16, 10),
    )


def train(model, x, y):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    # A seeded generator makes the shuffle order independent of any other RNG use.
    gen = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(EPOCHS):
        for idx in torch.randperm(len(xt), generator=gen).split(BATCH):
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
    model.eval()


def accuracy(logits, y):
    return float(np.mean(np.argmax(logits, axis=1) == y))


def export(model, path):
    """Default (dynamo) exporter, batch dimension symbolic."""
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            model, (torch.zeros(2, 64),), dynamo=True,
            dynamic_shapes=({0: torch.export.Dim("batch")},),
            input_names=["x"], output_names=["logits"])
    # Dynamo stores each node's Python stack trace (absolute paths) in metadata_props;
    # drop it so the committed file does not depend on where it was trained.
    model_proto = program.model_proto
    for node in model_proto.graph.node:
        keep = [p for p in node.metadata_props if p.key != "pkg.torch.onnx.stack_trace"]
        del node.metadata_props[:]
        node.metadata_props.extend(keep)
    path.write_bytes(model_proto.SerializeToString())


def main():
    start = time.monotonic()
    set_determinism()
    x_train, x_test, y_train, y_test = load_data()
    model = make_model()
    train(model, x_train, y_train)

    with torch.no_grad():
        logits = model(torch.from_numpy(x_test)).numpy()
    acc = accuracy(logits, y_test)
    print(f"float test accuracy (torch): {acc:.4f} on {len(y_test)} samples")

    onnx_path = HERE / "digits_mlp.onnx"
    export(model, onnx_path)
    np.save(HERE / "test_x.npy", x_test)
    np.save(HERE / "test_y.npy", y_test)

    # The exported file, not the torch object, is what nnfpga reads: check it agrees.
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    ort_logits = sess.run(None, {"x": x_test})[0]
    ort_acc = accuracy(ort_logits, y_test)
    print(f"float test accuracy (onnxruntime): {ort_acc:.4f}, "
          f"max |logit diff| {np.max(np.abs(ort_logits - logits)):.2e}")
    print(f"done in {time.monotonic() - start:.1f} s")
    if acc < 0.93 or ort_acc != acc:
        sys.exit("accuracy below 93% or ONNX export disagrees with torch")


if __name__ == "__main__":
    main()
