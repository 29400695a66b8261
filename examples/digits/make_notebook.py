"""Writes digits.ipynb beside this file: the hls4ml-style workflow on the bundled digits MLP.

The notebook is generated so that its source stays reviewable as Python and it is stored
without outputs (tests/python/test_notebook.py executes it). Rerun after editing:

    python3 examples/digits/make_notebook.py [OUTPUT.ipynb]
"""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    ("md", """\
# Digits MLP: from a trained model to FPGA firmware with nnfpga

The hls4ml workflow on the bundled example (see `README.md` beside this notebook): a
64→32→16→10 MLP classifying 8×8 handwritten digits, trained with PyTorch and exported to ONNX.

1. configure and convert, compare fixed point with float,
2. find out *why* the fixed-point model loses accuracy (trace, overflow counters, profiling),
3. let `profiling.suggest_types` pick types from the observed ranges and convert again,
4. estimate, write the HLS project and check its C simulation against the emulator,
5. the vendor build (which needs Vitis HLS or Vivado HLS)."""),
    ("code", """\
%matplotlib inline
import os
import shutil
import sys
from pathlib import Path

import numpy as np

try:
    import nnfpga
except ImportError:  # running from a source checkout without installing the package
    sys.path.insert(0, str(Path("../../python").resolve()))
    import nnfpga
from nnfpga import profiling

# Projects go under the repository's (git-ignored) build/ folder unless told otherwise.
OUT = Path(os.environ.get("NNFPGA_NOTEBOOK_OUT", "../../build/digits_notebook"))
MODEL = "digits_mlp.onnx"
X = np.load("test_x.npy")
y = np.load("test_y.npy")
X.shape, y.shape, nnfpga.__version__"""),
    ("md", """\
## Configure and convert

`config_from_model` writes out every layer's settings, hls4ml style. We start from the usual
`ap_fixed<16,6>` everywhere (accumulators stay `auto`: wide enough for the exact sum)."""),
    ("code", """\
config = nnfpga.config_from_model(MODEL, granularity="name", default_precision="ap_fixed<16,6>")
config["LayerName"]"""),
    ("code", """\
hls_model = nnfpga.convert(MODEL, hls_config=config, output_dir=str(OUT / "default"),
                           project_name="digits_mlp")
hls_model"""),
    ("code", """\
def accuracy(model, mode="fixed"):
    return float(np.mean(model.predict(X, mode=mode).argmax(axis=1) == y))

print(f"float accuracy:       {accuracy(hls_model, 'float'):.2%}")
print(f"fixed-point accuracy: {accuracy(hls_model):.2%}")"""),
    ("md", """\
The fixed-point model is clearly worse. `trace` gives every layer's output, bit-exact in fixed
point or in float, so we can look for the layer where the two part ways."""),
    ("code", """\
fixed_trace = hls_model.trace(X)
float_trace = hls_model.trace(X, mode="float")
for name in fixed_trace:
    f, q = float_trace[name], fixed_trace[name]
    print(f"{name:10s} float range [{f.min():8.3f}, {f.max():8.3f}]   "
          f"max |fixed - float| = {np.abs(q - f).max():.4f}")"""),
    ("code", """\
hls_model.overflows(X)"""),
    ("md", """\
The last layer's logits reach about −44, beyond `ap_fixed<16,6>`'s [−32, 32): those values
wrap. `profiling.numerical` shows it at a glance: box plots of log2|x| per layer over the
type's range (grey; red where some value falls outside), for the trained parameters and for
each layer's float output on X."""),
    ("code", """\
ranges = profiling.numerical(hls_model, X)
print(ranges.table())"""),
    ("code", """\
[(r.layer, r.what, r.type, r.outside) for r in ranges.overflowing()]"""),
    ("md", """\
`profiling.compare` measures the fixed-point error layer by layer in units of each layer's
result LSB, with a scatter of the output layer: the wrapped logits stand out."""),
    ("code", """\
errors = profiling.compare(hls_model, X)
print(errors.table())"""),
    ("md", """\
## Types from the observed ranges

`suggest_types` gives each layer's result (and each parameter) the fewest integer bits that
hold its observed float range, keeping the configured width, makes ReLU outputs unsigned, and
checks the result on the fixed-point model (docs/profiling.md has the exact rule)."""),
    ("code", """\
for choice in profiling.type_choices(hls_model, X):
    print(f"{choice.layer:8s} {choice.key:7s} [{choice.lo:8.3f}, {choice.hi:8.3f}]  "
          f"{choice.configured:15s} -> {choice.suggested}")"""),
    ("code", """\
fragment = profiling.suggest_types(hls_model, X)
tuned_config = profiling.merge_config(config, fragment, hls_model)
tuned = nnfpga.convert(MODEL, hls_config=tuned_config, output_dir=str(OUT / "tuned"),
                       project_name="digits_mlp")
print(f"float accuracy:       {accuracy(tuned, 'float'):.2%}")
print(f"fixed-point accuracy: {accuracy(tuned):.2%}")
assert all(c["result"] == 0 and c["param"] == 0 for c in tuned.overflows(X).values())"""),
    ("code", """\
print(profiling.compare(tuned, X).table())"""),
    ("md", """\
The suggestion spends the 16 bits on fraction where the range allows, which also widens the
accumulators. The same rule at a smaller width trades precision for resources:"""),
    ("code", """\
for width in (8, 10, 12):
    narrow_config = profiling.merge_config(
        config, profiling.suggest_types(hls_model, X, width=width), hls_model)
    narrow = nnfpga.convert(MODEL, hls_config=narrow_config, output_dir=str(OUT / f"w{width}"))
    total = narrow.estimate()["total"]
    print(f"width {width:2d}: fixed-point accuracy {accuracy(narrow):.2%}, "
          f"DSP {total['dsp']}, LUT {total['lut']}")"""),
    ("md", """\
## Summary and estimate

Latency, initiation interval and resources come from nnfpga's cost model (docs/estimates.md),
no vendor tool needed."""),
    ("code", """\
tuned.summary();"""),
    ("code", """\
estimate = tuned.estimate()
{k: v for k, v in estimate.items() if k != "layers"}"""),
    ("md", """\
## Write the HLS project and check its C simulation

`compile()` writes the project, builds its C simulation with g++ into a library and runs 2000
random and adversarial inputs through both the library and the emulator: any difference of a
single bit is an error. Then `predict(mode='csim')` runs the generated C++."""),
    ("code", """\
project = tuned.write()
sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())[:12]"""),
    ("code", """\
tuned.compile()
csim = tuned.predict(X, mode="csim")
assert np.array_equal(csim, tuned.predict(X))
print(f"C simulation = emulator on all {len(X)} test samples; accuracy "
      f"{np.mean(csim.argmax(axis=1) == y):.2%}")"""),
    ("md", """\
## Vendor build

`build()` runs Vitis HLS (or Vivado HLS) on the project and returns the synthesis report beside
the estimate. Without the tool on PATH it raises `nnfpga.BuildError` saying what to do."""),
    ("code", """\
tool = shutil.which("vitis_hls") or shutil.which("vivado_hls")
if tool is None:
    try:
        tuned.build(synth=True)
    except nnfpga.BuildError as error:
        print(f"{type(error).__name__}: {error}")
else:
    print(f"{tool} is on PATH: tuned.build(synth=True) runs the synthesis (minutes).")"""),
]


def main(path: Path = Path(__file__).with_name("digits.ipynb")) -> None:
    cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src)
             for kind, src in CELLS]
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    # Stable cell ids keep regenerated notebooks byte-identical.
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:02d}"
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    main(*[Path(a) for a in sys.argv[1:2]])
