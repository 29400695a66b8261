"""Profiling a converted model, in the manner of hls4ml's ``hls4ml.model.profiling``.

    from nnfpga import profiling
    p = profiling.numerical(model, X)      # weight and activation ranges against their types
    p.table(); p.figures["activations"]    # statistics rows and box plots of log2|x|
    c = profiling.compare(model, X)        # fixed point vs float, per layer, in result LSBs
    fragment = profiling.suggest_types(model, X)            # types with no overflow on X
    config = profiling.merge_config(model.config, fragment, model)
    model2 = nnfpga.convert(path, hls_config=config)
    profiling.plot_front(report)           # the Pareto front of nnfpga.tune / nnfpga tune

The statistics need NumPy only; the figures need matplotlib, imported when first drawn.
docs/profiling.md describes what each function computes and the type-suggestion rule.
"""

from .front import plot_front
from ._compare import Comparison, ErrorRow, compare
from ._merge import merge_config
from ._numerical import Numerical, numerical
from ._ranges import RangeRow
from ._suggest import NONNEGATIVE_OPS, TypeChoice, suggest_types, type_choices
from ._type_rule import integer_bits

__all__ = [
    "Comparison", "ErrorRow", "NONNEGATIVE_OPS", "Numerical", "RangeRow", "TypeChoice",
    "compare", "integer_bits", "merge_config", "numerical", "plot_front", "suggest_types",
    "type_choices",
]
