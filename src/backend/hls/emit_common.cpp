// Helpers shared by the emitters, and the table of emitters by op kind.
#include <array>
#include <cmath>
#include <cstdio>

#include "backend/hls/emitter.hpp"
#include "backend/hls/literals.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

Emitter find_emitter(ir::OpKind kind) {
  using K = ir::OpKind;
  static constexpr auto kTable = [] {
    std::array<Emitter, ir::kOpKindCount> t{};
    t[static_cast<int>(K::kDense)] = emit_dense;
    t[static_cast<int>(K::kRelu)] = emit_relu_family;
    t[static_cast<int>(K::kLeakyRelu)] = emit_relu_family;
    t[static_cast<int>(K::kClip)] = emit_relu_family;
    t[static_cast<int>(K::kSigmoid)] = emit_table_function;
    t[static_cast<int>(K::kTanh)] = emit_table_function;
    t[static_cast<int>(K::kSoftmax)] = emit_softmax;
    t[static_cast<int>(K::kBatchNorm)] = emit_batchnorm;
    t[static_cast<int>(K::kFlatten)] = emit_reshape;
    t[static_cast<int>(K::kReshape)] = emit_reshape;
    t[static_cast<int>(K::kQuantize)] = emit_quantize;
    t[static_cast<int>(K::kThreshold)] = emit_threshold;
    for (K merge : {K::kAdd, K::kSubtract, K::kMultiply, K::kAverage, K::kMaximum, K::kMinimum}) {
      t[static_cast<int>(merge)] = emit_merge;
    }
    t[static_cast<int>(K::kConcatenate)] = emit_concatenate;
    t[static_cast<int>(K::kPRelu)] = emit_parametric_activation;
    t[static_cast<int>(K::kHardSigmoid)] = emit_parametric_activation;
    t[static_cast<int>(K::kElu)] = emit_table_function;
    t[static_cast<int>(K::kSoftsign)] = emit_table_function;
    t[static_cast<int>(K::kSoftplus)] = emit_table_function;
    return t;
  }();
  const auto index = static_cast<std::size_t>(kind);
  return index < kTable.size() ? kTable[index] : nullptr;
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

std::string pow2_members(const std::string& name, int e) {
  char value[40];
  std::snprintf(value, sizeof value, "%.17g", std::ldexp(1.0, e));
  return "  typedef ap_ufixed<1, " + std::to_string(e + 1) + "> " + name + "_t;\n" +
         "  static constexpr double " + name + " = " + value + ";\n";
}

}  // namespace nnfpga::backend::hls
