// Helpers shared by the emitters, and the table of emitters by op kind.
#include "backend/hls/emitter.hpp"
#include "backend/hls/literals.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

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
      return emit_reshape;
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
      return emit_merge;
    case K::kConcatenate:
      return emit_concatenate;
    case K::kPRelu:
    case K::kHardSigmoid:
      return emit_parametric_activation;
    case K::kQuantize:
      return emit_quantize;
    case K::kThreshold:
      return emit_threshold;
    // Not written by this backend: reported by name (check_supported), or removed by the passes.
    case K::kInput:
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kIdentity:
    case K::kDropout:
      return nullptr;
    case K::kConv1D:
    case K::kConv2D:
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
      return emit_conv;
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
      return emit_pool;
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
      return emit_relayout;
    case K::kTranspose:
      return emit_transpose;
  }
  return nullptr;  // not reached: the switch names every kind (-Wswitch)
}

std::string type_spelling(const fixed::FixedType& t) {
  if (t.overflow == fixed::Overflow::kWrapSm || t.sat_bits != 0) {
    throw Error(ErrorKind::kUnsupported,
                "the HLS backend does not generate " + fixed::to_string(t) +
                    ": AP_WRAP_SM and N != 0 are outside the layer library's header subset");
  }
  return fixed::to_string(t);
}

std::string config_name(const LayerInput& in) {
  return in.ids.take("config_" + in.node.name);
}

std::string constant_array(const LayerInput& in, const std::string& prefix,
                           const ir::QuantizedTensor& q, std::vector<ConstantArray>& out) {
  ConstantArray a;
  a.name = in.ids.take(prefix + "_" + in.node.name);
  a.type = type_spelling(q.type);
  a.size = static_cast<std::int64_t>(q.mantissa.size());
  a.initializer = array_literal(q.mantissa, q.type, "layer '" + in.node.name + "' " + prefix);
  out.push_back(a);
  return a.name;
}

std::int64_t per_call(const LayerInput& in, std::int64_t n) {
  return n / in.calls;
}

std::string per_call_array(const LayerInput& in, const std::string& array, std::int64_t n) {
  if (in.calls == 1) return array;
  return array + " + " + in.position + " * " + std::to_string(n / in.calls);
}

}  // namespace nnfpga::backend::hls
