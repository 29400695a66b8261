"""Shared by the Keras 2 / QKeras fixture generators: TensorFlow set up for deterministic
results (before anything else imports it), the output folder, row counts and framework
versions, the idempotent writer and its closing summary, the byte encoders (npy, npz with a
fixed date, a Keras-saved .h5), and reading a saved model's layer list back.
"""

import io
import json
import os
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # plain Eigen kernels: same float results everywhere
warnings.filterwarnings("ignore")

import h5py  # noqa: E402
import keras  # noqa: E402  (Keras 2.15, the package behind tf.keras)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.threading.set_intra_op_parallelism_threads(1)

import qkeras  # noqa: E402

L = tf.keras.layers
REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "fixtures" / "keras2"
REL = OUT.relative_to(REPO).as_posix()
FLOAT_ROWS = 1000     # float models: enough to compare with a tolerance
QUANT_ROWS = 10000    # quantized models: every tie and saturation case many times over
TRACE_ROWS = 1000     # per-layer outputs of the first rows only, to keep the folder small
VERSIONS = {"python": sys.version.split()[0], "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "qkeras": getattr(qkeras, "__version__", "?"), "h5py": h5py.__version__,
            "hdf5": h5py.version.hdf5_version, "numpy": np.__version__}


# --------------------------------------------------------------------------- writing

WRITTEN = []  # (relative path, bytes, status)


def write(name, data):
    """Idempotence: unchanged bytes keep the file (and its mtime) as it is."""
    path = OUT / name
    status = "unchanged"
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
        status = "written"
    WRITTEN.append((name, len(data), status))
    return path


def npy_bytes(a):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def npz_bytes(arrays):
    """np.savez stamps each member with the current time; this writes a fixed 1980 date."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for key, a in arrays.items():
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, npy_bytes(a), compresslevel=9)
    return buf.getvalue()


def saved_bytes(save):
    """Keras writes to a path; `save(path)` writes there, the bytes come back."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.h5"
        save(p)
        return p.read_bytes()


def describe_layers(cfg):
    layers = cfg["config"]["layers"]
    out = []
    for lc in layers:
        d = {"name": lc["config"]["name"], "class_name": lc["class_name"]}
        if "inbound_nodes" in lc:
            d["inbound"] = [n[0] for node in lc["inbound_nodes"] for n in node]
        out.append(d)
    return out


def h5_config(path):
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["model_config"])


def predict(model, x):
    return model(x, training=False).numpy().astype(np.float32)


def summary(start):
    """One line per file written by this run, stray files, and the totals."""
    total = 0
    for name, size, status in WRITTEN:
        print(f"{REL}/{name:42s} {size:9d} B  {status}")
    for p in sorted(OUT.iterdir()):
        total += p.stat().st_size
    stray = sorted({p.name for p in OUT.iterdir()} - {n for n, _, _ in WRITTEN} - {"README.md"})
    if stray:
        print("not written by this run (stale?): " + ", ".join(stray))
    print(f"{len(WRITTEN)} files, folder {total / 1e6:.2f} MB, {time.monotonic() - start:.0f} s",
          file=sys.stderr)
