"""``ModelGraph``: a configured model, as ``nnfpga.convert`` returns it.

It predicts bit-exactly with nnfpga's emulator (the same integer arithmetic as the generated
firmware), traces every layer, counts overflows, writes the project of its backend (HLS or
Verilog) and verifies it against the emulator; for HLS it also compiles the C simulation into a
library and runs the vendor build when the vendor's tool is installed.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import numpy as np

from . import _core, _vendor
from .errors import InputError, InternalError, UnsupportedError
from ._arrays import finish_outputs, prepare_inputs

_MODES = ("fixed", "float", "csim")


class ModelGraph:
    """A model typed and quantized under its configuration, ready to emulate and to write.

    Attributes:
        config: the configuration it was converted with (hls4ml keys).
        graph: the typed graph (``nnfpga._core.Graph``); ``graph.layers()`` lists every layer.
        output_dir: where ``write()`` puts the project.
        project_name: the top function's (or module's) name.
        backend: what ``write()`` writes: 'hls' (the Vitis/Vivado HLS project) or 'verilog'.
        tool: 'vitis' or 'vivado': which vendor tool ``build()`` runs first (HLS only).
        reader: how ``convert`` read the model: 'torch.fx' or 'torch.onnx.export' for a
            torch.nn.Module, else 'file', 'onnx', 'keras' or 'graph'.
        reader_note: for a module read by torch.onnx.export, the exporter and why torch.fx did
            not read it; empty otherwise.
    """

    def __init__(
        self,
        graph: _core.Graph,
        config: Dict[str, Any],
        output_dir: str = "nnfpga_prj",
        project_name: str = "myproject",
        backend: str = "hls",
        tool: str = "vitis",
    ) -> None:
        self.config = config
        self.graph = graph.configured(json.dumps(config))
        # A setting that reaches no layer is legal but did not do what was asked (a Model
        # precision over a LayerName entry per layer): warn, as the CLI does on stderr.
        for message in self.graph.shadowed_settings(json.dumps(config)):
            warnings.warn(message, UserWarning, stacklevel=3)
        self.output_dir = Path(output_dir)
        self.project_name = project_name
        self.backend = backend
        self.tool = tool
        self.reader = "graph"
        self.reader_note = ""
        self._emulator = _core.Emulator(self.graph)
        self._library: Optional[Any] = None
        self._written: Optional[Dict[str, Any]] = None

    # ------------------------------------------------------------------ inspecting

    @property
    def inputs(self) -> List[str]:
        """Names of the model's inputs."""
        return list(self.graph.inputs)

    @property
    def outputs(self) -> List[str]:
        """Names of the layers whose tensors are the model's outputs."""
        return list(self.graph.outputs)

    def layers(self) -> List[Dict[str, Any]]:
        """Every layer in graph order, with its op, shapes, resolved types and settings."""
        return self.graph.layers()

    def resolved_config(self) -> Dict[str, Any]:
        """The configuration each layer ended up with, every default written out."""
        return json.loads(self.graph.resolved_config())

    def estimate(self) -> Dict[str, Any]:
        """Latency (cycles and ns), initiation interval and resources (DSP, LUT, BRAM), for the
        model and per layer, from nnfpga's cost model of the backend (docs/estimates.md)."""
        return json.loads(_core.estimate_json(self.graph, self.backend))

    def summary(self, print_fn: Optional[Callable[[str], Any]] = print) -> Optional[str]:
        """A table of the layers: op, output shape, types and reuse factor, then the estimate.
        Printed with ``print_fn`` and not returned, as Keras's ``summary`` does (a returned
        string would be shown a second time in Jupyter); ``print_fn=None`` returns the text
        instead of printing it."""
        rows = [("layer", "op", "output", "result", "weight", "accum", "RF")]
        for layer in self.layers():
            types = layer["types"]
            spelling = lambda k: types[k]["spelling"] if k in types else "-"  # noqa: E731
            rows.append((
                layer["name"], layer["op"], "x".join(map(str, layer["output_shape"])) or "1",
                spelling("result"), spelling("weight"), spelling("accum"),
                str(layer["reuse_factor"]) if layer["shares_multipliers"] else "-",
            ))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        settings = self.graph.settings()
        text = (
            f"Model '{self.project_name}': {settings['io_type']}, "
            f"{settings['part']}, clock {settings['clock_period']:g} ns\n"
            + "\n".join(lines) + "\n\n" + _core.estimate_table(self.graph, self.backend)
        )
        if print_fn is None:
            return text
        print_fn(text)
        return None

    # ------------------------------------------------------------------ pickling

    def __getstate__(self) -> Dict[str, Any]:
        """The configured graph as IR JSON (types and quantized parameters included) and the
        settings: what another process (a multiprocessing or Dask worker) rebuilds the model
        from. The compiled C simulation and the written project's record stay behind."""
        state = {k: v for k, v in self.__dict__.items()
                 if k not in ("graph", "_emulator", "_library", "_written")}
        state["graph_json"] = self.graph.to_json()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        state = dict(state)
        self.graph = _core.graph_from_json(state.pop("graph_json"))
        self.__dict__.update(state)
        self._emulator = _core.Emulator(self.graph)
        self._library = None
        self._written = None

    def __repr__(self) -> str:
        return (f"<nnfpga.ModelGraph '{self.project_name}': {len(self.layers())} layers, "
                f"inputs {self.inputs}, outputs {self.outputs}>")

    # ------------------------------------------------------------------ running

    def predict(self, X: Any, mode: str = "fixed", threads: int = 0,
                layout: str = "source", memory_budget_mib: int = 256) -> Any:
        """Runs the model on ``X``: one array (or a list, one per input), batch first; a single
        sample without the batch axis gives a result without it too.

        mode: 'fixed' (default) is the bit-exact emulator; 'float' the same graph in double
        precision with the trained parameters; 'csim' the compiled C simulation of the written
        project (after ``compile()``), which is bit-identical to 'fixed'.
        threads: emulator threads, 0 for every core.
        layout: the axis order of ``X`` and of the result: 'source' (default; the model file's
        own, as onnxruntime or Keras take it) or 'ir' (nnfpga's channels-last order).
        memory_budget_mib: the emulator's working buffers, all threads together (one sample per
        block runs regardless; results do not depend on it).
        Returns a float64 array, or a list of them for several outputs.
        """
        if mode not in _MODES:
            raise InputError(f"unknown mode '{mode}': use one of {', '.join(_MODES)}")
        arrays, single = prepare_inputs(self.graph, X, layout)
        if mode == "csim":
            if self._library is None:
                raise InputError("mode='csim' needs the compiled project: call compile()")
            from ._csim_library import split_rows

            rows = self._library.predict(arrays)
            outputs = split_rows(rows, [self.graph.shape_of(n) for n in self.outputs])
        else:
            outputs, _, _ = self._emulator.run(arrays, float_path=(mode == "float"),
                                               threads=threads, layout=layout,
                                               memory_budget_mib=memory_budget_mib)
        return finish_outputs(outputs, single)

    def trace(self, X: Any, mode: str = "fixed", threads: int = 0,
              layout: str = "source", memory_budget_mib: int = 256) -> Dict[str, np.ndarray]:
        """Every layer's output on ``X``, by layer name in graph order (inputs included).
        mode: 'fixed' (bit-exact) or 'float' (trained parameters, no quantization).
        layout: as for predict; it applies to the graph's inputs and outputs, while the other
        layers are traced in nnfpga's channels-last order."""
        if mode not in ("fixed", "float"):
            raise InputError(f"unknown mode '{mode}' for trace: use 'fixed' or 'float'")
        arrays, single = prepare_inputs(self.graph, X, layout)
        _, layers, _ = self._emulator.run(arrays, trace=True, float_path=(mode == "float"),
                                          threads=threads, layout=layout,
                                          memory_budget_mib=memory_budget_mib)
        return {name: (a[0] if single else a) for name, a in layers}

    def overflows(self, X: Any, threads: int = 0) -> Dict[str, Dict[str, int]]:
        """Per-layer overflow counts on ``X``: for each layer, 'values' computed, 'result' and
        'accum' casts that overflowed (saturated or wrapped), 'param' trained parameter values
        that did not fit their types, and 'clipped': results clipped by a saturating type the
        model's own quantizer declares (QKeras ``quantized_relu(6,0)`` tops out below 1), which
        the model defines and which are not counted in 'result'."""
        arrays, _ = prepare_inputs(self.graph, X)
        _, _, counts = self._emulator.run(arrays, threads=threads)
        params = {info["name"]: sum(info["param_overflows"].values()) for info in self.layers()}
        return {c["layer"]: {"values": c["values"], "result": c["result"], "accum": c["accum"],
                             "param": params.get(c["layer"], 0), "clipped": c["clipped"]}
                for c in counts}

    # ------------------------------------------------------------------ firmware

    def write(self) -> Path:
        """Writes the project of the backend into ``output_dir`` (as ``nnfpga convert``) and
        returns it."""
        self._written = _core.write_project(self.graph, str(self.output_dir), self.project_name,
                                            self.backend)
        self._library = None
        return self.output_dir

    def verify(self, samples: int = 10000, seed: int = 1, sanitize: bool = False) -> Dict[str, Any]:
        """Writes the project if needed and checks it bit for bit against the emulator on random
        and adversarial inputs: g++ C simulation for 'hls' (as ``nnfpga csim``), Verilator for
        'verilog' (as ``nnfpga rtlsim``). Returns the report (``runs``: samples, outputs,
        differing per simulation; ``text``: as the CLI prints it) and raises InternalError when a
        single output differs.

        sanitize: build the HLS C simulation with ASan and UBSan.
        """
        if self._written is None:
            self.write()
        report = json.loads(_core.verify(str(self.output_dir), samples, seed, False, sanitize))
        if not report["ok"]:
            raise InternalError("the firmware and the emulator differ: this is a bug in nnfpga; "
                                "please report it with the model\n" + report["text"])
        return report

    def compile(self, headers: str = "nnfpga", check_samples: int = 2000, seed: int = 1) -> None:
        """Writes the project if needed, builds its C simulation into a shared library with g++
        and loads it, so that ``predict(X, mode='csim')`` runs the generated C++. Then runs
        ``check_samples`` random and adversarial inputs through both the library and the emulator
        and raises InternalError if any output differs by a single bit.

        headers: 'nnfpga' (the project's own ap_types) or 'amd' (AMD's, from hls4ml).
        """
        from ._csim_library import CsimLibrary

        self._require_hls("compile()", "verify() simulates the Verilog with Verilator")
        if self._written is None:
            self.write()
        library = CsimLibrary.build(self.output_dir, headers)
        if check_samples > 0:
            inputs = _core.reference_inputs(self.graph, check_samples, seed)
            library.check_against(self._emulator, self.graph, inputs)
        self._library = library

    def build(
        self,
        csim: bool = True,
        synth: bool = True,
        cosim: bool = False,
        export: bool = False,
        reset: bool = True,
    ) -> Optional[str]:
        """Runs the vendor build (vitis_hls, or vivado_hls, whichever is on PATH, preferring the
        backend's) on the written project, then returns the report of its results beside the
        estimate (as ``nnfpga report``). Raises BuildError when no tool is found or it fails."""
        self._require_hls("build()", "`nnfpga rtlsynth DIR` synthesizes the Verilog with Yosys")
        if self._written is None:
            self.write()
        _vendor.run_build(self.output_dir, self.tool, csim, synth, cosim, export, reset)
        if not synth:
            return None
        return _core.report(str(self.output_dir))

    def _require_hls(self, what: str, instead: str) -> None:
        if self.backend != "hls":
            raise UnsupportedError(f"{what} runs the HLS tools; this model's backend is "
                                   f"'{self.backend}': {instead}")
