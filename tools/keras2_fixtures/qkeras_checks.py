"""Checks a saved QKeras model layer by layer: every quantizer's serialized form and claimed
type, its weights (read from the .h5 with h5py) and outputs re-computed from that type with
plain numpy and compared with QKeras bit for bit (batch normalization within float tolerance),
returning the per-layer facts the manifest records.
"""

import h5py
import numpy as np
import tensorflow as tf
from qkeras import QActivation, QBatchNormalization, QDense

from .qkeras_numerics import auto_po2_numpy, on_grid, ref_quantize, spec_of, tie_and_saturation_counts


def layer_quantizers(layer, cfg):
    """(role, quantizer object, as serialized in model_config) for every quantizer of a layer."""
    c = cfg["config"]
    if isinstance(layer, QActivation):
        return [("activation", layer.quantizer, c["activation"])]
    out = []
    if isinstance(layer, QDense):
        out.append(("kernel", layer.kernel_quantizer_internal, c["kernel_quantizer"]))
        if layer.use_bias:
            out.append(("bias", layer.bias_quantizer_internal, c["bias_quantizer"]))
        if hasattr(layer.activation, "get_config"):
            out.append(("activation", layer.activation, c["activation"]))
    if isinstance(layer, QBatchNormalization):
        for role in ("gamma", "beta", "mean", "variance"):
            q = getattr(layer, f"{role}_quantizer_internal")
            out.append((role, q, c[f"{role}_quantizer"]))
    return out


def check_qmodel(name, model, path, x, trace, cfg_layers):
    """Re-compute every layer from the claimed types; return per-layer facts for the manifest."""
    facts = []
    prev = x
    with h5py.File(path, "r") as f:
        stored = {ln: {k: np.array(f["model_weights"][ln][ln][k]) for k in f["model_weights"][ln][ln]}
                  for ln in f["model_weights"].attrs["layer_names"].astype(str)
                  if ln in f["model_weights"] and ln in f["model_weights"][ln]}
    cfg_by_name = {c["config"]["name"]: c for c in cfg_layers}
    for layer in model.layers:
        out = trace[layer.name]
        info = {"layer": layer.name, "class_name": type(layer).__name__,
                "quantizers": quantizer_entries(layer, cfg_by_name[layer.name])}
        qs = {e["role"]: e for e in info["quantizers"]}

        if isinstance(layer, QActivation):
            check_qactivation(name, layer, qs, prev, out)
        elif isinstance(layer, QDense):
            check_qdense(name, layer, qs, stored[layer.name], prev, out, info)
        elif isinstance(layer, QBatchNormalization):
            check_qbatchnorm(name, layer, qs, stored[layer.name], prev, out, info)
        else:
            raise RuntimeError(f"{name}: unexpected layer {type(layer).__name__}")
        facts.append(info)
        prev = out
    return facts


def quantizer_entries(layer, cfg):
    """The manifest's record of each quantizer of a layer: its serialized form, what it expands
    to, and the type it is claimed to produce."""
    entries = []
    for role, q, serialized in layer_quantizers(layer, cfg):
        entry = {"role": role, "serialized": serialized}
        if q is not None:
            entry.update({"class_name": type(q).__name__, "str": str(q)})
            if not (isinstance(serialized, dict) and serialized.get("config") == q.get_config()):
                entry["config"] = q.get_config()  # what the string (or dict) expands to
            try:
                entry["expected_type"] = spec_of(q)
            except (AssertionError, RuntimeError):
                entry["expected_type"] = None  # QBN's quantized_relu_po2 defaults: values recorded
        entries.append(entry)
    return entries


def check_qactivation(name, layer, qs, prev, out):
    """A QActivation's output is its quantizer's type applied to the previous output."""
    spec = qs["activation"]["expected_type"]
    ref = ref_quantize(spec, prev)
    if not np.array_equal(ref, out.astype(np.float64)):
        bad = np.argwhere(ref != out)[:3]
        raise RuntimeError(f"{name}/{layer.name}: {spec['type']} differs from QKeras at {bad}")
    qs["activation"]["input_counts"] = tie_and_saturation_counts(spec, prev)


def check_qdense(name, layer, qs, w, prev, out, info):
    """QDense: kernel and bias read from the .h5 and quantized by QKeras lie on the claimed
    grids (alpha='auto_po2' kernels recomputed in numpy), and x @ Q(kernel) + Q(bias), then the
    activation quantizer, reproduces the output exactly."""
    kernel = w["kernel:0"]
    kq = layer.kernel_quantizer_internal(tf.constant(kernel)).numpy()
    kspec = qs["kernel"]["expected_type"]
    if kspec["kind"] == "auto_po2":
        scale, mine, z = auto_po2_numpy(layer.kernel_quantizer_internal, kernel)
        qscale = np.asarray(layer.kernel_quantizer_internal.scale)
        if not (np.array_equal(mine, kq) and np.array_equal(scale, qscale)):
            raise RuntimeError(f"{name}/{layer.name}: auto_po2 recomputation differs")
        step = (qscale * kspec["base_lsb"]).reshape(-1)
        codes = kq / step
        if not (np.all(codes == np.round(codes)) and np.abs(codes).max() <= kspec["code_max"]):
            raise RuntimeError(f"{name}/{layer.name}: auto_po2 kernel off its grid")
        direct = np.sign(kernel) * np.minimum(np.floor(np.abs(kernel / step) + 0.5), kspec["code_max"])
        qs["kernel"]["auto_po2"] = {
            "scale_attribute": qscale.reshape(-1).tolist(),
            "scale_log2": np.log2(qscale).reshape(-1).astype(int).tolist(),
            "kernel_lsb_per_channel": step.tolist(),
            "meaning": "kernel_q[:, j] = quantizer.scale[j] * (code * 2^(integer-bits+1)), |code| <= "
                       "2^(bits-1)-1; quantizer.scale is computed in call() from the float kernel "
                       "(max-abs start, 5 least-squares rounds, each rounded to a power of two) "
                       "and is NOT stored in the .h5",
            "codes_equal_round_half_away(w/lsb_j)": bool(np.array_equal(direct, codes)),
            "recomputed_in_numpy": True}
    else:
        if not (on_grid(kspec, kq) and np.array_equal(ref_quantize(kspec, kernel), kq)):
            raise RuntimeError(f"{name}/{layer.name}: kernel not on {kspec['type']}")
        qs["kernel"]["input_counts"] = tie_and_saturation_counts(kspec, kernel)
    pre = prev.astype(np.float64) @ kq.astype(np.float64)
    if layer.use_bias:
        bspec = qs["bias"]["expected_type"]
        bq = layer.bias_quantizer_internal(tf.constant(w["bias:0"])).numpy()
        if not (on_grid(bspec, bq) and np.array_equal(ref_quantize(bspec, w["bias:0"]), bq)):
            raise RuntimeError(f"{name}/{layer.name}: bias not on {bspec['type']}")
        qs["bias"]["input_counts"] = tie_and_saturation_counts(bspec, w["bias:0"])
        pre = pre + bq.astype(np.float64)
    if not np.array_equal(pre.astype(np.float32).astype(np.float64), pre):
        raise RuntimeError(f"{name}/{layer.name}: accumulation not exact in float32")
    if "activation" in qs:
        spec = qs["activation"]["expected_type"]
        qs["activation"]["input_counts"] = tie_and_saturation_counts(spec, pre)
        pre = ref_quantize(spec, pre)
    if not np.array_equal(pre, out.astype(np.float64)):
        raise RuntimeError(f"{name}/{layer.name}: exact re-computation differs")
    info["exact"] = "x @ Q(kernel) + Q(bias) is exact in float32 here; output reproduced bit for bit"


def check_qbatchnorm(name, layer, qs, p, prev, out, info):
    """QBatchNormalization: quantized parameters on their grids, the float normalization within
    1e-5 of a float64 re-computation."""
    applied = {}
    for role, key in (("gamma", "gamma:0"), ("beta", "beta:0"), ("mean", "moving_mean:0"),
                      ("variance", "moving_variance:0")):
        q = getattr(layer, f"{role}_quantizer_internal")
        v = q(tf.constant(p[key])).numpy() if q is not None else p[key]
        applied[role] = v
        qs[role]["float"] = p[key].tolist()
        qs[role]["quantized"] = v.tolist()
        spec = qs[role].get("expected_type")
        if spec and not (on_grid(spec, v) and np.array_equal(ref_quantize(spec, p[key]), v)):
            raise RuntimeError(f"{name}/{layer.name}: {role} not on {spec['type']}")
    ref = ((prev.astype(np.float64) - applied["mean"]) / np.sqrt(applied["variance"].astype(np.float64) + layer.epsilon)
           * applied["gamma"] + applied["beta"])
    err = float(np.max(np.abs(ref - out)))
    if err > 1e-5:
        raise RuntimeError(f"{name}/{layer.name}: batchnorm differs by {err}")
    info["epsilon"] = layer.epsilon
    info["float_computation"] = ("tf.nn.batch_normalization in float32: x * (gamma_q * rsqrt(var_q + "
                                 "eps)) + (beta_q - mean_q * gamma_q * rsqrt(var_q + eps)); "
                                 f"float64 re-computation within {err:.2e}")
