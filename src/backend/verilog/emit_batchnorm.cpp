// BatchNormalization that was not folded: y = cast(x * scale + bias, result_t) per element, the
// product (shifts and adds) and the aligned sum exact (src/emulate/batchnorm.cpp).
#include <algorithm>

#include "backend/verilog/emitter.hpp"

namespace nnfpga::backend::verilog {

std::vector<NetId> emit_batchnorm(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  const ir::QuantizedTensor& scale = ctx.node.qparam("scale");
  const ir::QuantizedTensor& bias = ctx.node.qparam("bias");
  const int product_frac = in.type.frac() + scale.type.frac();
  const int frac = std::max(product_frac, bias.type.frac());
  std::vector<NetId> y;
  const std::size_t size = scale.mantissa.size();
  for (std::size_t k = 0; k < in.elements.size(); ++k) {
    const Signal p = constant_multiply(ctx.nl, in.elements[k], scale.mantissa.at(k % size), "sx");
    const std::int64_t b = bias.mantissa.at(k % size);
    std::vector<ShiftedTerm> terms = {{p, frac - product_frac, false}};
    if (b != 0) terms.push_back({constant_signal(ctx.nl, b), frac - bias.type.frac(), false});
    const Signal sum = sum_terms(ctx.nl, terms, "sum");
    y.push_back(emit_cast(ctx.nl, {sum.net, frac}, result_type(ctx), "y"));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
