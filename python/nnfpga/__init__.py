"""nnfpga: trained neural networks to FPGA firmware, with a bit-accurate emulator.

The workflow hls4ml users know::

    import nnfpga
    config = nnfpga.config_from_model("model.onnx", granularity="name",
                                      default_precision="ap_fixed<16,6>")
    config["LayerName"]["fc1"]["ReuseFactor"] = 4
    model = nnfpga.convert("model.onnx", hls_config=config, output_dir="prj",
                           part="xcvu13p-flga2577-2-e", clock_period=5, io_type="io_parallel")
    y = model.predict(X)          # bit-exact fixed point, NumPy in and out
    model.trace(X)                # every layer's output, by layer name
    model.overflows(X)            # per-layer overflow counts
    model.estimate()              # latency, II and resources
    model.compile()               # g++ C simulation of the written project, checked bit for bit
    model.build(synth=True)       # the vendor build, when vitis_hls or vivado_hls is on PATH

``convert`` and ``config_from_model`` take a path (ONNX, nnfpga IR JSON, Keras .keras/.h5), ONNX
bytes, an onnx.ModelProto, a torch.nn.Module (with ``example_input=`` or ``input_shape=``) or a
Keras 3 model. Errors are ``nnfpga.Error`` subclasses carrying the C++ message.
``nnfpga.tune(model, X, y)`` searches every layer's types for the cheapest configuration within
an accuracy bound (docs/tune.md). See ``nnfpga.profiling`` for ranges, float-vs-fixed comparisons and suggested types.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple

from . import _core, profiling
from ._sources import read_graph, read_source
from .errors import BuildError, ConfigError, Error, InputError, InternalError, UnsupportedError
from .model import ModelGraph
from ._tune import TuneResult, tune

__version__ = "0.1.0"

__all__ = [
    "BuildError", "ConfigError", "Error", "InputError", "InternalError", "ModelGraph",
    "TuneResult", "UnsupportedError", "config_from_model", "convert", "profiling", "read_graph",
    "tune", "type_info",
]

# One meaning each, as in the CLI: the backend is what nnfpga writes (the HLS project, or Verilog
# RTL), the tool is the vendor program that builds an HLS project.
_BACKENDS = ("hls", "verilog")
_TOOLS = ("vitis", "vivado")


def _backend_and_tool(backend: str, tool: Optional[str]) -> Tuple[str, str]:
    """(backend, tool). hls4ml's spelling backend='Vitis' (or 'Vivado') names the HLS backend's
    tool: accepted. The Verilog backend has no vendor tool (its synthesis is Yosys)."""
    if backend.lower() in _TOOLS:
        if tool is not None and tool != backend.lower():
            raise ConfigError(f"backend '{backend}' names the tool, which conflicts with "
                              f"tool='{tool}'; give backend='hls' and tool='{tool}'")
        return "hls", backend.lower()
    backend = backend.lower()
    if backend not in _BACKENDS:
        raise UnsupportedError(
            f"unknown backend '{backend}': use 'hls' (with tool 'vitis' or 'vivado') or 'verilog'"
        )
    if backend == "verilog":
        if tool is not None:
            raise ConfigError(f"tool='{tool}' builds HLS projects; the Verilog backend has none "
                              f"(nnfpga rtlsynth synthesizes it with Yosys)")
        return backend, ""
    tool = "vitis" if tool is None else tool.lower()
    if tool not in _TOOLS:
        raise UnsupportedError(f"unknown tool '{tool}': use {' or '.join(_TOOLS)}")
    return backend, tool


def type_info(spelling: str) -> Dict[str, Any]:
    """The facts of a fixed-point type spelled as in HLS ('ap_fixed<16,6,AP_RND,AP_SAT>'):
    width, integer, signed, frac, quantization, overflow, sat_bits, min, max and lsb."""
    return _core.type_info(spelling)


def config_from_model(
    model: Any,
    granularity: str = "model",
    default_precision: Optional[str] = None,
    default_reuse_factor: Optional[int] = None,
    example_input: Any = None,
    input_shape: Optional[Sequence[int]] = None,
    exporter: str = "auto",
    verbose: bool = False,
    weights: Optional[str] = None,
) -> Dict[str, Any]:
    """A starting configuration for ``model``, as a dict with hls4ml's keys, to edit and pass
    to ``convert(hls_config=...)``.

    granularity: 'model' (Model only), 'type' (adds LayerType entries) or 'name' (adds a
    LayerName entry per layer, named as in the model).
    default_precision: the type of weights, biases and results (e.g. 'ap_fixed<16,6>');
    accumulators stay 'auto' (wide enough for the exact sum). None keeps nnfpga's defaults.
    default_reuse_factor: the reuse factor of every Dense layer.
    example_input / input_shape: for a torch.nn.Module, what to trace or export it with: a tensor
    or array (batch first), or a tuple of them for a module taking several inputs; input_shape is
    one sample's shape (or a list of shapes).
    exporter: how a torch.nn.Module is read: 'auto' (torch.fx, falling back to torch.onnx's
    dynamo export for what fx cannot trace or map), 'fx' (no fallback), 'dynamo' or
    'torchscript' (torch.onnx's exporters).
    verbose: print on stderr how the model was read (the path taken, and why).
    weights: the weights file of a Keras architecture .json (default: the one beside it).
    """
    graph = read_source(model, example_input, input_shape, exporter, verbose, weights).graph
    from ._config import starting_config

    return starting_config(graph, granularity, default_precision, default_reuse_factor)


def convert(
    model: Any,
    hls_config: Optional[Dict[str, Any]] = None,
    output_dir: str = "nnfpga_prj",
    project_name: str = "myproject",
    part: Optional[str] = None,
    clock_period: Optional[float] = None,
    io_type: Optional[str] = None,
    backend: str = "hls",
    tool: Optional[str] = None,
    example_input: Any = None,
    input_shape: Optional[Sequence[int]] = None,
    exporter: str = "auto",
    verbose: bool = False,
    weights: Optional[str] = None,
) -> ModelGraph:
    """Reads ``model``, applies the configuration and returns a ``ModelGraph`` ready to predict,
    trace, write, compile and build.

    hls_config: a dict as from ``config_from_model`` (None: every default).
    output_dir / project_name: where ``write()`` puts the project and the top function's name.
    part, clock_period (ns), io_type ('io_parallel' or 'io_stream'): set on top of hls_config.
    backend: 'hls' (the Vitis/Vivado HLS project; hls4ml's backend='Vitis' or 'Vivado' is taken
    as that backend with that tool) or 'verilog' (pipelined RTL, checked with Verilator).
    tool: 'vitis' (default) or 'vivado': the vendor tool build() runs (the project is the same).
    example_input / input_shape: for a torch.nn.Module, what to trace or export it with: a tensor
    or array (batch first), or a tuple of them for a module taking several inputs; input_shape is
    one sample's shape (or a list of shapes).
    exporter: how a torch.nn.Module is read: 'auto' (torch.fx, falling back to torch.onnx's
    dynamo export for what fx cannot trace or map), 'fx' (no fallback), 'dynamo' or
    'torchscript' (torch.onnx's exporters).
    verbose: print on stderr how the model was read (the path taken, and why).
    weights: the weights file of a Keras architecture .json (default: the one beside it,
    <name>_weights.h5, <name>.weights.h5 or <name>.h5, said in a UserWarning).
    Raises UnsupportedError naming every unsupported layer, ConfigError naming the bad key.
    """
    from ._config import conversion_config

    backend, tool = _backend_and_tool(backend, tool)
    source = read_source(model, example_input, input_shape, exporter, verbose, weights)
    tree = conversion_config(hls_config, part, clock_period, io_type)
    model_graph = ModelGraph(source.graph, tree, output_dir=output_dir,
                             project_name=project_name, backend=backend, tool=tool)
    model_graph.reader = source.reader
    model_graph.reader_note = source.note
    return model_graph
