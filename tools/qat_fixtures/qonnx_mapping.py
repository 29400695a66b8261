"""How a QONNX quantizer node maps to an ap_fixed type, and the evidence for it: qonnx's own
op run on probes of ties and out-of-range values, the tensors a model actually quantized, a
NumPy forward pass with only the mapped types, and the rounding of exact ties by each
framework primitive. Used by qonnx_fixtures.py.
"""

import contextlib
import inspect
import io
import logging
import warnings

import brevitas.nn as qnn
import numpy as np
import torch
from brevitas.core.quant import int_base
from brevitas.function import ops as brevitas_ops
from brevitas.function import ops_ste
from brevitas.quant.fixed_point import Int8ActPerTensorFixedPointMinMaxInit
from onnx import helper, numpy_helper
from qonnx.core.modelwrapper import ModelWrapper
from qonnx.core.onnx_exec import execute_onnx
from qonnx.custom_op.general import bipolar_quant, intquant, trunc
from qonnx.custom_op.registry import getCustomOp
from qonnx.transformation.change_batchsize import ChangeBatchSize
from qonnx.transformation.infer_shapes import InferShapes

from . import common
from .common import ap_cast, describe_exactness, matching_modes, type_name

QONNX_DOMAIN = "qonnx.custom_op.general"
QONNX_DOMAIN_VERSION = 2  # what brevitas 0.13 declares (brevitas/export/onnx/qonnx/function.py)


def src_ref(obj):
    """`package/file.py:first-last` of a function in the installed packages (evidence)."""
    lines, start = inspect.getsourcelines(obj)
    path = inspect.getsourcefile(obj)
    short = path[path.index("site-packages/") + len("site-packages/"):]
    return f"{short}:{start}-{start + len(lines) - 1}"


# Which HLS quantization mode reproduces each QONNX rounding_mode (qonnx's
# resolve_rounding_mode); None: no ap_fixed mode rounds that way.
ROUNDING_TO_Q = {"ROUND": "AP_RND_CONV", "HALF_EVEN": "AP_RND_CONV", "FLOOR": "AP_TRN",
                 "DOWN": "AP_TRN_ZERO", "HALF_UP": "AP_RND_INF", "HALF_DOWN": "AP_RND_ZERO",
                 "CEIL": None, "UP": None}


def _quiet():
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    logging.getLogger("torch.export").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
    return stack


def qonnx_run(path, x, full=False):
    """qonnx's executor on the file as saved; the batch of the exported graph (1) is changed to
    the number of rows first, with qonnx's own ChangeBatchSize and InferShapes."""
    with _quiet():
        model = ModelWrapper(str(path)).transform(ChangeBatchSize(len(x))).transform(InferShapes())
        out = execute_onnx(model, {model.graph.input[0].name: x}, return_full_exec_context=full)
    return model, out


def o_shape(o):
    return [d.dim_value for d in o.type.tensor_type.shape.dim]


def _init(model, name):
    a = model.get_initializer(name)
    return None if a is None else np.asarray(a)


def _scalar_or_list(a):
    a = np.asarray(a)
    return a.item() if a.size == 1 else a.tolist()


def _frac_bits(scale):
    f = -np.log2(np.asarray(scale, dtype=np.float64))
    return f, bool(np.all(np.isfinite(f)) and np.all(f == np.round(f)))


def map_quant(node, model):
    """The ap_fixed type(s) a QONNX quantizer node maps to, or why it has none."""
    op = node.op_type
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in attrs.items()}
    ins = [_init(model, n) for n in node.input]
    m = {"node": node.name, "op": op, "attributes": attrs}
    if op == "BipolarQuant":
        scale = ins[1]
        f, pot = _frac_bits(scale)
        m.update(scale=_scalar_or_list(scale), scale_shape=list(np.shape(scale)))
        m["semantics"] = (f"y = (x >= 0 ? +1 : -1) * scale ({src_ref(bipolar_quant.binary_quant)}); "
                          "0 maps to +scale")
        if not pot or np.size(scale) != 1:
            m["maps_to"] = None
            m["refused_because"] = f"scale {_scalar_or_list(scale)} is not a single power of two"
        else:
            f = int(f.reshape(-1)[0])
            m["maps_to"] = {"kind": "bipolar", "values": [-float(scale.reshape(-1)[0]),
                                                          float(scale.reshape(-1)[0])],
                            "container": f"ap_fixed<2,{2 - f}>",
                            "why": f"a threshold, not a rounding: the two values +-2^-{f} fit "
                                   f"ap_fixed<2,{2 - f}> (F = {f}); hls4ml-style readers may use "
                                   "a 1-bit XNOR encoding instead"}
        return m
    if op == "Trunc":
        scale, zeropt, in_bw, out_scale, out_bw = ins[1:6]
        f_in, pot_in = _frac_bits(scale)
        f_out, pot_out = _frac_bits(out_scale)
        m.update(scale=_scalar_or_list(scale), zeropt=_scalar_or_list(zeropt),
                 input_bit_width=_scalar_or_list(in_bw), output_scale=_scalar_or_list(out_scale),
                 output_bit_width=_scalar_or_list(out_bw))
        m["semantics"] = (
            f"Trunc v2 ({src_ref(trunc.trunc_v2)}): y = np.round(x/scale + zeropt); "
            "y = y / 2^round(log2(output_scale/scale)); clamp to [min_int(signed, narrow, "
            "output_bit_width), max_int(...)]; rounding_fx(y); (y - zeropt/trunc_scale) * "
            "output_scale. input_bit_width is not used by v2. (v1, 5 inputs, "
            f"{src_ref(trunc.trunc_v1)}, divides by 2^(in_bw - out_bw) and rescales by `scale`, "
            "i.e. it shifts the value right; v2 keeps it.)")
        q = ROUNDING_TO_Q.get(str(attrs.get("rounding_mode", "FLOOR")).upper())
        signed, narrow = int(attrs.get("signed", 1)), int(attrs.get("narrow", 0))
        if not (pot_in and pot_out and np.all(zeropt == 0)) or q is None or (narrow and not signed):
            m["maps_to"] = None
            m["refused_because"] = "non power-of-two scale, non-zero zero point or no matching mode"
            return m
        w, f = int(out_bw), int(f_out)
        o = "AP_SAT_SYM" if (signed and narrow) else "AP_SAT"
        m["maps_to"] = {"kind": "fixed", "type": type_name(w, w - f, signed, q, o),
                        "why": f"the input is already on the 2^-{int(f_in)} grid, so the first "
                               f"np.round is exact; dividing by the power of two and "
                               f"{attrs.get('rounding_mode')} is {q} at F = {f}; clamp to "
                               f"{out_bw}-bit {'narrow ' if narrow else ''}"
                               f"{'signed' if signed else 'unsigned'} is {o}"}
        m["ap"] = {"width": w, "integer": w - f, "signed": bool(signed), "q": q, "o": o}
        return m
    # Quant
    scale, zeropt, bw = ins[1], ins[2], ins[3]
    signed, narrow = int(attrs["signed"]), int(attrs["narrow"])
    rounding = str(attrs.get("rounding_mode", "ROUND")).upper()
    f, pot = _frac_bits(scale)
    m.update(scale=_scalar_or_list(scale), scale_shape=list(np.shape(scale)),
             zeropt=_scalar_or_list(zeropt), bitwidth=_scalar_or_list(bw))
    m["semantics"] = (f"qonnx int_quant ({src_ref(intquant.int_quant)}): y = x/scale + zeropt; "
                      "1-bit signed: sign (>= 0 -> +1); else clamp to [min_int, max_int] "
                      f"({src_ref(intquant.min_int)}, {src_ref(intquant.max_int)}) then "
                      f"round by rounding_mode ({src_ref(intquant.resolve_rounding_mode)}); "
                      "out = (y - zeropt) * scale")
    q = ROUNDING_TO_Q.get(rounding)
    reasons = []
    if not pot:
        reasons.append(f"scale {_scalar_or_list(scale)} is not a power of two: the grid is "
                       "not a fixed-point grid")
    if not np.all(zeropt == 0):
        reasons.append(f"zero point {_scalar_or_list(zeropt)} is not 0")
    if np.size(bw) != 1 or float(bw) != int(bw):
        reasons.append("bit width is not one integer")
    if q is None:
        reasons.append(f"rounding_mode {rounding}: no ap_fixed quantization mode rounds toward "
                       "+infinity (CEIL) or away from zero (UP)")
    if narrow and not signed:
        reasons.append("unsigned narrow range tops out at 2^b - 2: no ap_ufixed overflow mode "
                       "saturates there (AP_SAT_SYM on an unsigned type is AP_SAT)")
    if int(bw) == 1 and signed:
        reasons.append("1-bit signed Quant is executed as a sign function (bipolar)")
    if reasons:
        m["maps_to"] = None
        m["refused_because"] = "; ".join(reasons)
        return m
    w = int(bw)
    o = "AP_SAT_SYM" if (signed and narrow) else "AP_SAT"
    f_int = np.round(f).astype(int)
    integer = w - f_int
    lo, hi = intquant.min_int(signed, narrow, w), intquant.max_int(signed, narrow, w)
    why = (f"scale 2^-F makes x/scale exact and the grid ap_fixed's with F = -log2(scale); "
           f"W = bitwidth = {w}, I = W - F; clamp to [{lo}, {hi}] is {o}; rounding_mode "
           f"{rounding} is {q}")
    if rounding == "ROUND":
        why += " (np.round: half to even; Brevitas' torch.round too)"
    ap = {"width": w, "integer": integer.reshape(np.shape(scale)).tolist() if np.size(scale) > 1
          else int(integer.reshape(-1)[0]), "signed": bool(signed), "q": q, "o": o}
    if np.size(scale) == 1:
        m["maps_to"] = {"kind": "fixed", "type": type_name(w, ap["integer"], signed, q, o),
                        "why": why}
    else:
        per = [type_name(w, i, signed, q, o) for i in integer.reshape(-1)]
        fu, iu = int(f_int.max()), int(integer.max())
        m["maps_to"] = {"kind": "fixed_per_channel", "axis": int(np.argmax(np.shape(scale))),
                        "types": per,
                        "one_type_holding_all": type_name(iu + fu, iu, signed, q, o),
                        "why": why + "; one type per channel (scale shape "
                               f"{list(np.shape(scale))}); the widest type holding every "
                               "channel's values exactly has max(F) fraction and max(I) "
                               "integer bits (for constants; it cannot saturate per channel)"}
    m["ap"] = ap
    return m


def _role(node, model, consumers):
    if model.get_initializer(node.input[0]) is None:
        return "activation"
    for c in consumers.get(node.output[0], []):
        if c.op_type == "Gemm" and list(c.input).index(node.output[0]) == 2:
            return "bias"
    return "weight"


def probe_quant_node(node, model, m):
    """Runs qonnx's own op implementation on a probe of ties and out-of-range values shaped
    like the node's tensor, and lists the ap_fixed modes that reproduce it."""
    ap = m.get("ap")
    if ap is None:
        return None
    shape = m.get("_tensor_shape")
    frac = ap["width"] - np.asarray(ap["integer"], dtype=np.float64)
    frac = frac.reshape(m.get("scale_shape") or ()) if np.size(frac) > 1 else frac
    probe = common.tie_probe(frac, ap["width"], ap["signed"], shape)
    ctx = {node.input[0]: probe}
    for name in node.input[1:]:
        ctx[name] = _init(model, name)
    ctx[node.output[0]] = None
    inst = getCustomOp(node, onnx_opset_version=QONNX_DOMAIN_VERSION)
    inst.execute_node(ctx, model.graph)
    y = ctx[node.output[0]]
    return {"values": int(probe.size), "ties": common.count_ties(probe, frac),
            "saturation_probed": ap["width"] <= 23,
            "matching_modes": matching_modes(probe, y, ap["width"], ap["integer"], ap["signed"])}, \
        probe, y


def analyse(raw_path, x, y_torch, module=None):
    """Quantizer table of one exported model, with the evidence for each mapping."""
    model, ctx = qonnx_run(raw_path, x, full=True)
    consumers = {}
    for n in model.graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    acts = list(module.acts) if module is not None else []
    linears = list(module.linears) if module is not None else []
    gemms = [n for n in model.graph.node if n.op_type == "Gemm"]
    rows = []
    for node in model.graph.node:
        if node.op_type not in ("Quant", "BipolarQuant", "Trunc"):
            continue
        m = map_quant(node, model)
        m["role"] = _role(node, model, consumers)
        tensor_in = np.asarray(ctx[node.input[0]])
        tensor_out = np.asarray(ctx[node.output[0]])
        m["_tensor_shape"] = list(tensor_in.shape[1:]) if m["role"] == "activation" \
            else list(tensor_in.shape)
        if module is not None:
            if m["role"] == "activation":
                m["brevitas_module"] = acts.pop(0)
            else:
                gemm = next(g for g in gemms if node.output[0] in g.input)
                layer = linears[gemms.index(gemm)]
                m["brevitas_module"] = f"{layer}.{m['role']}"
        ev = {}
        if m.get("ap"):
            ap = m["ap"]
            frac = ap["width"] - np.asarray(ap["integer"], dtype=np.float64)
            if np.size(frac) > 1:
                frac = frac.reshape(m["scale_shape"])
            probe = probe_quant_node(node, model, m)
            ev["probe_qonnx_op"] = probe[0]
            ev["model_tensor"] = {
                "values": int(tensor_in.size), "ties": common.count_ties(tensor_in, frac),
                "matching_modes": matching_modes(tensor_in, tensor_out, ap["width"],
                                                 ap["integer"], ap["signed"])}
            if module is not None and m["role"] == "activation":
                mod = getattr(module, m["brevitas_module"])
                with torch.no_grad():
                    out = mod(torch.from_numpy(probe[1]))
                out = getattr(out, "value", out).numpy()
                ev["probe_brevitas_module"] = {
                    "module": f"{m['brevitas_module']} ({type(mod).__name__})",
                    "values": int(probe[1].size),
                    "matching_modes": matching_modes(probe[1], out, ap["width"], ap["integer"],
                                                     ap["signed"]),
                    "agrees_with_qonnx_op": bool(np.array_equal(out, probe[2]))}
            chosen = f"{ap['q']},{ap['o']}"
            for k, e in ev.items():
                if chosen not in e["matching_modes"]:
                    raise SystemExit(f"{raw_path.name}: {node.name}: {chosen} does not reproduce "
                                     f"the framework on {k}: {e}")
        if module is not None and m["role"] == "weight":
            layer = getattr(module, m["brevitas_module"].split(".")[0])
            qw = layer.quant_weight().value.detach().numpy()
            ev["brevitas_quant_weight_equals_qonnx"] = bool(np.array_equal(qw, tensor_out))
        m["evidence"] = ev
        del m["_tensor_shape"]
        rows.append(m)
    return rows, model, ctx


def emulate(model, x, rows):
    """NumPy forward pass over the graph that uses only the mapped types for the quantizers
    (float64, exact): what a C++ reader that maps the quantizers this way computes."""
    by_node = {r["node"]: r for r in rows}
    env = {model.graph.input[0].name: x.astype(np.float64)}
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init).astype(np.float64)
    for node in model.graph.node:
        ins = [env.get(i) for i in node.input]
        if node.op_type in ("Quant", "Trunc"):
            ap = by_node[node.name].get("ap")
            if ap is None:
                return None
            integer = np.asarray(ap["integer"], dtype=np.float64)
            if integer.size > 1:
                integer = integer.reshape(by_node[node.name]["scale_shape"])
            y = ap_cast(ins[0], ap["width"], integer, ap["signed"], ap["q"], ap["o"])
        elif node.op_type == "BipolarQuant":
            if by_node[node.name].get("maps_to") is None:
                return None
            y = np.where(ins[0] >= 0, 1.0, -1.0) * ins[1]
        elif node.op_type == "Gemm":
            a = {x.name: helper.get_attribute_value(x) for x in node.attribute}
            A = ins[0].T if a.get("transA") else ins[0]
            B = ins[1].T if a.get("transB") else ins[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + a.get("beta", 1.0) * ins[2]
        elif node.op_type == "Relu":
            y = np.maximum(ins[0], 0.0)
        else:
            raise SystemExit(f"emulate: op {node.op_type} not modelled")
        env[node.output[0]] = y
    return np.concatenate([env[o.name] for o in model.graph.output], axis=1)


def emulate_outputs(path, model, x, rows):
    """Per node of a graph of independent quantizers: the NumPy model of its mapped type
    against qonnx's output (refused nodes are passed through from qonnx)."""
    env = {model.graph.input[0].name: x.astype(np.float64)}
    _, out = qonnx_run(path, x)
    res = []
    for node in model.graph.node:
        r = next(r for r in rows if r["node"] == node.name)
        src = env[node.input[0]]
        if r.get("maps_to") is None:
            env[node.output[0]] = np.asarray(out[node.output[0]], dtype=np.float64)
            res.append({"output": node.output[0], "result": "refused, not emulated"})
            continue
        if node.op_type == "BipolarQuant":
            y = np.where(src >= 0, 1.0, -1.0) * float(r["scale"])
        else:
            ap = r["ap"]
            y = ap_cast(src, ap["width"], ap["integer"], ap["signed"], ap["q"], ap["o"])
        env[node.output[0]] = y
        res.append(dict(describe_exactness(f"{r['maps_to'].get('type') or 'bipolar'} vs qonnx",
                                           y, out[node.output[0]]), output=node.output[0]))
    return res


def tie_experiments():
    """The rounding of exact ties by each framework primitive, on -2.5..2.5 in steps of 1."""
    t = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5], dtype=np.float32)
    rows = {"input": t.tolist()}
    rows["torch.round"] = torch.round(torch.from_numpy(t)).tolist()
    rows["numpy.round"] = np.round(t).tolist()
    for mode in ("ROUND", "HALF_EVEN", "HALF_UP", "HALF_DOWN", "FLOOR", "CEIL", "UP", "DOWN"):
        rows[f"qonnx resolve_rounding_mode('{mode}')"] = \
            intquant.resolve_rounding_mode(mode)(t).tolist()
    ident = qnn.QuantIdentity(act_quant=Int8ActPerTensorFixedPointMinMaxInit, bit_width=8,
                              min_val=-128.0, max_val=128.0).eval()
    with torch.no_grad():
        rows["brevitas QuantIdentity (scale 1, 8b signed)"] = ident(torch.from_numpy(t)).tolist()
    for q in common.Q_MODES:
        rows[q] = ap_cast(t, 8, 8, True, q, "AP_SAT").tolist()
    verified = {}
    for mode, q in ROUNDING_TO_Q.items():
        got = rows[f"qonnx resolve_rounding_mode('{mode}')"]
        verified[mode] = (q is not None and got == rows[q]) if q else \
            (f"no ap_fixed mode: directed rounding, not to nearest (on exact ties alone it "
             f"looks like {[q2 for q2 in common.Q_MODES if rows[q2] == got]})")
        if q and got != rows[q]:
            raise SystemExit(f"rounding_mode {mode} does not round ties like {q}")
    return {"what": "exact ties through each primitive, and ap_fixed<8,8,Q,AP_SAT> for every Q",
            "rounding_mode_to_hls_verified_on_ties": verified,
            "results": {k: " ".join(f"{v:g}" for v in vals) for k, vals in rows.items()},
            "conclusion": "torch.round, np.round, qonnx ROUND/HALF_EVEN and Brevitas' QuantIdentity "
                          "round half to even, as AP_RND_CONV does; AP_RND (ties toward "
                          "+infinity, the mode hls4ml configs usually name) gives -1, 1 and 3 "
                          "for -1.5, 0.5 and 2.5 instead of -2, 0 and 2",
            "sources": {"qonnx rounding": src_ref(intquant.resolve_rounding_mode),
                        "qonnx Quant": src_ref(intquant.int_quant),
                        "brevitas IntQuant.to_int (round, then clamp)":
                            src_ref(int_base.IntQuant.to_int),
                        "brevitas round_ste -> torch.round": src_ref(ops_ste.round_ste),
                        "brevitas max_int/min_int": src_ref(brevitas_ops.max_int) + ", " +
                                                    src_ref(brevitas_ops.min_int)}}
