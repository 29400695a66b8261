#!/usr/bin/env python3
"""Writes the CNN benchmark model (issue 16 item 7), the same model in the forms both sides read:

  cnn_32x32x3.json   nnfpga's IR (channels-last, float parameters on the 8-bit grids), committed
                     beside this script and read by build/bench/cnn_bench;
  cnn_32x32x3.yml    the types, as an nnfpga configuration (hls4ml's keys), committed too;
  keras_model(...)   the same network as a Keras 3 model with the same weights, built here from
                     the IR file by bench/cnn_vs_hls4ml.py (hls4ml converts it).

The network: 32x32x3 images, 'same' padding, ReLU after every conv: Conv2D 1x1 -> 32; 4x4 -> 4;
4x4 -> 32; 4x4 stride 4 -> 32; 4x4 -> 32; Flatten; Dense -> 10. Weights and biases are seeded
random values on the ap_fixed<8,3> grid (multiples of 1/32, scaled by the fan-in so that the
activations neither vanish nor all saturate), inputs ap_ufixed<8,0>, ReLU results
ap_ufixed<8,3,AP_RND_CONV,AP_SAT>, accumulators and conv/dense results exact.

The IR is written directly (not read from the .keras file) because nnfpga's Keras reader does not
read Conv2D yet on this branch; the layer names and the weight layouts are Keras's own
([k_h, k_w, c_in, filters], Flatten in H, W, C order), so the .keras file, once the reader lands,
is the same model.

Usage: python3 bench/models/make_cnn_bench.py [OUT_DIR] [--keras]   (default: this folder;
       --keras also saves the Keras 3 model as OUT_DIR/cnn_32x32x3.keras)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
NAME = "cnn_32x32x3"
INPUT_SHAPE = (32, 32, 3)
# (name, kernel, filters, stride)
CONVS = [("conv1", 1, 32, 1), ("conv2", 4, 4, 1), ("conv3", 4, 32, 1), ("conv4", 4, 32, 4),
         ("conv5", 4, 32, 1)]
CLASSES = 10
SEED = 16

INPUT_T = "ap_ufixed<8,0>"
WEIGHT_T = "ap_fixed<8,3>"
RELU_T = "ap_ufixed<8,3,AP_RND_CONV,AP_SAT>"
# Exact accumulators, given to both sides (hls4ml's default accum_t is not nnfpga's rule): the
# products' fraction bits (the input's plus the weight's 5) in 32 bits, which holds every sum
# (|sum| <= 512 * 7.97 * 4 + 4 < 2^15 after a ReLU, 3 * 1 * 4 + 4 on the image).
FIRST_ACCUM_T = "ap_fixed<32,19>"  # ap_ufixed<8,0> inputs: 8 + 5 fraction bits
ACCUM_T = "ap_fixed<32,22>"  # ap_ufixed<8,3> inputs: 5 + 5


def same_pads(size: int, k: int, s: int) -> tuple[int, int, int]:
    """Keras 'same': output ceil(size / s), the odd pixel of padding after (bottom/right)."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2, total - total // 2


def on_grid(values: np.ndarray) -> np.ndarray:
    """Rounds to ap_fixed<8,3>'s grid and range."""
    return np.clip(np.round(values * 32), -128, 127) / 32


def weights():
    """The parameters, in Keras's layouts: {layer: (kernel, bias)}."""
    rng = np.random.default_rng(SEED)
    params = {}
    c = INPUT_SHAPE[2]
    for name, k, f, _ in CONVS:
        fan_in = k * k * c
        params[name] = (on_grid(rng.normal(0, 2.0 / np.sqrt(fan_in), (k, k, c, f))),
                        on_grid(rng.normal(0, 0.25, f)))
        c = f
    h = w = INPUT_SHAPE[0]
    for _, k, _, s in CONVS:
        h, w = -(-h // s), -(-w // s)
    n_in = h * w * c
    params["dense"] = (on_grid(rng.normal(0, 2.0 / np.sqrt(n_in), (n_in, CLASSES))),
                       on_grid(rng.normal(0, 0.25, CLASSES)))
    return params


def node(name, op, inputs, input_shapes, output_shape, attrs=None, params=None):
    return {"name": name, "op": op, "inputs": inputs, "source_op": op,
            "input_shapes": input_shapes, "output_shape": list(output_shape),
            "attrs": attrs or {}, "params": params or {}, "types": {}}


def tensor(a: np.ndarray):
    return {"shape": list(a.shape), "data": [float(v) for v in a.ravel()]}


def ir_graph(params) -> dict:
    shape = list(INPUT_SHAPE)
    nodes = [node("image", "Input", [], [], shape, {"shape": {"ints": shape}})]
    prev = "image"
    for name, k, f, s in CONVS:
        oh, pt, pb = same_pads(shape[0], k, s)
        ow, pl, pr = same_pads(shape[1], k, s)
        out = [oh, ow, f]
        kernel, bias = params[name]
        nodes.append(node(name, "Conv2D", [prev], [shape], out,
                          {"strides": {"ints": [s, s]}, "dilations": {"ints": [1, 1]},
                           "pads": {"ints": [pt, pb, pl, pr]}},
                          {"weight": tensor(kernel), "bias": tensor(bias)}))
        nodes.append(node(name + "_relu", "ReLU", [name], [out], out))
        prev, shape = name + "_relu", out
    flat = [int(np.prod(shape))]
    nodes.append(node("flatten", "Flatten", [prev], [shape], flat))
    kernel, bias = params["dense"]
    nodes.append(node("dense", "Dense", ["flatten"], [flat], [CLASSES],
                      params={"weight": tensor(kernel), "bias": tensor(bias)}))
    return {"format": "nnfpga-ir", "version": 1, "name": NAME, "inputs": ["image"],
            "outputs": ["dense"],
            "settings": {"io_type": "io_stream", "clock_period_ns": 5.0,
                         "part": "xcvu13p-flga2577-2-e"},
            "nodes": nodes}


def layer_types() -> dict:
    """Every layer's types by name, as both nnfpga's and hls4ml's configurations take them."""
    types = {"image": {"result": INPUT_T}}
    for name, _, _, _ in CONVS + [("dense", 0, 0, 0)]:
        acc = FIRST_ACCUM_T if name == CONVS[0][0] else ACCUM_T
        types[name] = {"weight": WEIGHT_T, "bias": WEIGHT_T, "accum": acc, "result": acc}
    for name, _, _, _ in CONVS:
        types[name + "_relu"] = {"result": RELU_T}
    return types


def config_yaml() -> str:
    lines = ["# Types of the CNN benchmark (bench/models/make_cnn_bench.py writes this file).",
             "LayerName:"]
    for layer, keys in layer_types().items():
        lines.append(f"  {layer}:")
        lines.append("    Precision: {" + ", ".join(f"{k}: '{v}'" for k, v in keys.items()) + "}")
    return "\n".join(lines) + "\n"


def keras_model(ir: dict):
    """The Keras 3 model with the IR's weights (KERAS_BACKEND must be set before the import)."""
    import keras

    by_name = {n["name"]: n for n in ir["nodes"]}

    def array(n, key):
        p = n["params"][key]
        return np.array(p["data"], dtype=np.float32).reshape(p["shape"])

    x = inp = keras.Input(INPUT_SHAPE, name="image")
    for name, k, f, s in CONVS:
        layer = keras.layers.Conv2D(f, k, strides=s, padding="same", name=name)
        x = layer(x)
        layer.set_weights([array(by_name[name], "weight"), array(by_name[name], "bias")])
        x = keras.layers.ReLU(name=name + "_relu")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    dense = keras.layers.Dense(CLASSES, name="dense")
    x = dense(x)
    dense.set_weights([array(by_name["dense"], "weight"), array(by_name["dense"], "bias")])
    return keras.Model(inp, x, name=NAME)


def macs() -> int:
    """Multiply-accumulates per image (padding included, as the hardware does them)."""
    total, (h, w, c) = 0, INPUT_SHAPE
    for _, k, f, s in CONVS:
        h, w = -(-h // s), -(-w // s)
        total += h * w * k * k * c * f
        c = f
    return total + h * w * c * CLASSES


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--keras"]
    out = Path(args[0]) if args else HERE
    out.mkdir(parents=True, exist_ok=True)
    ir = ir_graph(weights())
    (out / f"{NAME}.json").write_text(json.dumps(ir, separators=(",", ":")) + "\n")
    (out / f"{NAME}.yml").write_text(config_yaml())
    print(f"wrote {out / NAME}.json and .yml: {macs():,} multiply-accumulates per image")
    if "--keras" in sys.argv:
        import os

        os.environ.setdefault("KERAS_BACKEND", "torch")
        keras_model(ir).save(out / f"{NAME}.keras")
        print(f"wrote {out / NAME}.keras (not committed: the same weights as the .json)")


if __name__ == "__main__":
    main()
