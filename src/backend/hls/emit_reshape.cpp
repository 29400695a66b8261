// Flatten, Reshape and Quantize: a row-major copy, cast to the result type (nnf::copy_cast).
#include "backend/hls/emitter.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_reshape(const LayerInput& in) {
  LayerCode code;
  const std::string cfg = config_name(in);
  code.config = "struct " + cfg + " {\n" + "  static const int n_elem = " +
                std::to_string(ir::element_count(in.node.output_shape)) + ";\n};\n";
  code.call = "nnf::copy_cast<" + in.inputs.at(0).type + ", " + in.output.type + ", " + cfg + ">(" +
              in.inputs.at(0).var + ", " + in.output.var + ");";
  return code;
}

}  // namespace nnfpga::backend::hls
