// Flatten, Reshape and Quantize: a row-major copy, cast to the result type (nnf::copy_cast). A
// Quantize with per-element types casts each element to its own type first, one statement per
// element (the types differ, so no array of one element type can hold them in between); in
// io_stream's dataflow, one position at a time, a selector per element picking the cast.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "ir/element_types.hpp"
#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_reshape(const LayerInput& in) {
  LayerCode code;
  const std::string cfg = config_name(in);
  const TensorRef& x = in.inputs.at(0);
  if (in.stream) {
    // io_stream: the sample's values regrouped from beats of the input's channels into beats of
    // the output's (Flatten: every beat read, then one beat of them all).
    const ir::Shape& from = in.graph.at(in.node.inputs.at(0)).output_shape;
    code.config = ConfigStruct(cfg)
                      .int_constant("n_elem", ir::element_count(in.node.output_shape))
                      .int_constant("in_width", ir::channels(from))
                      .int_constant("out_width", ir::channels(in.node.output_shape))
                      .text();
    code.call =
        library_call("regroup_stream", {x.type, in.output.type, cfg}, {x.var, in.output.var});
    return code;
  }
  code.config = ConfigStruct(cfg)
                    .int_constant("n_elem", per_call(in, ir::element_count(in.node.output_shape)))
                    .text();
  code.call = library_call("copy_cast", {x.type, in.output.type, cfg}, {x.var, in.output.var});
  return code;
}

namespace {

// A per-element Quantize in io_stream's dataflow: position p's channel k has its own type, so each
// channel casts its value to every distinct type of the layer and a selector, a constant per
// element read at the position's offset, picks one (a zeroed element writes 0).
LayerCode quantize_per_position(const LayerInput& in,
                                const std::vector<std::optional<fixed::FixedType>>& types) {
  std::vector<std::string> distinct;
  std::vector<std::int64_t> selector;
  for (const std::optional<fixed::FixedType>& t : types) {
    if (!t) {
      selector.push_back(0);
      continue;
    }
    const std::string spelling = type_spelling(*t);
    auto it = std::find(distinct.begin(), distinct.end(), spelling);
    if (it == distinct.end()) it = distinct.insert(distinct.end(), spelling);
    selector.push_back(1 + (it - distinct.begin()));
  }
  constexpr std::size_t kMaxTypes = 255;  // a selector is one unsigned char; 0 means zeroed
  if (distinct.size() > kMaxTypes) {
    throw Error(ErrorKind::kUnsupported,
                "a Quantize with " + std::to_string(distinct.size()) +
                    " distinct element types is not built under io_stream (at most " +
                    std::to_string(kMaxTypes) +
                    " per layer: each is a cast circuit per channel); use io_parallel or fewer "
                    "distinct bit widths",
                {.node = in.node.name});
  }
  LayerCode code;
  ConstantArray sel;
  sel.name = in.ids.take("element_type_" + in.node.name);
  sel.type = "unsigned char";
  sel.size = static_cast<std::int64_t>(selector.size());
  sel.initializer = fmt::format("{{{}}}", fmt::join(selector, ", "));
  code.constants.push_back(sel);
  const std::int64_t n = per_call(in, static_cast<std::int64_t>(types.size()));
  std::string cases = "      default:\n        y_k = 0;\n        break;\n";
  for (std::size_t j = 0; j < distinct.size(); ++j) {
    cases +=
        fmt::format("      case {}:\n        y_k = {}(x_k);\n        break;\n", j + 1, distinct[j]);
  }
  const std::string& x = in.inputs.at(0).var;
  const std::string& y = in.output.var;
  code.call = fmt::format(
      "QuantizeElements:\n  for (int k = 0; k < {n}; k++) {{\n#pragma HLS UNROLL\n"
      "    const {x_t} x_k = {x}[k];\n    {y_t} y_k;\n    switch (({sel})[k]) {{\n{cases}"
      "    }}\n    {y}[k] = y_k;\n  }}",
      fmt::arg("n", n), fmt::arg("x_t", in.inputs.at(0).type), fmt::arg("x", x),
      fmt::arg("y_t", in.output.type), fmt::arg("y", y),
      fmt::arg("sel", per_call_array(in, sel.name, static_cast<std::int64_t>(types.size()))),
      fmt::arg("cases", cases));
  return code;
}

}  // namespace

LayerCode emit_quantize(const LayerInput& in) {
  const std::vector<std::optional<fixed::FixedType>> types = ir::element_types(in.node);
  if (types.empty()) return emit_reshape(in);
  if (in.calls > 1) return quantize_per_position(in, types);
  LayerCode code;
  const std::string& x = in.inputs.at(0).var;
  const std::string& y = in.output.var;
  for (std::size_t k = 0; k < types.size(); ++k) {
    if (!code.call.empty()) code.call += "\n  ";
    code.call += types[k]
                     ? fmt::format("{}[{}] = {}({}[{}]);", y, k, type_spelling(*types[k]), x, k)
                     : fmt::format("{}[{}] = 0;", y, k);
  }
  return code;
}

}  // namespace nnfpga::backend::hls
