// The emulator's kernel table, indexed by op kind: nullptr marks an op the emulator does not
// support, so the executor reports it by name instead of failing somewhere inside a run.
#include <array>

#include "emulate/kernel.hpp"

namespace nnfpga::emulate {

KernelFactory kernel_factory(ir::OpKind kind) {
  using K = ir::OpKind;
  static constexpr auto kTable = [] {
    std::array<KernelFactory, ir::kOpKindCount> t{};
    t[static_cast<int>(K::kInput)] = make_input_kernel;
    t[static_cast<int>(K::kDense)] = make_dense_kernel;
    t[static_cast<int>(K::kRelu)] = make_relu_kernel;
    t[static_cast<int>(K::kLeakyRelu)] = make_leaky_relu_kernel;
    t[static_cast<int>(K::kClip)] = make_clip_kernel;
    t[static_cast<int>(K::kSigmoid)] = make_lookup_kernel;
    t[static_cast<int>(K::kTanh)] = make_lookup_kernel;
    t[static_cast<int>(K::kSoftmax)] = make_softmax_kernel;
    t[static_cast<int>(K::kBatchNorm)] = make_batchnorm_kernel;
    t[static_cast<int>(K::kFlatten)] = make_reshape_kernel;
    t[static_cast<int>(K::kReshape)] = make_reshape_kernel;
    t[static_cast<int>(K::kQuantize)] = make_quantize_kernel;
    t[static_cast<int>(K::kThreshold)] = make_threshold_kernel;
    for (K merge : {K::kAdd, K::kSubtract, K::kMultiply, K::kAverage, K::kMaximum, K::kMinimum}) {
      t[static_cast<int>(merge)] = make_merge_kernel;
    }
    t[static_cast<int>(K::kConcatenate)] = make_concatenate_kernel;
    t[static_cast<int>(K::kPRelu)] = make_prelu_kernel;
    t[static_cast<int>(K::kHardSigmoid)] = make_hard_sigmoid_kernel;
    t[static_cast<int>(K::kElu)] = make_lookup_kernel;
    t[static_cast<int>(K::kSoftsign)] = make_lookup_kernel;
    t[static_cast<int>(K::kSoftplus)] = make_lookup_kernel;
    return t;
  }();
  const auto index = static_cast<std::size_t>(kind);
  return index < kTable.size() ? kTable[index] : nullptr;
}

}  // namespace nnfpga::emulate
