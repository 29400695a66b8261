#!/usr/bin/env python3
"""Build the Keras 2 (HDF5) and QKeras test fixtures with the real frameworks.

Run through tools/make_keras2_fixtures.sh, which makes the pinned virtual environment
(TensorFlow 2.15 ships Keras 2; QKeras needs it). Writes tests/fixtures/keras2/:

  <name>.h5 | <name>.json + weights   the model, saved the way users save it
  <name>.x.npy, <name>.y.npy          float32 inputs and the framework's outputs
  <name>.trace.npz                    QKeras models: every layer's output (first TRACE_ROWS rows)
  MANIFEST.json                       what each file is, the quantizer -> fixed-point mapping
                                      derived from the installed QKeras source, and the checks

Nothing here is hand-written HDF5: the reader has to cope with what Keras writes. Each QKeras
layer is re-computed here with plain numpy from the fixed-point type the manifest claims, and
the script fails unless that reproduces QKeras bit for bit, so the manifest's mapping is
checked, not just asserted. Deterministic (fixed seeds, single-threaded TF, no timestamps in
the files) and idempotent: files whose bytes did not change are not rewritten.

The work is done by the package tools/keras2_fixtures/ (common: TensorFlow set-up, writing;
float_models; qkeras_numerics: quantizer -> type and its numpy reference; qkeras_models and
qkeras_checks; evidence: rounding experiments and source citations; manifest). This file says
which fixtures are made, in which order and with which seeds.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from keras2_fixtures import common, manifest  # noqa: E402  (configures TensorFlow first)
from keras2_fixtures.float_models import (float_fixture, func_merge, func_nested,  # noqa: E402
                                          func_residual, json_fixture, malformed_fixtures,
                                          seq_activations, seq_bn_reshape, seq_relu_family,
                                          unsupported_conv1d)
from keras2_fixtures.hgq1_models import hgq1_proxy_mlp  # noqa: E402
from keras2_fixtures.legacy_files import keras20_seq_mlp  # noqa: E402
from keras2_fixtures.qkeras_cnn_models import CNN_MODELS, cnn_fixture  # noqa: E402
from keras2_fixtures.qkeras_models import QMODELS, q_fixture  # noqa: E402


def main():
    start = time.monotonic()
    common.OUT.mkdir(parents=True, exist_ok=True)
    files = []
    for seed, builder in enumerate([seq_activations, seq_relu_family, seq_bn_reshape, func_merge,
                                    func_residual, unsupported_conv1d], start=1):
        files.append(float_fixture(builder, seed))
    files.append(json_fixture(7))
    files.append(float_fixture(func_nested, 9))
    files.append(keras20_seq_mlp(8))
    files += malformed_fixtures("seq_relu_family.h5")
    for seed, (name, in_integer, tests, layers) in enumerate(QMODELS, start=100):
        files.append(q_fixture(name, in_integer, tests, layers, seed))
    for seed, model in enumerate(CNN_MODELS, start=300):
        files.append(cnn_fixture(*model, seed))
    files += [hgq1_proxy_mlp(200, aggressive=True), hgq1_proxy_mlp(201, aggressive=False)]
    manifest.write_manifest(files)
    common.summary(start)


if __name__ == "__main__":
    main()
