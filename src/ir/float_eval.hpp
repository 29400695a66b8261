// What each op computes in real arithmetic: one evaluator of an op on float tensors, part of the
// op's definition beside its shape rule. The emulator's float path (the unquantized reference of
// the canonical graph) and constant folding (constant subgraphs of the raw graph) both call it, so
// the two can never disagree. The integer kernels of emulate/ are the other, bit-accurate meaning.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::ir {

// An element-wise op's scalar function with its attributes read once: ReLU, LeakyReLU, Clip,
// Threshold, Sigmoid, TanH, Softsign, Softplus, ELU, HardSigmoid. The emulator samples the table
// functions (Sigmoid ... ELU) through it to build its lookup tables.
class ElementwiseFunction {
 public:
  // Throws nnfpga::Error (kInternal) naming the node when its op is not element-wise.
  explicit ElementwiseFunction(const Node& node);
  double operator()(double x) const;

 private:
  enum class Fn : std::uint8_t {
    kRelu,
    kLeakyRelu,
    kClip,
    kHardSigmoid,
    kThreshold,
    kSigmoid,
    kTanh,
    kSoftsign,
    kSoftplus,
    kElu,
  };
  Fn fn_ = Fn::kRelu;
  double a_ = 0;  // LeakyReLU, ELU: alpha; Clip: min; HardSigmoid: slope
  double b_ = 0;  // Clip: max; HardSigmoid: offset
  const std::vector<double>* thresholds_ = nullptr;  // Threshold
  const std::vector<std::int64_t>* strict_ = nullptr;
  const std::vector<double>* values_ = nullptr;
};

// The node's output computed from `inputs`, the values of node.inputs in order, in double. Each
// value carries `batch_axes` leading axes before the tensor the op sees: 0 for a plain constant
// (constant folding), 1 for a batch of samples (the float path). Result shapes come from the input
// tensors (a constant's node has no inferred shapes yet), except Dense, which reads its sizes from
// dense_geometry(). The constant operand of MatMul (`weight`) and AddConstant, SubConstant,
// MulConstant, DivConstant (`value`) is the second input when there is one, else the param; it is
// broadcast numpy-style against the activation. Quantize is the identity (the float meaning of a
// model is the model without its quantizers). Input and Constant have no float meaning as an op
// (their value is given): asking for it is a kInternal error. A MatMul that is not x[..., k] @
// w[k, n], operands that do not broadcast, and a shape rule's refusal are nnfpga::Error naming the
// node.
Tensor evaluate_float(const Node& node, const std::vector<const Tensor*>& inputs, int batch_axes);

}  // namespace nnfpga::ir
