// BatchNormalization left standing after folding: nnf::batchnorm with its quantized scale and
// bias.
#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_batchnorm(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::int64_t n = ir::element_count(node.output_shape);
  const std::string s =
      per_call_array(in, constant_array(in, "scale", node.qparam("scale"), code.constants), n);
  const std::string b =
      per_call_array(in, constant_array(in, "bias", node.qparam("bias"), code.constants), n);
  code.config = ConfigStruct(cfg)
                    .int_constant("n_elem", per_call(in, n))
                    .type("scale_t", type_spelling(node.qparam("scale").type))
                    .type("bias_t", type_spelling(node.qparam("bias").type))
                    .text();
  const TensorRef& x = in.inputs.at(0);
  code.call =
      library_call("batchnorm", {x.type, in.output.type, cfg}, {x.var, in.output.var, s, b});
  return code;
}

}  // namespace nnfpga::backend::hls
