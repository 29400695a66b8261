"""tests/fixtures/hgq2/: HGQ2 models (Keras 3 on the PyTorch backend) saved as .keras, with a
JSON sidecar per model giving, for every quantizer, where its bit widths are stored in the
file, the raw stored values, the effective k/i/f HGQ2 computes from them, and the ap_fixed
type of each element.

How HGQ2 keeps bit widths (hgq 0.2.0, checked here on every quantizer): a quantizer is a
Keras layer `Quantizer` (attribute iq/kq/bq/oq of a QLayer) wrapping an internal layer
(`quantizer`, FixedPointQuantizerKBI or FixedPointQuantizerKIF) whose Keras variables hold
k (uint8, keep-negative), and b and i (KBI) or i and f (KIF) as float32, broadcastable to the
quantized tensor (shape from heterogeneous_axis/homogeneous_axis), plus i_decay_speed in
WRAP mode. They are saved like any Keras variables: model.weights.h5 at
layers/<layer>/<attr>/quantizer/vars/<n>, numbered trainable variables first (in creation
order) then non-trainable ones. i is trainable unless overflow_mode is WRAP, so the numbering
depends on the overflow mode. The stored b, i, f are not integers after training: HGQ2
rounds them half to even (round_conv) when it uses them, then takes i = max(i, -f).

Each model's mapping is checked on a probe of ties and out-of-range values through each
HGQ2 quantizer, on the tensors the model quantized, and by a NumPy forward pass that reads
only the .keras file and the sidecar and must reproduce HGQ2's output exactly.

The models are in hgq2_models.py, the bit-width decoding in hgq2_bit_widths.py and the
checks against HGQ2 in hgq2_reference.py; this module writes the fixtures and the manifest.
"""

import tempfile
from importlib.metadata import version
from pathlib import Path

import keras
import numpy as np
import torch
from keras import ops

from . import common
from .common import FIXTURES, N_ROWS, describe_exactness
from .hgq2_bit_widths import keras_layout, quantizer_rows, rule_text
from .hgq2_models import MODELS, SIZES, build, first_input_type
from .hgq2_reference import FLOAT32_NOTE, check_rows, emulate_from_file

OUT = FIXTURES / "hgq2"


def hgq_fixture(name, spec, seed, what):
    model = build(spec, seed)
    f, w, s = first_input_type(model)
    rng = np.random.default_rng(2000 + seed)
    x = common.quantizer_input(rng, N_ROWS, SIZES[0], np.broadcast_to(f, (SIZES[0],)),
                               np.broadcast_to(np.maximum(w, 1), (SIZES[0],)),
                               np.broadcast_to(s, (SIZES[0],)))
    with torch.no_grad():
        y = ops.convert_to_numpy(model(x, training=False)).astype(np.float32)

    path = OUT / f"{name}.keras"
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch) / f"{name}.keras"
        model.save(tmp)
        common.write_keras(path, tmp)
    reloaded = keras.models.load_model(path)
    with torch.no_grad():
        y_reloaded = ops.convert_to_numpy(reloaded(x, training=False)).astype(np.float32)

    rows = quantizer_rows(model, path)
    check_rows(name, model, rows, x, seed)

    sidecar_path = OUT / f"{name}.quantizers.json"
    sidecar = {"model": f"{name}.keras", "rules": "see MANIFEST.json hgq2_bit_widths",
               "quantizers": rows}
    common.write_json(sidecar_path, sidecar)
    emu = emulate_from_file(path, rows, x)
    emu32 = emulate_from_file(path, rows, x, float32_half=True)
    common.write_npy(OUT / f"{name}.x.npy", x)
    common.write_npy(OUT / f"{name}.y.npy", y)
    checks = [describe_exactness("model(x) vs load_model(file)(x)", y, y_reloaded),
              describe_exactness("NumPy forward from the .keras file and the sidecar types "
                                 "(exact ap_fixed semantics) vs y", y, emu),
              describe_exactness("the same forward with HGQ2's float32 `x*2^f + 0.5` in RND "
                                 "vs y", y, emu32)]
    rows_differ = np.nonzero(np.any(emu.astype(np.float32) != y, axis=1))[0]
    checks[1]["rows_that_differ"] = rows_differ.tolist()
    bad = [c for c in (checks[0], checks[2]) if c["mismatches"]]
    print(f"  {name}: {len(rows)} quantizers; "
          f"{'all checks exact' if not bad else 'MISMATCH: ' + str(bad)}")
    return {
        "name": name, "what": what, "seed": seed,
        "files": [common.file_entry(path), common.file_entry(sidecar_path)],
        "x": common.file_entry(OUT / f"{name}.x.npy"),
        "y": common.file_entry(OUT / f"{name}.y.npy"),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
        "y_is": "HGQ2 model(x, training=False) on the torch backend (float32)",
        "expect": "accept",
        "checks": checks,
        "quantizers": [{"layer": r["layer"], "quantizer": r["quantizer"],
                        "q_type": r["q_type"], "round_mode": r["round_mode"],
                        "overflow_mode": r["overflow_mode"], "bw_shape": r["bw_shape"],
                        "distinct_types": r["distinct_types"][:8] +
                        (["..."] if len(r["distinct_types"]) > 8 else []),
                        "zero_bit_elements": r["zero_bit_elements"],
                        "evidence": r["evidence"]} for r in rows],
    }


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    entries = [hgq_fixture(*spec) for spec in MODELS]
    manifest = {
        "generated_by": "tools/make_qat_fixtures.sh (tools/make_qat_fixtures.py, "
                        "tools/qat_fixtures/hgq2_fixtures.py)",
        "versions": {p: version(p) for p in ("hgq2", "quantizers", "keras", "torch", "h5py",
                                             "numpy")},
        "keras_backend": keras.backend.backend(),
        "hgq2_bit_widths": rule_text(),
        "float32_rounding_in_hgq2": FLOAT32_NOTE,
        "layout_example": {"file": "hgq_mlp_per_layer.keras",
                           **keras_layout(OUT / "hgq_mlp_per_layer.keras")},
        "models": entries,
    }
    common.write_json(OUT / "MANIFEST.json", manifest)
