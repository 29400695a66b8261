// The table of emitters by op kind, and helpers the emitters share.
#include <array>

#include "backend/verilog/emitter.hpp"

namespace nnfpga::backend::verilog {

Emitter find_emitter(ir::OpKind kind) {
  using K = ir::OpKind;
  static constexpr auto kTable = [] {
    std::array<Emitter, ir::kOpKindCount> t{};
    t[static_cast<int>(K::kDense)] = emit_dense;
    t[static_cast<int>(K::kRelu)] = emit_relu_family;
    t[static_cast<int>(K::kLeakyRelu)] = emit_relu_family;
    t[static_cast<int>(K::kClip)] = emit_relu_family;
    t[static_cast<int>(K::kFlatten)] = emit_reshape;
    t[static_cast<int>(K::kReshape)] = emit_reshape;
    t[static_cast<int>(K::kQuantize)] = emit_reshape;
    t[static_cast<int>(K::kBatchNorm)] = emit_batchnorm;
    t[static_cast<int>(K::kSoftmax)] = emit_softmax;
    t[static_cast<int>(K::kThreshold)] = emit_threshold;
    t[static_cast<int>(K::kPRelu)] = emit_parametric;
    t[static_cast<int>(K::kHardSigmoid)] = emit_parametric;
    for (K table : {K::kSigmoid, K::kTanh, K::kSoftsign, K::kSoftplus, K::kElu}) {
      t[static_cast<int>(table)] = emit_table_function;
    }
    for (K merge : {K::kAdd, K::kSubtract, K::kMultiply, K::kAverage, K::kMaximum, K::kMinimum,
                    K::kConcatenate}) {
      t[static_cast<int>(merge)] = emit_merge;
    }
    return t;
  }();
  const auto index = static_cast<std::size_t>(kind);
  return index < kTable.size() ? kTable[index] : nullptr;
}

Signal code_signal(NetId net, const fixed::FixedType& t) {
  return {net, fixed::min_mantissa(t), fixed::max_mantissa(t)};
}

const fixed::FixedType& result_type(const LayerContext& ctx) {
  return ctx.node.type("result");
}

}  // namespace nnfpga::backend::verilog
