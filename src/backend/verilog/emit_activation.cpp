// The ReLU family as multiplexers, each value cast once to result_t as the emulator does
// (src/emulate/activation.cpp): ReLU max(x, 0); LeakyReLU x >= 0 ? x : x * alpha (the product by
// shifts and adds); Clip min(max(x, min), max), min first, so min > max gives max everywhere.
#include <fmt/format.h>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

std::int64_t scalar(const ir::Node& node, const std::string& key) {
  const ir::QuantizedTensor& q = node.qparam(key);
  if (q.mantissa.size() != 1) {
    throw Error(ErrorKind::kInternal, "parameter '" + key + "' must hold one value",
                {.node = node.name});
  }
  return q.mantissa[0];
}

NetId relu(LayerContext& ctx, const Signal& x, int frac) {
  const Signal pos = clamp_signal(ctx.nl, x, 0, true);
  return emit_cast(ctx.nl, {pos.net, frac}, result_type(ctx), "y");
}

NetId leaky(LayerContext& ctx, const Signal& x, int frac) {
  const ir::QuantizedTensor& alpha = ctx.node.qparam("alpha");
  const fixed::FixedType& r = result_type(ctx);
  const NetId pass = emit_cast(ctx.nl, {x.net, frac}, r, "y_pos");
  const Signal scaled = constant_multiply(ctx.nl, x, scalar(ctx.node, "alpha"), "alpha_x");
  const NetId neg = emit_cast(ctx.nl, {scaled.net, frac + alpha.type.frac()}, r, "y_neg");
  const int wx = ctx.nl.width(x.net);
  return ctx.nl.op("y", code_width(r), {x.net, pass, neg}, arith::kMuxNs, Logic::select(),
                   [wx](const std::vector<std::string>& n) {
                     return fmt::format("{}[{}] ? {} : {}", n[0], wx - 1, n[2], n[1]);
                   });
}

}  // namespace

std::vector<NetId> emit_relu_family(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  const int frac = in.type.frac();
  std::vector<NetId> y;
  for (const Signal& x : in.elements) {
    switch (ctx.node.op) {
      case ir::OpKind::kRelu:
        y.push_back(relu(ctx, x, frac));
        break;
      case ir::OpKind::kLeakyRelu:
        y.push_back(leaky(ctx, x, frac));
        break;
      case ir::OpKind::kClip: {
        for (const char* key : {"min", "max"}) {
          if (ctx.node.qparam(key).type.frac() != frac) {
            throw Error(ErrorKind::kInternal,
                        std::string("Clip's '") + key + "' must be quantized in the input's type",
                        {.node = ctx.node.name});
          }
        }
        const Signal lo = clamp_signal(ctx.nl, x, scalar(ctx.node, "min"), true);
        const Signal hi = clamp_signal(ctx.nl, lo, scalar(ctx.node, "max"), false);
        y.push_back(emit_cast(ctx.nl, {hi.net, frac}, result_type(ctx), "y"));
        break;
      }
      default:
        throw Error(ErrorKind::kInternal, "not a ReLU-family op", {.node = ctx.node.name});
    }
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
