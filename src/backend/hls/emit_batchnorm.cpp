// BatchNormalization left standing after folding: nnf::batchnorm with its quantized scale and
// bias.
#include "backend/hls/emitter.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_batchnorm(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::string s = constant_array(in, "scale", node.qparam("scale"), code.constants);
  const std::string b = constant_array(in, "bias", node.qparam("bias"), code.constants);
  code.config = "struct " + cfg + " {\n" + "  static const int n_elem = " +
                std::to_string(ir::element_count(node.output_shape)) + ";\n" + "  typedef " +
                type_spelling(node.qparam("scale").type) + " scale_t;\n" + "  typedef " +
                type_spelling(node.qparam("bias").type) + " bias_t;\n" + "};\n";
  code.call = "nnf::batchnorm<" + in.inputs.at(0).type + ", " + in.output.type + ", " + cfg + ">(" +
              in.inputs.at(0).var + ", " + in.output.var + ", " + s + ", " + b + ");";
  return code;
}

}  // namespace nnfpga::backend::hls
