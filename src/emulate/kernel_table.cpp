// The emulator's kernel table: a switch naming every op kind, so that a new kind without a kernel
// is a compile error (-Wswitch), and nullptr marks an op the emulator does not support, so the
// executor reports it by name instead of failing somewhere inside a run.
#include "emulate/kernel.hpp"

namespace nnfpga::emulate {

KernelFactory kernel_factory(ir::OpKind kind) {
  using K = ir::OpKind;
  switch (kind) {
    case K::kInput:
      return make_input_kernel;
    case K::kDense:
      return make_dense_kernel;
    case K::kRelu:
      return make_relu_kernel;
    case K::kLeakyRelu:
      return make_leaky_relu_kernel;
    case K::kClip:
      return make_clip_kernel;
    case K::kSigmoid:
    case K::kTanh:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
      return make_lookup_kernel;
    case K::kSoftmax:
      return make_softmax_kernel;
    case K::kBatchNorm:
      return make_batchnorm_kernel;
    case K::kFlatten:
    case K::kReshape:
      return make_reshape_kernel;
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
      return make_merge_kernel;
    case K::kConcatenate:
      return make_concatenate_kernel;
    case K::kPRelu:
      return make_prelu_kernel;
    case K::kHardSigmoid:
      return make_hard_sigmoid_kernel;
    case K::kQuantize:
      return make_quantize_kernel;
    case K::kThreshold:
      return make_threshold_kernel;
    case K::kConv1D:
    case K::kConv2D:
      return make_conv_kernel;
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
      return make_pool_kernel;
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
      return make_relayout_kernel;
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
      return make_depthwise_kernel;
    case K::kTranspose:
      return make_transpose_kernel;
    // Not emulated: the passes remove these, or the emulator lacks them (reported by name).
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kIdentity:
    case K::kDropout:
      return nullptr;
  }
  return nullptr;  // not reached: the switch names every kind (-Wswitch)
}

}  // namespace nnfpga::emulate
