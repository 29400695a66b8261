// Threshold: nnf::threshold with the bounds in the input's type and the values in the result's,
// both from emulate::threshold_steps, so the firmware compares against the emulator's integers.
#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "emulate/threshold_steps.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_threshold(const LayerInput& in) {
  const ir::Node& node = in.node;
  const fixed::FixedType& x_t = in.graph.at(node.inputs.at(0)).type("result");
  const fixed::FixedType& y_t = node.type("result");
  const emulate::ThresholdSteps steps = emulate::threshold_steps(node, x_t, y_t);
  LayerCode code;
  const std::string cfg = config_name(in);
  const auto n_bounds = static_cast<std::int64_t>(steps.bounds.size());
  // The values reachable from this input type: from `first` on, one per bound and one more.
  const auto first = steps.values.begin() + steps.first;
  const ir::QuantizedTensor values{y_t, std::vector<std::int64_t>(first, first + n_bounds + 1), 0};
  // An empty bounds array is not valid C++: the header takes one element it never reads.
  const ir::QuantizedTensor bounds{
      x_t, steps.bounds.empty() ? std::vector<std::int64_t>{0} : steps.bounds, 0};
  const std::string b = constant_array(in, "bounds", bounds, code.constants);
  const std::string v = constant_array(in, "values", values, code.constants);
  code.config = ConfigStruct(cfg)
                    .int_constant("n_elem", per_call(in, ir::element_count(node.output_shape)))
                    .int_constant("n_bounds", n_bounds)
                    .text();
  const TensorRef& x = in.inputs.at(0);
  code.call =
      library_call("threshold", {x.type, in.output.type, cfg}, {x.var, in.output.var, b, v});
  return code;
}

}  // namespace nnfpga::backend::hls
