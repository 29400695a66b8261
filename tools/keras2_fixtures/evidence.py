"""What the manifest's quantizer mapping rests on: exact ties and out-of-range values pushed
through the installed QKeras quantizers (rounding_experiments), and the source lines of the
installed QKeras and Keras that the mapping reads off, each cited as file:line and checked to
still exist (evidence).
"""

from pathlib import Path

import keras
import numpy as np
import qkeras
import tensorflow as tf
from qkeras.quantizers import binary, quantized_bits, quantized_po2, quantized_relu, ternary

QKERAS_DIR = Path(qkeras.__file__).parent
KERAS_DIR = Path(keras.__file__).parent


def cite(path, snippet, whole_line=False):
    """'file:line: text' of the first line of the installed source containing `snippet`;
    fails if QKeras/Keras changed so that the evidence no longer holds."""
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines, 1):
        if (line.strip() == snippet) if whole_line else (snippet in line):
            root = QKERAS_DIR.parent if "qkeras" in path.parts else KERAS_DIR.parent
            return f"{path.relative_to(root).as_posix()}:{i}: {line.strip()}"
    raise RuntimeError(f"evidence not found in {path}: {snippet!r}")


def rounding_experiments():
    """Exact ties pushed through the quantizers, recorded for the reader of the manifest."""
    res = {}
    q = quantized_bits(8, 3, alpha=1)
    lsb = 2.0 ** -4
    t = (np.arange(-4, 4) + 0.5) * lsb
    res["quantized_bits(8,3,alpha=1) on ties (k+1/2)*lsb"] = {
        "x/lsb": (t / lsb).tolist(), "q(x)/lsb": (q(tf.constant(t, tf.float32)).numpy() / lsb).tolist(),
        "verdict": "round half to even (AP_RND_CONV): -3.5->-4, -2.5->-2, 0.5->0, 1.5->2, 2.5->2"}
    t = np.array([-8.5, -8.0 - lsb / 2, 8.0 - lsb / 2, 8.0, 100.0])
    res["quantized_bits(8,3,alpha=1) past the ends"] = {
        "x": t.tolist(), "q(x)": q(tf.constant(t, tf.float32)).numpy().tolist(),
        "verdict": "saturates to -8 and 8-lsb (AP_SAT); 8-lsb/2 is a tie between code 127 and 128: even "
                   "128 wins, then the clip gives 127"}
    t = np.array([1e3, 1e5, 1e6, 1e7, 1e8, 3e38, -1e7], np.float32)
    got = q(tf.constant(t)).numpy()
    res["quantized_bits(8,3,alpha=1) on huge inputs"] = {
        "x": t.tolist(), "q(x)": got.tolist(),
        "verdict": "QKeras returns x + (q - x) (straight-through estimator) in float32; once |x| is so "
                   "large that q - x is not exact, the result is off the grid: first wrong here at "
                   + str(next((float(a) for a, b in zip(t, got) if b not in (8 - 2.0 ** -4, -8.0)), None))
                   + "; the fixtures keep |x| <= 1e3, where this cannot happen"}
    r = quantized_relu(6, 2)
    lsb = 2.0 ** -4
    t = (np.arange(-2, 4) + 0.5) * lsb
    res["quantized_relu(6,2) on ties"] = {
        "x/lsb": (t / lsb).tolist(), "q(x)/lsb": (r(tf.constant(t, tf.float32)).numpy() / lsb).tolist(),
        "verdict": "half to even as quantized_bits; negatives -> 0; max 4-lsb"}
    r = quantized_relu(8, 3, negative_slope=0.25)
    lsb = 2.0 ** -4
    t = np.array([-10, -6, -2, 2.5, -40, -200]) * lsb
    res["quantized_relu(8,3,negative_slope=0.25)"] = {
        "x/lsb": (t / lsb).tolist(), "q(x)/lsb": (r(tf.constant(t, tf.float32)).numpy() / lsb).tolist(),
        "verdict": "negative side is round_half_even(0.25*x/lsb): -2.5->-2, -1.5->-2, -0.5->0; "
                   "clamped at -0.25*2^3 = -2 (code -32), not at -8"}
    q = quantized_bits(4, 0, alpha="auto_po2")
    col = np.array([[7 / 8], [2.5 / 8], [-2.5 / 8], [1.5 / 8], [-0.5 / 8], [6 / 8]], np.float32)
    out = q(tf.constant(col)).numpy()
    res["quantized_bits(4,0,alpha='auto_po2') on one column with ties at scale 1/8"] = {
        "w*8": (col * 8).reshape(-1).tolist(), "q(w)*8": (out * 8).reshape(-1).tolist(),
        "scale_attribute": np.asarray(q.scale).reshape(-1).tolist(),
        "verdict": "auto_po2 rounds floor(|x|/s + 0.5): half AWAY from zero (2.5 -> 3, -2.5 -> -3, "
                   "-0.5 -> -1), unlike the alpha=1 path"}
    p = quantized_po2(4, 4)
    t = np.array([0.0, -0.0, 1e-9, -1e-9, 0.7, 0.75, 1.41421, 1.41422, 3.0, 5.0, -100.0], np.float32)
    res["quantized_po2(4,4)"] = {"x": t.tolist(), "q(x)": p(tf.constant(t)).numpy().tolist(),
                                 "verdict": "0 and -0 -> +2^-4 (never 0); rounding in the log domain: "
                                            "1.41421 -> 1, 1.41422 -> 2; max_value 4 clips"}
    t = np.array([-1.0, -1e-8, 0.0, 1e-8, 0.3299, 0.33, 0.34], np.float32)
    res["binary() / ternary()"] = {"x": t.tolist(), "binary": binary()(tf.constant(t)).numpy().tolist(),
                                   "ternary": ternary()(tf.constant(t)).numpy().tolist(),
                                   "verdict": "binary: 0 -> +1; ternary: |x| >= 0.33f -> sign"}
    return res


QK = QKERAS_DIR / "quantizers.py"
QL = QKERAS_DIR / "qlayers.py"
QN = QKERAS_DIR / "qnormalization.py"


def evidence():
    """Source lines of the installed packages that the mapping rests on (checked to exist)."""
    return {
        "quantized_bits: LSB and range": [
            cite(QK, "unsigned_bits = self.bits - self.keep_negative"),
            cite(QK, "m = K.cast_to_floatx(pow(2, unsigned_bits))"),
            cite(QK, "m_i = K.cast_to_floatx(K.pow(2, self.integer))"),
            cite(QK, "p = x * m / m_i"),
            cite(QK, "self.keep_negative  * (-m + self.symmetric), m - 1) / m"),
            "=> value = m_i * clip(round(x * m / m_i), -m*kn + symmetric, m-1) / m: lsb 2^(integer-bits+kn), "
            "codes [-2^(bits-1) (+1 if symmetric), 2^(bits-1)-1] signed or [0, 2^bits-1] unsigned: "
            "ap_fixed<bits, integer+1> / ap_ufixed<bits, integer>; `integer` excludes the sign bit"],
        "quantized_bits: rounding": [
            cite(QK, "output = x + tf.stop_gradient(-x + tf.round(x))"),
            "tf.round is round-half-to-even; confirmed in rounding_experiments => AP_RND_CONV"],
        "quantized_bits: positional arguments": [
            cite(QK, "def __init__(self,"), "(bits=8, integer=0, symmetric=0, keep_negative=True, "
            "alpha=None, ...): the THIRD positional argument is symmetric, not keep_negative"],
        "quantized_bits: alpha='auto_po2'": [
            cite(QK, "self.symmetric = True"),
            cite(QK, "levels = (2**(self.bits-1)-1) * 2 if self.symmetric else (2**self.bits)-1"),
            cite(QK, "for _ in range(5):"),
            cite(QK, "v = tf.floor(tf.abs(x) / scale + 0.5)"),
            cite(QK, "scale = scale * m"),
            "quantizer.scale is a tensor set during call(); the .h5 holds only the float kernel"],
        "QDense turns alpha=None into auto_po2": [
            cite(QL, "self.kernel_quantizer_internal._set_trainable_parameter()"),
            cite(QK, "self.alpha = \"auto_po2\"")],
        "QBatchNormalization defaults and the same rewrite for gamma/variance": [
            cite(QN, "beta_quantizer='quantized_po2(5)'"), cite(QN, "gamma_quantizer='quantized_relu_po2(6, 2048)'"),
            cite(QN, "mean_quantizer='quantized_po2(5)'"),
            cite(QN, "variance_quantizer='quantized_relu_po2(6, quadratic_approximation=True)'"),
            cite(QN, "self.gamma_quantizer_internal._set_trainable_parameter()"),
            cite(QN, "outputs = nn.batch_normalization(inputs,")],
        "quantized_relu": [
            cite(QK, "non_sign_bits = self.bits - (self.negative_slope != 0.0)"),
            cite(QK, "_round_through(p, self.use_stochastic_rounding) / m, 0.0,"),
            cite(QK, "_round_through(p * self.negative_slope,", whole_line=True),
            "=> lsb 2^(integer-bits) (2^(integer-bits+1) with a slope), max 2^integer - lsb: "
            "ap_ufixed<bits, integer>; with negative_slope: ap_fixed<bits, integer+1> of slope*x, "
            "clipped at -slope*2^integer; get_config() omits is_quantized_clip (default True)"],
        "binary": [cite(QK, "k_sign += (1.0 - tf.abs(k_sign))", whole_line=True),
                   cite(QK, "return x + tf.stop_gradient(-x + scale * k_sign)")],
        "ternary": [cite(QK, "self.default_threshold = 0.33"), cite(QK, "q = K.cast(tf.abs(x) >= thres")],
        "quantized_po2": [cite(QK, "min_exp = -2**(effect_bits)"), cite(QK, "x_filter = tf.where(x_abs < eps, eps, x_abs)"),
                          cite(QK, "x_log2 = _round_through(tf.keras.backend.log(x_input) / log2)"),
                          cite(QK, "x_sign += (1.0 - tf.abs(x_sign))")],
        "QActivation config keeps the constructor argument verbatim (string or quantizer object)": [
            cite(QL, "config = {\"activation\": self.activation}")],
        "keras hard_sigmoid (Keras 2)": [cite(KERAS_DIR / "src" / "backend.py", "returns `0.2 * x + 0.5`")],
        ".weights.h5 suffix selects the Keras 3 weights layout": [
            cite(KERAS_DIR / "src" / "saving" / "saving_api.py", "if str(filepath).endswith(\".weights.h5\"):")],
    }
