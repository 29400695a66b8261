// PReLU and HardSigmoid as the emulator computes them (src/emulate/parametric_activation.cpp):
// PReLU x >= 0 ? cast(x) : cast(x * alpha[k]) per element; HardSigmoid v = slope * x + offset
// exactly (shifts and adds), y = v > 1 ? cast(1) : (v > 0 ? cast(v) : 0).
#include <fmt/format.h>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "fixed/exact.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

NetId prelu(LayerContext& ctx, const Signal& x, int frac, std::int64_t alpha, int alpha_frac) {
  const fixed::FixedType& r = result_type(ctx);
  const NetId pass = emit_cast(ctx.nl, {x.net, frac}, r, "y_pos");
  const Signal scaled = constant_multiply(ctx.nl, x, alpha, "alpha_x");
  const NetId neg = emit_cast(ctx.nl, {scaled.net, frac + alpha_frac}, r, "y_neg");
  const int wx = ctx.nl.width(x.net);
  return ctx.nl.op("y", code_width(r), {x.net, pass, neg}, arith::kMuxNs, Logic::select(),
                   [wx](const std::vector<std::string>& n) {
                     return fmt::format("{}[{}] ? {} : {}", n[0], wx - 1, n[2], n[1]);
                   });
}

NetId hard_sigmoid(LayerContext& ctx, const Signal& x, const fixed::FixedType& x_t) {
  const ir::QuantizedTensor& slope = ctx.node.qparam("slope");
  const ir::QuantizedTensor& offset = ctx.node.qparam("offset");
  const fixed::FixedType& r = result_type(ctx);
  const int product_frac = x_t.frac() + slope.type.frac();
  const int frac = std::max({product_frac, offset.type.frac(), 0});
  const Signal sx = constant_multiply(ctx.nl, x, slope.mantissa.at(0), "slope_x");
  const Signal v = sum_terms(
      ctx.nl,
      {{sx, frac - product_frac, false},
       {constant_signal(ctx.nl, offset.mantissa.at(0)), frac - offset.type.frac(), false}},
      "v");
  const NetId cast_v = emit_cast(ctx.nl, {v.net, frac}, r, "y_mid");
  const i128 one_code = fixed::mantissa_value(fixed::cast(1, 0, r).mantissa, r);
  const i128 one = i128{1} << frac;
  const int wr = code_width(r);
  const std::string one_lit = signed_literal(one, signed_bits(one, one));
  const std::string one_code_lit = signed_literal(one_code, wr);
  const std::string zero = signed_literal(0, wr);
  return ctx.nl.op(
      "y", wr, {v.net, cast_v}, arith::adder_ns(ctx.nl.width(v.net)) + 2 * arith::kMuxNs,
      Logic::compare_select(2, ctx.nl.width(v.net), true), [=](const std::vector<std::string>& n) {
        return fmt::format("({} > {}) ? {} : (({} > 0) ? {} : {})", n[0], one_lit, one_code_lit,
                           n[0], n[1], zero);
      });
}

}  // namespace

std::vector<NetId> emit_parametric(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  std::vector<NetId> y;
  for (std::size_t k = 0; k < in.elements.size(); ++k) {
    if (ctx.node.op == ir::OpKind::kHardSigmoid) {
      y.push_back(hard_sigmoid(ctx, in.elements[k], in.type));
      continue;
    }
    const ir::QuantizedTensor& alpha = ctx.node.qparam("alpha");
    y.push_back(prelu(ctx, in.elements[k], in.type.frac(),
                      alpha.mantissa.at(k % alpha.mantissa.size()), alpha.type.frac()));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
