// Dense: nnf::dense of hlslib/nnfpga/dense.h, with the plan's strategy, reuse factor and
// multiplier limit.
#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "ir/geometry.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_dense(const LayerInput& in) {
  const ir::Node& node = in.node;
  const ir::DenseGeometry g = ir::dense_geometry(node);
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::string w = constant_array(in, "w", node.qparam("weight"), code.constants);
  std::string b;
  fixed::FixedType bias_t = node.type("bias");
  if (node.qparams.count("bias")) {
    b = constant_array(in, "b", node.qparam("bias"), code.constants);
  } else {
    // No bias: zeros, so that the library has one code path (a zero bias casts to zero).
    ir::QuantizedTensor zeros{bias_t, std::vector<std::int64_t>(g.n_out, 0), 0};
    b = constant_array(in, "b", zeros, code.constants);
  }
  code.config = ConfigStruct(cfg)
                    .int_constant("n_in", g.n_in)
                    .int_constant("n_out", g.n_out)
                    .int_constant("n_positions", per_call(in, g.positions))
                    .int_constant("reuse_factor", in.plan.reuse_factor)
                    .int_constant("multiplier_limit", in.plan.multiplier_limit)
                    .bool_constant("resource", in.plan.strategy == ir::Strategy::kResource)
                    .type("weight_t", type_spelling(node.type("weight")))
                    .type("bias_t", type_spelling(bias_t))
                    .type("accum_t", type_spelling(node.type("accum")))
                    .text();
  const TensorRef& x = in.inputs.at(0);
  code.call = library_call("dense", {x.type, in.output.type, cfg}, {x.var, in.output.var, w, b});
  return code;
}

}  // namespace nnfpga::backend::hls
