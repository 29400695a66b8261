#!/usr/bin/env python3
"""Build the ONNX test fixtures with the real frameworks.

Writes tests/fixtures/onnx/*.onnx, tests/fixtures/onnx/MANIFEST.json and
bench/models/mlp_16_64_32_32_5.onnx. Run from anywhere:

    python3 tools/make_fixtures.py

Why real exporters instead of onnx.helper: the ONNX reader has to cope with what
torch.onnx.export and Keras actually emit (Gemm vs MatMul+Add, Reshape instead of
Flatten, redundant Cast nodes, Identity on initializers, deduplicated
initializers, symbolic output dims, ...). Hand-written graphs would hide that.

Every fixture is checked against onnxruntime before it is kept, so a fixture that
does not reproduce its framework's output fails here rather than in a C++ test.
The script is deterministic: fixed seeds, fixed example inputs, and files are
only rewritten when their bytes change.
"""

import contextlib
import hashlib
import io
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path

# Keras 3 picks its backend at import time; TensorFlow is not installed.
os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FIXTURE_DIR = REPO / "tests" / "fixtures" / "onnx"
BENCH_DIR = REPO / "bench" / "models"

DYNAMO = "torch.onnx.export(dynamo=True) [torch default]"
LEGACY = "torch.onnx.export(dynamo=False) [TorchScript]"

N_IN = 8  # every fixture's feature width, small enough to stay < 50 KB


# --------------------------------------------------------------------------- export


def _quiet():
    """The exporters print progress and torchvision warnings; keep the op list readable."""
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    logging.getLogger("torch.export").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    return stack


# Dynamo records each node's Python stack trace (absolute paths, line numbers of this
# script) in node.metadata_props. Keeping it would make the bytes depend on the checkout
# location and on unrelated edits here. The other metadata keys (namespace,
# class_hierarchy, fx_node, name_scopes) stay, so the reader still meets metadata_props.
STRIPPED_METADATA = "pkg.torch.onnx.stack_trace"


def _serialize_without_stack_traces(tmp):
    model = onnx.load(str(tmp))
    for node in model.graph.node:
        keep = [p for p in node.metadata_props if p.key != STRIPPED_METADATA]
        del node.metadata_props[:]
        node.metadata_props.extend(keep)
    return model.SerializeToString()


def _write_if_changed(path, data):
    """Idempotence: an unchanged model keeps its mtime, so make/git see no churn."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def export_torch(model, example, path, exporter=DYNAMO, dynamic=((0, "batch"),),
                 input_names=("x",), output_names=("y",), **kwargs):
    """Export `model` on `example` with one of torch's two exporters.

    `dynamic` lists (axis, name) pairs of the single input that are symbolic;
    empty means a fully static graph. Names of None let the exporter choose.
    """
    model.eval()
    names = dict(
        input_names=list(input_names) if input_names else None,
        output_names=list(output_names) if output_names else None,
    )
    tmp = path.with_suffix(".tmp.onnx")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _quiet():
        if exporter == DYNAMO:
            shapes = None
            if dynamic:
                shapes = ({axis: torch.export.Dim(name) for axis, name in dynamic},)
            program = torch.onnx.export(model, (example,), dynamo=True,
                                        dynamic_shapes=shapes, **names, **kwargs)
            # Weights stay inline: the exporter only moves them to external data past 2 GB.
            program.save(str(tmp))
        else:
            axes = None
            if dynamic:
                in_name = names["input_names"][0]
                axes = {in_name: {axis: name for axis, name in dynamic}}
            torch.onnx.export(model, (example,), str(tmp), dynamo=False,
                              dynamic_axes=axes, **names, **kwargs)
    _write_if_changed(path, _serialize_without_stack_traces(tmp))
    tmp.unlink()


def export_keras(model, path, input_signature=None):
    """Keras 3 (torch backend) delegates to torch.onnx.export; which exporter it picks
    depends on whether the batch is dynamic, so the caller records it from the file."""
    tmp = path.with_suffix(".tmp.onnx")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _quiet():
        model.export(str(tmp), format="onnx", input_signature=input_signature, verbose=False)
    _write_if_changed(path, _serialize_without_stack_traces(tmp))
    tmp.unlink()


def keras_exporter_of(path):
    """Keras silently falls back from dynamo to TorchScript, so tell them apart by
    what each leaves in the file: dynamo writes IR 10 and `node_*` names,
    TorchScript IR 9 and `/Scope/Op` names."""
    m = onnx.load(str(path))
    if m.ir_version >= 10 and all(not n.name.startswith("/") for n in m.graph.node):
        return "keras Model.export(format='onnx') -> " + DYNAMO
    return "keras Model.export(format='onnx') -> " + LEGACY


# --------------------------------------------------------------------------- checks


def _dims(value_info):
    return [d.dim_param if d.HasField("dim_param") else
            (d.dim_value if d.HasField("dim_value") else "?")
            for d in value_info.type.tensor_type.shape.dim]


def describe(path):
    """What the reader author needs from a file, read back with the onnx package."""
    m = onnx.load(str(path))
    onnx.checker.check_model(m, full_check=True)
    g = m.graph
    ops = []
    for n in g.node:
        if n.op_type not in ops:
            ops.append(n.op_type)
    return {
        "ir_version": m.ir_version,
        "opset": {(o.domain or "ai.onnx"): o.version for o in m.opset_import},
        "producer": f"{m.producer_name} {m.producer_version}".strip(),
        "ops": ops,
        "nodes": [{"name": n.name, "op": n.op_type} for n in g.node],
        "inputs": [{"name": i.name, "shape": _dims(i)} for i in g.input],
        "outputs": [{"name": o.name, "shape": _dims(o)} for o in g.output],
        "initializers": [i.name for i in g.initializer],
        "value_info_count": len(g.value_info),
        "external_data": any(t.data_location == onnx.TensorProto.EXTERNAL
                             for t in g.initializer),
        "node_metadata_keys": sorted({p.key for n in g.node for p in n.metadata_props}),
        "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def check_ort(path, expected, x, atol=1e-5):
    """The fixture must compute what the framework computed, on every output."""
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = sess.run(None, {sess.get_inputs()[0].name: x})
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    for g, e in zip(got, expected):
        err = float(np.max(np.abs(g - e)))
        if err > atol:
            raise RuntimeError(f"{path.name}: onnxruntime differs from framework by {err}")


def torch_ref(model, x):
    with torch.no_grad():
        out = model.eval()(torch.from_numpy(x))
    if isinstance(out, tuple):
        return [o.numpy() for o in out]
    return out.numpy()


# --------------------------------------------------------------------------- models


class DenseThen(nn.Module):
    """Linear then the op under test: activations in nnfpga always follow a Dense."""

    def __init__(self, op, n_out=4):
        super().__init__()
        self.dense = nn.Linear(N_IN, n_out)
        self.op = op

    def forward(self, x):
        return self.op(self.dense(x))


class MatMulAdd(nn.Module):
    """x @ W + b written out, so the exporter cannot turn it into Gemm."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(N_IN, 4) * 0.3)
        self.b = nn.Parameter(torch.randn(4) * 0.1)

    def forward(self, x):
        return torch.matmul(x, self.w) + self.b


class ConstOp(nn.Module):
    """Dense then one elementwise op with a constant (buffer -> initializer)."""

    def __init__(self, kind, const):
        super().__init__()
        self.dense = nn.Linear(N_IN, 4)
        self.kind = kind
        self.register_buffer("c", torch.as_tensor(const, dtype=torch.float32))

    def forward(self, x):
        y = self.dense(x)
        ops = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
        return ops[self.kind](y, self.c)


class ScalarChain(nn.Module):
    """Python scalars: the TorchScript exporter makes each one a Constant node."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(N_IN, 4)

    def forward(self, x):
        return ((self.dense(x) + 1.5) * 0.5 - 0.25) / 4.0


class TwoOutputs(nn.Module):
    """Returning one tensor twice is the only way torch 2.13 emits an Identity node."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(N_IN, 4)

    def forward(self, x):
        y = torch.relu(self.dense(x))
        return y, y


class Exp(nn.Module):
    """An op nnfpga refuses, for the unsupported-model fixture."""

    def forward(self, x):
        return torch.exp(x)


def batchnorm_with_stats(n):
    """BatchNorm1d with non-trivial running stats and affine params, in eval mode."""
    bn = nn.BatchNorm1d(n)
    with torch.no_grad():
        bn.running_mean.uniform_(-1.0, 1.0)
        bn.running_var.uniform_(0.5, 2.0)
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
    return bn


def bench_mlp():
    """16->64->32->32->5 ReLU MLP. He-normal weights and small biases give the
    activation ranges of a trained net, which is what the bit-width benches need."""
    sizes = [16, 64, 32, 32, 5]
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        lin = nn.Linear(a, b)
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        nn.init.normal_(lin.bias, std=0.05)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


# --------------------------------------------------------------------------- fixture table

# (file, what it tests, factory, example input shape, exporter, dynamic axes, extra kwargs)
# Each factory runs right after torch.manual_seed(<index>), so adding a fixture at the end
# never changes the bytes of the others.
B = ((0, "batch"),)
TORCH_FIXTURES = [
    ("gemm_torch.onnx", "Linear -> Gemm(transB=1)",
     lambda: nn.Linear(N_IN, 4), (2, N_IN), DYNAMO, B, {}),
    ("matmul_add_torch.onnx", "MatMul followed by Add of a constant bias (to be lowered to Dense)",
     MatMulAdd, (2, N_IN), DYNAMO, B, {}),
    ("relu_torch.onnx", "Dense then Relu",
     lambda: DenseThen(nn.ReLU()), (2, N_IN), DYNAMO, B, {}),
    ("leaky_relu_torch.onnx", "Dense then LeakyRelu(alpha=0.1)",
     lambda: DenseThen(nn.LeakyReLU(0.1)), (2, N_IN), DYNAMO, B, {}),
    ("sigmoid_torch.onnx", "Dense then Sigmoid",
     lambda: DenseThen(nn.Sigmoid()), (2, N_IN), DYNAMO, B, {}),
    ("tanh_torch.onnx", "Dense then Tanh",
     lambda: DenseThen(nn.Tanh()), (2, N_IN), DYNAMO, B, {}),
    ("softmax_torch.onnx", "Dense then Softmax on the last axis",
     lambda: DenseThen(nn.Softmax(dim=-1)), (2, N_IN), DYNAMO, B, {}),
    ("clip_relu6_torch.onnx", "Dense then ReLU6 -> Clip(min=0, max=6) with min/max as initializers",
     lambda: DenseThen(nn.ReLU6()), (2, N_IN), DYNAMO, B, {}),
    ("clip_hardtanh_torch_legacy.onnx",
     "Dense then hardtanh(0,6) -> Clip with min/max as Constant nodes (TorchScript exporter)",
     lambda: DenseThen(nn.Hardtanh(0.0, 6.0)), (2, N_IN), LEGACY, B, {}),
    ("batchnorm_torch.onnx",
     "Dense, Relu, BatchNorm1d (eval, non-trivial stats) -> BatchNormalization. BN directly "
     "after Linear is folded into Gemm by the dynamo exporter, hence the Relu in between",
     lambda: nn.Sequential(nn.Linear(N_IN, 4), nn.ReLU(), batchnorm_with_stats(4)),
     (2, N_IN), DYNAMO, B, {}),
    ("batchnorm_torch_legacy.onnx",
     "Dense then BatchNorm1d (eval, non-trivial stats) -> BatchNormalization(training_mode=0), "
     "not folded by the TorchScript exporter",
     lambda: nn.Sequential(nn.Linear(N_IN, 4), batchnorm_with_stats(4)),
     (2, N_IN), LEGACY, B, {}),
    ("flatten_torch.onnx",
     "nn.Flatten on a [batch,2,4] input then Dense: dynamo emits Reshape to constant [-1,8]",
     lambda: nn.Sequential(nn.Flatten(), nn.Linear(N_IN, 4)), (2, 2, 4), DYNAMO, B, {}),
    ("flatten_torch_legacy.onnx",
     "nn.Flatten on a [batch,2,4] input then Dense: TorchScript emits a real Flatten(axis=1)",
     lambda: nn.Sequential(nn.Flatten(), nn.Linear(N_IN, 4)), (2, 2, 4), LEGACY, B, {}),
    ("reshape_torch.onnx", "Dense(8->8), Reshape to constant [-1,2,4], Softmax on last axis",
     lambda: DenseThen(lambda t: torch.softmax(t.reshape(-1, 2, 4), dim=-1), n_out=8),
     (2, N_IN), DYNAMO, B, {}),
    ("reshape_torch_legacy.onnx",
     "Dense(8->8) then Reshape to a Constant-node shape [-1,2,4]; graph output dims 1,2 are "
     "symbolic (Reshapey_dim_1/2), so shapes must be inferred, not read from the output",
     lambda: DenseThen(lambda t: t.reshape(-1, 2, 4), n_out=8), (2, N_IN), LEGACY, B, {}),
    ("identity_torch.onnx", "Dense, Relu, then the same tensor as a 2nd output via Identity",
     TwoOutputs, (2, N_IN), DYNAMO, B, {"output_names": ("y", "y_copy")}),
    ("dropout_torch_legacy_opset11.onnx",
     "Dense, Dropout(ratio=0.25) with unused mask output (opset 11: no training_mode input, "
     "identity at inference), Relu. Only TorchScript in training mode keeps Dropout at all",
     lambda: DenseThen(nn.Sequential(nn.Dropout(0.25), nn.ReLU())), (2, N_IN), LEGACY, B,
     {"opset_version": 11, "training": torch.onnx.TrainingMode.TRAINING}),
    ("add_const_torch.onnx", "Dense then Add of a constant vector [4]",
     lambda: ConstOp("add", [0.5, -0.25, 1.0, 0.125]), (2, N_IN), DYNAMO, B, {}),
    ("sub_const_torch.onnx", "Dense then Sub of a constant scalar",
     lambda: ConstOp("sub", 0.75), (2, N_IN), DYNAMO, B, {}),
    ("mul_const_torch.onnx", "Dense then Mul by a constant vector [4]",
     lambda: ConstOp("mul", [2.0, -0.5, 0.25, 1.5]), (2, N_IN), DYNAMO, B, {}),
    ("div_const_torch.onnx", "Dense then Div by a constant scalar",
     lambda: ConstOp("div", 4.0), (2, N_IN), DYNAMO, B, {}),
    ("constant_arith_torch_legacy.onnx",
     "Dense then Add/Mul/Sub/Div by scalars, each scalar a Constant node (TorchScript)",
     ScalarChain, (2, N_IN), LEGACY, B, {}),
    ("mlp_static_batch1_torch.onnx",
     "Dense, Relu, Dense, Softmax with a static batch of 1 and exporter-chosen I/O names",
     lambda: nn.Sequential(nn.Linear(N_IN, 6), nn.ReLU(), nn.Linear(6, 3), nn.Softmax(-1)),
     (1, N_IN), DYNAMO, (), {"input_names": None, "output_names": None}),
    # Refused models: the reader must list every offending node, not stop at the first.
    ("unsupported_conv_exp_torch.onnx",
     "REFUSE: Exp is unsupported; the Conv (Conv1d), Reshape and Gemm before it are read",
     lambda: nn.Sequential(nn.Conv1d(1, 2, 3), nn.Flatten(), nn.Linear(12, 4), Exp()),
     (2, 1, N_IN), DYNAMO, B, {}),
    ("unsupported_sin_cos_torch.onnx", "REFUSE: Sin and Cos are unsupported",
     lambda: DenseThen(lambda t: torch.sin(t) + torch.cos(t)), (2, N_IN), DYNAMO, B, {}),
    ("unsupported_dynamic_dim_torch.onnx",
     "REFUSE: input [batch,seq,8] has a dynamic non-batch dimension (Linear on 3-D input "
     "-> MatMul+Add)",
     lambda: nn.Sequential(nn.Linear(N_IN, 4), nn.ReLU()), (2, 3, N_IN), DYNAMO,
     ((0, "batch"), (1, "seq")), {}),
    ("unsupported_dropout_training_torch_legacy.onnx",
     "REFUSE (or at least not treat as inference): Dropout with training_mode = Constant(true), "
     "what TorchScript emits at opset 20 for a model exported in training mode",
     lambda: DenseThen(nn.Sequential(nn.Dropout(0.25), nn.ReLU())), (2, N_IN), LEGACY, B,
     {"training": torch.onnx.TrainingMode.TRAINING}),
]


# Fixtures whose framework output is random (training-mode dropout) cannot be checked.
NO_ORT_CHECK = {"unsupported_dropout_training_torch_legacy.onnx"}


def build_torch(index, spec):
    name, tests, factory, shape, exporter, dynamic, extra = spec
    torch.manual_seed(1000 + index)
    model = factory()
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(index)).numpy()
    extra = dict(extra)
    io_names = {k: extra.pop(k) for k in ("input_names", "output_names") if k in extra}
    path = FIXTURE_DIR / name
    export_torch(model, torch.from_numpy(x), path, exporter, dynamic, **io_names, **extra)
    if name not in NO_ORT_CHECK:
        check_ort(path, torch_ref(model, x), x)
    return path, {"framework": f"torch {torch.__version__}", "exporter": exporter,
                  "tests": tests}


def build_keras():
    """Keras 3 fixtures. With a dynamic batch Keras uses TorchScript; with a static
    input_signature it tries dynamo first."""
    import keras

    out = []

    def finish(model, name, tests, x, signature=None):
        path = FIXTURE_DIR / name
        export_keras(model, path, signature)
        check_ort(path, keras.ops.convert_to_numpy(model(x, training=False)), x)
        out.append((path, {"framework": f"keras {keras.__version__} (torch backend)",
                           "exporter": keras_exporter_of(path), "tests": tests}))

    x = np.random.default_rng(0).standard_normal((2, N_IN)).astype("float32")

    keras.utils.set_random_seed(1)
    m = keras.Sequential([keras.Input((N_IN,)), keras.layers.Dense(6, activation="relu"),
                          keras.layers.Dense(3, activation="softmax")])
    m(x)  # Keras refuses to export a model that has never been called
    finish(m, "keras_dense_relu_softmax.onnx",
           "Keras Dense(relu) -> Dense(softmax): MatMul+Add, redundant Cast(to=FLOAT) nodes, "
           "numeric output name", x)

    keras.utils.set_random_seed(2)
    m = keras.Sequential([keras.Input((N_IN,)), keras.layers.Dense(6),
                          keras.layers.BatchNormalization(), keras.layers.LeakyReLU(0.1),
                          keras.layers.Dropout(0.3), keras.layers.Dense(4, activation="tanh")])
    m(x)
    bn = m.layers[1]
    rng = np.random.default_rng(2)
    # gamma, beta, moving_mean, moving_variance: non-trivial so folding is observable.
    bn.set_weights([rng.uniform(0.5, 1.5, 6), rng.uniform(-0.5, 0.5, 6),
                    rng.uniform(-1, 1, 6), rng.uniform(0.5, 2, 6)])
    finish(m, "keras_batchnorm_dropout.onnx",
           "Keras Dense, BatchNormalization (inlined as Sub/Mul/Add on constants), LeakyReLU, "
           "Dropout (vanishes), Dense(tanh)", x)

    keras.utils.set_random_seed(3)
    m = keras.Sequential([keras.Input((N_IN,)), keras.layers.Dense(4, activation="sigmoid")])
    x1 = x[:1]
    m(x1)
    finish(m, "keras_static_batch1.onnx",
           "Keras Dense(sigmoid) exported with a static input_signature of batch 1", x1,
           [keras.InputSpec(shape=(1, N_IN), dtype="float32")])
    return out


def build_bench():
    torch.manual_seed(16643)
    model = bench_mlp()
    x = torch.randn(4, 16, generator=torch.Generator().manual_seed(5)).numpy()
    path = BENCH_DIR / "mlp_16_64_32_32_5.onnx"
    export_torch(model, torch.from_numpy(x), path)
    check_ort(path, torch_ref(model, x), x)
    return path, {"framework": f"torch {torch.__version__}", "exporter": DYNAMO,
                  "tests": "benchmark: 16->64->32->32->5 ReLU MLP, He-normal init"}


# --------------------------------------------------------------------------- main


def main():
    start = time.monotonic()
    torch.use_deterministic_algorithms(True)
    built = [build_torch(i, spec) for i, spec in enumerate(TORCH_FIXTURES)]
    built += build_keras()
    built.append(build_bench())

    manifest = {"generated_by": "tools/make_fixtures.py",
                "versions": {"torch": torch.__version__, "onnx": onnx.__version__,
                             "onnxruntime": ort.__version__},
                "postprocessing": f"node metadata_props '{STRIPPED_METADATA}' removed; "
                                  "nothing else changed",
                "files": []}
    for path, meta in built:
        info = describe(path)
        rel = path.relative_to(REPO).as_posix()
        manifest["files"].append({"file": rel, **meta, "expect": (
            "refuse" if path.name.startswith("unsupported_") else "accept"), **info})
        shapes = ", ".join(f"{i['name']}{i['shape']}" for i in info["inputs"])
        print(f"{rel:62s} opset {info['opset'].get('ai.onnx')}  {shapes}  ops: "
              f"{' '.join(info['ops'])}")

    sys.stdout.flush()
    text = json.dumps(manifest, indent=1, sort_keys=False) + "\n"
    _write_if_changed(FIXTURE_DIR / "MANIFEST.json", text.encode())
    print(f"{len(built)} models in {time.monotonic() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
