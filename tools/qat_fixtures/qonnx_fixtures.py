"""tests/fixtures/qonnx/: QONNX models exported by Brevitas from small seeded MLPs, and one
QONNX model written by hand with onnx.helper for the ops and rounding modes Brevitas does not
emit in an MLP (FLOOR, CEIL, BipolarQuant on an activation, Trunc, an unsigned narrow range).

Each model's outputs are computed by the framework: the PyTorch module in eval mode and
qonnx's own executor on the exported file (raw, and after qonnx's cleanup), which must agree
exactly. Each quantizer is then mapped to the ap_fixed type that should reproduce it, and the
mapping is checked three ways: on a probe of ties and out-of-range values run through the
framework's own quantizer (qonnx's op, and Brevitas' module for activations), on the tensors
the model actually quantized, and by a NumPy forward pass of the whole model that uses only
the mapped types and the float parameters of the file, compared with the framework's output.
"""

import tempfile
from importlib.metadata import version
from pathlib import Path

import brevitas
import brevitas.nn as qnn
import numpy as np
import onnx
import torch
from brevitas.export import export_qonnx
from brevitas.quant.binary import SignedBinaryWeightPerTensorConst
from brevitas.quant.fixed_point import (
    Int8ActPerTensorFixedPointMinMaxInit,
    Int8WeightPerChannelFixedPoint,
    Int8WeightPerTensorFixedPoint,
    Uint8ActPerTensorFixedPointMaxInit,
)
from brevitas.quant.scaled_int import (
    Int8ActPerTensorFloatMinMaxInit,
    Int8WeightPerTensorFloat,
    Int16Bias,
    Int32Bias,
    Uint8ActPerTensorFloatMaxInit,
)
from onnx import TensorProto, helper, numpy_helper
from qonnx.core.modelwrapper import ModelWrapper
from qonnx.util.cleanup import cleanup_model

from . import common
from .common import FIXTURES, N_ROWS, describe_exactness
from .qonnx_mapping import (
    QONNX_DOMAIN,
    QONNX_DOMAIN_VERSION,
    ROUNDING_TO_Q,
    _quiet,
    analyse,
    emulate,
    emulate_outputs,
    o_shape,
    qonnx_run,
    tie_experiments,
)

OUT = FIXTURES / "qonnx"
# absolute paths of this script in the dynamo export's node metadata; see make_fixtures.py
STRIPPED_METADATA = "pkg.torch.onnx.stack_trace"

# --------------------------------------------------------------------------- models


class Mlp(torch.nn.Module):
    """Brevitas layers applied in order; `acts` lists the activation quantizer modules in the
    order their Quant nodes appear in the exported graph, `linears` the QuantLinear layers."""

    def __init__(self, layers):
        super().__init__()
        self.names = [n for n, _ in layers]
        for name, layer in layers:
            self.add_module(name, layer)

    def forward(self, x):
        for name in self.names:
            x = getattr(self, name)(x)
        return x

    @property
    def acts(self):
        return [n for n in self.names if not isinstance(getattr(self, n), qnn.QuantLinear)]

    @property
    def linears(self):
        return [n for n in self.names if isinstance(getattr(self, n), qnn.QuantLinear)]


def _ident(quant, bits, lo, hi, **kw):
    return qnn.QuantIdentity(act_quant=quant, bit_width=bits, min_val=lo, max_val=hi,
                             return_quant_tensor=True, **kw)


def _relu(quant, bits, hi):
    return qnn.QuantReLU(act_quant=quant, bit_width=bits, max_val=hi, return_quant_tensor=True)


def _linear(n_in, n_out, weight_quant, bits=None, bias_quant=Int32Bias, last=False, **kw):
    if bits is not None:
        kw["weight_bit_width"] = bits
    return qnn.QuantLinear(n_in, n_out, bias=True, weight_quant=weight_quant,
                           bias_quant=bias_quant, return_quant_tensor=not last, **kw)


def model_pertensor():
    fx = Int8ActPerTensorFixedPointMinMaxInit
    return Mlp([
        ("qin", _ident(fx, 8, -2.0, 2.0)),
        ("l1", _linear(16, 12, Int8WeightPerTensorFixedPoint, 8)),
        ("r1", _relu(Uint8ActPerTensorFixedPointMaxInit, 6, 4.0)),
        ("l2", _linear(12, 8, Int8WeightPerTensorFixedPoint, 6)),
        ("r2", _relu(Uint8ActPerTensorFixedPointMaxInit, 4, 2.0)),
        ("l3", _linear(8, 4, Int8WeightPerTensorFixedPoint, 4)),
        ("qout", qnn.QuantIdentity(act_quant=fx, bit_width=8, min_val=-8.0, max_val=8.0)),
    ])


def model_perchannel():
    m = Mlp([
        ("qin", _ident(Int8ActPerTensorFixedPointMinMaxInit, 6, -1.0, 1.0, narrow_range=True)),
        ("l1", _linear(16, 12, Int8WeightPerChannelFixedPoint, 8, weight_narrow_range=False)),
        ("r1", _relu(Uint8ActPerTensorFixedPointMaxInit, 8, 8.0)),
        ("l2", _linear(12, 8, Int8WeightPerChannelFixedPoint, 4, bias_quant=Int16Bias)),
        ("r2", _relu(Uint8ActPerTensorFixedPointMaxInit, 3, 1.0)),
        ("l3", _linear(8, 4, Int8WeightPerChannelFixedPoint, 2, bias_quant=None, last=True)),
    ])
    with torch.no_grad():  # a float bias, put on a 2^-6 grid so that fixed point holds it exactly
        m.l3.bias.copy_(torch.round(m.l3.bias * 64) / 64)
    return m


def model_binary():
    return Mlp([
        ("qin", _ident(Int8ActPerTensorFixedPointMinMaxInit, 4, -1.0, 1.0)),
        ("l1", _linear(16, 12, SignedBinaryWeightPerTensorConst, weight_scaling_const=0.25)),
        ("a1", _ident(Int8ActPerTensorFixedPointMinMaxInit, 5, -4.0, 4.0)),
        ("l2", _linear(12, 8, Int8WeightPerTensorFixedPoint, 2)),
        ("r2", _relu(Uint8ActPerTensorFixedPointMaxInit, 4, 4.0)),
        ("l3", _linear(8, 4, Int8WeightPerTensorFixedPoint, 8, weight_narrow_range=False,
                       last=True)),
    ])


def model_float_scale():
    return Mlp([
        ("qin", _ident(Int8ActPerTensorFloatMinMaxInit, 8, -1.7, 1.7)),
        ("l1", _linear(8, 8, Int8WeightPerTensorFloat, bias_quant=None)),
        ("r1", _relu(Uint8ActPerTensorFloatMaxInit, 8, 3.3)),
        ("l2", _linear(8, 4, Int8WeightPerTensorFloat, bias_quant=None, last=True)),
    ])


BREVITAS_MODELS = [
    ("brevitas_mlp_pertensor", model_pertensor, 1,
     "16-12-8-4: QuantIdentity 8b signed in, QuantLinear w8/w6/w4 per-tensor power-of-two "
     "(narrow), Int32Bias, QuantReLU 6b and 4b (unsigned), QuantIdentity 8b signed out",
     True),
    ("brevitas_mlp_perchannel", model_perchannel, 2,
     "16-12-8-4: QuantIdentity 6b signed narrow in, QuantLinear w8 per-channel not narrow, "
     "w4 per-channel narrow with Int16Bias, w2 per-channel narrow with a float bias; "
     "QuantReLU 8b and 3b; float output", False),
    ("brevitas_mlp_binary", model_binary, 3,
     "16-12-8-4: QuantIdentity 4b in, binary (bipolar) weights scale 0.25 -> BipolarQuant, "
     "QuantIdentity 5b signed between layers (no ReLU), w2 narrow, QuantReLU 4b, w8 not "
     "narrow; float output", False),
    ("brevitas_mlp_float_scale", model_float_scale, 4,
     "8-8-4 with Brevitas' usual float-scale quantizers (Int8ActPerTensorFloatMinMaxInit, "
     "Int8WeightPerTensorFloat, Uint8ActPerTensorFloatMaxInit): scales are not powers of two, "
     "so no quantizer here is exact fixed point and a reader must refuse them", False),
]


# --------------------------------------------------------------------------- export and run


def export(module, n_in, path, dynamo):
    # in a scratch folder: the dynamo export also writes a `.data` file of external data,
    # which onnx.load folds back in, so the fixture is one self-contained file
    with tempfile.TemporaryDirectory() as scratch, _quiet():
        tmp = Path(scratch) / "model.onnx"
        export_qonnx(module, torch.zeros(1, n_in), export_path=str(tmp), dynamo=dynamo)
        model = onnx.load(str(tmp))
    for node in model.graph.node:
        keep = [p for p in node.metadata_props if p.key != STRIPPED_METADATA]
        del node.metadata_props[:]
        node.metadata_props.extend(keep)
    common.write_if_changed(path, model.SerializeToString())


def write_clean(raw_path, clean_path):
    with _quiet():
        clean = cleanup_model(ModelWrapper(str(raw_path)))
    common.write_if_changed(clean_path, clean.model.SerializeToString())


def graph_summary(path):
    m = onnx.load(str(path))
    inits = {i.name for i in m.graph.initializer}
    return {
        "ir_version": m.ir_version,
        "opset": {(o.domain or "ai.onnx"): o.version for o in m.opset_import},
        "producer": f"{m.producer_name} {m.producer_version}".strip(),
        "nodes": [{"name": n.name, "op": n.op_type, "domain": n.domain} for n in m.graph.node],
        "graph_inputs": [{"name": i.name, "shape": o_shape(i),
                          "is_initializer": i.name in inits} for i in m.graph.input],
        "outputs": [{"name": o.name, "shape": o_shape(o)} for o in m.graph.output],
    }


# --------------------------------------------------------------------------- the fixtures


def brevitas_fixture(name, build, seed, what, with_legacy):
    torch.manual_seed(seed)
    module = build().eval()
    n_in = getattr(module, module.linears[0]).in_features
    qin = module.qin.act_quant
    scale = float(qin.scale().detach())
    bits = int(qin.bit_width().detach())
    rng = np.random.default_rng(1000 + seed)
    f = -np.log2(scale)
    frac = f if f == np.round(f) else np.ceil(f)  # float scale: still aim at its neighbourhood
    x = common.quantizer_input(rng, N_ROWS, n_in, frac, bits, True)
    if f != np.round(f):  # ties of a non power-of-two grid
        k = np.floor(rng.random((N_ROWS // 4, n_in)) * 2 ** bits) - 2 ** (bits - 1)
        x[-len(k):] = ((k + 0.5) * scale).astype(np.float32)
    with torch.no_grad():
        y = module(torch.from_numpy(x))
    y = getattr(y, "value", y).numpy().astype(np.float32)

    raw = OUT / f"{name}.onnx"
    clean = OUT / f"{name}.clean.onnx"
    export(module, n_in, raw, dynamo=True)
    write_clean(raw, clean)
    files = [(raw, "brevitas.export.export_qonnx(dynamo=True) [the default with torch >= 2.9]"),
             (clean, "qonnx.util.cleanup.cleanup_model of the file above")]
    if with_legacy:
        legacy = OUT / f"{name}_legacy.onnx"
        export(module, n_in, legacy, dynamo=False)
        files.append((legacy, "brevitas.export.export_qonnx(dynamo=False) [TorchScript]"))
    common.write_npy(OUT / f"{name}.x.npy", x)
    common.write_npy(OUT / f"{name}.y.npy", y)

    agreement = []
    for path, _ in files:
        qm, out = qonnx_run(path, x)
        yq = np.concatenate([np.asarray(out[o.name], dtype=np.float32)
                             for o in qm.graph.output], axis=1)
        agreement.append(describe_exactness(f"torch module(x) vs qonnx execute_onnx({path.name})",
                                            y, yq))
    rows, model, ctx = analyse(raw, x, y, module)
    emu = emulate(model, x, rows)
    gemm_exact = []
    for g in (n for n in model.graph.node if n.op_type == "Gemm"):
        a, b = (np.asarray(ctx[i], dtype=np.float64) for i in g.input[:2])
        ref = a @ b.T + (np.asarray(ctx[g.input[2]], dtype=np.float64) if len(g.input) > 2 else 0)
        gemm_exact.append(dict(describe_exactness(
            f"qonnx float32 Gemm {g.name} vs the same Gemm in float64", ctx[g.output[0]], ref)))
    exact = all(a["mismatches"] == 0 for a in agreement)
    entry = {
        "name": name, "what": what, "framework": f"brevitas {brevitas.__version__}",
        "seed": seed,
        "files": [dict(common.file_entry(p), made_by=how, **graph_summary(p)) for p, how in files],
        "x": common.file_entry(OUT / f"{name}.x.npy"),
        "y": common.file_entry(OUT / f"{name}.y.npy"),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
        "y_is": "torch: module(x) in eval mode (float32)",
        "framework_agreement": agreement,
        "float32_exactness_of_gemms": gemm_exact,
        "expect": "accept" if all(r.get("maps_to") for r in rows) else "refuse",
        "quantizers_named_as_in": raw.name,
        "quantizers": rows,
        "emulation_with_mapped_types": (
            describe_exactness("NumPy forward with the mapped ap_fixed types vs y", y, emu)
            if emu is not None else "not possible: some quantizer has no fixed-point type"),
    }
    status = "agree" if exact else "DISAGREE"
    print(f"  {name}: torch vs qonnx {status}; expect {entry['expect']}")
    return entry


def hand_model():
    """Quant with ROUND/FLOOR/CEIL, an unsigned narrow Quant, BipolarQuant and Trunc (v2),
    each on the same 2-wide input; the outputs are separate graph outputs."""
    def const(name, value):
        return numpy_helper.from_array(np.asarray(value, dtype=np.float32), name)

    inits = [const("s_4", 2.0 ** -4), const("s_3", 2.0 ** -3), const("s_2", 2.0 ** -2),
             const("s_1", 2.0 ** -1), const("zero", 0.0), const("bw_6", 6.0),
             const("bw_5", 5.0), const("bw_4", 4.0), const("bw_3", 3.0)]
    q = QONNX_DOMAIN
    nodes = [
        helper.make_node("Quant", ["x", "s_4", "zero", "bw_6"], ["y_round"], "quant_round",
                         domain=q, signed=1, narrow=0, rounding_mode="ROUND"),
        helper.make_node("Quant", ["x", "s_3", "zero", "bw_5"], ["y_floor"], "quant_floor",
                         domain=q, signed=1, narrow=1, rounding_mode="FLOOR"),
        helper.make_node("Quant", ["x", "s_3", "zero", "bw_4"], ["y_ceil"], "quant_ceil",
                         domain=q, signed=0, narrow=0, rounding_mode="CEIL"),
        helper.make_node("Quant", ["x", "s_2", "zero", "bw_3"], ["y_unsigned_narrow"],
                         "quant_unsigned_narrow", domain=q, signed=0, narrow=1,
                         rounding_mode="ROUND"),
        helper.make_node("BipolarQuant", ["x", "s_1"], ["y_bipolar"], "bipolar", domain=q),
        helper.make_node("Trunc", ["y_round", "s_4", "zero", "bw_6", "s_2", "bw_4"], ["y_trunc"],
                         "trunc_floor", domain=q, rounding_mode="FLOOR", signed=1, narrow=0),
    ]
    outs = ["y_round", "y_floor", "y_ceil", "y_unsigned_narrow", "y_bipolar", "y_trunc"]
    graph = helper.make_graph(
        nodes, "qonnx_hand_ops", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, [1, 2]) for o in outs], inits)
    model = helper.make_model(graph, producer_name="nnfpga tools/make_qat_fixtures.py",
                              opset_imports=[helper.make_opsetid("", 13),
                                             helper.make_opsetid(q, QONNX_DOMAIN_VERSION)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model, outs


def hand_fixture():
    name = "qonnx_hand_ops"
    model, outs = hand_model()
    path = OUT / f"{name}.onnx"
    common.write_if_changed(path, model.SerializeToString())
    rng = np.random.default_rng(7)
    # column 0 aims at quant_round's grid and range (F=4, 6b; its ties are also ties of
    # Trunc's F=2 output), column 1 at quant_floor's (F=3, 5b; it covers quant_ceil's 4b
    # unsigned range and the F=2 grid of quant_unsigned_narrow)
    cols = [common.quantizer_input(rng, N_ROWS, 1, f, w, s) for f, w, s in ((4, 6, True),
                                                                            (3, 5, True))]
    x = np.concatenate(cols, axis=1)
    _, out = qonnx_run(path, x)
    y = np.concatenate([np.asarray(out[o], dtype=np.float32) for o in outs], axis=1)
    common.write_npy(OUT / f"{name}.x.npy", x)
    common.write_npy(OUT / f"{name}.y.npy", y)
    rows, qmodel, _ = analyse(path, x, y)
    emu = emulate_outputs(path, qmodel, x, rows)
    return {
        "name": name,
        "what": "hand-written with onnx.helper: Quant ROUND (signed), FLOOR (signed narrow), "
                "CEIL (unsigned), ROUND unsigned narrow, BipolarQuant, and Trunc v2 (FLOOR) of "
                "the ROUND output; 2-wide input, six graph outputs",
        "framework": f"qonnx {version('qonnx')} executor (no PyTorch module)",
        "files": [dict(common.file_entry(path), made_by="onnx.helper", **graph_summary(path))],
        "x": common.file_entry(OUT / f"{name}.x.npy"),
        "y": common.file_entry(OUT / f"{name}.y.npy"),
        "x_shape": list(x.shape), "y_shape": list(y.shape),
        "y_is": "qonnx execute_onnx outputs concatenated along axis 1 in graph-output order",
        "y_columns": {o: [2 * i, 2 * i + 2] for i, o in enumerate(outs)},
        "x_columns": "column 0 aims at quant_round's grid and range (F=4, 6 bits), column 1 at "
                     "quant_floor's (F=3, 5 bits), which also covers quant_ceil's and "
                     "quant_unsigned_narrow's ranges",
        "expect": "accept quant_round, quant_floor, bipolar, trunc_floor; refuse quant_ceil "
                  "(CEIL) and quant_unsigned_narrow",
        "quantizers": rows,
        "emulation_with_mapped_types": emu,
    }


NOTES = [
    "Brevitas 0.13.4 on torch 2.13 exports through torch's dynamo exporter by default "
    "(export_qonnx(dynamo=True)); the TorchScript exporter (dynamo=False) makes the *_legacy "
    "file. Both declare the domain qonnx.custom_op.general version 2 beside ai.onnx 20.",
    "The dynamo export lists every initializer as a graph input as well (keep_initializers_"
    "as_inputs); qonnx's cleanup removes them (RemoveStaticGraphInputs) and renames tensors "
    "(global_in, global_out) and nodes (Quant_0, ...), and moves the weight Quant nodes first.",
    "Weights are stored as float initializers (names like slice_1, from onnxscript's constant "
    "folding) feeding a Quant or BipolarQuant node: the file holds unquantized floats, the "
    "quantized weight is that node's output. Biases go through a Quant (Int32Bias: 32 bits, "
    "Int16Bias: 16 bits, scale = input scale x weight scale) or stay float.",
    "Initializers are deduplicated by value: one zero point feeds every Quant node, equal bit "
    "widths are shared, so names do not identify the quantizer they belong to.",
    "Scale shapes: activations and per-tensor weights [] (scalar), biases [1] or [channels], "
    "per-channel weights [out, 1] (Gemm weight layout [out, in], transB=1).",
    "QuantReLU exports as Relu followed by an unsigned Quant; QuantIdentity as a Quant.",
    "The exported batch size is 1 (static [1, n]); qonnx's executor needs ChangeBatchSize "
    "and InferShapes before it takes 10,000 rows.",
    "qonnx clamps before rounding, Brevitas rounds before clamping: identical results, since "
    "the clamp bounds are integers.",
    "qonnx computes min_int/max_int from the float32 bit-width initializer, so a 32-bit Quant "
    "saturates at +-2^31 in qonnx (2^31 - 1 is not a float32); ap_fixed<32,..> saturates at "
    "2^31 - 1. Biases never come near it, so the probes of 32-bit quantizers skip saturation.",
    "A signed 1-bit Quant is executed as a sign function (intquant.py: 'BUG: 1-bit IntQuant "
    "ops currently not exported correctly'); it is refused here rather than mapped.",
    ("brevitas_mlp_float_scale: torch and qonnx disagree by one float32 ulp on some outputs. "
     "Non power-of-two scales make the Gemm sums inexact in float32 (see "
     "float32_exactness_of_gemms) and PyTorch and onnxruntime add in different orders. With "
     "power-of-two scales every sum here is exact, so the order cannot matter."),
]


def make():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    entries = [brevitas_fixture(*spec) for spec in BREVITAS_MODELS]
    entries.append(hand_fixture())
    print("  qonnx_hand_ops: qonnx executor only")
    manifest = {
        "generated_by": "tools/make_qat_fixtures.sh (tools/make_qat_fixtures.py, "
                        "tools/qat_fixtures/qonnx_fixtures.py, qonnx_mapping.py)",
        "versions": {p: version(p) for p in ("torch", "brevitas", "qonnx", "onnx",
                                             "onnxoptimizer", "onnxscript", "onnxruntime",
                                             "numpy")},
        "postprocessing": f"node metadata_props '{STRIPPED_METADATA}' removed from Brevitas' "
                          "dynamo exports; nothing else changed",
        "qonnx_domain": {"name": QONNX_DOMAIN, "version": QONNX_DOMAIN_VERSION},
        "rounding_mode_to_hls": {k: v for k, v in ROUNDING_TO_Q.items()},
        "tie_experiment": tie_experiments(),
        "notes": NOTES,
        "models": entries,
    }
    common.write_json(OUT / "MANIFEST.json", manifest)
