"""Reading a ``torch.nn.Module`` through ``torch.fx``: the fast path of ``convert``.

The module is traced with ``torch.fx.symbolic_trace`` and run once on the example input (to learn
every tensor's static shape), and each node of its graph is mapped to the standard ONNX nodes
torch's own exporter writes for it (channels-first, weights as float32 initializers named by
their module path, the exporter's ``pkg.torch.onnx.name_scopes`` metadata so that layers get the
same names). The bytes go to the same C++ ONNX reader the export path uses, so that both paths
share one reader and one set of semantics. The exporter's optimizer folds a BatchNormalization
into the Conv or Gemm before it in float32; that folding is repeated here with the same float32
expressions, so that both paths quantize the same weights.

What does not trace or map raises ``NotMapped`` (with every reason), and the caller falls back
to ``torch.onnx.export``.
"""

from __future__ import annotations

import inspect
import operator
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ._onnx_writer import Model, Node


class NotMapped(Exception):
    """torch.fx could not trace the module, or a node of its graph has no ONNX mapping here."""


class _Static:
    """A value that is not a tensor (a size, a dim, a tuple of them): known after the run."""

    def __init__(self, value: Any) -> None:
        self.value = value


_STATIC_METHODS = {"size", "dim"}
_STATIC_FUNCTIONS = {operator.getitem, operator.add, operator.sub, operator.mul,
                     operator.floordiv, getattr}
_ALIAS_METHODS = {"contiguous", "clone", "detach"}


def as_tensor(value: Any) -> Any:
    """The tensor a value stands for (a Brevitas QuantTensor's float value), or None."""
    import torch

    if isinstance(value, torch.Tensor):
        return value
    inner = getattr(value, "value", None)
    if type(value).__name__.endswith("QuantTensor") and isinstance(inner, torch.Tensor):
        return inner
    return None


def _is_brevitas(module: Any) -> bool:
    return type(module).__module__.startswith("brevitas.nn")


def _trace(model: Any, count: int) -> Any:
    import torch.fx

    class Tracer(torch.fx.Tracer):
        """Brevitas layers stay whole (their quantizers are mapped from their settings)."""

        def is_leaf_module(self, m: Any, qualified_name: str) -> bool:
            return _is_brevitas(m) or super().is_leaf_module(m, qualified_name)

    concrete: Dict[str, Any] = {}
    try:
        params = list(inspect.signature(model.forward).parameters.values())
    except (TypeError, ValueError):
        params = []
    for p in params[count:]:
        if p.default is not inspect.Parameter.empty:
            concrete[p.name] = p.default
    try:
        graph = Tracer().trace(model, concrete_args=concrete or None)
        return torch.fx.GraphModule(model, graph, type(model).__name__)
    except Exception as e:  # fx raises many kinds (TraceError, TypeError, NotImplementedError)
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise NotMapped(f"torch.fx cannot trace it ({type(e).__name__}: {first})") from None


def _run(gm: Any, examples: Sequence[Any]) -> Dict[Any, Any]:
    """Every node's value on the example input."""
    import torch
    import torch.fx

    values: Dict[Any, Any] = {}

    class Recorder(torch.fx.Interpreter):
        def run_node(self, n: Any) -> Any:
            values[n] = super().run_node(n)
            return values[n]

    # One example needs one thread: on a busy machine torch's thread pool spends a thousand
    # times longer synchronizing than a small convolution takes (200 ms against 0.2).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            Recorder(gm).run(*examples)
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise NotMapped(f"the traced module does not run on the example input "
                        f"({type(e).__name__}: {first})") from None
    finally:
        torch.set_num_threads(threads)
    return values


def _pair(value: Any, rank: int) -> List[int]:
    if isinstance(value, (tuple, list)):
        return [int(v) for v in value]
    return [int(value)] * rank


class _Translator:
    def __init__(self, gm: Any, values: Dict[Any, Any], name: str) -> None:
        self.gm = gm
        self.values = values
        self.modules = dict(gm.named_modules())
        self.model = Model(name=name, producer="nnfpga torch.fx")
        self.env: Dict[Any, Any] = {}
        self.used: Dict[str, int] = {}
        self.producer: Dict[str, Node] = {}
        self.params: Dict[Tuple[str, str], str] = {}
        self.emitted: Dict[Tuple[Any, ...], str] = {}
        self.problems: List[str] = []
        # How often each module is called and each parameter read: a folding must not change
        # a weight that another call uses.
        self.calls = Counter(n.target for n in gm.graph.nodes
                             if n.op in ("call_module", "get_attr"))

    # ------------------------------------------------------------------ naming and emitting

    def fresh(self, base: str) -> str:
        """The exporter's naming: relu, relu_1, relu_2, ..."""
        k = self.used.get(base, 0)
        name = base if k == 0 else f"{base}_{k}"
        while name in self.used or name in self.model.initializers:
            k += 1
            name = f"{base}_{k}"
        self.used[base] = k + 1
        self.used.setdefault(name, 1)
        return name

    def constant(self, array: Any, name: Optional[str] = None) -> str:
        name = name if name and name not in self.model.initializers else self.fresh("val")
        self.model.initializers[name] = np.asarray(array)
        return name

    def param(self, path: str, key: str, tensor: Any) -> str:
        """A module's parameter, one initializer however often the module is called."""
        if (path, key) not in self.params:
            name = f"{path}.{key}" if path else key
            self.params[path, key] = self.constant(
                tensor.detach().cpu().numpy().astype(np.float32), name)
        return self.params[path, key]

    def emit(self, op_type: str, inputs: List[str], base: str, scope: List[str],
             **attributes: Any) -> str:
        return self.emit_in(op_type, inputs, base, scope, "", attributes)

    def emit_in(self, op_type: str, inputs: List[str], base: str, scope: List[str],
                domain: str, attributes: Dict[str, Any]) -> str:
        """A node of an op in ``domain`` ('' for ONNX's own)."""
        # The exporter computes a repeated call (the same module on the same tensor) once.
        key = (domain, op_type, tuple(inputs), repr(sorted(attributes.items())))
        if key in self.emitted:
            return self.emitted[key]
        out = self.fresh(base)
        self.emitted[key] = out
        node = Node(op_type, inputs, [out], f"node_{out}", attributes,
                    {"pkg.torch.onnx.name_scopes": repr(["", *scope, out])}, domain)
        self.model.nodes.append(node)
        self.producer[out] = node
        return out

    def single_use(self, value: str) -> bool:
        """Whether one node reads the ONNX value (the fx nodes standing for it, merged repeated
        calls included, have one user between them)."""
        return sum(len(n.users) for n, v in self.env.items() if v == value) == 1

    def shared(self, initializer: str) -> bool:
        """Whether another node reads the initializer, now or later (its module is called
        twice, or the parameter read twice)."""
        owners = {path for (path, _), name in self.params.items() if name == initializer}
        if any(self.calls[o] > 1 for o in owners | {initializer}):
            return True
        return sum(initializer in node.inputs for node in self.model.nodes) > 1

    # ------------------------------------------------------------------ values

    def tensor(self, arg: Any) -> str:
        v = self.env.get(arg) if hasattr(arg, "op") else None
        if isinstance(v, str):
            return v
        raise NotMapped(f"{arg!r} is not a tensor computed by the graph")

    def operand(self, arg: Any) -> str:
        """A tensor, or a Python number as a float32 scalar constant."""
        if isinstance(arg, (int, float)) and not isinstance(arg, bool):
            return self.constant(np.array(arg, dtype=np.float32))
        return self.tensor(arg)

    def static(self, arg: Any) -> Any:
        if hasattr(arg, "op"):
            v = self.env.get(arg)
            if isinstance(v, _Static):
                return v.value
            raise NotMapped(f"{arg!r} is not a static value")
        if isinstance(arg, (tuple, list)):
            return type(arg)(self.static(a) for a in arg)
        return arg

    def shape(self, n: Any) -> Tuple[int, ...]:
        return tuple(as_tensor(self.values[n]).shape)

    # ------------------------------------------------------------------ the walk

    def translate(self) -> Model:
        for n in self.gm.graph.nodes:
            if any(hasattr(a, "op") and self.env.get(a) is None for a in n.all_input_nodes):
                self.env[n] = None  # below a node already reported
                continue
            try:
                self.env[n] = self.visit(n)
            except NotMapped as e:
                self.problems.append(f"{n.name}: {e}")
                self.env[n] = None
        if self.problems:
            raise NotMapped("; ".join(self.problems))
        return self.model

    def visit(self, n: Any) -> Any:
        import torch

        if n.op == "placeholder":
            value = self.values[n]
            if not isinstance(value, torch.Tensor):
                raise NotMapped(f"input '{n.target}' is not a tensor")
            self.model.inputs.append((n.target, tuple(value.shape)))
            return n.target
        if n.op == "output":
            return self.outputs(n.args[0])
        if as_tensor(self.values.get(n)) is None:
            return self.visit_static(n)
        if n.op == "get_attr":
            return self.constant(self.values[n].detach().cpu().numpy(), n.target)
        if n.op == "call_module":
            from ._torch_fx_modules import module_mapper

            module = self.modules[n.target]
            mapper = module_mapper(module)
            if mapper is None and _is_brevitas(module):
                from ._torch_fx_brevitas import brevitas_mapper

                mapper = brevitas_mapper(module)
            if mapper is None:
                raise NotMapped(f"no mapping for module {type(module).__qualname__}")
            return mapper(self, n, module, n.target.split("."))
        from ._torch_fx_functions import function_mapper

        function = function_mapper(n)
        if function is None:
            target = n.target if isinstance(n.target, str) else getattr(
                n.target, "__name__", repr(n.target))
            raise NotMapped(f"no mapping for {n.op} {target}")
        return function(self, n, self.scope_of(n))

    def visit_static(self, n: Any) -> _Static:
        ok = (n.op == "call_method" and n.target in _STATIC_METHODS) or (
            n.op == "call_function" and n.target in _STATIC_FUNCTIONS
            and all(isinstance(self.env.get(a), _Static) for a in n.all_input_nodes))
        if n.op == "call_function" and n.target is getattr and n.args[1] in ("shape", "ndim"):
            ok = True
        if not ok:
            raise NotMapped(f"{n.op} {n.target} computes a non-tensor value from tensor data")
        return _Static(self.values[n])

    def scope_of(self, n: Any) -> List[str]:
        """The module path a function call sits in (fx records it for calls in submodules)."""
        stack = n.meta.get("nn_module_stack") or {}
        if not stack:
            return []
        path = list(stack.values())[-1][0]
        return scope_prefixes(path.split("."))

    def outputs(self, result: Any) -> List[str]:
        results = list(result) if isinstance(result, (tuple, list)) else [result]
        names: List[str] = []
        for r in results:
            name = self.tensor(r)
            if name in names or name in (i for i, _ in self.model.inputs):
                name = self.emit("Identity", [name], "clone", [])
            names.append(name)
            self.model.outputs.append((name, self.shape(r)))
        return names


def scope_prefixes(path: List[str]) -> List[str]:
    """['block', '0'] -> ['block', 'block.0']: the scopes the exporter lists for a module."""
    return [".".join(path[: i + 1]) for i in range(len(path))]


def onnx_bytes(model: Any, examples: Sequence[Any]) -> bytes:
    """The ONNX model of ``model`` (already in eval mode) on ``examples``; NotMapped if fx cannot
    trace it or a node has no mapping."""
    gm = _trace(model, len(examples))
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != len(examples):
        raise NotMapped(f"forward takes {len(placeholders)} inputs, {len(examples)} given")
    values = _run(gm, examples)
    return _Translator(gm, values, type(model).__name__).translate().serialize()
