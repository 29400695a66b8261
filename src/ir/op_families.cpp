// op_family: the one switch over every op kind that sorts them into the families the stream
// schedule, the plan, the estimate and the backends dispatch on (op_table.hpp). No default: a new
// kind fails to compile (-Wswitch) until it is given a family here.
#include "ir/op_table.hpp"

#include <string>
#include <utility>

#include "nnfpga/error.hpp"

namespace nnfpga::ir {

OpFamily op_family(OpKind kind) {
  using K = OpKind;
  switch (kind) {
    case K::kInput:
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kIdentity:
    case K::kDropout:
      return OpFamily::kNotComputed;
    case K::kDense:
    case K::kRelu:
    case K::kLeakyRelu:
    case K::kClip:
    case K::kSigmoid:
    case K::kTanh:
    case K::kSoftmax:
    case K::kBatchNorm:
    case K::kPRelu:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
    case K::kHardSigmoid:
    case K::kQuantize:
    case K::kThreshold:
      return OpFamily::kPerPosition;
    case K::kConv1D:
    case K::kConv2D:
      return OpFamily::kConvolution;
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
      return OpFamily::kDepthwise;
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
      return OpFamily::kPool;
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
      return OpFamily::kRelayout;
    case K::kFlatten:
    case K::kReshape:
      return OpFamily::kRegroup;
    case K::kTranspose:
      return OpFamily::kTranspose;
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
      return OpFamily::kElementwiseMerge;
    case K::kConcatenate:
      return OpFamily::kConcatenate;
  }
  return OpFamily::kNotComputed;  // not reached: the switch names every kind (-Wswitch)
}

bool is_windowed(OpKind kind) {
  const OpFamily f = op_family(kind);
  return f == OpFamily::kConvolution || f == OpFamily::kDepthwise || f == OpFamily::kPool ||
         f == OpFamily::kRelayout;
}

bool is_merge(OpKind kind) {
  const OpFamily f = op_family(kind);
  return f == OpFamily::kElementwiseMerge || f == OpFamily::kConcatenate;
}

MergeOp merge_op(OpKind kind) {
  if (op_family(kind) != OpFamily::kElementwiseMerge) return MergeOp::kNone;
  constexpr std::pair<OpKind, MergeOp> kOperators[] = {
      {OpKind::kAdd, MergeOp::kAdd},           {OpKind::kSubtract, MergeOp::kSubtract},
      {OpKind::kMultiply, MergeOp::kMultiply}, {OpKind::kAverage, MergeOp::kAverage},
      {OpKind::kMaximum, MergeOp::kMaximum},   {OpKind::kMinimum, MergeOp::kMinimum},
  };
  for (const auto& [k, m] : kOperators) {
    if (k == kind) return m;
  }
  // A kind op_family calls a merge but given no operator here: a bug, never a silent default.
  throw Error(ErrorKind::kInternal,
              "the element-wise merge " + std::string(op_name(kind)) + " has no MergeOp");
}

}  // namespace nnfpga::ir
