// Dense: nnf::dense of hlslib/nnfpga/dense.h, with the plan's strategy, reuse factor and
// multiplier limit.
#include "backend/hls/emitter.hpp"
#include "ir/geometry.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_dense(const LayerInput& in) {
  const ir::Node& node = in.node;
  const ir::DenseGeometry g = ir::dense_geometry(node);
  const std::int64_t n_in = g.n_in;
  const std::int64_t n_out = g.n_out;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::string w = constant_array(in, "w", node.qparam("weight"), code.constants);
  std::string b;
  fixed::FixedType bias_t = node.type("bias");
  if (node.qparams.count("bias")) {
    b = constant_array(in, "b", node.qparam("bias"), code.constants);
  } else {
    // No bias: zeros, so that the library has one code path (a zero bias casts to zero).
    ir::QuantizedTensor zeros{bias_t, std::vector<std::int64_t>(n_out, 0), 0};
    b = constant_array(in, "b", zeros, code.constants);
  }
  const bool resource = in.plan.strategy == ir::Strategy::kResource;
  code.config =
      "struct " + cfg + " {\n" +                                     //
      "  static const int n_in = " + std::to_string(n_in) + ";\n" +  //
      "  static const int n_out = " + std::to_string(n_out) + ";\n" +
      "  static const int n_positions = " + std::to_string(g.positions) + ";\n" +
      "  static const int reuse_factor = " + std::to_string(in.plan.reuse_factor) + ";\n" +
      "  static const int multiplier_limit = " + std::to_string(in.plan.multiplier_limit) + ";\n" +
      "  static const bool resource = " + (resource ? "true" : "false") + ";\n" + "  typedef " +
      type_spelling(node.type("weight")) + " weight_t;\n" + "  typedef " + type_spelling(bias_t) +
      " bias_t;\n" + "  typedef " + type_spelling(node.type("accum")) + " accum_t;\n" + "};\n";
  code.call = "nnf::dense<" + in.inputs.at(0).type + ", " + in.output.type + ", " + cfg + ">(" +
              in.inputs.at(0).var + ", " + in.output.var + ", " + w + ", " + b + ");";
  return code;
}

}  // namespace nnfpga::backend::hls
