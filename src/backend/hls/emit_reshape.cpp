// Flatten, Reshape and Quantize: a row-major copy, cast to the result type (nnf::copy_cast). A
// Quantize with per-element types casts each element to its own type first, one statement per
// element (the types differ, so no array of one element type can hold them in between).
#include <fmt/format.h>

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

LayerCode emit_quantize(const LayerInput& in) {
  const std::vector<std::optional<fixed::FixedType>> types = ir::element_types(in.node);
  if (types.empty()) return emit_reshape(in);
  if (in.calls > 1) {
    throw Error(ErrorKind::kUnsupported,
                "a Quantize with a type per element is not built under io_stream (its processes "
                "compute one position at a time with one type per channel); use io_parallel",
                {.node = in.node.name});
  }
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
