// The bit-accurate emulator from Python: one call runs a batch and returns the outputs, and on
// request every layer's output and the overflow counts. The GIL is released while it runs, so
// other Python threads go on and the emulator's own threads use every core.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "emulate/emulator.hpp"
#include "emulate/source_layout.hpp"
#include "nnfpga/error.hpp"

namespace nb = nanobind;

namespace nnfpga::python {
namespace {

nb::tuple run(const emulate::Emulator& emulator, const std::vector<InputArray>& inputs, bool trace,
              bool float_path, int threads, const std::string& layout,
              std::int64_t memory_budget_mib) {
  if (memory_budget_mib < 1) {
    throw Error(ErrorKind::kInput, "memory_budget_mib must be at least 1");
  }
  const emulate::ArrayLayout array_layout = emulate::parse_array_layout(layout);
  std::vector<emulate::Array> arrays;
  arrays.reserve(inputs.size());
  for (const InputArray& in : inputs) arrays.push_back(to_array(in));
  const emulate::RunOptions options{
      .trace = trace, .threads = threads, .memory_budget_bytes = memory_budget_mib << 20};
  emulate::RunResult result;
  {
    nb::gil_scoped_release unlocked;
    result = emulate::run_in_layout(emulator, arrays, options, float_path, array_layout);
  }
  nb::list outputs;
  for (emulate::Array& a : result.outputs) outputs.append(to_numpy(std::move(a)));
  nb::list layers;
  for (auto& [name, a] : result.trace) layers.append(nb::make_tuple(name, to_numpy(std::move(a))));
  nb::list overflows;
  for (const emulate::LayerOverflow& o : result.overflows) {
    nb::dict d;
    d["layer"] = o.layer;
    d["values"] = o.values;
    d["result"] = o.result_overflows;
    d["accum"] = o.accum_overflows;
    d["clipped"] = o.quantizer_clips;
    overflows.append(d);
  }
  return nb::make_tuple(outputs, layers, overflows);
}

}  // namespace

void bind_emulator(nb::module_& m) {
  nb::class_<emulate::Emulator>(m, "Emulator",
                                "The bit-accurate fixed-point emulator of a configured graph.")
      .def(nb::init<const ir::Graph&>(), nb::arg("graph"),
           "Plans the kernels of a configured graph (the emulator keeps its own copy).")
      .def("run", &run, nb::arg("inputs"), nb::arg("trace") = false, nb::arg("float_path") = false,
           nb::arg("threads") = 0, nb::arg("layout") = "source",
           nb::arg("memory_budget_mib") = emulate::kDefaultMemoryBudgetBytes >> 20,
           "Runs a batch: one C-contiguous float64 array per graph input, batch first. Returns "
           "(outputs, trace, overflows): the outputs in graph order; with trace, (layer, array) "
           "pairs for every layer; the per-layer overflow counts (dicts with layer, values, "
           "result, accum). float_path runs in double precision with the trained parameters. "
           "threads=0 uses every core. layout: 'source' (arrays as the model file's own framework "
           "lays them out) or 'ir' (channels-last). memory_budget_mib bounds the working buffers "
           "(all threads together; one sample per block runs regardless). Raises InputError for a "
           "wrong shape or a "
           "NaN.")
      .def_prop_ro(
          "graph", [](const emulate::Emulator& e) -> const ir::Graph& { return e.graph(); },
          nb::rv_policy::reference_internal, "The configured graph being emulated.");
}

}  // namespace nnfpga::python
