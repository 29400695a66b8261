// Flatten and Reshape move no values (row-major order is kept), and cast when the result type
// differs; Quantize is that cast, or with per-element types each element cast to its own type
// and then into the result type (src/emulate/reshape.cpp, quantize.cpp).
#include "backend/verilog/emitter.hpp"
#include "ir/element_types.hpp"

namespace nnfpga::backend::verilog {

std::vector<NetId> emit_reshape(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  const fixed::FixedType& r = result_type(ctx);
  std::vector<std::optional<fixed::FixedType>> per_element;
  if (ctx.node.op == ir::OpKind::kQuantize && ctx.node.attrs.has(ir::kElementTypes)) {
    per_element = ir::element_types(ctx.node);
  }
  std::vector<NetId> y;
  for (std::size_t k = 0; k < in.elements.size(); ++k) {
    const Signal& x = in.elements[k];
    if (per_element.empty()) {
      y.push_back(r == in.type ? x.net : emit_cast(ctx.nl, {x.net, in.type.frac()}, r, "y"));
      continue;
    }
    const std::optional<fixed::FixedType>& t = per_element.at(k % per_element.size());
    if (!t) {
      y.push_back(ctx.nl.constant(0, code_width(r)));  // a zeroed element
      continue;
    }
    const NetId e = emit_cast(ctx.nl, {x.net, in.type.frac()}, *t, "q");
    y.push_back(emit_cast(ctx.nl, {e, t->frac()}, r, "y"));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
