// The table of emitters by op kind, and helpers the emitters share.
#include "backend/verilog/emitter.hpp"

namespace nnfpga::backend::verilog {

Emitter find_emitter(ir::OpKind kind) {
  using K = ir::OpKind;
  switch (kind) {
    case K::kDense:
      return emit_dense;
    case K::kRelu:
    case K::kLeakyRelu:
    case K::kClip:
      return emit_relu_family;
    case K::kSigmoid:
    case K::kTanh:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
      return emit_table_function;
    case K::kSoftmax:
      return emit_softmax;
    case K::kBatchNorm:
      return emit_batchnorm;
    case K::kFlatten:
    case K::kReshape:
    case K::kQuantize:
      return emit_reshape;
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
    case K::kConcatenate:
      return emit_merge;
    case K::kPRelu:
    case K::kHardSigmoid:
      return emit_parametric;
    case K::kThreshold:
      return emit_threshold;
    // Not written by this backend: reported by name, or removed by the passes.
    case K::kInput:
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kIdentity:
    case K::kDropout:
    case K::kConv1D:  // not yet written (issue 16's backends follow the emulator)
    case K::kConv2D:
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
    case K::kTranspose:
      return nullptr;
  }
  return nullptr;  // not reached: the switch names every kind (-Wswitch)
}

Signal code_signal(NetId net, const fixed::FixedType& t) {
  return {net, fixed::min_mantissa(t), fixed::max_mantissa(t)};
}

const fixed::FixedType& result_type(const LayerContext& ctx) {
  return ctx.node.type("result");
}

}  // namespace nnfpga::backend::verilog
