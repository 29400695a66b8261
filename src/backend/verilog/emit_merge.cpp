// The merge layers as the emulator computes them (src/emulate/merge.cpp): every input's exact
// value aligned to the common binary point, combined exactly (a sum by an adder tree, Maximum and
// Minimum by compare-and-select folds, Multiply by multipliers), then one cast to result_t
// (Average: from the fraction plus log2 of the input count). Concatenate casts each input's
// values into result_t and places them side by side on the last axis.
#include <fmt/format.h>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "emulate/merge.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

std::vector<NetId> concatenate(LayerContext& ctx) {
  const fixed::FixedType& r = result_type(ctx);
  const std::int64_t out_inner = ctx.node.output_shape.back();
  const std::int64_t outer = ir::element_count(ctx.node.output_shape) / out_inner;
  std::vector<NetId> y;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
      const TensorSignals& in = ctx.inputs[i];
      const std::int64_t inner = ctx.node.input_shapes.at(i).back();
      for (std::int64_t e = 0; e < inner; ++e) {
        const Signal& x = in.elements.at(static_cast<std::size_t>(o * inner + e));
        y.push_back(emit_cast(ctx.nl, {x.net, in.type.frac()}, r, "y"));
      }
    }
  }
  return y;
}

}  // namespace

std::vector<NetId> emit_merge(LayerContext& ctx) {
  const ir::OpKind op = ctx.node.op;
  if (op == ir::OpKind::kConcatenate) return concatenate(ctx);
  const bool product = op == ir::OpKind::kMultiply;
  int frac = product ? 0 : ctx.inputs.front().type.frac();
  for (const TensorSignals& in : ctx.inputs) {
    frac = product ? frac + in.type.frac() : std::max(frac, in.type.frac());
  }
  const int divide = op == ir::OpKind::kAverage ? emulate::average_shift(ctx.node) : 0;
  std::vector<NetId> y;
  const std::size_t size = ctx.inputs.front().elements.size();
  for (std::size_t k = 0; k < size; ++k) {
    Signal acc;
    if (op == ir::OpKind::kAdd || op == ir::OpKind::kAverage || op == ir::OpKind::kSubtract) {
      std::vector<ShiftedTerm> terms;
      for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
        const TensorSignals& in = ctx.inputs[i];
        terms.push_back(
            {in.elements.at(k), frac - in.type.frac(), op == ir::OpKind::kSubtract && i > 0});
      }
      acc = sum_terms(ctx.nl, terms, "sum");
    } else {
      for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
        const TensorSignals& in = ctx.inputs[i];
        Signal v = in.elements.at(k);
        if (!product) v = sum_terms(ctx.nl, {{v, frac - in.type.frac(), false}}, "aligned");
        if (i == 0) {
          acc = v;
        } else if (product) {
          acc = multiply_signals(ctx.nl, acc, v);
        } else {
          acc = select_signal(ctx.nl, acc, v, op == ir::OpKind::kMaximum);
        }
      }
    }
    y.push_back(emit_cast(ctx.nl, {acc.net, frac + divide}, result_type(ctx), "y"));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
